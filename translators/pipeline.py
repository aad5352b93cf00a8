"""One translation, end to end: rules draft -> verify -> Questioner-Solver loop.

`translate()` is what the CLI and the language server call.  It never raises
for user errors: every outcome, bad input included, comes back as a
TranslateOutcome with the exit code of the `translate` command:
  0  the translation is verified equivalent
  1  translated but not verified (the reason is in `message` and `result`)
  2  nothing to offer: unsupported constructs (listed in `unsupported`), bad
     input, or an LLM that is needed but not configured or not reachable
"""

from __future__ import annotations

import dataclasses
import threading
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from ..verify import VerifyOptions
from ..verify.engine import max_input_bytes
from ..verify.languages import language_of
from ..verify.pairs import available_pairs, find_pair
from ..verify.result import ERROR, VerifyResult
from .answer_record import record_one_answer
from .llm import ConfigError, LLMSettings, guidance, resolve_settings
from .loop import templates
from .loop.refine import LoopTask, dead_end, run_loop, verify_in_user_terms
from .loop.workspace import recover_interrupted
from .output_file import OutputRefused, check_replaceable, write_text
from .records import RecordStore, RecordStoreError
from .registry import RuleDraft, RulesUnavailable, Unsupported, has_rules, run_rules

# target -> (language of the translation, file suffix, stem suffix)
TARGETS: dict[str, tuple[str, str, str]] = {
    "cpp": ("cpp", ".cpp", ""),
    "cuda": ("cuda", ".cu", ""),
    "cpu": ("cpp", ".cpp", "_cpu"),
    "jax": ("python", ".py", "_jax"),
}
# target -> the source languages it translates from
SOURCES: dict[str, tuple[str, ...]] = {"cpp": ("fortran",), "cuda": ("cpp",), "cpu": ("cuda",), "jax": ("python",)}
# prompt language tags of the code asked for
FENCE_LANGUAGE = {"cpp": "cpp", "cuda": "cuda", "python": "python"}


@dataclass
class TranslateRequest:
    source: Path
    target: str  # "cpp" | "cuda" | "cpu" | "jax"
    entry: str | None = None
    solver: str = "auto"  # "auto" | "rules" | "llm" | "tvm" (CUDA -> CPU through TVM)
    questioner: str = "rules"  # "rules" | "llm"
    max_rounds: int = 3
    llm: LLMSettings | None = None  # None = resolve from env / config file
    output: Path | None = None  # where the translation will live (default: beside source)
    seed_candidate: str | None = None  # start the loop from this code (editor quick fix)
    seed_result: VerifyResult | None = None
    verify_options: VerifyOptions = field(default_factory=VerifyOptions)
    cancel: threading.Event | None = None  # set() stops compilers and LLM calls promptly
    progress: Callable[[str], None] | None = None  # "drafting", "compiling", "testing", "round 2 of 3"
    store: RecordStore | None = None  # None = RecordStore.open() (respects opt-out)
    # Beyond the contract:
    write_output: bool = False  # write the code to `output` (exit 0, and exit 1 when there is code)
    accept_verified: bool = False  # a verified, written translation counts as accepted (the CLI)
    force: bool = False  # write_output may replace an existing file with an unverified translation
    tvm_trials: int = 0  # --solver tvm: MetaSchedule trials (0: the default schedule only)
    tvm_tune_seconds: float | None = None  # --solver tvm: stop tuning after this many seconds
    tvm_measure: bool | None = None  # --solver tvm: time against naive translations (None: when tuning)
    tvm_fast_math: bool = False  # TVM translations: built, verified and timed with -ffast-math (docs/tvm.md)
    # TVM translations: integer sizes to tune and time at, without pinning the verifier's cases
    # (the editor's tvm.shape; a --value pin of the same name wins). Others are 256.
    tvm_shape: dict[str, str] = field(default_factory=dict)
    # --solver auto: offer other solvers' translations too (translators/alternatives.py). Off for API
    # callers unless asked (an editor decides when to spend the time); the CLI asks by default.
    alternatives: bool = False


