"""`transverify dataset stats`: what a dataset holds, as numbers and as a chart."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from .writer import LEDGER, MANIFEST, read_jsonl


class NotADataset(Exception):
    pass


def dataset_stats(folder: Path) -> dict[str, Any]:
    folder = Path(folder)
    if not (folder / LEDGER).exists() and not (folder / MANIFEST).exists():
        raise NotADataset(f"{folder}: not a transverify dataset (no {MANIFEST} or {LEDGER}); "
                          "make one with `transverify dataset build`")
    summaries = list(read_jsonl(folder / LEDGER))
    total = len(summaries)
    status = Counter(s.get("status") for s in summaries)
    dialogues = list(read_jsonl(folder / "dialogues.jsonl"))
    reasons = Counter(s.get("reason") for s in summaries if s.get("status") != "verified" and s.get("reason"))
    manifest = {}
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        pass

    def rate(key: str) -> float:
        return round(sum(1 for s in summaries if s.get(key)) / total, 4) if total else 0.0

    return {
        "folder": str(folder),
        "units": total,
        "by_status": dict(sorted(status.items())),
        "pass_rates": {"compile": rate("compile_pass"), "execution": rate("execution_pass"),
                       "verified": round(status.get("verified", 0) / total, 4) if total else 0.0},
        "rows": {name: sum(1 for _ in read_jsonl(folder / f"{name}.jsonl"))
                 for name in ("pairs", "verified", "dialogues", "fixes", "rejected")},
        "rounds_histogram": _histogram(s.get("rounds", 0) for s in summaries),
        "messages_histogram": _histogram(len(d.get("messages", [])) for d in dialogues),
        "top_failure_reasons": [{"reason": r, "units": n} for r, n in reasons.most_common(10)],
        "status": manifest.get("status"),
        "target": (manifest.get("config") or {}).get("target"),
    }


def _histogram(values) -> dict[str, int]:
    counts = Counter(int(v or 0) for v in values)
    return {str(k): counts[k] for k in sorted(counts)}


def write_chart(stats: dict[str, Any], path: Path) -> Path:
    """A PNG with three panels: units by outcome, rounds per unit, messages per dialogue."""
    import matplotlib

    matplotlib.use("Agg")  # no display needed
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, 3, figsize=(13, 3.8))
    panels = [
        (stats["by_status"], "units by outcome", "#4c72b0"),
        (stats["rounds_histogram"], "Solver rounds per unit", "#55a868"),
        (stats["messages_histogram"], "messages per dialogue", "#c44e52"),
    ]
    for axis, (data, title, colour) in zip(axes, panels):
        keys = list(data) or ["none"]
        axis.bar(keys, [data.get(k, 0) for k in keys], color=colour)
        axis.set_title(title)
        axis.spines[["top", "right"]].set_visible(False)
        for x, key in enumerate(keys):
            axis.annotate(str(data.get(key, 0)), (x, data.get(key, 0)), ha="center", va="bottom", fontsize=8)
    rates = stats["pass_rates"]
    fig.suptitle(f"{stats['units']} units · compile {rates['compile']:.0%} · execution {rates['execution']:.0%}"
                 f" · verified {rates['verified']:.0%}", fontsize=11)
    fig.tight_layout()
    path = Path(path)
    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
