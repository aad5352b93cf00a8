"""Language-server latency: code-action listing on a 5,000-line Fortran file, and
hover round trips while translations run.

Drives a real `transverify serve` over stdio (pytest-lsp's client) and prints

    code actions, 5,000-line file, cached parse     median / p99 (ms), ratio to the 13-line baseline
    code actions, 5,000-line file, after an edit    median / p99 (ms), ratio to the 13-line baseline
    hover, idle                                     median / p99 (ms)
    hover, while translations run                   median / p99 (ms), ratio to idle

The baseline of each figure is measured in the same run (the 13-line saxpy.f90
for listing, an idle server for hover).  Translations use the LLM Solver against
the scripted endpoint of tests/support (no model needed); each one really
compiles and runs the reference and the candidate.

Usage:  .venv/bin/python bench/lsp.py [--requests 300] [--translations 3] [--json]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Union

from lsprotocol import types
from pygls.uris import from_fs_path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.support.scripted_llm import ScriptedLLM  # noqa: E402

SAXPY = (REPO / "examples" / "fortran" / "saxpy.f90").read_text()
SAXPY_CPP = (REPO / "examples" / "fortran" / "saxpy.cpp").read_text()


def generated_fortran(lines: int) -> str:
    """Many small subroutines and functions, like a legacy numerics file."""
    out, k = [], 0
    while len(out) < lines:
        k += 1
        if k % 3:
            out += [f"subroutine axpy{k}(n, a, x, y)", "  implicit none", "  integer, intent(in) :: n",
                    "  real, intent(in) :: a, x(n)", "  real, intent(inout) :: y(n)", "  integer :: i",
                    "  do i = 1, n", f"    y(i) = a * x(i) + y(i) + {k}.0", "  end do", f"end subroutine axpy{k}", ""]
        else:
            out += [f"function dot{k}(n, x, y) result(s)", "  implicit none", "  integer, intent(in) :: n",
                    "  real, intent(in) :: x(n), y(n)", "  real :: s", "  integer :: i", "  s = 0.0",
                    "  do i = 1, n", "    s = s + x(i) * y(i)", "  end do", f"end function dot{k}", ""]
    return "\n".join(out[:lines]) + "\n"


def summary(samples: list[float]) -> dict:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(round(0.99 * (len(ordered) - 1))))]
    return {"n": len(samples), "median_ms": round(statistics.median(samples) * 1000, 3), "p99_ms": round(p99 * 1000, 3)}


def make_client():
    from pytest_lsp.client import make_test_lsp_client

    client = make_test_lsp_client()
    conv = client.protocol._converter
    # pytest-lsp 1.0.1: a CodeAction with a command would otherwise be read as a Command.
    conv.register_structure_hook(
        Union[types.Command, types.CodeAction],
        lambda obj, _: conv.structure(obj, types.Command if isinstance(obj.get("command"), str) else types.CodeAction))

    @client.feature(types.WORKSPACE_APPLY_EDIT)
    def apply_edit(ls, params: types.ApplyWorkspaceEditParams) -> types.ApplyWorkspaceEditResult:
        return types.ApplyWorkspaceEditResult(applied=False)  # the bench measures, it never writes

    @client.feature(types.WORKSPACE_CODE_LENS_REFRESH)
    def refresh(ls, params: None) -> None:
        return None

    return client


async def timed(request) -> float:
    started = time.perf_counter()
    await request
    return time.perf_counter() - started


def action_params(uri: str, line: int) -> types.CodeActionParams:
    position = types.Position(line=line, character=2)
    return types.CodeActionParams(text_document=types.TextDocumentIdentifier(uri=uri),
                                  range=types.Range(start=position, end=position),
                                  context=types.CodeActionContext(diagnostics=[]))


async def listing_after_edit(client, uri: str, lines: int, requests: int, rng: random.Random) -> list[float]:
    samples, version = [], 1
    for _ in range(requests):
        line = rng.randrange(lines)
        version += 1
        started = time.perf_counter()
        client.text_document_did_change(types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangePartial(
                range=types.Range(start=types.Position(line=line, character=0),
                                  end=types.Position(line=line, character=0)), text=" ")]))
        await client.text_document_code_action_async(action_params(uri, line))
        samples.append(time.perf_counter() - started)
    return samples


async def listing_cached(client, uri: str, lines: int, requests: int, rng: random.Random) -> list[float]:
    await client.text_document_code_action_async(action_params(uri, 0))  # parse once
    return [await timed(client.text_document_code_action_async(action_params(uri, rng.randrange(lines))))
            for _ in range(requests)]


async def hovers(client, uri: str, until, limit: int) -> list[float]:
    samples = []
    while len(samples) < limit and not until():
        params = types.HoverParams(text_document=types.TextDocumentIdentifier(uri=uri),
                                   position=types.Position(line=10, character=4))
        samples.append(await timed(client.text_document_hover_async(params)))
        await asyncio.sleep(0.01)
    return samples


def open_doc(client, path: Path) -> str:
    uri = from_fs_path(str(path))
    client.text_document_did_open(types.DidOpenTextDocumentParams(text_document=types.TextDocumentItem(
        uri=uri, language_id="fortran", version=1, text=path.read_text())))
    return uri


async def run(requests: int, translations: int) -> dict:
    from pytest_lsp import client_capabilities

    rng = random.Random(0)
    with tempfile.TemporaryDirectory(prefix="transverify-bench-") as tmp, ScriptedLLM() as llm:
        root = Path(tmp)
        big, small, work = root / "big.f90", root / "small.f90", root / "saxpy.f90"
        big.write_text(generated_fortran(5000))
        small.write_text(SAXPY)
        work.write_text(SAXPY)  # translated while hovers are timed; never edited
        client = make_client()
        await client.start_io(sys.executable, "-m", "transverify", "serve")
        client.set_configuration({"solver": "llm", "cases": 16, "maxRounds": 1,
                                  "recordsPath": str(root / "records.sqlite"),
                                  "llm": {"baseUrl": llm.base_url, "model": "scripted-model"}}, section="transverify")
        await client.initialize_session(types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"), root_uri=from_fs_path(tmp),
            workspace_folders=[types.WorkspaceFolder(uri=from_fs_path(tmp), name="bench")]))
        big_uri, small_uri, work_uri = open_doc(client, big), open_doc(client, small), open_doc(client, work)

        results = {
            "listing_baseline_cached": summary(await listing_cached(client, small_uri, 13, requests, rng)),
            "listing_5000_cached": summary(await listing_cached(client, big_uri, 5000, requests, rng)),
            "listing_baseline_after_edit": summary(await listing_after_edit(client, small_uri, 13, requests, rng)),
            "listing_5000_after_edit": summary(await listing_after_edit(client, big_uri, 5000, requests, rng)),
        }
        done = [False]
        results["hover_idle"] = summary(await hovers(client, work_uri, lambda: False, requests))

        (action,) = await client.text_document_code_action_async(action_params(work_uri, 10))
        busy: list[float] = []
        durations = []
        for _ in range(translations):
            llm.reply(f"```cpp\n{SAXPY_CPP}```")
            done[0] = False
            started = time.perf_counter()
            job = asyncio.ensure_future(client.workspace_execute_command_async(types.ExecuteCommandParams(
                command=action.command.command, arguments=action.command.arguments)))
            job.add_done_callback(lambda _f: done.__setitem__(0, True))
            busy += await hovers(client, work_uri, lambda: done[0], 100000)
            answer = await job
            durations.append(time.perf_counter() - started)
            assert answer.get("verdict") == "equivalent", answer
        results["hover_during_translation"] = summary(busy)
        results["translation_seconds_median"] = round(statistics.median(durations), 3)
        await client.shutdown_session()
        await client.stop()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--translations", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = asyncio.run(run(args.requests, args.translations))
    if args.json:
        print(json.dumps(results, indent=2))
        return

    def ratio(a: str, b: str) -> str:
        return f"{results[a]['median_ms'] / max(results[b]['median_ms'], 1e-6):.2f}x"

    rows = [
        ("code actions, 13-line file, cached parse", "listing_baseline_cached", ""),
        ("code actions, 5,000-line file, cached parse", "listing_5000_cached",
         ratio("listing_5000_cached", "listing_baseline_cached") + " of 13-line"),
        ("code actions, 13-line file, after an edit", "listing_baseline_after_edit", ""),
        ("code actions, 5,000-line file, after an edit", "listing_5000_after_edit",
         ratio("listing_5000_after_edit", "listing_baseline_after_edit") + " of 13-line"),
        ("hover, idle server", "hover_idle", ""),
        ("hover, while translations run", "hover_during_translation",
         ratio("hover_during_translation", "hover_idle") + " of idle"),
    ]
    print(f"{'measure':48} {'n':>6} {'median ms':>10} {'p99 ms':>10}  ratio")
    for label, key, note in rows:
        r = results[key]
        print(f"{label:48} {r['n']:>6} {r['median_ms']:>10.3f} {r['p99_ms']:>10.3f}  {note}")
    print(f"translation (LLM Solver + verification, 16 cases), median: {results['translation_seconds_median']:.2f} s")


if __name__ == "__main__":
    main()
