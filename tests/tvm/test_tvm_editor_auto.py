"""The TVM CPU equivalent that the editor offers beside a CUDA -> CPU translation made with solver
auto, over LSP: the rule translation's preview comes first, the TVM code is made in the background
(default schedule, verified, timed), offered with its measured speed-up, and applied through the
same confirmable edit, which stores a training record.  `transverify.tvm.offerWithAuto` false: no
offer.  Which version is faster is a measurement, so no test over LSP depends on it
(`tvm.offerMinSpeedup` 0 offers any verified alternative); the 0.5 rule is checked on `decide`."""

from __future__ import annotations

import asyncio
import re
import shutil
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pygls.uris import from_fs_path
from pytest_lsp import ClientServerConfig, LanguageClient

from tests.server.conftest import (code_actions, make_client, open_file, run_command, serve_command,
                                   start_offline_session, store_at, without_llm)

pytest.importorskip("tvm", reason="apache-tvm (the optional 'tvm' extra) is not installed")
psutil = pytest.importorskip("psutil")

EXAMPLES = Path(__file__).resolve().parents[2] / "examples" / "cuda"
TRANSLATE = "Translate to CPU (OpenMP) and verify"
OFFERING = "Offering a TVM-optimized CPU equivalent of"
USE = re.compile(r"Use TVM-optimized CPU equivalent \(verified, (\d+\.\d\d)x naive OpenMP\)")
APPLY = "transverify.applyTvmAlternative"
pytestmark = [pytest.mark.asyncio,
              pytest.mark.skipif(shutil.which("nvcc") is None or shutil.which("g++") is None,
                                 reason="nvcc and g++ are needed to verify CUDA translations")]


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    root = tmp_path / "ws"
    root.mkdir()
    for kernel in ("saxpy", "stencil1d"):
        shutil.copy(EXAMPLES / kernel / f"{kernel}.cu", root / f"{kernel}.cu")
    return root


@pytest.fixture
def records(tmp_path: Path) -> Path:
    return tmp_path / "records.sqlite"


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return tmp_path / "cache"


@pytest.fixture(autouse=True)
def no_llm(monkeypatch, tmp_path, cache):
    without_llm(monkeypatch, tmp_path)
    monkeypatch.setenv("TRANSVERIFY_CACHE_DIR", str(cache))  # tells this test's TVM processes apart


def background_processes(cache: Path) -> list:
    """This test's TVM child processes (by the cache they were given)."""
    found = []
    for proc in psutil.process_iter(["cmdline", "environ"]):
        if any(arg.endswith("tvm_cpu.background") for arg in proc.info["cmdline"] or []) \
                and (proc.info["environ"] or {}).get("TRANSVERIFY_CACHE_DIR") == str(cache):
            found.append(proc)
    return found


def assert_none_left(cache: Path) -> None:
    for proc in background_processes(cache):  # stopped with its group; the kernel may take a moment to reap it
        try:
            proc.wait(timeout=30)
        except psutil.TimeoutExpired:
            pytest.fail(f"TVM process {proc.pid} outlived the cancelled offer")


@pytest_lsp.fixture(config=ClientServerConfig(server_command=serve_command(), client_factory=make_client))
async def client(lsp_client: LanguageClient, workspace: Path, records: Path):
    await start_offline_session(lsp_client, workspace, records, cases=3)
    yield
    await lsp_client.shutdown_session()


def offer_with_auto(client: LanguageClient, on: bool) -> None:
    client.set_configuration({"trials": 0, "offerWithAuto": on, "offerMinSpeedup": 0}, section="transverify.tvm")


def offering_tokens(client: LanguageClient) -> list:
    return [token for token, reports in client.progress_reports.items()
            if reports and isinstance(reports[0], types.WorkDoneProgressBegin) and reports[0].title.startswith(OFFERING)]


