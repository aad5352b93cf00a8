// "Compare with source": the server's answer (transverify.sourceUnit) turned into what
// vscode.diff needs. Pure logic, unit-tested without VS Code.

export const UNIT_SCHEME = "transverify-unit";

export interface UnitSide {
  uri: string;
  name: string;
  startLine: number; // 0-based, inclusive
  endLine: number;
  text?: string;
  language?: string | null;
}

export interface SourceUnitAnswer {
  status: string;
  message?: string;
  entry?: string | null;
  source?: UnitSide;
  target?: UnitSide;
  summary?: string;
}

/** The error to show, or undefined when the answer can be diffed. */
export function unusable(answer: SourceUnitAnswer | undefined | null): string | undefined {
  if (!answer || typeof answer !== "object") {
    return "the language server did not answer";
  }
  if (answer.status !== "ok" || !answer.source || !answer.target || typeof answer.source.text !== "string") {
    return answer.message || "this file is not linked to a source";
  }
  return undefined;
}

/** Path of the virtual left-hand document: named like the source, so it gets its highlighting. */
export function unitPath(answer: SourceUnitAnswer): string {
  const name = (answer.source?.name || "source").replace(/[\\/]/g, "_");
  return `/${name}`;
}

export function diffTitle(answer: SourceUnitAnswer): string {
  const source = answer.source!;
  const what = answer.entry ? `${answer.entry}, ` : "";
  return `${source.name} (${what}lines ${source.startLine + 1}–${source.endLine + 1}) ↔ ${answer.target!.name}`;
}
