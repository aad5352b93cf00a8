"""After a failing candidate: diagnostics and code lens on the translated file,
the quick fixes, and passive capture of a human fix on save."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types
from pygls.uris import from_fs_path

from .conftest import (CORRECT_CPP, WRONG_CPP, code_actions, fenced, needs_translation, open_file, run_command,
                       store_at, wait_for_diagnostics)

pytestmark = [pytest.mark.asyncio, needs_translation]


async def accept_failing_translation(client, workspace: Path, llm) -> str:
    llm.reply(fenced(WRONG_CPP))
    uri = open_file(client, workspace / "saxpy.f90", "fortran")
    (action,) = await code_actions(client, uri, line=10)
    answer = await run_command(client, action.command)
    assert answer["status"] == "applied" and answer["verdict"] == "not_equivalent", answer
    assert (workspace / "saxpy.cpp").read_text() == WRONG_CPP
    return from_fs_path(str(workspace / "saxpy.cpp"))


async def lens_titles(client, uri: str) -> list[str]:
    lenses = await client.text_document_code_lens_async(types.CodeLensParams(
        text_document=types.TextDocumentIdentifier(uri=uri)))
    return [lens.command.title for lens in lenses]


async def test_failing_candidate_gets_diagnostics_and_code_lens(client, workspace, llm):
    target_uri = await accept_failing_translation(client, workspace, llm)

    diagnostics = await wait_for_diagnostics(client, target_uri, lambda d: len(d) > 0)
    assert all(d.source == "transverify" for d in diagnostics)
    mismatch = diagnostics[0]
    assert mismatch.code == "mismatch" and mismatch.message.startswith("not equivalent: y(")
    assert mismatch.range.start.line == 1  # on `void saxpy(...)`, the translated function
    (title,) = await lens_titles(client, target_uri)
    assert title.startswith("not equivalent: y(") and title.endswith(") differs")


async def test_quick_fix_round_with_the_solver(client, workspace, llm, records):
    target_uri = await accept_failing_translation(client, workspace, llm)
    open_file(client, workspace / "saxpy.cpp", "cpp")
    diagnostics = await wait_for_diagnostics(client, target_uri, lambda d: len(d) > 0)

    actions = await code_actions(client, target_uri, line=1, diagnostics=diagnostics)
    fixes = [a for a in actions if a.kind == types.CodeActionKind.QuickFix]
    assert [f.title for f in fixes][:2] == ["Ask the Solver to fix", "Re-verify"]
    assert [f.title for f in fixes][2:] == [f"Write a reproducer of case {diagnostics[0].data['case']}"]
    assert list(actions[:3]) == fixes  # the fixes come first
    assert list(fixes[0].diagnostics) == diagnostics

    llm.reply(fenced(CORRECT_CPP))
    answer = await run_command(client, fixes[0].command)
    assert answer["status"] == "applied" and answer["verdict"] == "equivalent", answer
    assert answer["origin"] == "solver"
    assert (workspace / "saxpy.cpp").read_text() == CORRECT_CPP
    # The Solver saw the failing code and what failed: the seed of this one round.
    prompt = "\n".join(str(m.get("content")) for m in llm.requests[-1]["body"]["messages"])
    assert "a * x[i] - y[i]" in prompt
    assert len(llm.requests) == 2  # one round: no further LLM calls
    await wait_for_diagnostics(client, target_uri, lambda d: len(d) == 0)
    assert await lens_titles(client, target_uri) == ["verified against saxpy.f90:2, 16 cases"]

    # "Re-verify" checks the editor's text as it is now.
    answer = await run_command(client, fixes[1].command)
    assert answer["verdict"] == "equivalent"


async def test_human_fix_on_save_is_captured_as_a_fix_record(client, workspace, llm, records):
    target_uri = await accept_failing_translation(client, workspace, llm)
    open_file(client, workspace / "saxpy.cpp", "cpp")
    await wait_for_diagnostics(client, target_uri, lambda d: len(d) > 0)

    # The developer corrects the sign by hand and saves.
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=target_uri, version=2),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text=CORRECT_CPP)]))
    (workspace / "saxpy.cpp").write_text(CORRECT_CPP)
    client.text_document_did_save(types.DidSaveTextDocumentParams(
        text_document=types.TextDocumentIdentifier(uri=target_uri), text=CORRECT_CPP))

    await wait_for_diagnostics(client, target_uri, lambda d: len(d) == 0)
    assert await lens_titles(client, target_uri) == ["verified against saxpy.f90:2, 16 cases"]
    with store_at(records) as store:
        (fix,) = store.fixes()
    assert fix["origin"] == "human"
    assert fix["before"] == WRONG_CPP and fix["after"] == CORRECT_CPP
    assert "not_equivalent" in fix["error_context"] and "mismatch y(" in fix["error_context"]
    assert fix["source_file"] == "saxpy.f90" and "subroutine saxpy" in fix["source_code"]
    assert fix["pair"] == "fortran->cpp"

    # Saving again, still verified, is not another fix.
    client.text_document_did_save(types.DidSaveTextDocumentParams(
        text_document=types.TextDocumentIdentifier(uri=target_uri), text=CORRECT_CPP))
    answer = await run_command(client, types.Command(title="", command="transverify.reverify",
                                                     arguments=[{"uri": target_uri}]))
    assert answer["verdict"] == "equivalent" and answer["fixRecord"] is None
    with store_at(records) as store:
        assert len(store.fixes()) == 1


async def test_capture_off_stores_no_fix(client, workspace, llm, records):
    client.set_configuration(False, section="transverify.capture")
    target_uri = await accept_failing_translation(client, workspace, llm)
    open_file(client, workspace / "saxpy.cpp", "cpp")
    (workspace / "saxpy.cpp").write_text(CORRECT_CPP)
    client.text_document_did_save(types.DidSaveTextDocumentParams(
        text_document=types.TextDocumentIdentifier(uri=target_uri), text=CORRECT_CPP))
    await wait_for_diagnostics(client, target_uri, lambda d: len(d) == 0)
    with store_at(records) as store:
        assert store.fixes() == [] and store.stats()["dialogues"] == 0


async def test_verify_against_source_links_a_hand_written_file(client, workspace, llm):
    target = workspace / "mine.cpp"
    target.write_text(WRONG_CPP)
    uri = from_fs_path(str(target))
    answer = await run_command(client, types.Command(title="", command="transverify.verifyAgainstSource", arguments=[
        {"uri": uri, "source": from_fs_path(str(workspace / "saxpy.f90")), "entry": "saxpy"}]))
    assert answer["verdict"] == "not_equivalent"
    await wait_for_diagnostics(client, uri, lambda d: len(d) > 0)
    assert (await lens_titles(client, uri))[0].startswith("not equivalent: y(")
    assert llm.requests == []  # verification alone never calls the LLM


async def test_compile_error_lands_on_its_line(client, workspace, llm):
    target = workspace / "broken.cpp"
    target.write_text(CORRECT_CPP.replace("y[i] = a * x[i] + y[i];", "y[i] = a * x[i] + y[i]"))
    uri = from_fs_path(str(target))
    answer = await run_command(client, types.Command(title="", command="transverify.verifyAgainstSource", arguments=[
        {"uri": uri, "source": str(workspace / "saxpy.f90")}]))
    assert answer["verdict"] == "not_equivalent"  # a candidate that does not compile is not a translation
    diagnostics = await wait_for_diagnostics(client, uri, lambda d: len(d) > 0)
    compile_errors = [d for d in diagnostics if d.code == "compile"]
    assert compile_errors == diagnostics, diagnostics  # at their lines, not repeated on the function
    assert {d.range.start.line for d in compile_errors} <= {3, 4}  # the statement missing its ';' (0-based)
    assert compile_errors[0].severity == types.DiagnosticSeverity.Error
    assert "does not compile" in (await lens_titles(client, uri))[0]


async def test_saving_the_source_re_verifies_its_translation(client, workspace, llm):
    target_uri = await accept_failing_translation(client, workspace, llm)
    await wait_for_diagnostics(client, target_uri, lambda d: len(d) > 0)
    # The source changes so that the "wrong" translation becomes right: y <- a*x - y.
    source = workspace / "saxpy.f90"
    source.write_text(source.read_text().replace("y(i) = a * x(i) + y(i)", "y(i) = a * x(i) - y(i)"))
    client.text_document_did_save(types.DidSaveTextDocumentParams(
        text_document=types.TextDocumentIdentifier(uri=from_fs_path(str(source)))))
    await wait_for_diagnostics(client, target_uri, lambda d: len(d) == 0)
    assert await lens_titles(client, target_uri) == ["verified against saxpy.f90:2, 16 cases"]