async def ended(client: LanguageClient, token, timeout: float = 300.0) -> types.WorkDoneProgressEnd:
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        for report in client.progress_reports.get(token, []):
            if isinstance(report, types.WorkDoneProgressEnd):
                return report
        await asyncio.sleep(0.1)
    raise AssertionError(f"progress {token} never ended: {client.progress_reports.get(token)!r}")


async def new_offering(client: LanguageClient, before: list, timeout: float = 60.0):
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while loop.time() < deadline:
        fresh = [t for t in offering_tokens(client) if t not in before]
        if fresh:
            return fresh[0]
        await asyncio.sleep(0.1)
    raise AssertionError(f"no '{OFFERING}' progress began; seen: {client.progress_reports!r}")


async def lens_titles(client: LanguageClient, path: Path) -> list[types.CodeLens]:
    return await client.text_document_code_lens_async(types.CodeLensParams(
        text_document=types.TextDocumentIdentifier(uri=from_fs_path(str(path))))) or []


async def hover_text(client: LanguageClient, uri: str, line: int) -> str:
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=line, character=6)))
    return hover.contents.value if hover is not None else ""


async def translate(client: LanguageClient, uri: str, line: int) -> dict:
    (action,) = [a for a in await code_actions(client, uri, line=line) if a.title == TRANSLATE]
    return await run_command(client, action.command)


async def test_auto_offers_the_tvm_equivalent_after_the_preview_and_applies_it(client, workspace: Path,
                                                                               records: Path):
    offer_with_auto(client, True)
    source, target = workspace / "saxpy.cu", workspace / "saxpy_cpu.cpp"
    uri = open_file(client, source, "cuda-cpp")
    answer = await translate(client, uri, line=8)  # inside the host function saxpy
    # The rule translation's preview came and was answered while TVM was still at work.
    at_answer = {token: list(reports) for token, reports in client.progress_reports.items()}
    assert answer["status"] == "applied" and answer["verdict"] == "equivalent", answer
    rules_code = target.read_text()
    assert "TVM" not in rules_code
    token = await new_offering(client, [])
    assert not any(isinstance(r, types.WorkDoneProgressEnd) for r in at_answer.get(token, []))
    assert client.progress_reports[token][0].cancellable is True

    end = await ended(client, token)
    words = re.fullmatch(r"verified, (\d+\.\d\d)x naive OpenMP, \d+\.\d\dx naive serial", end.message or "")
    assert words, end.message
    ratio = words.group(1)

    # Offered beside the translation: a code action and lenses over the kernel and the translated
    # function, all with the measured speed-up; the hover says the same.
    (use,) = [a for a in await code_actions(client, uri, line=8) if USE.fullmatch(a.title)]
    assert USE.fullmatch(use.title).group(1) == ratio
    assert use.command.command == APPLY and list(use.command.arguments) == [{"uri": uri, "entry": "saxpy"}]
    for path in (source, target):
        titles = [lens.command.title for lens in await lens_titles(client, path) if lens.command.command == APPLY]
        assert titles == [use.title], (path, titles)
    assert f"verified, {ratio}x naive OpenMP" in await hover_text(client, uri, 7)

    applied = await run_command(client, use.command)
    assert applied["status"] == "applied" and applied["verdict"] == "equivalent", applied
    assert applied["origin"] == "tvm-alternative" and "TVM, default schedule" in applied["message"]
    code = target.read_text()
    assert code != rules_code and "lifted to TVM TE" in code and "#pragma omp simd" in code
    assert "void saxpy(int n, float a, const float* x, float* y)" in code
    # The translated file now carries the TVM numbers, and nothing more to apply.
    titles = [lens.command.title for lens in await lens_titles(client, target)]
    assert f"TVM default schedule: {ratio}x naive OpenMP" in " | ".join(titles)
    assert not any(t.startswith("Use TVM") for t in titles), titles
    assert not [lens for lens in await lens_titles(client, source) if lens.command.command == APPLY]
    assert not [a for a in await code_actions(client, uri, line=8) if a.title.startswith("Use TVM")]
    assert "in use in `saxpy_cpu.cpp`" in await hover_text(client, uri, 7)

    # Accepted like any translation: a verified-translation record of the TVM solver's answer.
    store = store_at(records)
    try:
        (dialogue,) = [d for d in store.dialogues() if d["solver_model"] == "tvm"]
        assert dialogue["status"] == "accepted" and dialogue["pair"] == "cuda->cpp"
        assert dialogue["turns"][-1]["agent"] == "tvm"
        (record,) = [r for r in store.verified_translations() if r["dialogue_id"] == dialogue["id"]]
        assert record["translation"] == code and record["verdict"] == "equivalent" and record["harness"]
    finally:
        store.close()

    # An edit of the source drops what was made from its old text.
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=source.read_text() + "// edited\n")]))
    assert "TVM-optimized CPU equivalent of" not in await hover_text(client, uri, 7)


