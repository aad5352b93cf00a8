"""Item 11: a damaged record store gives one clear error naming the file and the way out
(exit 2, no traceback); export leaves no partial file; translate warns once and goes on."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.security.server_support import SAXPY_F90, cli_env, run_cli

needs_compilers = pytest.mark.skipif(shutil.which("gfortran") is None or shutil.which("g++") is None,
                                     reason="gfortran and g++ are needed to verify translations")


def _damaged_store(tmp_path: Path, env: dict[str, str]) -> Path:
    """A real store with records, then pages in its middle overwritten (a bad disk, a bad copy)."""
    from transverify.translators.records import RecordStore

    path = Path(env["TRANSVERIFY_RECORDS"])
    with RecordStore(path) as store:
        for n in range(40):
            dialogue = store.start_dialogue("fortran->cpp", SAXPY_F90 * 20, f"s{n}.f90")
            store.add_turn(dialogue, "user", "task", "translate this " * 200)
    data = bytearray(path.read_bytes())
    assert len(data) > 16 * 4096
    data[3 * 4096:8 * 4096] = b"\xa5" * (5 * 4096)
    path.write_bytes(bytes(data))
    return path


@pytest.mark.parametrize("damage", ["pages", "header"])
def test_stats_and_export_name_the_file_and_the_way_out(tmp_path: Path, damage: str):
    env = cli_env(tmp_path)
    store = _damaged_store(tmp_path, env)
    if damage == "header":
        store.write_bytes(b"\x00" * 100 + store.read_bytes()[100:])
    stats = run_cli("records", "stats", env=env)
    out_dir = tmp_path / "exports"
    out_dir.mkdir()
    export = run_cli("records", "export", "--format", "messages", "--out", str(out_dir / "x.jsonl"), env=env)
    for run in (stats, export):
        assert run.returncode == 2
        assert "Traceback" not in run.stderr
        [line] = run.stderr.strip().splitlines()  # one error
        assert str(store) in line and "damaged" in line and "mv " in line
    assert list(out_dir.iterdir()) == []  # no .partial, no half export


def test_export_that_fails_midway_leaves_nothing(tmp_path: Path):
    env = cli_env(tmp_path)
    from transverify.translators.records import RecordStore

    with RecordStore(Path(env["TRANSVERIFY_RECORDS"])) as store:
        dialogue = store.start_dialogue("fortran->cpp", SAXPY_F90, "s.f90")
        store.add_turn(dialogue, "assistant", "solver", "```cpp\nint x;\n```")
    out_dir = tmp_path / "ro"
    out_dir.mkdir()
    (out_dir / "x.jsonl").mkdir()  # the target is a folder: the rename fails after the write
    run = run_cli("records", "export", "--format", "messages", "--out", str(out_dir / "x.jsonl"), env=env)
    assert run.returncode == 2 and "Traceback" not in run.stderr
    assert [p.name for p in out_dir.iterdir()] == ["x.jsonl"]


@needs_compilers
def test_translate_warns_once_and_still_translates(tmp_path: Path):
    env = cli_env(tmp_path)
    store = _damaged_store(tmp_path, env)
    before = store.read_bytes()
    source = tmp_path / "saxpy.f90"
    source.write_text(SAXPY_F90)
    run = run_cli("translate", str(source), "--to", "cpp", "--solver", "rules", env=env)
    assert run.returncode == 0, run.stdout + run.stderr
    assert source.with_suffix(".cpp").exists()
    warnings = [line for line in run.stderr.splitlines() if line.startswith("warning:")]
    assert len(warnings) == 1 and str(store) in warnings[0] and "damaged" in warnings[0], run.stderr
    assert store.read_bytes() == before  # nothing written into the damaged file