@dataclass
class TranslateOutcome:
    code: str | None
    exit_code: int  # 0 verified, 1 translated but not verified, 2 unsupported / bad input / no endpoint
    result: VerifyResult | None  # the last verification
    unsupported: list  # [Unsupported(line, construct, message)] from the rules
    dialogue_id: str | None  # the record-store id of this translation's dialogue
    rounds: int
    solver_used: str  # "rules" | "llm"
    message: str  # one-line human summary
    # Beyond the contract:
    output: Path | None = None  # where the code was (or would be) written
    written: bool = False
    details: str = ""  # multi-line explanation (what to configure, what the rules could not do)
    warnings: list[str] = field(default_factory=list)
    retries: list[dict] = field(default_factory=list)  # LLM retries: agent, attempt, reason, delay (s)
    events: list[dict] = field(default_factory=list)  # loop events: truncations, repeats, an early stop
    tvm: dict | None = None  # --solver tvm: tuning shape, trials, cache use, measured speed-ups (docs/tvm.md)
    # --solver auto, for pairs that have them: other solvers' translations (alternatives.Alternative)
    alternatives: list | None = None
    notes: list[str] = field(default_factory=list)  # what was not done and why (e.g. an alternative not offered)

    @property
    def verdict(self) -> str | None:
        return self.result.verdict if self.result else None

    def to_dict(self) -> dict:
        return {
            "verdict": self.verdict, "exit_code": self.exit_code,
            "output": str(self.output) if self.output else None, "written": self.written,
            "solver_used": self.solver_used, "rounds": self.rounds,
            "unsupported": [{"line": u.line, "construct": u.construct, "message": u.message}
                            for u in self.unsupported],
            "result": self.result.to_dict() if self.result else None, "dialogue_id": self.dialogue_id,
            "message": self.message, "details": self.details, "warnings": self.warnings,
            "retries": self.retries, "events": self.events,
            **({"tvm": self.tvm} if self.tvm is not None else {}),
            **({"alternatives": [a.to_dict() for a in self.alternatives]} if self.alternatives is not None else {}),
            "notes": self.notes,
        }


def output_path_for(source: Path, target: str) -> Path:
    """foo.f90 -> foo.cpp, x.cpp -> x.cu, k.cu -> k_cpu.cpp, m.py -> m_jax.py"""
    source = Path(source)
    if target not in TARGETS:
        raise ValueError(f"unknown target '{target}'; choose one of {', '.join(TARGETS)}")
    _, suffix, stem_suffix = TARGETS[target]
    candidate = source.with_name(source.stem + stem_suffix + suffix)
    if candidate == source:
        candidate = source.with_name(f"{source.stem}_{target}{suffix}")
    return candidate


class _Stop(Exception):
    """Ends a translation early with a ready outcome."""

    def __init__(self, outcome: TranslateOutcome):
        self.outcome = outcome


def _fail(message: str, details: str = "", unsupported: list | None = None, solver: str = "none",
          code: str | None = None, result: VerifyResult | None = None, exit_code: int = 2) -> _Stop:
    return _Stop(TranslateOutcome(code=code, exit_code=exit_code, result=result, unsupported=unsupported or [],
                                  dialogue_id=None, rounds=0, solver_used=solver, message=message, details=details))


def translate(request: TranslateRequest) -> TranslateOutcome:
    try:
        outcome = _translate(request)
    except _Stop as stop:
        outcome = stop.outcome
    except Exception as exc:  # a bug of ours: report it, never a traceback in the user's face
        outcome = TranslateOutcome(code=None, exit_code=2, result=None, unsupported=[], dialogue_id=None, rounds=0,
                                   solver_used="none",
                                   message=f"internal error in transverify: {exc.__class__.__name__}: {exc}",
                                   details=traceback.format_exc(limit=8))
    cancelled = request.cancel is not None and request.cancel.is_set()
    if request.write_output and outcome.code is not None and outcome.exit_code in (0, 1) and outcome.output \
            and not cancelled:
        try:
            check_replaceable(outcome.output, unverified=outcome.exit_code != 0, force=request.force)
            write_text(outcome.output, outcome.code)
            outcome.written = True
        except OutputRefused as exc:
            outcome.details = "\n".join(filter(None, [outcome.message, outcome.details]))
            outcome.exit_code = 2
            outcome.message = str(exc)
        except OSError as exc:
            outcome.exit_code = 2
            outcome.message = f"{outcome.output}: cannot write the translation: {exc.strerror or exc}"
    if request.write_output and outcome.alternatives and not cancelled:
        from .alternatives import write_alternatives

        write_alternatives(outcome.alternatives, outcome.notes)
    if outcome.written and outcome.exit_code == 0 and request.accept_verified and outcome.dialogue_id:
        store = request.store
        if store is not None:
            try:
                store.mark_outcome(outcome.dialogue_id, accepted=True, final_code=outcome.code)
            except RecordStoreError as exc:
                outcome.warnings.append(str(exc))
    return outcome


