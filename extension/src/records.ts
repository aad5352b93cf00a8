// The Explorer's records view: the server's record counts (transverify.recordStats) as a
// tree of pairs and statuses. Pure logic, unit-tested without VS Code.

export interface RecordStats {
  status?: string;
  message?: string;
  path?: string;
  exists?: boolean;
  enabled?: boolean;
  dialogues?: number;
  verified_translations?: number;
  code_pairs?: number;
  fixes?: number;
  by_pair_status?: Record<string, Record<string, number>>;
  fixes_by_origin?: Record<string, number>;
}

export interface RecordNode {
  label: string;
  description?: string;
  tooltip?: string;
  icon?: string; // a codicon name
  children?: RecordNode[];
}

const STATUS_ICONS: Record<string, string> = {
  accepted: "pass", verified: "verified", rejected: "close", not_verified: "warning", running: "sync", failed: "error",
};

function total(counts: Record<string, number>): number {
  return Object.values(counts).reduce((sum, n) => sum + (Number.isFinite(n) ? n : 0), 0);
}

export function recordTree(stats: RecordStats | undefined | null): RecordNode[] {
  if (!stats || typeof stats !== "object") {
    return [{ label: "The language server is not running", icon: "warning" }];
  }
  if (stats.status && stats.status !== "ok") {
    return [{ label: "Record store unavailable", description: stats.message, tooltip: stats.message, icon: "error" }];
  }
  if (stats.enabled === false) {
    return [{ label: "Capture is off", description: "transverify.capture", icon: "circle-slash" }];
  }
  const byPair = stats.by_pair_status ?? {};
  const pairs = Object.keys(byPair).sort();
  if (pairs.length === 0) {
    return [{ label: "No records yet", description: stats.path, tooltip: stats.path, icon: "info" }];
  }
  const nodes: RecordNode[] = pairs.map((pair) => ({
    label: pair,
    description: `${total(byPair[pair])} dialogue(s)`,
    icon: "arrow-swap",
    children: Object.keys(byPair[pair]).sort().map((status) => ({
      label: status.replace(/_/g, " "),
      description: String(byPair[pair][status]),
      icon: STATUS_ICONS[status] ?? "circle-outline",
    })),
  }));
  const origins = stats.fixes_by_origin ?? {};
  nodes.push({
    label: "verified translations", description: String(stats.verified_translations ?? 0), icon: "verified",
  });
  nodes.push({
    label: "fixes", description: String(stats.fixes ?? 0), icon: "tools",
    children: Object.keys(origins).sort().map((origin) => ({ label: origin, description: String(origins[origin]) })),
  });
  return nodes;
}
