"""The record store's schema and its migrations.

The schema version lives in SQLite's `PRAGMA user_version`.  MIGRATIONS[i]
takes a database at version i to version i+1; opening a store applies the
missing ones in one transaction each, so a crash mid-upgrade leaves the old
version intact.  A database newer than this code is refused, never altered.
"""

from __future__ import annotations

import sqlite3

V1 = """
CREATE TABLE dialogues (
    id TEXT PRIMARY KEY,
    pair TEXT NOT NULL,                -- e.g. "fortran->cpp"
    source_file TEXT,                  -- file name only; the full path is kept as a hash
    source_path_hash TEXT,
    source_sha256 TEXT,
    git_commit TEXT,
    source_code TEXT NOT NULL,
    entry TEXT,
    solver_model TEXT,
    questioner_model TEXT,
    questioner_mode TEXT,
    prompt_version TEXT,
    tool_version TEXT,
    status TEXT NOT NULL,              -- running | verified | not_verified | error | cancelled | accepted | rejected
    verdict TEXT,
    final_code TEXT,
    rounds INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE turns (
    id INTEGER PRIMARY KEY,
    dialogue_id TEXT NOT NULL REFERENCES dialogues(id),
    seq INTEGER NOT NULL,
    role TEXT NOT NULL,                -- system | user | assistant
    agent TEXT NOT NULL,               -- system | task | solver | questioner | rules
    content TEXT NOT NULL,
    code TEXT,                         -- the code extracted from a Solver turn
    feedback TEXT,                     -- JSON VerifyResult of that code
    model TEXT,
    seconds REAL,
    prompt_tokens INTEGER,
    completion_tokens INTEGER,
    created_at TEXT NOT NULL,
    UNIQUE (dialogue_id, seq)
);
CREATE TABLE code_pairs (
    id TEXT PRIMARY KEY,
    dialogue_id TEXT REFERENCES dialogues(id),
    pair TEXT NOT NULL,
    source_file TEXT,
    source_code TEXT NOT NULL,
    target_code TEXT NOT NULL,
    verdict TEXT,
    origin TEXT NOT NULL,              -- rules | llm | human
    created_at TEXT NOT NULL
);
CREATE TABLE verified_translations (
    id TEXT PRIMARY KEY,
    dialogue_id TEXT REFERENCES dialogues(id),
    pair TEXT NOT NULL,
    source_file TEXT,
    source_code TEXT NOT NULL,
    translation TEXT NOT NULL,
    harness TEXT,
    verdict TEXT NOT NULL,
    cases INTEGER,
    tools TEXT,                        -- JSON {tool: version}
    created_at TEXT NOT NULL
);
CREATE TABLE fixes (
    id TEXT PRIMARY KEY,
    pair TEXT NOT NULL,
    source_code TEXT NOT NULL,
    before TEXT NOT NULL,
    error_context TEXT NOT NULL,
    after TEXT NOT NULL,
    origin TEXT NOT NULL,              -- loop | human
    source_file TEXT,
    source_path_hash TEXT,
    dialogue_id TEXT,
    created_at TEXT NOT NULL
);
-- Full-text index of past bugs, for retrieving similar fixes (bm25 ranking).
CREATE VIRTUAL TABLE fixes_search USING fts5(fix_id UNINDEXED, pair UNINDEXED, error_context, before);
CREATE INDEX turns_by_dialogue ON turns(dialogue_id, seq);
CREATE INDEX dialogues_by_pair ON dialogues(pair, status);
"""

# v2: past fixes are also found by the source they translated (for the first request,
# before there is any error to match).
V2 = """
DROP TABLE fixes_search;
CREATE VIRTUAL TABLE fixes_search USING fts5(fix_id UNINDEXED, pair UNINDEXED, error_context, before, source);
INSERT INTO fixes_search (fix_id, pair, error_context, before, source)
    SELECT id, pair, error_context, before, source_code FROM fixes;
"""

MIGRATIONS: list[str] = [V1, V2]
SCHEMA_VERSION = len(MIGRATIONS)


class SchemaError(Exception):
    pass


def migrate(conn: sqlite3.Connection, path: str) -> int:
    """Bring the database to SCHEMA_VERSION; returns the version found before."""
    found = conn.execute("PRAGMA user_version").fetchone()[0]
    if found > SCHEMA_VERSION:
        raise SchemaError(f"{path}: record store schema version {found} is newer than this transverify "
                          f"understands ({SCHEMA_VERSION}); upgrade transverify or use another --store")
    for version in range(found, SCHEMA_VERSION):
        conn.execute("BEGIN IMMEDIATE")
        try:
            # Re-check under the write lock: another process may have migrated meanwhile.
            if conn.execute("PRAGMA user_version").fetchone()[0] != version:
                conn.execute("ROLLBACK")
                continue
            for statement in _statements(MIGRATIONS[version]):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {version + 1}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise
    return found


def _statements(script: str) -> list[str]:
    lines = [line.split("--", 1)[0] for line in script.splitlines()]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]
