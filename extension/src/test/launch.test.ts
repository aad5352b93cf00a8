import { strict as assert } from "node:assert";
import { test } from "node:test";

import { cliInvocation, pythonFor, serverInvocation } from "../launch";

test("default server command runs the module with python3", () => {
  assert.deepEqual(serverInvocation({ command: [], python: "" }), { command: "python3", args: ["-m", "transverify", "serve"] });
});

test("configured interpreter wins over the Python extension's", () => {
  assert.equal(pythonFor({ command: [], python: " /venv/bin/python " }, "/other/python"), "/venv/bin/python");
  assert.equal(pythonFor({ command: [], python: "" }, "/other/python"), "/other/python");
});

test("configured server command is used as is, blanks dropped", () => {
  assert.deepEqual(serverInvocation({ command: ["/v/bin/transverify", "", "serve"], python: "/ignored" }),
    { command: "/v/bin/transverify", args: ["serve"] });
});

test("CLI reuses the server's installation, replacing 'serve'", () => {
  assert.deepEqual(cliInvocation({ command: ["/v/bin/transverify", "serve"], python: "" }, ["records", "stats"]),
    { command: "/v/bin/transverify", args: ["records", "stats"] });
  assert.deepEqual(cliInvocation({ command: [], python: "/v/bin/python" }, ["records", "stats"]),
    { command: "/v/bin/python", args: ["-m", "transverify", "records", "stats"] });
});
