"""The one writer of a dataset folder.

Each unit's rows are appended to the data files first and its summary to `units.jsonl`
last: a unit is done exactly when its summary line is there.  After a kill, `--resume`
drops data rows of units without a summary (written before the kill, not finished) and a
torn last line, then continues with the units not done: nothing is redone, nothing is
written twice.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any, Iterator

DATA_FILES = ("pairs", "verified", "dialogues", "fixes", "rejected")  # <name>.jsonl: the contract
LEDGER = "units.jsonl"  # one summary per finished unit
MANIFEST = "manifest.json"


class DatasetExists(Exception):
    pass


class DatasetWriter:
    def __init__(self, folder: Path, resume: bool):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        ledger = self.folder / LEDGER
        if ledger.exists() and ledger.stat().st_size > 0 and not resume:
            raise DatasetExists(f"{self.folder} already holds a dataset: use --resume to continue it, "
                                "or choose another --out")
        self.summaries: dict[str, dict[str, Any]] = {}
        if resume:
            self._recover()
        self._files = {name: open(self.folder / f"{name}.jsonl", "a", encoding="utf-8") for name in DATA_FILES}
        self._ledger = open(ledger, "a", encoding="utf-8")

    @property
    def done(self) -> set[str]:
        return set(self.summaries)

    def write(self, rows: dict[str, Any]) -> bool:
        """Append one unit's rows; False (and nothing written) when the unit is already done."""
        summary = rows["summary"]
        if summary["unit_id"] in self.summaries:
            return False
        for name in DATA_FILES:
            handle = self._files[name]
            for row in rows.get(name, []):
                handle.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        self._ledger.write(json.dumps(summary, ensure_ascii=False, default=str) + "\n")
        self._ledger.flush()
        os.fsync(self._ledger.fileno())
        self.summaries[summary["unit_id"]] = summary
        return True

    def close(self) -> None:
        for handle in [*self._files.values(), self._ledger]:
            handle.close()

    def __enter__(self) -> "DatasetWriter":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def _recover(self) -> None:
        for row in _rewrite(self.folder / LEDGER, lambda row: "unit_id" in row):
            self.summaries[row["unit_id"]] = row
        for name in DATA_FILES:
            _rewrite(self.folder / f"{name}.jsonl", lambda row: row.get("unit_id") in self.summaries)


def read_jsonl(path: Path) -> Iterator[dict[str, Any]]:
    """Rows of a JSONL file; a torn or foreign line is skipped, not fatal."""
    if not path.exists():
        return
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                continue
            if isinstance(row, dict):
                yield row


def _rewrite(path: Path, keep) -> list[dict[str, Any]]:
    """Keep the rows `keep` accepts, replacing the file atomically; returns them."""
    rows = [row for row in read_jsonl(path) if keep(row)]
    if not path.exists():
        return rows
    partial = path.with_name(f".{path.name}.partial")
    with open(partial, "w", encoding="utf-8") as handle:
        for row in rows:
            handle.write(json.dumps(row, ensure_ascii=False, default=str) + "\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, path)
    return rows


def write_json_atomically(path: Path, data: Any) -> None:
    partial = path.with_name(f".{path.name}.partial")
    partial.write_text(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n", encoding="utf-8")
    os.replace(partial, path)
