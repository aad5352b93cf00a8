"""The record store's Python interface, as the language server uses it."""

from __future__ import annotations

import sqlite3
import threading

import pytest

from transverify.translators.records import SCHEMA_VERSION, RecordStore, RecordStoreError


def _dialogue(store: RecordStore, code: str = "void f() {}\n") -> str:
    dialogue = store.start_dialogue("fortran->cpp", "subroutine f\nend subroutine f\n", "/work/f.f90")
    store.add_turn(dialogue, "system", "system", "be the Solver")
    store.add_turn(dialogue, "user", "task", "translate f")
    store.add_turn(dialogue, "assistant", "solver", f"```cpp\n{code}```", code=code,
                   feedback={"verdict": "equivalent", "harness": "// harness", "cases": 8, "tools": {"g++": "12.2"}})
    store.finish_dialogue(dialogue, "verified", "equivalent", code, 1)
    return dialogue


def test_accept_writes_a_verified_translation_with_harness_and_tools(tmp_path):
    store = RecordStore.open(tmp_path / "r.sqlite", enabled=True)
    dialogue = _dialogue(store)
    store.mark_outcome(dialogue, accepted=True)
    [record] = store.verified_translations()
    assert (record["translation"], record["verdict"], record["harness"], record["cases"]) == \
        ("void f() {}\n", "equivalent", "// harness", 8)
    assert record["tools"] == '{"g++": "12.2"}' and record["source_file"] == "f.f90"
    assert store.dialogue(dialogue)["status"] == "accepted"


def test_accepting_edited_code_does_not_claim_it_verified(tmp_path):
    store = RecordStore.open(tmp_path / "r.sqlite", enabled=True)
    dialogue = _dialogue(store)
    store.mark_outcome(dialogue, accepted=True, final_code="void f() { /* edited */ }\n")
    assert store.verified_translations()[0]["verdict"] == "unverified"


def test_reject_keeps_the_dialogue_as_negative_data(tmp_path):
    store = RecordStore.open(tmp_path / "r.sqlite", enabled=True)
    dialogue = _dialogue(store)
    store.mark_outcome(dialogue, accepted=False)
    assert store.dialogue(dialogue)["status"] == "rejected" and len(store.dialogue(dialogue)["turns"]) == 3
    assert store.verified_translations() == []
    with pytest.raises(RecordStoreError, match="no dialogue"):
        store.mark_outcome("missing", accepted=True)


def test_provenance_keeps_a_path_hash_not_the_path(tmp_path):
    store = RecordStore.open(tmp_path / "r.sqlite", enabled=True)
    record = store.dialogue(_dialogue(store))
    assert record["source_file"] == "f.f90" and len(record["source_path_hash"]) == 64
    assert "/work" not in repr(record)
    assert record["tool_version"] and record["source_sha256"]


def test_human_fixes_are_stored_and_found_by_similarity(tmp_path):
    store = RecordStore.open(tmp_path / "r.sqlite", enabled=True)
    store.add_fix("fortran->cpp", "src", "y[i] = x[i] / 2;", "integer division truncates the result",
                  "y[i] = x[i] / 2.0;", origin="human", source_path="/w/a.f90")
    store.add_fix("fortran->cpp", "src", "a[i*m + j]", "row-major stride transposed matrix", "a[i + j*n]",
                  origin="loop")
    store.add_fix("cpp->cuda", "src", "k<<<1,1>>>", "integer division in kernel", "fixed")
    found = store.similar_fixes("fortran->cpp", "output y: whole numbers, integer division suspected")
    assert [f["after"] for f in found] == ["y[i] = x[i] / 2.0;"]
    assert store.stats()["fixes_by_origin"] == {"human": 2, "loop": 1}


def test_disabled_store_writes_nothing(tmp_path):
    path = tmp_path / "r.sqlite"
    store = RecordStore.open(path, enabled=False)
    assert store.start_dialogue("fortran->cpp", "x") is None
    store.add_fix("fortran->cpp", "s", "b", "e", "a")
    store.mark_outcome("anything", accepted=True)
    assert not path.exists() and store.stats()["dialogues"] == 0


def test_open_resolves_env_and_config(tmp_path, monkeypatch):
    monkeypatch.setenv("TRANSVERIFY_RECORDS", str(tmp_path / "env.sqlite"))
    monkeypatch.setenv("TRANSVERIFY_CAPTURE", "off")
    store = RecordStore.open()
    assert store.path == tmp_path / "env.sqlite" and store.enabled is False
    monkeypatch.delenv("TRANSVERIFY_RECORDS")
    monkeypatch.delenv("TRANSVERIFY_CAPTURE")
    config = tmp_path / "xdg" / "transverify"
    config.mkdir(parents=True)
    (config / "config.toml").write_text(f'[records]\npath = "{tmp_path / "ws.sqlite"}"\ncapture = false\n')
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    store = RecordStore.open()
    assert store.path == tmp_path / "ws.sqlite" and store.enabled is False


def test_newer_schema_is_refused_untouched(tmp_path):
    path = tmp_path / "future.sqlite"
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    store = RecordStore.open(path, enabled=True)
    with pytest.raises(RecordStoreError, match="newer than this transverify understands"):
        store.start_dialogue("fortran->cpp", "x")
    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1


def test_fresh_store_is_migrated_to_the_current_schema_in_wal_mode(tmp_path):
    store = RecordStore.open(tmp_path / "r.sqlite", enabled=True)
    _dialogue(store)
    with sqlite3.connect(tmp_path / "r.sqlite") as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_concurrent_writers_lose_no_turn(tmp_path):
    path = tmp_path / "r.sqlite"
    stores = [RecordStore.open(path, enabled=True) for _ in range(4)]
    dialogues = [s.start_dialogue("fortran->cpp", "x") for s in stores]

    def write(store, dialogue):
        for i in range(25):
            store.add_turn(dialogue, "user", "questioner", f"turn {i}")

    threads = [threading.Thread(target=write, args=pair) for pair in zip(stores, dialogues)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for dialogue in dialogues:
        assert [t["seq"] for t in stores[0].dialogue(dialogue)["turns"]] == list(range(25))


def test_a_version_1_store_is_migrated_and_its_fixes_found_by_source(tmp_path):
    from transverify.translators.records.schema import MIGRATIONS, _statements

    path = tmp_path / "v1.sqlite"
    with sqlite3.connect(path) as db:
        for statement in _statements(MIGRATIONS[0]):
            db.execute(statement)
        db.execute("INSERT INTO fixes VALUES ('f1', 'fortran->cpp', 'subroutine stencil_update(n, u)', 'u[i]',"
                   " 'off by one', 'u[i-1]', 'human', 'a.f90', NULL, NULL, '2026-01-01')")
        db.execute("INSERT INTO fixes_search (fix_id, pair, error_context, before) VALUES"
                   " ('f1', 'fortran->cpp', 'off by one', 'u[i]')")
        db.execute("PRAGMA user_version = 1")
    store = RecordStore.open(path, enabled=True)
    assert [f["id"] for f in store.similar_fixes("fortran->cpp", "subroutine stencil_update", by="source")] == ["f1"]
    assert [f["id"] for f in store.similar_fixes("fortran->cpp", "an off by one", by="error")] == ["f1"]
    assert store.similar_fixes("fortran->cpp", "off by one", by="source") == []  # columns are kept apart
    assert store.stats()["schema_version"] == SCHEMA_VERSION == 2
