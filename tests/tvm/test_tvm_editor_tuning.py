"""The TVM action's background tuning in the editor, over LSP: work-done progress, the offer
updated with the tuned code and its measured speed-up, and cancellation that leaves no process
and no partial record behind.

Budgets are tiny (2 trials of saxpy, whose design space holds one schedule; MetaSchedule's seed is
fixed): these tests check the plumbing, not the schedules.  Which version is faster is a
measurement, so no test depends on it: `tvm.minSpeedup` 0 offers any verified tuned code.
"""

from __future__ import annotations

import asyncio
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pygls.uris import from_fs_path
from pytest_lsp import ClientServerConfig, LanguageClient

from tests.server.conftest import (code_actions, make_client, open_file, run_command, serve_command,
                                   start_offline_session, without_llm)

pytest.importorskip("tvm", reason="apache-tvm (the optional 'tvm' extra) is not installed")
psutil = pytest.importorskip("psutil")

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "cuda"
TITLE = "CPU equivalent, TVM-optimized (verify)"
APPLY_TUNED = "transverify.applyTunedTvm"
pytestmark = [pytest.mark.asyncio,
              pytest.mark.skipif(shutil.which("nvcc") is None or shutil.which("g++") is None,
                                 reason="nvcc and g++ are needed to verify CUDA translations")]


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    root.mkdir()
    shutil.copy(EXAMPLES / "saxpy" / "saxpy.cu", root / "saxpy.cu")
    # matmul: a design space large enough that MetaSchedule's worker is still busy when it is stopped
    shutil.copy(EXAMPLES / "matmul" / "matmul.cu", root / "matmul.cu")
    return root


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return tmp_path / "cache"


@pytest.fixture(autouse=True)
def no_llm(monkeypatch, tmp_path, cache):
    without_llm(monkeypatch, tmp_path)
    monkeypatch.setenv("TRANSVERIFY_CACHE_DIR", str(cache))  # the server's, and so the tuning's, cache


@pytest_lsp.fixture(config=ClientServerConfig(server_command=serve_command(), client_factory=make_client))
async def client(lsp_client: LanguageClient, workspace: Path, tmp_path: Path):
    await start_offline_session(lsp_client, workspace, tmp_path / "records.sqlite", cases=3)
    yield
    await lsp_client.shutdown_session()


def tuning_config(client: LanguageClient, trials: int, min_speedup: float, shape: dict | None = None) -> None:
    client.set_configuration({"trials": trials, "minSpeedup": min_speedup, "shape": shape or {}},
                             section="transverify.tvm")


