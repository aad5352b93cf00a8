import { strict as assert } from "node:assert";
import { test } from "node:test";

import { translateActions } from "../actions";
import { statusView } from "../status";

test("status shows the latest running command and how many more run", () => {
  const running = new Map<string, string>();
  assert.match(statusView("running", running).text, /check/);
  running.set("job-1", "translate");
  assert.equal(statusView("running", running).text, "$(sync~spin) transverify: translate");
  running.set("job-2", "reverify");
  assert.equal(statusView("running", running).text, "$(sync~spin) transverify: reverify (+1)");
  assert.match(statusView("running", running).tooltip, /translate; reverify/);
  assert.match(statusView("stopped", new Map()).text, /error/);
  assert.match(statusView("starting", new Map()).text, /spin/);
});

test("translate actions: runnable first, disabled ones give their reason", () => {
  const { runnable, unavailable } = translateActions([
    { title: "Translate to C++ and verify", kind: { value: "refactor.rewrite" } },
    { title: "Translate to CUDA and verify", kind: "refactor.rewrite", disabled: { reason: "no verifier" } },
    { title: "Ask the Solver to fix", kind: "quickfix" },
    { title: "Extract method", kind: "refactor.extract" },
  ]);
  assert.deepEqual(runnable.map((a) => a.title), ["Translate to C++ and verify"]);
  assert.deepEqual(unavailable, ["Translate to CUDA and verify: no verifier"]);
});