def _check_input(request: TranslateRequest) -> tuple[str, str, Path]:
    source = Path(request.source)
    if request.target not in TARGETS:
        raise _fail(f"unknown target '{request.target}'; choose one of {', '.join(TARGETS)}")
    if request.solver not in ("auto", "rules", "llm", "tvm"):
        raise _fail(f"unknown solver '{request.solver}'; choose auto, rules, llm or tvm")
    if request.solver == "tvm" and request.target != "cpu":
        raise _fail("--solver tvm translates CUDA to CPU only; use it with --to cpu")
    if request.tvm_fast_math and not (request.target == "cpu" and request.solver in ("tvm", "auto")):
        raise _fail("--fast-math applies to TVM translations: use it with --to cpu and --solver tvm "
                    "(or auto, for the TVM alternative)")
    if request.questioner not in ("rules", "llm"):
        raise _fail(f"unknown questioner '{request.questioner}'; choose rules or llm")
    if request.max_rounds < 1:
        raise _fail("--max-rounds must be at least 1")
    if not source.exists():
        raise _fail(f"{source}: no such file")
    if not source.is_file():
        raise _fail(f"{source}: not a regular file")
    size, limit = source.stat().st_size, max_input_bytes()
    if size > limit:
        raise _fail(f"{source}: the file is {size / 1e6:.1f} MB, above the {limit / 1e6:.1f} MB that transverify "
                    "translates and verifies (set TRANSVERIFY_MAX_INPUT_BYTES to raise the limit)")
    language = language_of(source)
    if language is None:
        raise _fail(f"{source}: unknown source language for suffix '{source.suffix}'")
    if language not in SOURCES[request.target]:
        raise _fail(f"{source}: transverify translates {' or '.join(SOURCES[request.target])} to "
                    f"{request.target}, not {language}")
    output = Path(request.output) if request.output else output_path_for(source, request.target)
    if output.resolve() == source.resolve():
        raise _fail(f"{output}: the output would overwrite the source; choose another -o")
    candidate_language = language_of(output)
    if candidate_language != TARGETS[request.target][0]:
        raise _fail(f"{output}: the output of --to {request.target} needs a {TARGETS[request.target][1]} suffix")
    if find_pair(language, candidate_language) is None:
        pair = "PyTorch -> JAX" if request.target == "jax" else f"{language} -> {request.target}"
        raise _fail(f"{pair} is not supported yet: no verifier for it (available: "
                    f"{', '.join(available_pairs()) or 'none'}); transverify only offers translations it can check")
    return language, candidate_language, output


def _read_source(source: Path) -> str:
    try:
        return source.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise _fail(f"{source}: not UTF-8 text (byte {exc.start})")
    except OSError as exc:
        raise _fail(f"{source}: cannot read: {exc.strerror or exc}")


