"""`transverify translate SOURCE --to TARGET`: rules and/or the Questioner-Solver loop, verified.

Exit 0 verified equivalent (written to -o or beside the source), 1 translated
but not verified (still written, so it can be inspected; the report says why;
an existing file is replaced by an unverified translation only with --force),
2 unsupported constructs / bad input / LLM needed but not configured or unreachable /
an output that must not be replaced (nothing written), 130 interrupted with Ctrl-C or SIGTERM (the dialogue is kept as cancelled; TVM tuning stops).
With --solver auto and --to cpu, the TVM CPU equivalent is offered beside the result
(translators/alternatives.py); the offer never changes the exit code.
"""

from __future__ import annotations

import json
import signal
import sys
import threading
from pathlib import Path

import typer


def register(app: typer.Typer) -> None:
    @app.command("translate")
    def translate_command(
        source: Path = typer.Argument(..., help="The file to translate (e.g. a Fortran file)."),
        to: str = typer.Option(..., "--to", help="Target: cpp, cuda, cpu or jax."),
        entry: str = typer.Option(None, "--entry", help="Procedure or host function to translate and test."),
        solver: str = typer.Option("auto", "--solver", help="auto (rules, then LLM; with --to cpu the TVM "
                                                            "equivalent is offered too), rules, llm, or tvm (--to cpu)."),
        questioner: str = typer.Option("rules", "--questioner", help="rules (deterministic) or llm."),
        max_rounds: int = typer.Option(3, "--max-rounds", min=1, max=50, help="Most Solver answers in the LLM loop."),
        model: str = typer.Option(None, "--model", help="Solver model (else TRANSVERIFY_MODEL or the config file)."),
        questioner_model: str = typer.Option(None, "--questioner-model", help="Questioner model (default: --model)."),
        base_url: str = typer.Option(None, "--base-url", help="OpenAI-compatible endpoint, e.g. http://localhost:11434/v1."),
        api_key_env: str = typer.Option(None, "--api-key-env", help="Environment variable holding the API key."),
        output: Path = typer.Option(None, "-o", "--output", help="Where to write the translation (default: beside SOURCE)."),
        force: bool = typer.Option(False, "--force", help="Replace an existing file even with an unverified translation."),
        json_output: bool = typer.Option(False, "--json", help="Print one JSON object instead of a report."),
        records: Path = typer.Option(None, "--records", help="Record store (default: TRANSVERIFY_RECORDS, config, per-user)."),
        no_capture: bool = typer.Option(False, "--no-capture", help="Do not record this translation's dialogue."),
        cases: int = typer.Option(8, "--cases", min=1, max=10000, help="Generated input cases per verification."),
        seed: int = typer.Option(0, "--seed", help="Seed of the input generator."),
        timeout: float = typer.Option(10.0, "--timeout", min=0.1, help="Wall-clock seconds allowed per program run."),
        shape: list[str] = typer.Option(None, "--shape", metavar="NAME=EXPR",
                                        help="Extent of an array parameter for the verification, e.g. x=n."),
        value: list[str] = typer.Option(None, "--value", metavar="NAME=V",
                                        help="Pin a scalar parameter in every verification case, e.g. k=3."),
        include: list[Path] = typer.Option(None, "-I", "--include", metavar="DIR",
                                           help="Directory searched for INCLUDE files, used modules and called "
                                                "procedures (Fortran; repeatable)."),
        trials: int = typer.Option(0, "--trials", min=0, help="--solver tvm: MetaSchedule trials (0: default schedule)."),
        tune_seconds: float = typer.Option(None, "--tune-seconds", min=1, help="--solver tvm: most seconds of tuning."),
        measure: bool = typer.Option(None, "--measure/--no-measure",
                                     help="--solver tvm: time the result against naive serial/OpenMP translations "
                                          "(and OpenBLAS for GEMM); default: when tuning."),
        fast_math: bool = typer.Option(False, "--fast-math",
                                       help="TVM translations (--solver tvm, or auto's TVM alternative): build, "
                                            "verify and time the C++ with -O3 -march=native -ffast-math."),
        alternatives: bool = typer.Option(True, "--alternatives/--no-alternatives",
                                          help="--solver auto: also offer other solvers' verified translations "
                                               "(CUDA -> CPU: the TVM equivalent, default schedule, written "
                                               "beside the output as *_tvm.cpp)."),
    ) -> None:
        """Translate SOURCE, verify the result, and repair it with an LLM when one is configured."""
        from ..translators.llm import ConfigError, resolve_settings
        from ..translators.pipeline import TranslateRequest, translate
        from ..translators.records import RecordStore, RecordStoreError
        from ..verify import VerifyOptions

        def fail(message: str) -> None:
            if json_output:
                typer.echo(json.dumps({"verdict": None, "exit_code": 2, "message": message}))
            else:
                typer.echo(f"error: {message}", err=True)
            raise typer.Exit(2)

        shapes = _assignments(shape or [], "--shape")
        values = _assignments(value or [], "--value")
        if isinstance(shapes, str) or isinstance(values, str):
            fail(shapes if isinstance(shapes, str) else values)
            return
        try:
            settings = resolve_settings(base_url=base_url, model=model, questioner_model=questioner_model,
                                        api_key_env=api_key_env)
            store = RecordStore.open(records, enabled=False if no_capture else None)
        except (ConfigError, RecordStoreError) as exc:
            fail(str(exc))
            return
        if api_key_env and settings.api_key is None:
            fail(f"--api-key-env {api_key_env}: that environment variable is not set")

        def progress(message: str) -> None:
            if not json_output:
                typer.echo(f"  … {message}", err=True)

        cancel = threading.Event()
        request = TranslateRequest(
            source=source, target=to, entry=entry, solver=solver, questioner=questioner, max_rounds=max_rounds,
            llm=settings, output=output, store=store, progress=progress, write_output=True, accept_verified=True,
            force=force, cancel=cancel,
            verify_options=VerifyOptions(entry=entry, cases=cases, seed=seed, timeout=timeout, shapes=shapes,
                                         values=values, include_dirs=list(include or [])),
            tvm_trials=trials, tvm_tune_seconds=tune_seconds, tvm_measure=measure, tvm_fast_math=fast_math,
            alternatives=alternatives)
        previous = signal.signal(signal.SIGINT, _interrupt_handler(cancel))
        previous_term = signal.signal(signal.SIGTERM, _interrupt_handler(cancel))  # e.g. an editor's stop
        try:
            outcome = translate(request)
        finally:
            signal.signal(signal.SIGINT, previous)
            signal.signal(signal.SIGTERM, previous_term)
            store.close()
        if cancel.is_set():
            # Ctrl-C: the loop stopped at once and recorded the dialogue as cancelled.
            outcome.exit_code = INTERRUPTED
        _warn_records_once(outcome)
        if json_output:
            typer.echo(json.dumps(_strict(outcome.to_dict()), default=str))
        else:
            _report(outcome, source)
        raise typer.Exit(outcome.exit_code)