async def tuning_progress(client: LanguageClient, seen: set, name: str = "saxpy", timeout: float = 300.0) -> str:
    """The token of a tuning progress of `name` begun after those in `seen`."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        for token, reports in client.progress_reports.items():
            if token not in seen and reports and isinstance(reports[0], types.WorkDoneProgressBegin) \
                    and reports[0].title.startswith(f"Tuning {name} with TVM MetaSchedule"):
                seen.add(token)
                return token
        await asyncio.sleep(0.1)
    raise AssertionError(f"no tuning progress began; progress seen: {client.progress_reports!r}")


async def progress_until(client: LanguageClient, token, predicate, timeout: float = 600.0):
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        for report in client.progress_reports.get(token, []):
            if predicate(report):
                return report
        await asyncio.sleep(0.1)
    raise AssertionError(f"progress {token} never matched; reports: {client.progress_reports.get(token)!r}")


def ended(report) -> bool:
    return isinstance(report, types.WorkDoneProgressEnd)


def messages(client: LanguageClient, token) -> list[str]:
    return [r.message or "" for r in client.progress_reports[token] if isinstance(r, types.WorkDoneProgressReport)]


async def lenses(client: LanguageClient, path: Path) -> list[str]:
    found = await client.text_document_code_lens_async(types.CodeLensParams(
        text_document=types.TextDocumentIdentifier(uri=from_fs_path(str(path)))))
    return found or []


async def hover_text(client: LanguageClient, uri: str, line: int) -> str:
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=line, character=6)))
    return hover.contents.value if hover is not None else ""


def tuning_processes(cache: Path) -> list:
    """The tuning child and MetaSchedule worker started for this test (by the cache they use)."""
    found = []
    for proc in psutil.process_iter(["cmdline", "environ"]):
        modules = [arg for arg in proc.info["cmdline"] or []
                   if arg.endswith(("tvm_cpu.background", "tvm_cpu.tune_worker"))]
        if modules and (proc.info["environ"] or {}).get("TRANSVERIFY_CACHE_DIR") == str(cache):
            found.append(proc)
    return found


def assert_none_left(cache: Path) -> None:
    for proc in tuning_processes(cache):  # stopped with their groups; allow the kernel a moment to reap them
        try:
            proc.wait(timeout=30)
        except psutil.TimeoutExpired:
            pytest.fail(f"tuning process {proc.pid} ({' '.join(proc.cmdline())}) outlived the cancelled tuning")


def assert_no_partial_records(cache: Path) -> None:
    """Every workload folder holds a finished run (records and its meta file) or no records."""
    for folder in (cache / "tvm").glob("*/*"):
        records = folder / "database_tuning_record.json"
        if records.exists():
            assert (folder / "transverify_meta.json").exists(), f"partial records left in {folder}"
            for line in records.read_text().splitlines():
                json.loads(line)


async def test_tuning_updates_the_offer_with_the_tuned_code_and_its_speed_up(client, workspace: Path, cache: Path):
    tuning_config(client, trials=2, min_speedup=0, shape={"n": 1000})  # tuned and timed at n = 1000
    source = workspace / "saxpy.cu"
    uri = open_file(client, source, "cuda-cpp")
    (action,) = [a for a in await code_actions(client, uri, line=8) if a.title == TITLE]
    instant = await run_command(client, action.command)
    assert instant["status"] == "applied" and instant["verdict"] == "equivalent", instant
    target = workspace / "saxpy_cpu.cpp"
    default_code = target.read_text()
    assert "Tuned by TVM" not in default_code

    seen: set = set()
    token = await tuning_progress(client, seen)
    assert client.progress_reports[token][0].cancellable is True
    end = await progress_until(client, token, ended)
    progress = messages(client, token)
    assert any(m.startswith("tuning with MetaSchedule: 2 trial(s)") for m in progress), progress
    assert any(re.match(r"tuning: \d/2 trials measured", m) for m in progress), progress
    assert any("verifying the emitted C++" in m for m in progress), progress
    # minSpeedup 0: any verified, measured tuned code becomes the offer.
    numbers = re.fullmatch(r"tuned (\d+\.\d\d)x naive OpenMP, default schedule (\d+\.\d\d)x", end.message or "")
    assert numbers, end.message
    tuned_ratio, default_ratio = numbers.groups()

    # The translated file's lens shows the tuned speed-up and applies the tuned code.
    (tvm_lens,) = [lens for lens in await lenses(client, target) if lens.command.title.startswith("TVM ")]
    assert re.fullmatch(rf"TVM tuned \(1 trial\): {re.escape(tuned_ratio)}x naive OpenMP, \d+\.\d\dx naive serial; "
                        rf"this file: default schedule, {re.escape(default_ratio)}x naive OpenMP · apply tuned",
                        tvm_lens.command.title), tvm_lens.command.title
    assert tvm_lens.command.command == APPLY_TUNED
    # So do the source's lens over the kernel's host function and its hover.
    (source_lens,) = await lenses(client, source)
    assert source_lens.command.title.startswith(f"CPU equivalent, TVM tuned (1 trial): {tuned_ratio}x naive OpenMP")
    assert source_lens.command.title.endswith(f"(default schedule {default_ratio}x naive OpenMP) · apply")
    hover = await hover_text(client, uri, 7)
    assert f"TVM default schedule: {default_ratio}x naive OpenMP" in hover
    assert f"TVM tuned (1 trial): {tuned_ratio}x naive OpenMP" in hover
    assert "the code action applies the tuned code" in hover

    # The code action now applies the tuned code, already verified.
    (tuned,) = [a for a in await code_actions(client, uri, line=8) if a.title.startswith(TITLE)]
    assert tuned.title == f"{TITLE}: tuned, {tuned_ratio}x naive OpenMP"
    applied = await run_command(client, tuned.command)
    assert applied["status"] == "applied" and applied["verdict"] == "equivalent", applied
    assert applied["origin"] == "tvm-tuning" and "TVM, tuned at n=1000" in applied["message"]
    code = target.read_text()
    assert "Tuned by TVM MetaSchedule at n = 1000" in code and "static void saxpy_tuned(" in code
    titles = [lens.command.title for lens in await lenses(client, target)]
    assert f"TVM tuned (1 trial): {tuned_ratio}x naive OpenMP, " in " | ".join(titles)
    assert not any("apply" in t for t in titles), titles

    # The records went into the tuning cache.
    assert list((cache / "tvm").glob("*/*/transverify_meta.json"))
    assert_no_partial_records(cache)

    # Again, asking tuning for 1000 times the default schedule's speed-up: the cached records are
    # replayed (no MetaSchedule run), verified and timed, and the offer stays the default schedule.
    tuning_config(client, trials=2, min_speedup=1000, shape={"n": 1000})
    assert (await run_command(client, action.command))["status"] == "applied"
    assert target.read_text() == default_code
    token = await tuning_progress(client, seen)
    end = await progress_until(client, token, ended)
    assert re.fullmatch(r"tuning found nothing faster \(tuned \d+\.\d\dx naive OpenMP, "
                        r"default schedule \d+\.\d\dx\)", end.message or ""), end.message
    assert not any(m.startswith("tuning with MetaSchedule") for m in messages(client, token))
    (tvm_lens,) = [lens for lens in await lenses(client, target) if lens.command.title.startswith("TVM ")]
    assert tvm_lens.command.title.startswith("TVM default schedule: ")
    assert tvm_lens.command.title.endswith(f" · {end.message}") and tvm_lens.command.command == ""
    assert not await lenses(client, source)
    assert [a.title for a in await code_actions(client, uri, line=8) if a.title.startswith(TITLE)] == [TITLE]
    assert end.message in await hover_text(client, uri, 7)


async def test_a_failed_tuning_keeps_the_default_offer_and_says_why(client, workspace: Path, cache: Path):
    # One second of tuning: starting MetaSchedule alone takes longer, so nothing is measured.
    client.set_configuration({"trials": 500, "tuneSeconds": 1, "minSpeedup": 0}, section="transverify.tvm")
    source = workspace / "matmul.cu"
    uri = open_file(client, source, "cuda-cpp")
    (action,) = [a for a in await code_actions(client, uri, line=11) if a.title == TITLE]
    instant = await run_command(client, action.command)
    assert instant["status"] == "applied" and instant["verdict"] == "equivalent", instant
    target = workspace / "matmul_cpu.cpp"
    default_code = target.read_text()

    token = await tuning_progress(client, set(), name="matmul")
    end = await progress_until(client, token, ended)
    if (end.message or "").startswith(("tuned ", "tuning found nothing faster")):
        pytest.skip("this machine measured a schedule within one second: tuning did not fail")
    reason = "not tuned: no schedule was measured within --tune-seconds 1; give it more time"
    assert end.message == reason, (end.message, messages(client, token))
    assert any("keeping the default schedule" in m for m in messages(client, token)), messages(client, token)
    # The offer stays the verified default schedule: the file is unchanged, its lens says why.
    assert target.read_text() == default_code
    (tvm_lens,) = [lens for lens in await lenses(client, target) if lens.command.title.startswith("TVM ")]
    assert tvm_lens.command.title.startswith("TVM default schedule: ")
    assert tvm_lens.command.title.endswith(f" · {reason}") and tvm_lens.command.command == ""
    assert [a.title for a in await code_actions(client, uri, line=11) if a.title.startswith(TITLE)] == [TITLE]
    assert not await lenses(client, source)


async def test_cancelling_tuning_stops_its_processes_and_leaves_no_partial_records(client, workspace: Path,
                                                                                   cache: Path):
    tuning_config(client, trials=64, min_speedup=0)
    source = workspace / "matmul.cu"
    uri = open_file(client, source, "cuda-cpp")
    (action,) = [a for a in await code_actions(client, uri, line=12) if a.title == TITLE]
    seen: set = set()

    # 1. The progress's cancel button, once MetaSchedule's worker is running.
    assert (await run_command(client, action.command))["status"] == "applied"
    token = await tuning_progress(client, seen, "matmul")
    await progress_until(client, token, lambda r: isinstance(r, types.WorkDoneProgressReport)
                         and (r.message or "").startswith("tuning with MetaSchedule"))
    assert len(tuning_processes(cache)) == 2, "the tuning process and MetaSchedule's worker are not running"
    client.window_work_done_progress_cancel(types.WorkDoneProgressCancelParams(token=token))
    end = await progress_until(client, token, ended, timeout=120)
    assert end.message == "cancelled"
    assert_none_left(cache)
    assert_no_partial_records(cache)
    hover = await hover_text(client, uri, 10)
    assert "TVM default schedule: " in hover and "tuning cancelled" in hover

    # 2. An edit of the source.
    assert (await run_command(client, action.command))["status"] == "applied"
    token = await tuning_progress(client, seen, "matmul")
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=source.read_text() + "// edited\n")]))
    end = await progress_until(client, token, ended, timeout=120)
    assert end.message == "cancelled"
    assert_none_left(cache)
    assert_no_partial_records(cache)
    # The offer was for the old text: no TVM lens or hover line is left for the edited source.
    assert not [lens for lens in await lenses(client, workspace / "matmul_cpu.cpp")
                if lens.command.title.startswith("TVM ")]
    assert "TVM default schedule" not in await hover_text(client, uri, 10)


# What the server does with the tuning process, in a process of its own that can be killed.
PARENT = """
import json, sys
from transverify.translators.tvm_cpu.background import tune_in_child
tune_in_child(json.loads(sys.argv[1]), lambda message: print(message, flush=True))
"""


async def test_a_killed_server_leaves_no_tuning_process_and_no_partial_records(tmp_path: Path, cache: Path):
    shutil.copy(EXAMPLES / "matmul" / "matmul.cu", tmp_path / "matmul.cu")
    job = {"source": str(tmp_path / "matmul.cu"), "entry": "matmul", "output": str(tmp_path / "matmul_cpu.cpp"),
           "trials": 64, "tune_seconds": 600, "cases": 3, "timeout": 10, "toolchain": {}, "records": None}
    parent = subprocess.Popen([sys.executable, "-c", PARENT, json.dumps(job)], stdout=subprocess.PIPE, text=True)
    try:
        said = []
        for line in parent.stdout:
            said.append(line.strip())
            if line.startswith("tuning with MetaSchedule"):
                break
        assert said and said[-1].startswith("tuning with MetaSchedule"), said
        assert len(tuning_processes(cache)) == 2, "the tuning process and MetaSchedule's worker are not running"
    finally:
        parent.kill()  # as a crashed or killed server: the tuning process sees its stdin close
        parent.wait()
    assert_none_left(cache)
    assert_no_partial_records(cache)
    assert not (tmp_path / "matmul_cpu.cpp").exists()
