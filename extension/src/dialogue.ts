// The "transverify: Translation" output channel: the last translation's Questioner–Solver
// dialogue (transverify/dialogue notification) as text. Pure logic, unit-tested without VS Code.

export interface DialogueTurn {
  role?: string;
  agent?: string;
  model?: string | null;
  content?: string;
  verdict?: string | null;
  feedback?: string | null;
}

export interface DialogueNotice {
  source?: string;
  target?: string;
  origin?: string;
  solver?: string;
  rounds?: number;
  verdict?: string | null;
  message?: string;
  details?: string;
  warnings?: string[];
  events?: string[];
  turns?: DialogueTurn[];
  note?: string | null;
  verification?: {
    verdict?: string; stage?: string | null; cases?: number; message?: string; mismatches?: string[]; seconds?: number;
  } | null;
}

function baseName(uri: string | undefined): string {
  if (!uri) {
    return "?";
  }
  const parts = decodeURIComponent(uri).split("/");
  return parts[parts.length - 1] || uri;
}

const SPEAKERS: Record<string, string> = { system: "System prompt", user: "Questioner", assistant: "Solver" };

export function dialogueLines(notice: DialogueNotice): string[] {
  const lines: string[] = [];
  const solver = notice.solver === "rules" ? "rule-based Solver" : `${notice.solver ?? "?"} Solver`;
  lines.push(`=== ${baseName(notice.source)} → ${baseName(notice.target)}: ${solver}, ${notice.rounds ?? 0} round(s)` +
    (notice.origin && notice.origin !== "translation" ? ` (${notice.origin})` : ""));
  if (notice.message) {
    lines.push(notice.message);
  }
  for (const turn of notice.turns ?? []) {
    const speaker = turn.agent === "rules" ? "Rule Solver" : SPEAKERS[turn.role ?? ""] ?? turn.role ?? "?";
    const model = turn.model ? ` [${turn.model}]` : "";
    lines.push("", `--- ${speaker}${model}${turn.agent && turn.agent !== turn.role ? ` (${turn.agent})` : ""}`);
    lines.push(...(turn.content ?? "").split("\n"));
    if (turn.verdict) {
      lines.push(`>>> verification: ${turn.verdict}${turn.feedback ? `: ${turn.feedback}` : ""}`);
    }
  }
  if (notice.note) {
    lines.push("", `(${notice.note})`);
  }
  if (notice.details) {
    lines.push("", ...notice.details.split("\n"));
  }
  const v = notice.verification;
  if (v) {
    lines.push("", `Verification: ${v.verdict ?? "?"}${v.cases ? ` on ${v.cases} case(s)` : ""}` +
      (v.stage ? ` (stage ${v.stage})` : "") + (typeof v.seconds === "number" ? `, ${v.seconds.toFixed(2)} s` : ""));
    if (v.message) {
      lines.push(`  ${v.message}`);
    }
    for (const mismatch of v.mismatches ?? []) {
      lines.push(`  ${mismatch}`);
    }
  }
  for (const warning of notice.warnings ?? []) {
    lines.push(`warning: ${warning}`);
  }
  for (const event of notice.events ?? []) {
    lines.push(`event: ${event}`);
  }
  return lines;
}
