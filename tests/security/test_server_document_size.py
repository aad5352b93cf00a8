"""Item 8: oversized documents are refused with a clear message (code actions, translate), a
document between the inline and the limit is parsed off the event loop and still served, and
verify/translate refuse an oversized input at once instead of spending minutes and gigabytes."""

from __future__ import annotations

from pathlib import Path

import pytest
from pygls.uris import from_fs_path

from tests.security.server_support import INITIALIZE, INITIALIZED, SAXPY_CPP, SAXPY_F90, RawServer, cli_env, run_cli

UNIT = "subroutine s{n}(x)\n  real, intent(inout) :: x\n  x = x + 1.0\nend subroutine s{n}\n"


def _source(path: Path, units: int) -> Path:
    path.write_text("".join(UNIT.format(n=n) for n in range(units)))
    return path


@pytest.fixture
def server(tmp_path: Path):
    raw = RawServer(env=cli_env(tmp_path, TRANSVERIFY_MAX_DOCUMENT_BYTES="300000"))
    raw.send(INITIALIZE)
    raw.reply_to(1)
    raw.send(INITIALIZED)
    yield raw
    raw.stop()


def _open(server: RawServer, path: Path) -> str:
    uri = from_fs_path(str(path))
    server.send({"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"textDocument": {
        "uri": uri, "languageId": "fortran", "version": 1, "text": path.read_text()}}})
    return uri


def _actions(server: RawServer, msg_id: int, uri: str, line: int = 0) -> list:
    server.send({"jsonrpc": "2.0", "id": msg_id, "method": "textDocument/codeAction", "params": {
        "textDocument": {"uri": uri},
        "range": {"start": {"line": line, "character": 0}, "end": {"line": line, "character": 0}},
        "context": {"diagnostics": []}}})
    reply = server.reply_to(msg_id)
    assert "error" not in reply, reply
    return reply["result"] or []


def test_an_oversized_document_gets_no_actions_and_a_clear_message(server: RawServer, tmp_path: Path):
    big = _open(server, _source(tmp_path / "big.f90", 8000))  # ~500 kB > 300 kB
    assert _actions(server, 2, big) == []
    assert _actions(server, 3, big, line=40) == []
    warnings = [m["params"]["message"] for m in server.messages if m.get("method") == "window/showMessage"]
    assert len(warnings) == 1 and "big.f90" in warnings[0] and "maxDocumentBytes" in warnings[0], warnings

    server.send({"jsonrpc": "2.0", "id": 4, "method": "workspace/executeCommand", "params": {
        "command": "transverify.translate", "arguments": [{"uri": big, "entry": "s1", "target": "cpp"}]}})
    answer = server.reply_to(4)["result"]
    assert answer["status"] == "error" and "limit" in answer["message"]

    # A document below the limit but above the inline size is parsed in a thread, and served.
    middle = _open(server, _source(tmp_path / "middle.f90", 2000))  # ~120 kB
    titles = [a["title"] for a in _actions(server, 5, middle, line=4 * 1500)]
    assert "Translate to C++ and verify" in titles


def test_verify_and_translate_refuse_an_oversized_input_at_once(tmp_path: Path):
    env = cli_env(tmp_path)
    source = _source(tmp_path / "many.f90", 20000)  # 1.5 MB: 130 s and counting without the limit
    candidate = tmp_path / "s1.cpp"
    candidate.write_text("void s1(float* x) { *x = *x + 1.0f; }\n")
    verify = run_cli("verify", str(source), str(candidate), "--entry", "s1", env=env, timeout=60)
    translate = run_cli("translate", str(source), "--to", "cpp", "--solver", "rules", env=env, timeout=60)
    for run in (verify, translate):
        assert run.returncode == 2, run.stdout + run.stderr
        # The report may wrap long paths at any character: compare with whitespace removed.
        text = "".join((run.stdout + run.stderr).split())
        assert "many.f90" in text and "TRANSVERIFY_MAX_INPUT_BYTES" in text and "Traceback" not in text
    assert not source.with_suffix(".cpp").exists()

    # The limit is a setting: lowered, even a small source is refused.
    small = tmp_path / "saxpy.f90"
    small.write_text(SAXPY_F90)
    (tmp_path / "saxpy.cpp").write_text(SAXPY_CPP)
    tight = run_cli("verify", str(small), str(tmp_path / "saxpy.cpp"), env={**env, "TRANSVERIFY_MAX_INPUT_BYTES": "100"},
                    timeout=60)
    assert tight.returncode == 2 and "TRANSVERIFY_MAX_INPUT_BYTES" in " ".join(tight.stdout.split())
