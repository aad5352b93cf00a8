import { strict as assert } from "node:assert";
import { test } from "node:test";

import { Inspected, machineSettings, touchesMachineSetting, userLevel } from "../trust";

test("a workspace value never wins over the user's (or the default)", () => {
  assert.equal(userLevel({ defaultValue: "", workspaceValue: "./evil/g++" }, "x"), "");
  assert.equal(userLevel({ defaultValue: "", globalValue: "/usr/bin/g++", workspaceFolderValue: "./g++" }, "x"),
    "/usr/bin/g++");
  assert.equal(userLevel(undefined, "fallback"), "fallback");
});

test("machineSettings takes each key from the user level only", () => {
  const levels: Record<string, Inspected<unknown>> = {
    "llm.baseUrl": { defaultValue: "", globalValue: " http://127.0.0.1:8000/v1 ", workspaceValue: "http://attacker/v1" },
    "toolchain.gxx": { defaultValue: "", workspaceValue: "${workspaceFolder}/g++" },
    "recordsPath": { defaultValue: "", workspaceFolderValue: "/tmp/stolen.sqlite" },
  };
  const settings = machineSettings((key) => levels[key]);
  assert.deepEqual(settings, {
    llm: { baseUrl: "http://127.0.0.1:8000/v1" },
    recordsPath: "",
    toolchain: { gfortran: "", gxx: "", nvcc: "" },
  });
});

test("a change of a compiler path or the endpoint restarts the server", () => {
  assert.ok(touchesMachineSetting((section) => section === "transverify.toolchain.gxx"));
  assert.ok(!touchesMachineSetting((section) => section === "transverify.maxRounds"));
});
