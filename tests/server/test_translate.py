"""Running a translation from the editor: progress, cancellation, the confirmable
edit and what the record store learns from the user's decision."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import pytest
from lsprotocol import types
from pygls.uris import from_fs_path

from .conftest import (CORRECT_CPP, code_actions, fenced, needs_translation, open_file, run_command, store_at)

pytestmark = [pytest.mark.asyncio, needs_translation]


async def translate_action(client, workspace: Path):
    uri = open_file(client, workspace / "saxpy.f90", "fortran")
    (action,) = await code_actions(client, uri, line=10)
    assert action.disabled is None
    return action


async def test_accepted_translation_is_written_verified_and_recorded(client, workspace, llm, records):
    llm.reply(fenced(CORRECT_CPP))
    action = await translate_action(client, workspace)
    answer = await run_command(client, action.command)

    assert answer["status"] == "applied", answer
    assert answer["verdict"] == "equivalent"
    target = workspace / "saxpy.cpp"
    assert target.read_text() == CORRECT_CPP
    # The edit is a CreateFile + TextDocumentEdit under an annotation that asks for confirmation.
    (edit,) = client.edits
    kinds = [type(change).__name__ for change in edit.edit.document_changes]
    assert kinds == ["CreateFile", "TextDocumentEdit"]
    (annotation,) = edit.edit.change_annotations.values()
    assert annotation.needs_confirmation is True

    # Real stages reached the client's progress UI: begin, reports from the pipeline, end.
    (reports,) = [r for token, r in client.progress_reports.items() if str(token).startswith("transverify-")]
    assert isinstance(reports[0], types.WorkDoneProgressBegin) and reports[0].cancellable
    messages = [r.message for r in reports if isinstance(r, types.WorkDoneProgressReport)]
    assert messages and set(messages) <= set(answer["stages"])
    assert isinstance(reports[-1], types.WorkDoneProgressEnd)

    # The LLM got the editor's key, and the accepted translation became a training record.
    headers = {k.lower(): v for k, v in llm.requests[0]["headers"].items()}
    assert headers.get("authorization") == "Bearer sk-editor-secret"
    with store_at(records) as store:
        stats = store.stats()
        assert stats["verified_translations"] == 1
        assert stats["by_status"].get("accepted") == 1
        (record,) = store.verified_translations()
        assert record["translation"] == CORRECT_CPP and record["verdict"] == "equivalent"

    # The code lens over the translated function states the verdict and where it came from.
    lenses = await client.text_document_code_lens_async(types.CodeLensParams(
        text_document=types.TextDocumentIdentifier(uri=from_fs_path(str(target)))))
    assert [lens.command.title for lens in lenses] == ["verified against saxpy.f90:2, 16 cases"]
    assert lenses[0].range.start.line == 1  # `void saxpy(...)`
    links = json.loads((workspace / ".transverify" / "links.json").read_text())
    assert links["links"][0]["target"] == "saxpy.cpp" and links["links"][0]["source"] == "saxpy.f90"


async def test_rejected_preview_writes_nothing_and_is_recorded_as_rejected(client, workspace, llm, records):
    client.accept_edits = False
    llm.reply(fenced(CORRECT_CPP))
    action = await translate_action(client, workspace)
    answer = await run_command(client, action.command)

    assert answer["status"] == "rejected"
    assert not (workspace / "saxpy.cpp").exists()
    with store_at(records) as store:
        dialogue = store.dialogue(answer["dialogueId"])
        assert dialogue["status"] == "rejected"
        assert store.stats()["verified_translations"] == 0


async def test_cancel_stops_the_translation_and_the_server_keeps_serving(client, workspace, llm):
    llm.stall(60)  # the Solver's LLM call hangs until cancelled
    action = await translate_action(client, workspace)
    running = asyncio.ensure_future(run_command(client, action.command))

    assert await asyncio.get_running_loop().run_in_executor(None, llm.wait_for_requests, 1, 60)
    # Meanwhile hover, code actions and edits are served.
    uri = from_fs_path(str(workspace / "saxpy.f90"))
    hover = await asyncio.wait_for(client.text_document_hover_async(types.HoverParams(
        text_document=types.TextDocumentIdentifier(uri=uri), position=types.Position(line=10, character=4))), 5)
    assert "saxpy" in hover.contents.value
    assert await asyncio.wait_for(code_actions(client, uri, line=3), 5)

    (token,) = [t for t in client.progress_reports if str(t).startswith("transverify-")]
    client.window_work_done_progress_cancel(types.WorkDoneProgressCancelParams(token=token))
    answer = await asyncio.wait_for(running, 30)

    assert answer["status"] == "cancelled"
    assert client.edits == []
    assert not (workspace / "saxpy.cpp").exists()
    end = client.progress_reports[token][-1]
    assert isinstance(end, types.WorkDoneProgressEnd) and end.message == "cancelled"


async def test_two_translations_run_side_by_side(client, workspace, llm):
    (workspace / "other.f90").write_text((workspace / "saxpy.f90").read_text())
    llm.reply(fenced(CORRECT_CPP)).reply(fenced(CORRECT_CPP))
    first = await translate_action(client, workspace)
    uri = open_file(client, workspace / "other.f90", "fortran")
    (second,) = await code_actions(client, uri, line=10)
    answers = await asyncio.gather(run_command(client, first.command), run_command(client, second.command))
    assert [a["status"] for a in answers] == ["applied", "applied"]
    assert (workspace / "saxpy.cpp").read_text() == (workspace / "other.cpp").read_text() == CORRECT_CPP


async def test_unsaved_source_is_not_translated(client, workspace, llm):
    action = await translate_action(client, workspace)
    uri = action.command.arguments[0]["uri"]
    client.text_document_did_change(types.DidChangeTextDocumentParams(
        text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
        content_changes=[types.TextDocumentContentChangeWholeDocument(text="! edited\n")]))
    answer = await run_command(client, action.command)
    assert answer["status"] == "error" and "unsaved" in answer["message"]
    assert llm.requests == [] and client.edits == []


async def test_output_suffix_setting_names_the_target(client, workspace, llm):
    client.set_configuration({"cpp": ".cxx"}, section="transverify.outputSuffix")
    llm.reply(fenced(CORRECT_CPP))
    action = await translate_action(client, workspace)
    answer = await run_command(client, action.command)
    assert answer["status"] == "applied" and answer["target"] == str(workspace / "saxpy.cxx")
    assert (workspace / "saxpy.cxx").read_text() == CORRECT_CPP and not (workspace / "saxpy.cpp").exists()


async def test_unknown_target_and_bad_arguments_answer_in_words(client, workspace, llm):
    uri = open_file(client, workspace / "saxpy.f90", "fortran")
    answer = await run_command(client, types.Command(title="", command="transverify.translate",
                                                     arguments=[{"uri": uri, "entry": "saxpy", "target": "rust"}]))
    assert answer == {"status": "error", "message": "unknown target 'rust'"}
    answer = await run_command(client, types.Command(title="", command="transverify.translate", arguments=["x", 1]))
    assert answer["status"] == "error" and "expects one argument" in answer["message"]
    assert any("unknown target 'rust'" in m.message for m in client.messages)
    assert llm.requests == []


async def test_rule_translator_works_offline_without_any_llm(client, workspace, llm, records):
    client.set_configuration("rules", section="transverify.solver")
    action = await translate_action(client, workspace)
    answer = await run_command(client, action.command)
    assert answer["status"] == "applied" and answer["verdict"] == "equivalent", answer
    assert llm.requests == []
    code = (workspace / "saxpy.cpp").read_text()
    (lens,) = await client.text_document_code_lens_async(types.CodeLensParams(
        text_document=types.TextDocumentIdentifier(uri=from_fs_path(str(workspace / "saxpy.cpp")))))
    # The lens sits on the translated function, wherever the rules put it.
    assert "saxpy" in code.split("\n")[lens.range.start.line]
    assert lens.command.title == "verified against saxpy.f90:2, 16 cases"
