"""The Questioner-Solver loop.

Round by round: the Solver (an LLM) answers, the code is extracted and
verified by the engine, and unless it is equivalent the Questioner turns the
verdict into questions for the next round.  Every turn is stored as soon as it
is complete (one transaction each), so an interrupted loop keeps its history.
"""

from __future__ import annotations

import shutil
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable

from ...verify import VerifyOptions
from ...verify.result import ERROR, VerifyResult
from ..llm import LLMCancelled, LLMError, LLMSettings
from ..records import RecordStore, RecordStoreError
from ..whole_file import verify_translation
from .extract import extract_code
from .llm_questioner import llm_questions
from .questioner import Questions, no_code_questions, rules_questions
from .retrieval import bug_context
from .templates import PromptSet

if TYPE_CHECKING:
    from ..llm.client import ChatClient


WHOLE_FILE = "every procedure in the file (keep all their names)"  # the task's entry when none is given
HISTORY_ROUNDS = 4  # Solver answers (with the questions about them) resent each round


@dataclass
class LoopTask:
    source: Path
    source_code: str
    pair: str  # "fortran->cpp"
    language: str  # language of the code asked for: cpp | cuda | python
    candidate_name: str  # file name the candidate is verified under, e.g. "saxpy.cpp"
    entry: str | None
    prompts: PromptSet
    settings: LLMSettings
    max_rounds: int = 3
    questioner: str = "rules"  # rules | llm
    verify_options: VerifyOptions = field(default_factory=VerifyOptions)
    store: RecordStore | None = None
    cancel: threading.Event | None = None
    progress: Callable[[str], None] | None = None
    seed_code: str | None = None  # a draft to start from (rules translator, editor)
    seed_result: VerifyResult | None = None
    seed_origin: str = "rules"  # agent name of the seed turn: rules | editor
    handover_note: str = ""  # what the rules could not translate, for the Solver


@dataclass
class LoopOutcome:
    code: str | None
    result: VerifyResult | None
    rounds: int  # Solver answers received in this loop
    status: str  # verified | not_verified | no_code | endpoint_error | source_error | verifier_error | cancelled
    message: str
    dialogue_id: str | None = None
    warnings: list[str] = field(default_factory=list)


class _Session:
    """One dialogue: the Solver's message list mirrored into the record store."""

    def __init__(self, task: LoopTask):
        self.task = task
        self.messages: list[dict[str, str]] = []
        self.dialogue_id: str | None = None
        self.warnings: list[str] = []
        self.record(lambda store: setattr(self, "dialogue_id", store.start_dialogue(
            task.pair, task.source_code, task.source, entry=task.entry, solver_model=task.settings.model,
            questioner_model=task.settings.questioner if task.questioner == "llm" else None,
            questioner_mode=task.questioner, prompt_version=task.prompts.version)))

    def record(self, write: Callable[[RecordStore], object]) -> None:
        """Capture is best effort: a store that fails stops recording, never the translation."""
        if self.task.store is None:
            return
        try:
            write(self.task.store)
        except RecordStoreError as exc:
            self.warnings.append(f"records are no longer captured: {exc}")
            self.task.store = None
            self.dialogue_id = None

    def prompt(self) -> list[dict[str, str]]:
        """What the Solver is sent: the system prompt, the task and the latest exchanges.
        Older rounds are dropped so that long loops fit small context windows; the store
        keeps every turn."""
        head, rest = self.messages[:2], self.messages[2:]
        return head + rest[-2 * HISTORY_ROUNDS:]

    def say(self, role: str, agent: str, content: str, **extra: object) -> None:
        self.messages.append({"role": role, "content": content})
        self.record(lambda store: store.add_turn(self.dialogue_id, role, agent, content,
                                                 **extra))  # type: ignore[arg-type]


def _report(task: LoopTask, message: str) -> None:
    if task.progress is not None:
        task.progress(message)


def _fence(code: str, language: str) -> str:
    return f"```{language}\n{code.rstrip()}\n```"


