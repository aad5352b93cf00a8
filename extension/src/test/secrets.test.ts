import { strict as assert } from "node:assert";
import { test } from "node:test";

import { redact, serverEnvironment } from "../secrets";

test("the stored key reaches the server as OPENAI_API_KEY", () => {
  const env = serverEnvironment({ PATH: "/bin" }, " sk-123 ");
  assert.equal(env.OPENAI_API_KEY, "sk-123");
  assert.equal(env.PATH, "/bin");
});

test("no stored key keeps the inherited one", () => {
  assert.equal(serverEnvironment({ OPENAI_API_KEY: "from-env" }, undefined).OPENAI_API_KEY, "from-env");
  assert.equal(serverEnvironment({}, "  ").OPENAI_API_KEY, undefined);
});

test("redact masks secret-looking values at any depth", () => {
  const shown = redact({ llm: { baseUrl: "http://x", apiKey: "sk-1" }, token: "t", maxRounds: 3, list: [{ password: "p" }] });
  assert.deepEqual(shown, { llm: { baseUrl: "http://x", apiKey: "***" }, token: "***", maxRounds: 3, list: [{ password: "***" }] });
});