INTERRUPTED = 130  # the shell's convention for SIGINT
RECORD_WARNING = "records are"  # "records are not captured: ..." / "records are no longer captured: ..."


def _warn_records_once(outcome) -> None:
    """A store that cannot be written is said once on stderr (also with --json); the translation goes on."""
    record_warnings = [w for w in outcome.warnings if w.startswith(RECORD_WARNING)]
    if record_warnings:
        typer.echo(f"warning: {record_warnings[0]}", err=True)
        outcome.warnings = [w for w in outcome.warnings if not w.startswith(RECORD_WARNING)] + record_warnings[:1]


def _assignments(items: list[str], flag: str) -> dict[str, str] | str:
    """['x=n', 'k=3'] -> {'x': 'n', 'k': '3'}, or the usage error (as verify reports it)."""
    out: dict[str, str] = {}
    for item in items:
        name, sep, expr = item.partition("=")
        if not sep or not name.strip() or not expr.strip():
            return f"{flag}: expected NAME=EXPR, got '{item}'"
        out[name.strip()] = expr.strip()
    return out


def _interrupt_handler(cancel: threading.Event):
    """First Ctrl-C cancels cleanly (compilers and LLM calls stop, records are closed);
    a second one interrupts at once."""
    def handler(signum, frame):
        if cancel.is_set():
            raise KeyboardInterrupt
        cancel.set()
        typer.echo("interrupted: stopping (Ctrl-C again to abort at once)", err=True)
    return handler


def _strict(value):
    from ..verify.result import _strict as strict

    return strict(value)


def _report(outcome, source: Path) -> None:
    from ..output import print_result

    status = {0: "verified", 1: "NOT verified", 2: "not translated", INTERRUPTED: "interrupted"}[outcome.exit_code]
    typer.echo(f"{status}: {outcome.message}")
    if outcome.result is not None and outcome.exit_code != 0:
        print_result(outcome.result, source, outcome.output or Path("candidate"))
    if outcome.details:
        typer.echo(outcome.details)
    if outcome.written:
        note = "" if outcome.exit_code == 0 else " (unverified: inspect before use)"
        typer.echo(f"wrote {outcome.output}{note}")
    typer.echo(f"solver: {outcome.solver_used}, rounds: {outcome.rounds}"
               + (f", dialogue {outcome.dialogue_id}" if outcome.dialogue_id else ""))
    for alternative in outcome.alternatives or []:
        typer.echo(_alternative_line(alternative))
    for note in outcome.notes:
        typer.echo(f"note: {note}")
    for warning in outcome.warnings:
        if not warning.startswith(RECORD_WARNING):  # already said by _warn_records_once
            typer.echo(f"warning: {warning}", err=True)
    sys.stdout.flush()


def _alternative_line(alternative) -> str:
    """`also offered (tvm): verified, wrote k_cpu_tvm.cpp; 2.10x naive OpenMP`"""
    state = {0: "verified", 1: "NOT verified"}.get(alternative.exit_code, "not translated")
    where = f"wrote {alternative.path}" if alternative.written else alternative.message
    names = {"vs_serial": "naive serial", "vs_openmp": "naive OpenMP", "vs_openblas": "OpenBLAS"}
    ratios = ", ".join(f"{ratio:.2f}x {names.get(key, key)}" for key, ratio in alternative.speedup.items())
    return f"also offered ({alternative.solver}): {state}, {where}" + (f"; {ratios}" if ratios else "")
