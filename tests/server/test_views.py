"""What the editor shows rather than says: the Translation dialogue notification, the
mismatch table in the hover, the reproducer quick fix, the source unit for a diff editor,
the record counts per pair and status, and the "Compare with source" code lens."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pygls.uris import from_fs_path, to_fs_path
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

from .conftest import (EXAMPLES, WRONG_CPP, code_actions, fenced, make_client, needs_translation, open_file, run_command,
                       serve_command, wait_for_diagnostics)

pytestmark = [pytest.mark.asyncio, needs_translation]


def make_view_client() -> LanguageClient:
    client = make_client()
    client.dialogues, client.records_changes = [], []

    @client.feature("transverify/dialogue")
    def on_dialogue(ls: LanguageClient, params) -> None:
        ls.dialogues.append(params)

    @client.feature("transverify/recordsChanged")
    def on_records(ls: LanguageClient, params) -> None:
        ls.records_changes.append(params)

    return client


@pytest_lsp.fixture(config=ClientServerConfig(server_command=serve_command(), client_factory=make_view_client))
async def view_client(lsp_client: LanguageClient, workspace: Path, llm, records: Path):
    lsp_client.set_configuration({"solver": "llm", "cases": 8, "maxRounds": 1, "recordsPath": str(records),
                                  "llm": {"baseUrl": llm.base_url, "model": "scripted-model"}},
                                 section="transverify")
    await lsp_client.initialize_session(types.InitializeParams(
        capabilities=client_capabilities("visual-studio-code"),
        root_uri=from_fs_path(str(workspace)),
        workspace_folders=[types.WorkspaceFolder(uri=from_fs_path(str(workspace)), name="ws")],
        initialization_options={"clientCommands": ["transverify.compareWithSource"]},
    ))
    yield
    await lsp_client.shutdown_session()


def field(obj, name):
    """Custom notifications arrive as attribute objects (pygls) or dicts."""
    return obj[name] if isinstance(obj, dict) else getattr(obj, name)


async def test_failing_translation_is_shown_rather_than_told(view_client, workspace, llm, records):
    client = view_client
    llm.reply(fenced(WRONG_CPP))
    uri = open_file(client, workspace / "saxpy.f90", "fortran")
    (action,) = await code_actions(client, uri, line=10)
    answer = await run_command(client, action.command)
    assert answer["status"] == "applied" and answer["verdict"] == "not_equivalent", answer

    # The Translation channel's content: the dialogue as recorded and the verification summary.
    (dialogue,) = client.dialogues
    turns = field(dialogue, "turns")
    assert [field(t, "role") for t in turns][-1] == "assistant"
    assert "a * x[i] - y[i]" in field(turns[-1], "content")
    assert field(turns[-1], "verdict") == "not_equivalent"
    summary = field(dialogue, "verification")
    assert field(summary, "verdict") == "not_equivalent" and field(summary, "cases") == 8
    assert field(dialogue, "solver") == "llm" and field(dialogue, "target") == from_fs_path(str(workspace / "saxpy.cpp"))
    assert [field(c, "reason") for c in client.records_changes] == ["accepted"]

    # Records view: counts per pair and status.
    stats = await run_command(client, types.Command(title="", command="transverify.recordStats", arguments=[]))
    assert stats["status"] == "ok" and stats["by_pair_status"] == {"fortran->cpp": {"accepted": 1}}

    # Hover over the mismatch: a table of the case's differing elements and its inputs.
    target = workspace / "saxpy.cpp"
    target_uri = open_file(client, target, "cpp")
    diagnostics = await wait_for_diagnostics(client, target_uri, lambda d: len(d) > 0)
    first = diagnostics[0]
    case = first.data["case"]
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=target_uri), position=first.range.start))
    text = hover.contents.value
    assert f"not equivalent on case {case}" in text and "| element | expected | actual | error |" in text
    row = next(line for line in text.splitlines() if line.startswith("| y("))
    assert row.count("|") == 5
    assert f"Inputs of case {case}: " in text and "x: float32[" in text and "a = " in text

    # Compare with source: the extracted unit and where it is.
    unit = await run_command(client, types.Command(title="", command="transverify.sourceUnit",
                                                   arguments=[{"uri": target_uri}]))
    assert unit["status"] == "ok" and unit["entry"] == "saxpy"
    assert unit["source"]["text"].startswith("subroutine saxpy") and unit["source"]["text"].rstrip().endswith(
        "end subroutine saxpy")
    assert (unit["source"]["startLine"], unit["source"]["endLine"]) == (1, 12)
    assert unit["target"]["uri"] == target_uri and unit["source"]["language"] == "fortran"
    lenses = await client.text_document_code_lens_async(types.CodeLensParams(
        text_document=types.TextDocumentIdentifier(uri=target_uri)))
    assert [lens.command.command for lens in lenses] == ["transverify.reverify", "transverify.compareWithSource"]

    # The reproducer quick fix writes a new folder in the workspace that shows the same mismatch.
    actions = await code_actions(client, target_uri, line=first.range.start.line, diagnostics=diagnostics)
    (write,) = [a for a in actions if a.title.startswith("Write a reproducer")]
    assert write.title == f"Write a reproducer of case {case}"
    written = await run_command(client, write.command)
    assert written["status"] == "written" and written["case"] == case, written
    folder = Path(written["directory"])
    assert folder == workspace / "transverify-reproducers" / f"saxpy-case{case}"
    assert (folder / "candidate" / "user_candidate.cpp").read_text() == WRONG_CPP
    run = subprocess.run(["sh", str(folder / "run.sh")], capture_output=True, text=True, timeout=120,
                         env={"PATH": os.environ["PATH"]})
    assert run.returncode == 1 and run.stdout.startswith("y(") and f"case {case} of saxpy" in run.stdout, run.stdout
    again = await run_command(client, write.command)  # never over the first one
    assert Path(again["directory"]) == folder.with_name(f"saxpy-case{case}-2")
    assert Path(to_fs_path(again["readme"])).is_file()


async def test_rules_only_translation_shows_the_rule_solver_and_the_verification(view_client, workspace, records):
    client = view_client
    client.set_configuration({"solver": "rules", "cases": 4, "recordsPath": str(records)}, section="transverify")
    uri = open_file(client, workspace / "saxpy.f90", "fortran")
    (action,) = await code_actions(client, uri, line=10)
    answer = await run_command(client, action.command)
    assert answer["status"] == "applied" and answer["verdict"] == "equivalent", answer

    (dialogue,) = client.dialogues
    assert field(dialogue, "solver") == "rules" and field(dialogue, "rounds") == 1
    turns = field(dialogue, "turns")
    assert [field(t, "agent") for t in turns] == ["system", "task", "rules"]
    assert field(turns[-1], "verdict") == "equivalent"
    summary = field(dialogue, "verification")
    assert field(summary, "verdict") == "equivalent" and field(summary, "cases") == 4
    assert "rule-based translation" in field(dialogue, "message")


WRONG_CPU_SAXPY = """// y = a*x + y on n elements (wrong: subtracts).
void saxpy(int n, float a, const float* x, float* y) {
    for (int i = 0; i < n; ++i) y[i] = a * x[i] - y[i];
}
"""


@pytest.mark.skipif(shutil.which("nvcc") is None, reason="nvcc is needed to verify a CUDA source")
async def test_cuda_mismatch_hover_and_reproducer(view_client, workspace, llm):
    client = view_client
    shutil.copy(EXAMPLES / "cuda" / "saxpy" / "saxpy.cu", workspace / "saxpy.cu")
    llm.reply(fenced(WRONG_CPU_SAXPY))
    uri = open_file(client, workspace / "saxpy.cu", "cuda-cpp")
    actions = await code_actions(client, uri, line=8)  # inside the host function saxpy
    action = next(a for a in actions if a.title == "Translate to CPU (OpenMP) and verify")
    answer = await run_command(client, action.command)
    assert answer["status"] == "applied" and answer["verdict"] == "not_equivalent", answer

    target = workspace / "saxpy_cpu.cpp"
    target_uri = open_file(client, target, "cpp")
    diagnostics = await wait_for_diagnostics(client, target_uri, lambda d: len(d) > 0)
    first = diagnostics[0]
    case = first.data["case"]
    hover = await client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=target_uri), position=first.range.start))
    text = hover.contents.value
    assert f"not equivalent on case {case}" in text and "| y[" in text and f"Inputs of case {case}: " in text
    assert f"Quick fix *Write a reproducer of case {case}*" in text

    actions = await code_actions(client, target_uri, line=first.range.start.line, diagnostics=diagnostics)
    (write,) = [a for a in actions if a.title.startswith("Write a reproducer")]
    written = await run_command(client, write.command)
    assert written["status"] == "written" and written["case"] == case, written
    folder = Path(written["directory"])
    assert folder == workspace / "transverify-reproducers" / f"saxpy_cpu-case{case}"
    assert (folder / "reference" / "user_source.cu").read_text() == (workspace / "saxpy.cu").read_text()
    assert (folder / "candidate" / "user_candidate.cpp").read_text() == WRONG_CPU_SAXPY
    run = subprocess.run(["sh", str(folder / "run.sh")], capture_output=True, text=True, timeout=180,
                         env={"PATH": os.environ["PATH"], "TRANSVERIFY_CUDA_EXECUTION": "cpu"})
    assert run.returncode == 1 and run.stdout.startswith("y[") and f"case {case} of saxpy" in run.stdout, run.stdout
