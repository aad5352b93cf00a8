"""What the Solver is told, and what the records keep, speaks of the user's files: no temporary
paths; with an LLM Questioner the verifier's own digest still reaches the Solver verbatim; a
main() in a unit translation is a defect of the candidate like a wrong signature."""

from __future__ import annotations

import json
import tempfile

from tests.loop.samples import CORRECT, NOT_COMPILING, answer, endpoint

WITH_MAIN = """\
#include <cstdio>

void saxpy(int n, float a, const float* x, float* y) {
    for (int i = 0; i < n; ++i) {
        y[i] = a * x[i] + y[i];
    }
}

int main() {
    std::printf("saxpy\\n");
    return 0;
}
"""
MAIN_LINE = WITH_MAIN.splitlines().index("int main() {") + 1


def _user_messages(request: dict) -> list[str]:
    return [m["content"] for m in request["body"]["messages"] if m["role"] == "user"]


def _exports(run_cli, tmp_path, store_path) -> str:
    texts = []
    for fmt in ("messages", "openai-chat", "sharegpt", "codepair"):
        target = tmp_path / f"{fmt}.jsonl"
        done = run_cli("records", "export", "--format", fmt, "--out", str(target), "--store", str(store_path))
        assert done.returncode == 0, done.stderr
        texts.append(target.read_text())
    return "\n".join(texts)


def test_main_in_a_unit_translation_is_named_by_file_and_line_and_not_equivalent(
        llm, source, store_path, run_cli, tmp_path):
    llm.reply(answer(WITH_MAIN)).reply(answer(CORRECT))
    out = tmp_path / "out" / "saxpy.cpp"
    done = run_cli("translate", str(source), "--to", "cpp", "--solver", "llm", "-o", str(out), "--json",
                   extra_env=endpoint(llm))
    assert done.returncode == 0, done.stdout + done.stderr
    question = _user_messages(llm.requests[1])[-1]
    assert f"saxpy.cpp:{MAIN_LINE}: the candidate defines main()" in question
    assert f"Line {MAIN_LINE}, column 1 of your translation (`int main() {{`)" in question
    # Not a compiler message, and no temporary folder in sight.
    assert "the verifier says" in question and "the compiler says" not in question
    temp_root = tempfile.gettempdir()
    assert "transverify-loop-" not in question and "transverify-draft-" not in question
    assert f"{temp_root}/" not in question and str(source.parent) not in question

    exported = _exports(run_cli, tmp_path, store_path)
    assert "defines main()" in exported
    with __import__("sqlite3").connect(store_path) as db:
        stored = "\n".join(str(value) for row in db.execute("SELECT content, feedback FROM turns") for value in row)
    for text in (exported, stored):
        assert "transverify-loop-" not in text and "transverify-draft-" not in text
        assert str(source.parent) not in text and str(tmp_path) not in text
    assert f"saxpy.cpp:{MAIN_LINE}" in stored


def test_main_verdict_matches_a_signature_mismatch(llm, source, run_cli, tmp_path):
    wrong_signature = CORRECT.replace("float a", "double a")
    llm.reply(answer(WITH_MAIN)).reply(answer(wrong_signature))
    verdicts = []
    for name in ("a.cpp", "b.cpp"):
        done = run_cli("translate", str(source), "--to", "cpp", "--solver", "llm", "--max-rounds", "1",
                       "-o", str(tmp_path / name), "--json", extra_env=endpoint(llm))
        assert done.returncode == 1, done.stdout + done.stderr
        result = json.loads(done.stdout)["result"]
        verdicts.append((result["verdict"], result["stage"]))
        assert result["diagnostics"][0]["file"] == name  # the user's file, not a temporary one
    assert verdicts == [("not_equivalent", "compile_candidate")] * 2


def test_an_llm_questioner_adds_to_the_digest_and_never_replaces_it(llm, source, run_cli):
    llm.reply(answer(NOT_COMPILING))
    # A weak Questioner asks about something that does not exist.
    llm.reply("1. What is the purpose of the `main` function in the Fortran code?")
    llm.reply(answer(CORRECT))
    done = run_cli("translate", str(source), "--to", "cpp", "--solver", "llm", "--questioner", "llm",
                   extra_env=endpoint(llm))
    assert done.returncode == 0, done.stdout + done.stderr
    digest = _user_messages(llm.requests[1])[-1].split("What the verifier found:\n", 1)[1]
    digest = digest.split("\n\nWrite your questions", 1)[0].strip()
    assert "was not declared" in digest and "y[i] = a * x[i] + z[i];" in digest
    to_solver = _user_messages(llm.requests[2])[-1]
    assert f"What the verifier found:\n{digest}\n\nQuestions about it:\n" in to_solver
    assert "What is the purpose of the `main` function" in to_solver


def test_the_task_asks_in_full_sentences_and_not_for_comments(llm, source, run_cli):
    llm.reply(answer(CORRECT)).reply(answer(CORRECT))
    assert run_cli("translate", str(source), "--to", "cpp", "--solver", "llm",
                   extra_env=endpoint(llm)).returncode == 0
    assert run_cli("translate", str(source), "--to", "cpp", "--solver", "llm", "--entry", "saxpy",
                   extra_env=endpoint(llm)).returncode == 0
    whole, single = (r["body"]["messages"] for r in llm.requests)
    assert "Translate every procedure in the file and keep their names." in whole[1]["content"]
    assert "The verifier calls the procedure `saxpy`" in single[1]["content"]
    for messages in (whole, single):
        assert "(keep all their names)" not in messages[1]["content"]
        assert "do not copy these instructions" in messages[0]["content"]
        assert "a[(i-1) + (j-1)*n]" in messages[0]["content"]  # the convention is still stated


def test_the_editors_own_result_reaches_the_solver_without_directories(llm, source, tmp_path):
    from transverify.translators.llm import LLMSettings
    from transverify.translators.pipeline import TranslateRequest, translate
    from transverify.translators.records import RecordStore
    from transverify.verify import VerifyOptions, verify

    candidate = tmp_path / "work" / "saxpy.cpp"
    candidate.parent.mkdir()
    candidate.write_text(WITH_MAIN)
    seed_result = verify(source, candidate, VerifyOptions(cases=4))
    assert str(candidate) in seed_result.message  # the engine names the file where it is
    llm.reply(answer(CORRECT))
    store = RecordStore.open(tmp_path / "r.sqlite", enabled=True)
    outcome = translate(TranslateRequest(
        source=source, target="cpp", solver="llm", output=candidate, seed_candidate=WITH_MAIN,
        seed_result=seed_result, store=store, verify_options=VerifyOptions(cases=4),
        llm=LLMSettings(base_url=llm.base_url, api_key=None, model="m", max_retries=0)))
    assert outcome.exit_code == 0, outcome.message
    question = _user_messages(llm.requests[0])[-1]
    assert f"saxpy.cpp:{MAIN_LINE}: the candidate defines main()" in question
    assert str(tmp_path) not in question
    seed_turn = store.dialogue(outcome.dialogue_id)["turns"][2]
    assert seed_turn["feedback"]["verdict"] == "not_equivalent" and str(tmp_path) not in json.dumps(seed_turn)
