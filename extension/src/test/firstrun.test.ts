import { strict as assert } from "node:assert";
import { test } from "node:test";

import { missingServerMessage, probeInvocation } from "../firstrun";

const viaPython = { command: "python3", args: ["-m", "transverify", "serve"] };

test("the probe asks the server's installation for its version", () => {
  assert.deepEqual(probeInvocation(viaPython), { command: "python3", args: ["-m", "transverify", "--version"] });
  assert.deepEqual(probeInvocation({ command: "/v/bin/transverify", args: ["serve"] }),
    { command: "/v/bin/transverify", args: ["--version"] });
});

test("no Python: says to install Python and how to set up transverify", () => {
  const message = missingServerMessage(viaPython, { spawnError: "ENOENT", output: "" }) ?? "";
  assert.match(message, /no Python found at 'python3'/);
  assert.match(message, /apt-get install python3 python3-venv/);
  assert.match(message, /scripts\/setup\.sh/);
  assert.match(message, /transverify\.server\.python/);
});

test("Python without transverify: names the interpreter", () => {
  const message = missingServerMessage(viaPython,
    { exitCode: 1, output: "/usr/bin/python3: No module named transverify\n" }) ?? "";
  assert.match(message, /'python3' has no transverify installed/);
});

test("a server command that cannot run names the setting", () => {
  const message = missingServerMessage({ command: "/gone/transverify", args: ["serve"] },
    { spawnError: "ENOENT", output: "" }) ?? "";
  assert.match(message, /transverify\.server\.command/);
});

test("a working installation gives no first-run message", () => {
  assert.equal(missingServerMessage(viaPython, { exitCode: 0, output: "transverify 0.1.0" }), undefined);
});
