"""The training-record store: every dialogue, code pair, verified translation and fix.

SQLite in WAL mode.  Every write is its own short transaction, so a crash
(even SIGKILL) between turns leaves all completed turns and a consistent file.
With capture disabled (TRANSVERIFY_CAPTURE=0 or `[records] capture = false`)
the store writes nothing and never creates the file.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import threading
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator

from ..secrets import scrub, scrub_value
from .provenance import git_commit, now, path_hash, sha256_text
from .schema import SCHEMA_VERSION, SchemaError, migrate

FALSE_WORDS = {"0", "false", "no", "off"}


class RecordStoreError(Exception):
    """The store cannot be opened or written; the message names the file."""


def default_path() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "transverify" / "records.sqlite"


def _records_config() -> dict[str, Any]:
    from ..llm.settings import load_config

    return load_config().get("records", {})


class RecordStore:
    def __init__(self, path: Path, enabled: bool = True):
        self.path = Path(path)
        self.enabled = enabled
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = None

    @classmethod
    def open(cls, path: Path | None = None, enabled: bool | None = None) -> "RecordStore":
        """path None: TRANSVERIFY_RECORDS, then `[records] path` in the config file, else the per-user default.
        enabled None: TRANSVERIFY_CAPTURE, then `[records] capture`, else on."""
        config = None
        if path is None:
            env = os.environ.get("TRANSVERIFY_RECORDS")
            if env:
                path = Path(env)
            else:
                config = _records_config()
                path = Path(config["path"]).expanduser() if config.get("path") else default_path()
        if enabled is None:
            env = os.environ.get("TRANSVERIFY_CAPTURE")
            if env is not None and env.strip():
                enabled = env.strip().lower() not in FALSE_WORDS
            else:
                config = _records_config() if config is None else config
                enabled = bool(config.get("capture", True))
        return cls(Path(path), enabled)

    # -- connection -----------------------------------------------------------------

    def _connect(self, create: bool) -> sqlite3.Connection | None:
        with self._lock:
            if self._conn is not None:
                return self._conn
            if not create and not self.path.exists():
                return None
            try:
                _private_file(self.path)
                conn = sqlite3.connect(str(self.path), timeout=30, isolation_level=None, check_same_thread=False)
            except (sqlite3.Error, OSError) as exc:
                raise RecordStoreError(f"{self.path}: cannot open the record store: {_reason(exc)}") from None
            try:
                conn.row_factory = sqlite3.Row
                _check_intact(conn, self.path)
                conn.execute("PRAGMA journal_mode=WAL")
                conn.execute("PRAGMA synchronous=FULL")
                conn.execute("PRAGMA foreign_keys=ON")
                migrate(conn, str(self.path))
            except SchemaError as exc:
                conn.close()
                raise RecordStoreError(str(exc)) from None
            except (sqlite3.OperationalError, OSError) as exc:  # locked, unreadable, disk full
                conn.close()
                raise RecordStoreError(f"{self.path}: cannot open the record store: {_reason(exc)}") from None
            except sqlite3.DatabaseError as exc:  # not a database, malformed pages
                conn.close()
                raise RecordStoreError(corrupt_message(self.path, _reason(exc))) from None
            except sqlite3.Error as exc:
                conn.close()
                raise RecordStoreError(f"{self.path}: cannot open the record store: {_reason(exc)}") from None
            self._conn = conn
            return conn

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection | None]:
        """One transaction; yields None (and writes nothing) when capture is off."""
        if not self.enabled:
            yield None
            return
        with self._lock:
            conn = self._connect(create=True)
            assert conn is not None
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise RecordStoreError(f"{self.path}: cannot write to the record store: {exc}") from None
            try:
                yield conn
            except sqlite3.Error as exc:
                conn.execute("ROLLBACK")
                raise RecordStoreError(f"{self.path}: cannot write to the record store: {exc}") from None
            except BaseException:
                conn.execute("ROLLBACK")
                raise
            try:
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                raise RecordStoreError(f"{self.path}: cannot write to the record store: {exc}") from None

    def _read(self) -> sqlite3.Connection | None:
        return self._connect(create=False)

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> "RecordStore":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # -- dialogues ------------------------------------------------------------------

    def start_dialogue(self, pair: str, source_code: str, source_path: Path | str | None = None, *,
                       entry: str | None = None, solver_model: str | None = None,
                       questioner_model: str | None = None, questioner_mode: str | None = None,
                       prompt_version: str | None = None) -> str | None:
        if not self.enabled:
            return None
        from ... import __version__

        dialogue_id = uuid.uuid4().hex
        stamp = now()
        with self._write() as conn:
            conn.execute(
                "INSERT INTO dialogues (id, pair, source_file, source_path_hash, source_sha256, git_commit,"
                " source_code, entry, solver_model, questioner_model, questioner_mode, prompt_version,"
                " tool_version, status, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (dialogue_id, pair, Path(source_path).name if source_path else None, path_hash(source_path),
                 sha256_text(source_code), git_commit(source_path), scrub(source_code), entry, solver_model,
                 questioner_model, questioner_mode, prompt_version, __version__, "running", stamp, stamp))
        return dialogue_id

    def add_turn(self, dialogue_id: str | None, role: str, agent: str, content: str, *, code: str | None = None,
                 feedback: dict | None = None, model: str | None = None, seconds: float | None = None,
                 prompt_tokens: int | None = None, completion_tokens: int | None = None) -> int | None:
        """Append one turn in its own transaction; returns its sequence number."""
        if dialogue_id is None:
            return None
        with self._write() as conn:
            if conn is None:
                return None
            seq = conn.execute("SELECT COALESCE(MAX(seq), -1) + 1 FROM turns WHERE dialogue_id = ?",
                               (dialogue_id,)).fetchone()[0]
            conn.execute(
                "INSERT INTO turns (dialogue_id, seq, role, agent, content, code, feedback, model, seconds,"
                " prompt_tokens, completion_tokens, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                (dialogue_id, seq, role, agent, scrub(content), scrub(code) if code is not None else None,
                 json.dumps(scrub_value(feedback), default=str) if feedback is not None else None,
                 model, seconds, prompt_tokens, completion_tokens, now()))
            conn.execute("UPDATE dialogues SET updated_at = ? WHERE id = ?", (now(), dialogue_id))
            return seq

    def finish_dialogue(self, dialogue_id: str | None, status: str, verdict: str | None,
                        final_code: str | None, rounds: int) -> None:
        if dialogue_id is None:
            return
        with self._write() as conn:
            if conn is None:
                return
            conn.execute("UPDATE dialogues SET status = ?, verdict = ?, final_code = ?, rounds = ?, updated_at = ?"
                         " WHERE id = ?", (status, verdict, _scrub_optional(final_code), rounds, now(), dialogue_id))

    def dialogue(self, dialogue_id: str) -> dict[str, Any] | None:
        conn = self._read()
        if conn is None:
            return None
        with self._lock:
            row = conn.execute("SELECT * FROM dialogues WHERE id = ?", (dialogue_id,)).fetchone()
            if row is None:
                return None
            result = dict(row)
            result["turns"] = [_turn(t) for t in conn.execute(
                "SELECT * FROM turns WHERE dialogue_id = ? ORDER BY seq", (dialogue_id,))]
        return result

    def dialogues(self, pair: str | None = None) -> list[dict[str, Any]]:
        """Every dialogue with its turns, oldest first."""
        return list(self.iter_dialogues(pair))

    def iter_dialogues(self, pair: str | None = None) -> Iterator[dict[str, Any]]:
        """Like dialogues(), one at a time: exports of large stores stay small in memory."""
        conn = self._read()
        if conn is None:
            return
        with self._lock:
            query = "SELECT id FROM dialogues" + (" WHERE pair = ?" if pair else "") + " ORDER BY created_at, id"
            ids = [r[0] for r in conn.execute(query, (pair,) if pair else ())]
        for dialogue_id in ids:
            record = self.dialogue(dialogue_id)
            if record is not None:
                yield record

    # -- outcomes, pairs, fixes -------------------------------------------------------

    def add_code_pair(self, pair: str, source_code: str, target_code: str, verdict: str | None, origin: str,
                      source_path: Path | str | None = None, dialogue_id: str | None = None) -> str | None:
        record_id = uuid.uuid4().hex
        with self._write() as conn:
            if conn is None:
                return None
            conn.execute("INSERT INTO code_pairs (id, dialogue_id, pair, source_file, source_code, target_code,"
                         " verdict, origin, created_at) VALUES (?,?,?,?,?,?,?,?,?)",
                         (record_id, dialogue_id, pair, Path(source_path).name if source_path else None,
                          scrub(source_code), scrub(target_code), verdict, origin, now()))
        return record_id

    def mark_outcome(self, dialogue_id: str, accepted: bool, final_code: str | None = None) -> None:
        """accepted: store the verified-translation record; rejected: keep the dialogue as negative data."""
        if not self.enabled or dialogue_id is None:
            return
        record = self.dialogue(dialogue_id)
        if record is None:
            raise RecordStoreError(f"{self.path}: no dialogue {dialogue_id}")
        if not accepted:
            with self._write() as conn:
                conn.execute("UPDATE dialogues SET status = 'rejected', updated_at = ? WHERE id = ?",
                             (now(), dialogue_id))
            return
        translation = _scrub_optional(final_code if final_code is not None else record["final_code"])
        if translation is None:
            raise RecordStoreError(f"dialogue {dialogue_id} has no translation to accept")
        feedback = _last_feedback_for(record["turns"], translation)
        # The verdict is only claimed for the exact code that was verified.
        verdict = (feedback or {}).get("verdict") or "unverified"
        with self._write() as conn:
            conn.execute(
                "INSERT INTO verified_translations (id, dialogue_id, pair, source_file, source_code, translation,"
                " harness, verdict, cases, tools, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                (uuid.uuid4().hex, dialogue_id, record["pair"], record["source_file"], scrub(record["source_code"]),
                 translation, _scrub_optional((feedback or {}).get("harness")), verdict, (feedback or {}).get("cases"),
                 json.dumps((feedback or {}).get("tools") or {}), now()))
            conn.execute("UPDATE dialogues SET status = 'accepted', final_code = ?, updated_at = ? WHERE id = ?",
                         (translation, now(), dialogue_id))

    def add_fix(self, pair: str, source_code: str, before: str, error_context: str, after: str,
                origin: str = "human", source_path: str | None = None, dialogue_id: str | None = None) -> str:
        fix_id = uuid.uuid4().hex
        source_code, before, error_context, after = (scrub(t) for t in (source_code, before, error_context, after))
        with self._write() as conn:
            if conn is None:
                return fix_id
            conn.execute("INSERT INTO fixes (id, pair, source_code, before, error_context, after, origin,"
                         " source_file, source_path_hash, dialogue_id, created_at) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
                         (fix_id, pair, source_code, before, error_context, after, origin,
                          Path(source_path).name if source_path else None, path_hash(source_path),
                          dialogue_id, now()))
            conn.execute("INSERT INTO fixes_search (fix_id, pair, error_context, before, source) VALUES (?,?,?,?,?)",
                         (fix_id, pair, error_context, before, source_code))
        return fix_id

    def similar_fixes(self, pair: str, text: str, limit: int = 2, by: str = "error") -> list[dict[str, Any]]:
        """Past fixes of the same pair, best first (FTS5 bm25): by="error" matches `text` against
        their error context and faulty code, by="source" against the source they translated."""
        conn = self._read()
        words = sorted(set(re.findall(r"[A-Za-z_][A-Za-z0-9_]{2,}", text)))[:64]
        if conn is None or not words:
            return []
        columns = "{source}" if by == "source" else "{error_context before}"
        query = f"{columns}: (" + " OR ".join(f'"{w}"' for w in words) + ")"
        with self._lock:
            try:
                rows = conn.execute(
                    "SELECT f.* FROM fixes_search s JOIN fixes f ON f.id = s.fix_id"
                    " WHERE fixes_search MATCH ? AND s.pair = ? ORDER BY bm25(fixes_search) LIMIT ?",
                    (query, pair, limit)).fetchall()
            except sqlite3.Error:
                return []
        return [dict(r) for r in rows]

    def verified_translations(self) -> list[dict[str, Any]]:
        conn = self._read()
        if conn is None:
            return []
        with self._lock:
            return [dict(r) for r in conn.execute("SELECT * FROM verified_translations ORDER BY created_at, id")]

    def code_pairs(self) -> list[dict[str, Any]]:
        conn = self._read()
        if conn is None:
            return []
        with self._lock:
            return [dict(r) for r in conn.execute("SELECT * FROM code_pairs ORDER BY created_at, id")]

    def fixes(self) -> list[dict[str, Any]]:
        conn = self._read()
        if conn is None:
            return []
        with self._lock:
            return [dict(r) for r in conn.execute("SELECT * FROM fixes ORDER BY created_at, id")]

    def stats(self) -> dict[str, Any]:
        stats: dict[str, Any] = {"path": str(self.path), "enabled": self.enabled, "schema_version": SCHEMA_VERSION,
                                 "exists": self.path.exists(), "dialogues": 0, "turns": 0, "code_pairs": 0,
                                 "verified_translations": 0, "fixes": 0, "by_status": {}, "by_pair": {},
                                 "by_pair_status": {}}
        conn = self._read()
        if conn is None:
            return stats
        with self._lock:
            for table in ("dialogues", "turns", "code_pairs", "verified_translations", "fixes"):
                stats[table] = conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
            stats["by_status"] = {r[0]: r[1] for r in conn.execute(
                "SELECT status, COUNT(*) FROM dialogues GROUP BY status ORDER BY status")}
            stats["by_pair"] = {r[0]: r[1] for r in conn.execute(
                "SELECT pair, COUNT(*) FROM dialogues GROUP BY pair ORDER BY pair")}
            stats["by_pair_status"] = {}
            for pair, status, count in conn.execute(
                    "SELECT pair, status, COUNT(*) FROM dialogues GROUP BY pair, status ORDER BY pair, status"):
                stats["by_pair_status"].setdefault(pair, {})[status] = count
            stats["fixes_by_origin"] = {r[0]: r[1] for r in conn.execute(
                "SELECT origin, COUNT(*) FROM fixes GROUP BY origin ORDER BY origin")}
            stats["schema_version"] = conn.execute("PRAGMA user_version").fetchone()[0]
        return stats


def _scrub_optional(text: str | None) -> str | None:
    return scrub(text) if text is not None else None


def corrupt_message(path: Path, detail: str) -> str:
    """One error that names the file and says how to recover."""
    detail = " ".join(detail.split())
    return (f"{path}: the record store is damaged ({detail}). To start a new one, move it aside: "
            f"mv '{path}' '{path}.damaged' (and its -wal/-shm files); to rescue what is readable: "
            f"sqlite3 '{path}.damaged' .recover | sqlite3 '{path}'")


def _reason(exc: BaseException) -> str:
    return getattr(exc, "strerror", None) or str(exc) or exc.__class__.__name__


def _check_intact(conn: sqlite3.Connection, path: Path) -> None:
    """A damaged file is refused before anything is read from or written into it
    (quick_check reads every page: ~60 ms for a 50 MB store)."""
    if path.stat().st_size == 0:
        return  # new: created a moment ago
    rows = [r[0] for r in conn.execute("PRAGMA quick_check(5)").fetchall()]
    if rows != ["ok"]:
        problems = [line.strip() for row in rows for line in str(row).splitlines()
                    if line.strip() and not line.startswith("***")]
        more = f" and {len(problems) - 1} more problem(s)" if len(problems) > 1 else ""
        raise sqlite3.DatabaseError((problems[0] if problems else "integrity check failed") + more)


def _private_file(path: Path) -> None:
    """Records hold source code and dialogues: the folder is created 0700 and the file 0600
    (a store left readable by others is tightened, with its WAL and shared-memory files)."""
    if not path.parent.exists():
        path.parent.mkdir(parents=True, mode=0o700)
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o600))
    except FileExistsError:
        pass
    for suffix in ("", "-wal", "-shm"):
        companion = path.with_name(path.name + suffix)
        try:
            info = companion.stat()
            if info.st_uid == os.getuid() and info.st_mode & 0o077:
                companion.chmod(0o600)
        except OSError:
            pass


def _turn(row: sqlite3.Row) -> dict[str, Any]:
    turn = dict(row)
    turn["feedback"] = json.loads(turn["feedback"]) if turn["feedback"] else None
    return turn


def _last_feedback_for(turns: list[dict[str, Any]], code: str) -> dict[str, Any] | None:
    for turn in reversed(turns):
        if turn.get("code") is not None and turn["code"].strip() == code.strip() and turn.get("feedback"):
            return turn["feedback"]
    return None
