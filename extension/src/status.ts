// Status bar text from what the server reports: pure logic, unit-tested without VS Code.

export type ServerState = "starting" | "running" | "stopped";

export interface StatusView {
  text: string;
  tooltip: string;
}

/** running: server commands in flight (translate, reverify, ...), keyed by a per-call token. */
export function statusView(state: ServerState, running: Map<string, string>): StatusView {
  if (state === "starting") {
    return { text: "$(sync~spin) transverify", tooltip: "transverify: starting the language server" };
  }
  if (state === "stopped") {
    return { text: "$(error) transverify", tooltip: "transverify: the language server stopped; run 'transverify: Restart the language server'" };
  }
  if (running.size === 0) {
    return { text: "$(check) transverify", tooltip: "transverify: ready" };
  }
  const stages = [...running.values()];
  const latest = stages[stages.length - 1] || "working";
  const more = running.size > 1 ? ` (+${running.size - 1})` : "";
  return { text: `$(sync~spin) transverify: ${latest}${more}`, tooltip: `transverify: ${stages.join("; ")}` };
}
