// Which code actions the "translate here" command offers: pure logic, unit-tested without VS Code.

export interface ActionLike {
  title: string;
  kind?: { value: string } | string;
  disabled?: { reason: string };
}

function kindOf(action: ActionLike): string {
  if (!action.kind) {
    return "";
  }
  return typeof action.kind === "string" ? action.kind : action.kind.value;
}

/** transverify's translate actions, runnable ones first; disabled ones keep their reason. */
export function translateActions<T extends ActionLike>(actions: T[]): { runnable: T[]; unavailable: string[] } {
  const ours = actions.filter((a) => kindOf(a).startsWith("refactor.rewrite") && /^Translate to .* and verify$/.test(a.title));
  return {
    runnable: ours.filter((a) => !a.disabled),
    unavailable: ours.filter((a) => a.disabled).map((a) => `${a.title}: ${a.disabled!.reason}`),
  };
}

export const EXPORT_FORMATS = ["messages", "codepair", "openai-chat", "sharegpt"] as const;
