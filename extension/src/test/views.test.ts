import { strict as assert } from "node:assert";
import { test } from "node:test";

import { diffTitle, unitPath, unusable } from "../compare";
import { dialogueLines } from "../dialogue";
import { recordTree } from "../records";

const answer = {
  status: "ok", entry: "saxpy",
  source: { uri: "file:///ws/saxpy.f90", name: "saxpy.f90", startLine: 1, endLine: 12, text: "subroutine saxpy\n" },
  target: { uri: "file:///ws/saxpy.cpp", name: "saxpy.cpp", startLine: 1, endLine: 6 },
};

test("compare with source: title, virtual path, and the server's refusals", () => {
  assert.equal(unusable(answer), undefined);
  assert.equal(diffTitle(answer), "saxpy.f90 (saxpy, lines 2–13) ↔ saxpy.cpp");
  assert.equal(unitPath(answer), "/saxpy.f90");
  assert.equal(unitPath({ ...answer, source: { ...answer.source, name: "../x/evil.f90" } }), "/.._x_evil.f90");
  assert.equal(unusable({ status: "error", message: "not linked" }), "not linked");
  assert.equal(unusable(undefined), "the language server did not answer");
  assert.match(unusable({ status: "ok" })!, /not linked/);
});

test("records view: pairs with their statuses, totals, and what an empty or broken store says", () => {
  const tree = recordTree({
    status: "ok", enabled: true, path: "/r.sqlite", verified_translations: 2, fixes: 3,
    by_pair_status: { "fortran->cpp": { accepted: 2, rejected: 1 }, "cpp->cuda": { not_verified: 1 } },
    fixes_by_origin: { human: 1, solver: 2 },
  });
  assert.deepEqual(tree.map((n) => [n.label, n.description]), [
    ["cpp->cuda", "1 dialogue(s)"], ["fortran->cpp", "3 dialogue(s)"], ["verified translations", "2"], ["fixes", "3"],
  ]);
  assert.deepEqual(tree[1].children!.map((n) => [n.label, n.description, n.icon]),
    [["accepted", "2", "pass"], ["rejected", "1", "close"]]);
  assert.equal(tree[0].children![0].label, "not verified");
  assert.deepEqual(tree[3].children!.map((n) => n.label), ["human", "solver"]);
  assert.equal(recordTree({ status: "ok", by_pair_status: {}, path: "/r" })[0].label, "No records yet");
  assert.equal(recordTree({ status: "error", message: "damaged" })[0].description, "damaged");
  assert.equal(recordTree(undefined)[0].label, "The language server is not running");
  assert.equal(recordTree({ status: "ok", enabled: false })[0].label, "Capture is off");
});

test("translation channel: turns by speaker, verdicts, rule notes and the verification summary", () => {
  const lines = dialogueLines({
    source: "file:///ws/saxpy.f90", target: "file:///ws/saxpy.cpp", solver: "llm", rounds: 2, origin: "translation",
    message: "verified equivalent", details: "Rules:\n  loop 1 kept serial",
    turns: [
      { role: "user", agent: "task", content: "Translate this" },
      { role: "assistant", agent: "solver", model: "m1", content: "```cpp\nint x;\n```", verdict: "not_equivalent", feedback: "y(1) differs" },
      { role: "user", agent: "questioner", content: "Why does y(1) differ?" },
    ],
    verification: { verdict: "equivalent", cases: 8, stage: null, message: "all outputs match", mismatches: [], seconds: 1.234 },
    warnings: ["weak sandbox"],
  });
  assert.equal(lines[0], "=== saxpy.f90 → saxpy.cpp: llm Solver, 2 round(s)");
  assert.ok(lines.includes("--- Questioner (task)"));
  assert.ok(lines.includes("--- Solver [m1] (solver)"));
  assert.ok(lines.includes(">>> verification: not_equivalent: y(1) differs"));
  assert.ok(lines.includes("  loop 1 kept serial"));
  assert.ok(lines.includes("Verification: equivalent on 8 case(s), 1.23 s"));
  assert.equal(lines[lines.length - 1], "warning: weak sandbox");
  const rules = dialogueLines({ solver: "rules", rounds: 1, turns: [{ role: "assistant", agent: "rules", content: "code" }],
    note: null });
  assert.match(rules[0], /rule-based Solver, 1 round/);
  assert.ok(rules.includes("--- Rule Solver (rules)"));
});
