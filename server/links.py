"""Which translated file translates which source: the memory behind passive capture.

Persisted as .transverify/links.json in the workspace root, so a re-opened
workspace still re-verifies translated files on save and still knows the last
failing version a human fix started from.  Paths inside are relative to the
root, so the folder can be moved or shared.
"""

from __future__ import annotations

import json
import os
import tempfile
import threading
from dataclasses import asdict, dataclass
from pathlib import Path

FILE_NAME = "links.json"


@dataclass
class Link:
    target: str  # absolute path of the translated file
    source: str  # absolute path of the reference
    entry: str | None  # procedure / function translated
    target_kind: str  # "cpp" | "cuda" | "cpu" | "jax"
    source_line: int = 1  # 1-based line of the unit in the source (shown in the code lens)
    verdict: str | None = None  # last verdict: "equivalent" | "not_equivalent" | "error"
    summary: str = ""  # one-line status for the code lens
    cases: int = 0
    # The last failing version and why it failed: the "before" of a human fix record.
    failing_code: str | None = None
    error_context: str | None = None
    dialogue_id: str | None = None


class LinkStore:
    def __init__(self, root: Path):
        self.root = root
        self.path = root / ".transverify" / FILE_NAME
        self._lock = threading.Lock()
        self._links: dict[str, Link] = self._load()

    def _load(self) -> dict[str, Link]:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}  # a missing or corrupt file only loses history, never blocks the editor
        links = {}
        known = set(Link.__dataclass_fields__)
        for item in raw.get("links", []) if isinstance(raw, dict) else []:
            if not isinstance(item, dict) or "target" not in item or "source" not in item:
                continue
            item = {k: v for k, v in item.items() if k in known}
            item["target"] = str((self.root / item["target"]).resolve())
            item["source"] = str((self.root / item["source"]).resolve())
            item.setdefault("entry", None)
            item.setdefault("target_kind", "cpp")
            link = Link(**item)
            links[link.target] = link
        return links

    def get(self, target: Path | str) -> Link | None:
        with self._lock:
            return self._links.get(str(Path(target).resolve()))

    def for_source(self, source: Path | str) -> list[Link]:
        source = str(Path(source).resolve())
        with self._lock:
            return [link for link in self._links.values() if link.source == source]

    def put(self, link: Link) -> None:
        link.target = str(Path(link.target).resolve())
        link.source = str(Path(link.source).resolve())
        with self._lock:
            self._links[link.target] = link
            self._save()

    def _save(self) -> None:
        items = []
        for link in self._links.values():
            data = asdict(link)
            data["target"] = os.path.relpath(link.target, self.root)
            data["source"] = os.path.relpath(link.source, self.root)
            items.append(data)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        # Write-then-rename: an interrupted save never leaves a half-written file.
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".links-", suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump({"version": 1, "links": items}, handle, indent=2)
        os.replace(tmp, self.path)