def _translate(request: TranslateRequest) -> TranslateOutcome:
    language, candidate_language, output = _check_input(request)
    source = Path(request.source)
    source_code = _read_source(source)
    pair = f"{language}->{candidate_language}"
    try:
        prompts = templates.load(f"{language}_{request.target}")
    except templates.PromptError as exc:
        raise _fail(str(exc))
    # A copy: the caller's options object is not changed behind its back.
    options = dataclasses.replace(request.verify_options, entry=request.verify_options.entry or request.entry,
                                  cancel=request.verify_options.cancel or request.cancel,
                                  progress=request.verify_options.progress or request.progress)
    warnings: list[str] = []
    store = request.store
    if store is None:
        try:
            store = RecordStore.open()
            request.store = store
        except (RecordStoreError, ConfigError) as exc:
            warnings.append(f"records are not captured: {exc}")
    # Loops killed earlier (kill -9, a crash) left a `running` dialogue and a temporary folder.
    try:
        recover_interrupted(store)
    except Exception as exc:  # clean-up after others must never stop this translation
        warnings.append(f"could not clean up after an interrupted translation: {exc}")

    def finish(outcome: TranslateOutcome) -> TranslateOutcome:
        outcome.output = output
        outcome.warnings = warnings + outcome.warnings
        if request.solver == "auto":  # other solvers' translations, offered beside this one
            from .alternatives import offer_alternatives

            outcome.alternatives, notes = offer_alternatives(request, language, output, options, outcome)
            outcome.notes += notes
        return outcome

    if request.solver == "tvm":  # TVM-optimised CPU equivalent (translators/tvm_cpu)
        from .tvm_cpu.solver import solve
        return finish(TranslateOutcome(**solve(request, output, options)))

    settings = request.llm
    if settings is None:
        try:
            settings = resolve_settings()
        except ConfigError as exc:
            raise _fail(str(exc))

    draft: RuleDraft | None = None
    draft_result: VerifyResult | None = None
    seed_code, seed_result, seed_origin = request.seed_candidate, request.seed_result, "editor"
    use_rules = request.seed_candidate is None and request.solver in ("auto", "rules") and \
        has_rules(language, request.target)
    if request.solver == "rules" and not has_rules(language, request.target):
        raise _fail(f"no rule-based translator for {language} -> {request.target}; use --solver llm")

    if use_rules:
        draft, draft_result = _rules_draft(request, language, source, output, options)
        rules_outcome = _rules_outcome(draft, draft_result)
        # A draft the verifier cannot judge (e.g. the source does not compile) stops here too:
        # no LLM answer could be verified either.
        unjudgeable = draft_result is not None and dead_end(draft_result, source, output.name) is not None
        ends_here = rules_outcome.exit_code == 0 or request.solver == "rules" or not settings.configured or unjudgeable
        if ends_here and store is not None:
            try:
                rules_outcome.dialogue_id = _record_rules(store, request, prompts, source, source_code,
                                                          output, draft, draft_result)
            except RecordStoreError as exc:
                warnings.append(f"records are not captured: {exc}")
        if rules_outcome.exit_code == 0 or request.solver == "rules" or unjudgeable:
            return finish(rules_outcome)
        if not settings.configured:
            rules_outcome.message += "; no LLM is configured to continue"
            rules_outcome.details = "\n".join(filter(None, [rules_outcome.details, "Missing: " +
                                                            "; ".join(settings.missing()), guidance()]))
            return finish(rules_outcome)
        seed_code, seed_result, seed_origin = draft.code, draft_result, "rules"
    elif not settings.configured:
        reason = ("the LLM Solver was requested" if request.solver == "llm" or request.seed_candidate is not None
                  else f"there are no translation rules for {language} -> {request.target}")
        raise _fail(f"cannot translate: {reason} but no LLM endpoint is configured",
                    details="Missing: " + "; ".join(settings.missing()) + "\n" + guidance())

    handover = ""
    if draft is not None and draft.unsupported:
        handover = ("\nThe rule-based translator could not translate these constructs; translate them yourself:\n"
                    + "\n".join(f"- {u.describe()}" for u in draft.unsupported) + "\n")
    task = LoopTask(source=source, source_code=source_code, pair=pair,
                    language=FENCE_LANGUAGE[candidate_language], candidate_name=output.name,
                    entry=request.entry, prompts=prompts, settings=settings, max_rounds=request.max_rounds,
                    questioner=request.questioner, verify_options=options, store=store, cancel=request.cancel,
                    progress=request.progress, seed_code=seed_code, seed_result=seed_result,
                    seed_origin=seed_origin, handover_note=handover)
    loop = run_loop(task)
    unsupported = draft.unsupported if draft else []
    solver_used = "llm" if loop.rounds > 0 or draft is None else "rules"
    rounds = loop.rounds + (1 if draft is not None and draft.code is not None else 0)
    outcome = TranslateOutcome(code=loop.code, exit_code=1, result=loop.result, unsupported=unsupported,
                               dialogue_id=loop.dialogue_id, rounds=rounds, solver_used=solver_used,
                               message=loop.message, warnings=loop.warnings, retries=loop.retries,
                               events=loop.events)
    if loop.status == "verified":
        outcome.exit_code = 0
        outcome.unsupported = []  # the LLM covered what the rules could not
    elif loop.status in ("source_error", "verifier_error", "context_error"):
        outcome.exit_code = 2
    elif loop.status == "endpoint_error":
        # The LLM was needed and is gone: nothing is offered, whether it never answered or stopped mid-loop.
        outcome.exit_code = 2
        outcome.code = None
        if loop.endpoint_answered:
            outcome.details = ("The endpoint answered earlier in this translation, so the settings are right: check "
                               "that the server is still running and reachable, then translate again."
                               + (f" The dialogue so far is kept in the record store ({loop.dialogue_id})."
                                  if loop.dialogue_id else ""))
        else:
            outcome.details = guidance()
    elif loop.code is None:
        outcome.exit_code = 2 if unsupported else 1
    if draft is not None and draft.unsupported and outcome.exit_code != 0:
        outcome.details = "\n".join(filter(None, ["Not covered by the rules:"] +
                                           [f"  {u.describe()}" for u in draft.unsupported] + [outcome.details]))
    return finish(outcome)


