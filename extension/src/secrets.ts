// The API key travels to the server only in its environment; logs never show it.

export const API_KEY_SECRET = "transverify.llm.apiKey";

/** Environment of the server process: the parent's, plus the stored key when there is one. */
export function serverEnvironment(base: NodeJS.ProcessEnv, apiKey: string | undefined): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  if (apiKey && apiKey.trim()) {
    env.OPENAI_API_KEY = apiKey.trim();
  }
  return env;
}

const SECRET_NAMES = /(key|token|secret|password|authorization)/i;

/** A copy of an object fit for a log line: values of secret-looking keys are masked. */
export function redact(value: unknown): unknown {
  if (Array.isArray(value)) {
    return value.map(redact);
  }
  if (value && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const [name, inner] of Object.entries(value as Record<string, unknown>)) {
      out[name] = SECRET_NAMES.test(name) && typeof inner === "string" && inner ? "***" : redact(inner);
    }
    return out;
  }
  return value;
}