async def test_no_offer_with_the_setting_off_an_edit_stops_it_and_the_hover_says_why_when_none_is_made(
        client, workspace: Path, cache: Path):
    offer_with_auto(client, False)
    uri = open_file(client, workspace / "saxpy.cu", "cuda-cpp")
    answer = await translate(client, uri, line=8)
    assert answer["status"] == "applied" and answer["verdict"] == "equivalent", answer
    assert offering_tokens(client) == []
    assert "TVM-optimized CPU equivalent of" not in await hover_text(client, uri, 7)
    assert not [a for a in await code_actions(client, uri, line=8) if a.title.startswith("Use TVM")]
    assert not [lens for lens in await lens_titles(client, workspace / "saxpy_cpu.cpp")
                if lens.command.command == APPLY]

    # On again: an edit of the source while TVM is at work stops it, its processes included.
    offer_with_auto(client, True)
    assert (await translate(client, uri, line=8))["status"] == "applied"
    token = await new_offering(client, [])
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[types.TextDocumentContentChangeWholeDocument(
            text=(workspace / "saxpy.cu").read_text() + "// edited\n")]))
    assert (await ended(client, token, timeout=120)).message == "cancelled"
    assert_none_left(cache)
    assert "TVM-optimized CPU equivalent of" not in await hover_text(client, uri, 7)

    # A kernel TVM refuses (shared memory): no offer, and the hover names the construct.
    stencil = open_file(client, workspace / "stencil1d.cu", "cuda-cpp")
    text = (workspace / "stencil1d.cu").read_text().splitlines()
    host = next(i for i, line in enumerate(text) if line.startswith("void "))
    answer = await translate(client, stencil, line=host + 1)
    assert answer["status"] == "applied", answer
    end = await ended(client, await new_offering(client, [token]))
    assert end.message.startswith("not offered: TVM did not translate it: ") and "line 4: __shared__" in end.message
    hover = await hover_text(client, stencil, host)
    assert "TVM-optimized CPU equivalent of" in hover and "not offered: TVM did not translate it" in hover
    assert not [a for a in await code_actions(client, stencil, line=host + 1) if a.title.startswith("Use TVM")]


async def test_a_verified_alternative_clearly_slower_than_naive_openmp_is_not_offered():
    from transverify.server.features.tvm_alternative import decide

    made = {"exit_code": 0, "code": "void k() {}\n", "message": "verified",
            "tvm": {"speedup": {"vs_openmp": 0.31, "vs_serial": 0.6}}}
    assert decide(made, None, least_speedup=0.5) == {
        "state": "not offered", "note": "verified, but 0.31x the naive OpenMP translation (slower)",
        "words": "not offered: verified, but 0.31x the naive OpenMP translation (slower)"}
    assert decide(made, None, least_speedup=0)["state"] == "offered"
    assert decide({**made, "tvm": {"speedup": {"vs_openmp": 0.5}}}, None, least_speedup=0.5)["state"] == "offered"
    assert decide({**made, "exit_code": 1, "message": "outputs differ"}, None, 0.5)["note"] == \
        "the TVM translation did not verify: outputs differ"