class _Verifier:
    """Writes each candidate into a private folder and verifies it against the source."""

    def __init__(self, task: LoopTask):
        self.task = task
        self.folder = Path(tempfile.mkdtemp(prefix="transverify-loop-"))
        self.folder.chmod(0o755)  # the sandboxed compiler runs as an unprivileged user

    def __call__(self, code: str) -> VerifyResult:
        path = self.folder / self.task.candidate_name
        path.write_text(code, encoding="utf-8")
        path.chmod(0o644)
        _report(self.task, "compiling")
        return verify_translation(self.task.source, path, self.task.verify_options)

    def close(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def dead_end(result: VerifyResult, source: Path, candidate_name: str) -> LoopOutcome | None:
    """A verification no Solver answer can change: the source itself is unusable, or the
    verifier failed without pointing at the candidate.  None when the Solver can act on it."""
    if result.verdict != ERROR or result.message == "cancelled":
        return None
    if result.stage == "compile_source" or any(Path(d.file).name == source.name for d in result.diagnostics):
        return LoopOutcome(None, result, 0, "source_error", f"cannot verify: {result.message}")
    if not any(Path(d.file).name == candidate_name for d in result.diagnostics):
        return LoopOutcome(None, result, 0, "verifier_error", f"cannot verify: {result.message}")
    return None


def run_loop(task: LoopTask) -> LoopOutcome:
    session = _Session(task)
    cancel = task.cancel or threading.Event()
    from ..llm.client import ChatClient  # loads openai only when an LLM is really called

    client = ChatClient(task.settings, cancel=cancel)
    verifier = _Verifier(task)
    try:
        outcome = _loop(task, session, client, verifier, cancel)
    finally:
        verifier.close()
        client.close()
    verdict = outcome.result.verdict if outcome.result else None
    session.record(lambda store: store.finish_dialogue(session.dialogue_id, outcome.status, verdict, outcome.code,
                                                       outcome.rounds))
    if outcome.code is not None:
        session.record(lambda store: store.add_code_pair(task.pair, task.source_code, outcome.code, verdict, "llm",
                                                         task.source, session.dialogue_id))
    outcome.dialogue_id = session.dialogue_id
    outcome.warnings = session.warnings
    return outcome


def _loop(task: LoopTask, session: _Session, client: ChatClient, verifier: _Verifier,
          cancel: threading.Event) -> LoopOutcome:
    language = task.language
    session.say("system", "system", task.prompts.render("solver_system"))
    session.say("user", "task", task.prompts.render(
        "solver_task", source=task.source_code.rstrip(), source_file=task.source.name,
        entry=task.entry or WHOLE_FILE, draft=task.handover_note,
        bug_context=bug_context(task.store, task.pair, task.source_code, task.language, limit=1, by="source")))

    best_code, best_result = task.seed_code, task.seed_result
    last_code, last_digest = None, None
    if task.seed_code is not None:
        if best_result is None:
            best_result = verifier(task.seed_code)
        session.say("assistant", task.seed_origin, _fence(task.seed_code, language), code=task.seed_code,
                    feedback=best_result.to_dict())
        if best_result.ok:
            return LoopOutcome(task.seed_code, best_result, 0, "verified", "the starting code verifies")
        if best_result.message == "cancelled" or cancel.is_set():
            return LoopOutcome(task.seed_code, best_result, 0, "cancelled", "cancelled")
        stop = dead_end(best_result, task.source, task.candidate_name)
        if stop is not None:
            stop.code = task.seed_code
            return stop
        questions = _ask(task, client, task.seed_code, best_result)
        _send_questions(task, session, questions)
        last_code, last_digest = task.seed_code, questions.digest

    rounds = 0
    while rounds < task.max_rounds:
        if cancel.is_set():
            return LoopOutcome(best_code, best_result, rounds, "cancelled", "cancelled")
        _report(task, f"round {rounds + 1} of {task.max_rounds}")
        _report(task, "drafting")
        try:
            reply = client.chat(session.prompt())
        except LLMCancelled:
            return LoopOutcome(best_code, best_result, rounds, "cancelled", "cancelled")
        except LLMError as exc:
            return LoopOutcome(best_code, best_result, rounds, "endpoint_error", f"Solver: {exc}")
        rounds += 1
        extracted = extract_code(reply.content, language, task.entry)
        meta = dict(model=reply.model, seconds=reply.seconds, prompt_tokens=reply.prompt_tokens,
                    completion_tokens=reply.completion_tokens)
        if extracted is None or extracted.truncated:
            # No code, or code cut off mid-block: a reply to answer, not something to compile.
            session.say("assistant", "solver", reply.content, **meta)
            if rounds < task.max_rounds:
                _send_questions(task, session, no_code_questions(language, truncated_hint=extracted is not None))
            continue
        try:
            result = verifier(extracted.code)
        except Exception as exc:  # the engine promises a result; anything else is reported, not raised
            return LoopOutcome(best_code, best_result, rounds, "verifier_error",
                               f"verification failed: {exc.__class__.__name__}: {exc}")
        session.say("assistant", "solver", reply.content, code=extracted.code, feedback=result.to_dict(), **meta)
        if result.message == "cancelled" or cancel.is_set():
            return LoopOutcome(extracted.code, result, rounds, "cancelled", "cancelled")
        best_code, best_result = extracted.code, result
        if result.ok:
            if last_code is not None and last_digest is not None:
                fixed = extracted.code
                session.record(lambda store: store.add_fix(task.pair, task.source_code, last_code, last_digest, fixed,
                                                           origin="loop", source_path=str(task.source),
                                                           dialogue_id=session.dialogue_id))
            return LoopOutcome(extracted.code, result, rounds, "verified",
                               f"verified equivalent after {rounds} Solver round(s)")
        stop = dead_end(result, task.source, task.candidate_name)
        if stop is not None:
            stop.code, stop.rounds = extracted.code, rounds
            return stop
        if rounds >= task.max_rounds:
            break
        try:
            questions = _ask(task, client, extracted.code, result)
        except LLMCancelled:
            return LoopOutcome(best_code, best_result, rounds, "cancelled", "cancelled")
        _send_questions(task, session, questions)
        last_code, last_digest = extracted.code, questions.digest

    if best_code is None:
        return LoopOutcome(None, None, rounds, "no_code",
                           f"the Solver gave no usable code in {rounds} round(s)")
    why = best_result.message if best_result and best_result.message else (best_result.verdict if best_result else "")
    return LoopOutcome(best_code, best_result, rounds, "not_verified",
                       f"not verified after {rounds} Solver round(s) (max rounds reached): {why}")


def _ask(task: LoopTask, client: ChatClient, code: str, result: VerifyResult) -> Questions:
    _report(task, "questioning")
    if task.questioner == "llm":
        try:
            return llm_questions(client, task.prompts, task.settings.questioner, task.source_code, code, result)
        except LLMError as exc:
            # The deterministic questions still carry every fact; say that the model was not used.
            fallback = rules_questions(result, code)
            fallback.text += f"\n\n(The Questioner model was unavailable: {exc}; these questions are rule-based.)"
            return fallback
    return rules_questions(result, code)


LANGUAGE_NAMES = {"fortran": "Fortran", "cpp": "C++", "cuda": "CUDA", "python": "Python"}


def _send_questions(task: LoopTask, session: _Session, questions: Questions) -> None:
    context = bug_context(task.store, task.pair, questions.digest, task.language)
    source_name = LANGUAGE_NAMES.get(task.pair.split("->")[0], "source")
    headline = ("Your reply did not contain a complete translation." if questions.kind == "no_code"
                else f"Your translation is not yet equivalent to the {source_name} source.")
    content = task.prompts.render("repair", headline=headline, questions=questions.text,
                                  language=task.language) + context
    session.say("user", "questioner", content, model=questions.model, seconds=questions.seconds,
                prompt_tokens=questions.prompt_tokens, completion_tokens=questions.completion_tokens)