def _rules_draft(request: TranslateRequest, language: str, source: Path, output: Path, options: VerifyOptions
                 ) -> tuple[RuleDraft, VerifyResult | None]:
    """Translate with the rules and verify the draft."""
    if request.progress:
        request.progress("drafting")
    try:
        draft = run_rules(language, request.target, source, request.entry, options.shapes, options.values,
                          options.include_dirs)
    except RulesUnavailable as exc:
        draft = RuleDraft(code=None, unsupported=[], notes=[str(exc)])
    except Exception as exc:  # a rules bug must not stop the LLM from trying
        draft = RuleDraft(code=None, unsupported=[Unsupported(None, "translator error",
                                                              f"{exc.__class__.__name__}: {exc}")])
    result = None
    if draft.code is not None:
        result = _verify_text(source, draft.code, output.name, options)
    if result is not None and not result.ok and draft.fallback is not None and \
            dead_end(result, source, output.name) is None:
        literal = _verify_text(source, draft.fallback.code, output.name, options)
        if literal.ok:
            reason = result.message.splitlines()[0] if result.message else result.verdict
            draft = RuleDraft(code=draft.fallback.code, unsupported=draft.fallback.unsupported,
                              notes=draft.fallback.notes + [f"the idiom translation did not verify ({reason}); "
                                                            "the literal translation is used"])
            result = literal
    return draft, result


def _record_rules(store: RecordStore, request: TranslateRequest, prompts: templates.PromptSet,
                  source: Path, source_code: str, output: Path, draft: RuleDraft,
                  result: VerifyResult | None) -> str | None:
    """A rules-only translation is kept as a one-answer dialogue and a code pair."""
    if draft.code is None:
        return None
    return record_one_answer(store, source=source, source_code=source_code, output=output, target=request.target,
                             entry=request.entry, code=draft.code, result=result, agent="rules", prompts=prompts)


def _verify_text(source: Path, code: str, name: str, options: VerifyOptions) -> VerifyResult:
    """Verify a rules draft from a private folder; the result names the user's files."""
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="transverify-draft-"))
    try:
        folder.chmod(0o755)
        return verify_in_user_terms(source, folder, name, code, options)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _rules_outcome(draft: RuleDraft, result: VerifyResult | None) -> TranslateOutcome:
    outcome = TranslateOutcome(code=draft.code, exit_code=1, result=result, unsupported=draft.unsupported,
                               dialogue_id=None, rounds=1 if draft.code is not None else 0,
                               solver_used="rules", message="")
    if draft.unsupported:
        outcome.exit_code = 2
        outcome.code = None  # a partial translation is a hand-over, not a result
        outcome.message = (f"the rules do not cover {len(draft.unsupported)} construct(s): "
                           + "; ".join(u.describe() for u in draft.unsupported[:3])
                           + ("; ..." if len(draft.unsupported) > 3 else ""))
        outcome.details = "\n".join(f"  {u.describe()}" for u in draft.unsupported)
    elif draft.code is None:
        outcome.exit_code = 2
        outcome.message = "the rule-based translator produced nothing: " + "; ".join(draft.notes or ["no reason given"])
    elif result is not None and result.ok:
        outcome.exit_code = 0
        outcome.message = f"verified equivalent on {result.cases} case(s) (rule-based translation)"
    elif result is not None and result.verdict == ERROR and result.stage in ("parse", "compile_source"):
        outcome.exit_code = 2
        outcome.message = f"cannot verify: {result.message}"
    else:
        outcome.message = f"translated by the rules but not verified: {result.message if result else 'no result'}"
    if draft.notes and not draft.unsupported and draft.code is not None:
        # what the rules decided (which loops became kernels, and why others did not)
        outcome.details = "\n".join(filter(None, [outcome.details, "Rules:"] + [f"  {n}" for n in draft.notes]))
    return outcome
