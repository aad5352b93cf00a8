"""The Questioner-Solver loop.

Round by round: the Solver (an LLM) answers, the code is extracted and
verified by the engine, and unless it is equivalent the Questioner turns the
verdict into questions for the next round.  Every turn is stored as soon as it
is complete (one transaction each), so an interrupted loop keeps its history.

Budgets: each Solver request asks for at most `max_tokens` (configured, else sized
to the source) and carries as much history as the context window holds
(budget.py).  A reply cut off at that limit (`finish_reason: length`) is asked
again with a larger limit while the context allows, then continued; a reply that
stays cut off is stored as such and never counts as an answer.  Stagnation
(stagnation.py): a repeated candidate is not verified again, the next question
says so and quotes the calling convention, and two rounds in a row without
progress end the loop early.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable

from ...verify import VerifyOptions
from ...verify.result import ERROR, VerifyResult
from ..llm import ContextOverflow, LLMCancelled, LLMError, LLMSettings
from ..records import RecordStore
from ..whole_file import verify_translation
from .budget import (GROWN_MAX_TOKENS, MIN_REPLY_TOKENS, QUESTIONER_MAX_TOKENS, ContextTooSmall, TokenBudget,
                     default_max_tokens)
from .extract import extract_code
from .llm_questioner import llm_questions
from .questioner import Questions, no_code_questions, rules_questions
from .retrieval import bug_context
from .session import Session
from .stagnation import RoundCheck, Tracker
from .templates import PromptSet
from .user_terms import as_candidate_defect, localise, path_names, without_directories
from .workspace import LoopFolder

if TYPE_CHECKING:
    from ..llm.client import ChatClient, ChatReply


MAX_GROWS = 2  # retries with a doubled max_tokens after `finish_reason: length`
MAX_CONTINUES = 2  # "continue where you stopped" requests after that
CONTINUE = ("Your reply was cut off by the length limit. Continue exactly where it stopped: do not repeat "
            "anything and do not start a new code block.")
LANGUAGE_NAMES = {"fortran": "Fortran", "cpp": "C++", "cuda": "CUDA", "python": "Python"}


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
    # verified | not_verified | no_progress | no_code | endpoint_error | context_error | source_error |
    # verifier_error | cancelled
    status: str
    message: str
    dialogue_id: str | None = None
    warnings: list[str] = field(default_factory=list)
    endpoint_answered: bool = False  # the endpoint gave at least one complete reply
    retries: list[dict[str, Any]] = field(default_factory=list)  # the client's retries and back-offs
    events: list[dict[str, Any]] = field(default_factory=list)  # truncations, repeats, early stop


def _report(task: LoopTask, message: str) -> None:
    if task.progress is not None:
        task.progress(message)


def _fence(code: str, language: str) -> str:
    return f"```{language}\n{code.rstrip()}\n```"


def _round_name(number: int) -> str:
    return "the starting code" if number == 0 else f"round {number}"


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


def verify_in_user_terms(task_source: Path, folder: Path, candidate_name: str, code: str,
                         options: VerifyOptions) -> VerifyResult:
    """Verify `code` as `candidate_name` from `folder`; the result names the user's files, not the folder."""
    path = folder / candidate_name
    path.write_text(code, encoding="utf-8")
    path.chmod(0o644)
    raw = verify_translation(task_source, path, options)
    return as_candidate_defect(localise(raw, path_names(folder, candidate_name, task_source)), candidate_name)


def run_loop(task: LoopTask) -> LoopOutcome:
    cancel = task.cancel or threading.Event()
    from ..llm.client import ChatClient  # loads openai only when an LLM is really called

    folder = LoopFolder()
    try:
        session = Session(task)
        folder.claim(session.dialogue_id, task.store)
        client = ChatClient(task.settings, cancel=cancel, progress=task.progress)
        run = _Run(task, session, client, folder, cancel)
        try:
            outcome = run.loop()
        finally:
            client.close()
    finally:
        folder.close()
    verdict = outcome.result.verdict if outcome.result else None
    session.record(lambda store: store.finish_dialogue(session.dialogue_id, outcome.status, verdict, outcome.code,
                                                       outcome.rounds))
    if outcome.code is not None:
        session.record(lambda store: store.add_code_pair(task.pair, task.source_code, outcome.code, verdict, "llm",
                                                         task.source, session.dialogue_id))
    outcome.dialogue_id = session.dialogue_id
    outcome.warnings = session.warnings
    outcome.endpoint_answered = client.answered > 0
    outcome.retries = client.retries
    outcome.events = run.events
    return outcome


