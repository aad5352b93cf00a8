"""A translation made in one answer, without a dialogue (the rules, the TVM solver), kept in the
record store as a one-answer dialogue and a code pair, so that accepting it in the editor makes
a verified-translation record like any other (RecordStore.mark_outcome)."""

from __future__ import annotations

from pathlib import Path

from ..verify.languages import language_of
from ..verify.result import VerifyResult
from .loop import templates


def record_one_answer(store, *, source: Path, source_code: str, output: Path, target: str, entry: str | None,
                      code: str, result: VerifyResult | None, agent: str,
                      prompts: templates.PromptSet | None = None) -> str | None:
    """The dialogue id (None with capture off).  `agent` names who answered ("rules", "tvm");
    `prompts` default to the pair's own (translators/prompts), raising templates.PromptError."""
    language, candidate_language = language_of(source), language_of(output)
    prompts = prompts or templates.load(f"{language}_{target}")
    pair = f"{language}->{candidate_language}"
    dialogue_id = store.start_dialogue(pair, source_code, source, entry=entry, solver_model=agent,
                                       prompt_version=prompts.version)
    store.add_turn(dialogue_id, "system", "system", prompts.render("solver_system"))
    store.add_turn(dialogue_id, "user", "task", prompts.render(
        "solver_task", source=source_code.rstrip(), source_file=Path(source).name,
        scope=prompts.scope(entry), draft="", bug_context=""))
    store.add_turn(dialogue_id, "assistant", agent, f"```{candidate_language or 'cpp'}\n{code.rstrip()}\n```",
                   code=code, feedback=result.to_dict() if result else None)
    verdict = result.verdict if result else None
    store.finish_dialogue(dialogue_id, "verified" if result and result.ok else "not_verified", verdict, code, 1)
    store.add_code_pair(pair, source_code, code, verdict, agent, source, dialogue_id)
    return dialogue_id