class _Run:
    def __init__(self, task: LoopTask, session: Session, client: "ChatClient", folder: LoopFolder,
                 cancel: threading.Event):
        self.task, self.session, self.client, self.folder, self.cancel = task, session, client, folder, cancel
        self.tracker = Tracker(task.settings.temperature)
        self.events: list[dict[str, Any]] = []
        self._budget: TokenBudget | None = None
        self.rounds = 0
        self.truncated_at: int | None = None  # max_tokens of the latest reply that stayed cut off

    @property
    def budget(self) -> TokenBudget:
        """Made on first use: reading the context window is a request to the server."""
        if self._budget is None:
            self._budget = TokenBudget(self.client.context_window(),
                                       self.task.settings.max_tokens or default_max_tokens(self.task.source_code))
        return self._budget

    def verify(self, code: str) -> VerifyResult:
        _report(self.task, "compiling")
        return verify_in_user_terms(self.task.source, self.folder.path, self.task.candidate_name, code,
                                    self.task.verify_options)

    def outcome(self, code: str | None, result: VerifyResult | None, status: str, message: str) -> LoopOutcome:
        return LoopOutcome(code, result, self.rounds, status, message)

    # -- the loop ------------------------------------------------------------------------

    def loop(self) -> LoopOutcome:
        task, session = self.task, self.session
        language = task.language
        session.say("system", "system", task.prompts.render("solver_system"))
        session.say("user", "task", task.prompts.render(
            "solver_task", source=task.source_code.rstrip(), source_file=task.source.name,
            scope=task.prompts.scope(task.entry), draft=task.handover_note,
            bug_context=bug_context(task.store, task.pair, task.source_code, task.language, limit=1, by="source")))

        best_code, best_result = task.seed_code, task.seed_result
        last_code, last_digest = None, None
        if task.seed_code is not None:
            if best_result is None:
                best_result = self.verify(task.seed_code)
            else:  # verified by the caller (the editor) at the user's own paths
                best_result = as_candidate_defect(without_directories(
                    best_result, [task.candidate_name, task.source.name]), task.candidate_name)
            session.say("assistant", task.seed_origin, _fence(task.seed_code, language), code=task.seed_code,
                        feedback=best_result.to_dict())
            if best_result.ok:
                return self.outcome(task.seed_code, best_result, "verified", "the starting code verifies")
            if best_result.message == "cancelled" or self.cancel.is_set():
                return self.outcome(task.seed_code, best_result, "cancelled", "cancelled")
            stop = dead_end(best_result, task.source, task.candidate_name)
            if stop is not None:
                stop.code = task.seed_code
                return stop
            self.tracker.record(0, task.seed_code, best_result)
            try:
                questions = self.ask(task.seed_code, best_result, RoundCheck(progress=True))
            except LLMCancelled:
                return self.outcome(best_code, best_result, "cancelled", "cancelled")
            self.send_questions(questions)
            last_code, last_digest = task.seed_code, questions.digest

        while self.rounds < task.max_rounds:
            if self.cancel.is_set():
                return self.outcome(best_code, best_result, "cancelled", "cancelled")
            _report(task, f"round {self.rounds + 1} of {task.max_rounds}")
            _report(task, "drafting")
            try:
                reply, limit = self.solver_reply()
            except LLMCancelled:
                return self.outcome(best_code, best_result, "cancelled", "cancelled")
            except ContextTooSmall as exc:
                return self.outcome(best_code, best_result, "context_error", f"cannot ask the Solver: {exc}")
            except LLMError as exc:
                if self.client.answered:
                    message = (f"the endpoint {task.settings.base_url} stopped answering after {self.rounds} "
                               f"round(s): {exc}")
                else:
                    message = f"Solver: {exc}"
                return self.outcome(best_code, best_result, "endpoint_error", message)
            self.rounds += 1
            meta = dict(model=reply.model, seconds=reply.seconds, prompt_tokens=reply.prompt_tokens,
                        completion_tokens=reply.completion_tokens)
            if reply.truncated:
                # Still cut off after the retries: an incomplete answer, stored as such and never final.
                session.say("assistant", "solver", reply.content, feedback={
                    "truncated": True, "finish_reason": "length", "max_tokens": limit}, **meta)
                self.truncated_at = limit
                self.event("truncated", f"the Solver's reply was cut off at max_tokens={limit} "
                                        "(finish_reason: length)")
                if self.rounds < task.max_rounds:
                    self.send_questions(no_code_questions(language, truncated_hint=True, max_tokens=limit))
                continue
            extracted = extract_code(reply.content, language, task.entry)
            if extracted is None or extracted.truncated:
                # No code, or code cut off mid-block: a reply to answer, not something to compile.
                session.say("assistant", "solver", reply.content, **meta)
                if self.rounds < task.max_rounds:
                    self.send_questions(no_code_questions(language, truncated_hint=extracted is not None))
                continue
            code = extracted.code
            earlier = self.tracker.earlier(code)
            if earlier is not None:
                result = earlier[1]
                self.event("repeat", f"the Solver repeated the code of {_round_name(earlier[0])}; "
                                     "not verified again")
            else:
                try:
                    result = self.verify(code)
                except Exception as exc:  # the engine promises a result; anything else is reported, not raised
                    return self.outcome(best_code, best_result, "verifier_error",
                                        f"verification failed: {exc.__class__.__name__}: {exc}")
            session.say("assistant", "solver", reply.content, code=code, feedback=result.to_dict(), **meta)
            if result.message == "cancelled" or self.cancel.is_set():
                return self.outcome(code, result, "cancelled", "cancelled")
            best_code, best_result = code, result
            if result.ok:
                if last_code is not None and last_digest is not None:
                    before, digest = last_code, last_digest
                    session.record(lambda store: store.add_fix(
                        task.pair, task.source_code, before, digest, code, origin="loop",
                        source_path=str(task.source), dialogue_id=session.dialogue_id))
                return self.outcome(code, result, "verified",
                                    f"verified equivalent after {self.rounds} Solver round(s)")
            stop = dead_end(result, task.source, task.candidate_name)
            if stop is not None:
                stop.code, stop.rounds = code, self.rounds
                return stop
            check = self.tracker.record(self.rounds, code, result)
            if self.tracker.stuck:
                why = "; ".join(self.tracker.notes[-2:])
                self.event("no_progress", why)
                return self.outcome(code, result, "no_progress",
                                    f"stopped early after {self.rounds} Solver round(s): two rounds in a row "
                                    f"made no progress ({why}): {result.message or result.verdict}")
            if self.rounds >= task.max_rounds:
                break
            try:
                questions = self.ask(code, result, check)
            except LLMCancelled:
                return self.outcome(best_code, best_result, "cancelled", "cancelled")
            self.send_questions(questions)
            last_code, last_digest = code, questions.digest

        if best_code is None:
            if self.truncated_at:
                return self.outcome(None, None, "no_code", f"the Solver's reply was cut off at max_tokens="
                                    f"{self.truncated_at} (finish_reason: length): no complete code in "
                                    f"{self.rounds} round(s); raise [llm] max_tokens or use a model with a "
                                    "larger context")
            return self.outcome(None, None, "no_code", f"the Solver gave no usable code in {self.rounds} round(s)")
        why = best_result.message if best_result and best_result.message else \
            (best_result.verdict if best_result else "")
        return self.outcome(best_code, best_result, "not_verified",
                            f"not verified after {self.rounds} Solver round(s) (max rounds reached): {why}")

    def event(self, kind: str, detail: str, during: bool = False) -> None:
        """Note an event of the round just answered (or, `during`, of the one being asked)."""
        self.events.append({"round": self.rounds + (1 if during else 0), "event": kind, "detail": detail})
        _report(self.task, detail)

    # -- the Solver ----------------------------------------------------------------------

    def solver_reply(self) -> tuple["ChatReply", int]:
        """The Solver's answer to the current history, and the max_tokens it ended with: asked
        again with a larger limit when cut off, then continued, as far as the context allows."""
        budget = self.budget
        fitted = self.session.fit(budget)
        for attempt in range(2):
            try:
                reply = self.client.chat(fitted.messages, max_tokens=fitted.max_tokens,
                                         temperature=self.tracker.temperature, agent="solver")
                break
            except ContextOverflow as exc:
                if attempt:
                    raise
                budget.shrink_window(exc.n_ctx, fitted.estimated_tokens)
                self.event("context", f"the server's context is smaller than expected; resending with "
                                      f"a {budget.context_window}-token budget", during=True)
                fitted = self.session.fit(budget)
        if fitted.dropped_rounds:
            _report(self.task, f"sent the source and the latest {len(fitted.messages) // 2 - 1} exchange(s); "
                               f"{fitted.dropped_rounds} older round(s) left out to fit the context")
        budget.observe(fitted.messages, reply.prompt_tokens)
        limit = fitted.max_tokens
        for _ in range(MAX_GROWS):
            if not reply.truncated:
                break
            room = budget.room(fitted.messages)
            bigger = min(2 * limit, GROWN_MAX_TOKENS, room if room is not None else GROWN_MAX_TOKENS)
            if bigger <= limit:
                break
            self.event("truncated", f"the Solver's reply was cut off at max_tokens={limit} (finish_reason: "
                                    f"length); asking again with max_tokens={bigger}", during=True)
            limit = bigger
            reply = self.client.chat(fitted.messages, max_tokens=limit, temperature=self.tracker.temperature,
                                     agent="solver")
        for _ in range(MAX_CONTINUES):
            if not reply.truncated:
                break
            asked = fitted.messages + [{"role": "assistant", "content": reply.content},
                                       {"role": "user", "content": CONTINUE}]
            room = budget.room(asked)
            if room is not None and room < MIN_REPLY_TOKENS:
                break
            self.event("truncated", f"the Solver's reply was cut off at max_tokens={limit} (finish_reason: "
                                    "length); asking it to continue", during=True)
            more = self.client.chat(asked, max_tokens=min(limit, room) if room is not None else limit,
                                    temperature=self.tracker.temperature, agent="solver")
            reply.content += more.content
            reply.finish_reason = more.finish_reason
            reply.seconds = round(reply.seconds + more.seconds, 3)
            reply.completion_tokens = (reply.completion_tokens or 0) + (more.completion_tokens or 0) or None
        return reply, limit

    # -- the Questioner ------------------------------------------------------------------

    def ask(self, code: str, result: VerifyResult, check: RoundCheck) -> Questions:
        _report(self.task, "questioning")
        task = self.task
        questions = None
        if task.questioner == "llm":
            try:
                questions = llm_questions(self.client, task.prompts, task.settings.questioner, task.source_code,
                                          code, result, budget=self.budget, max_tokens=QUESTIONER_MAX_TOKENS)
            except (LLMError, ContextTooSmall) as exc:
                # The deterministic questions still carry every fact; say that the model was not used.
                questions = rules_questions(result, code)
                questions.text += f"\n\n(The Questioner model was unavailable: {exc}; these questions are rule-based.)"
        if questions is None:
            questions = rules_questions(result, code)
        return self.escalate(questions, check)

    def escalate(self, questions: Questions, check: RoundCheck) -> Questions:
        """After a round without progress the question says so and quotes the convention word for word."""
        if check.repeat_of is not None:
            lead = (f"Your code is the same as {_round_name(check.repeat_of)} (comments and whitespace aside), "
                    "so it was not verified again: it fails exactly as before. Do not send it again; change it "
                    "where the points below say.")
        elif check.same_failure_as is not None:
            lead = (f"This fails the same way as {_round_name(check.same_failure_as)}: the change did not reach "
                    "the cause.")
        else:
            return questions
        convention = ("\n\nThe calling convention the verifier checks, exactly:\n" + self.task.prompts.convention)
        questions.preface = lead
        questions.text = questions.text + convention
        return questions

    def send_questions(self, questions: Questions) -> None:
        task = self.task
        context = bug_context(task.store, task.pair, questions.digest, task.language)
        source_name = LANGUAGE_NAMES.get(task.pair.split("->")[0], "source")
        headline = ("Your reply did not contain a complete translation." if questions.kind == "no_code"
                    else f"Your translation is not yet equivalent to the {source_name} source.")
        if questions.preface:
            headline += " " + questions.preface
        body = questions.text
        if questions.mode == "llm":
            # The model's questions never replace the facts: the verifier's digest goes first, verbatim.
            body = f"What the verifier found:\n{questions.digest}\n\nQuestions about it:\n{questions.text}"
        content = task.prompts.render("repair", headline=headline, questions=body, language=task.language) + context
        self.session.say("user", "questioner", content, model=questions.model, seconds=questions.seconds,
                         prompt_tokens=questions.prompt_tokens, completion_tokens=questions.completion_tokens)
