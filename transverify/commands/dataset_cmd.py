"""`transverify dataset build|stats` and `transverify eval`: training data and evaluations
from a whole corpus.

Exit codes of `build`: 0 the run finished (whatever the units' verdicts: they are the data),
2 bad input (no such corpus, an --out holding another dataset without --resume, no Ray
cluster), 130 interrupted (run it again with --resume to continue).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import typer

INTERRUPTED = 130


def register(app: typer.Typer) -> None:
    register_eval(app)
    dataset = typer.Typer(help="Build training datasets from a corpus, and describe them.", no_args_is_help=True)
    app.add_typer(dataset, name="dataset")

    @dataset.command("build")
    def build_command(
        corpus: list[Path] = typer.Argument(..., help="Files and folders to take units from."),
        to: str = typer.Option(..., "--to", help="Target: cpp, cuda, cpu or jax."),
        out: Path = typer.Option(..., "--out", help="Dataset folder (created)."),
        solver: str = typer.Option("auto", "--solver", help="auto (rules, then LLM), rules or llm."),
        questioner: str = typer.Option("rules", "--questioner", help="rules or llm."),
        max_rounds: int = typer.Option(3, "--max-rounds", min=1, max=50, help="Most Solver answers per unit."),
        model: str = typer.Option(None, "--model", help="Solver model (else TRANSVERIFY_MODEL or the config file)."),
        questioner_model: str = typer.Option(None, "--questioner-model", help="Questioner model."),
        base_url: str = typer.Option(None, "--base-url", help="OpenAI-compatible endpoint."),
        api_key_env: str = typer.Option(None, "--api-key-env", help="Environment variable holding the API key."),
        workers: int = typer.Option(max(1, min(4, os.cpu_count() or 1)), "--workers", min=1, max=1024,
                                    help="Units run at once (local processes, or Ray tasks in flight)."),
        engine: str = typer.Option("local", "--engine", help="local (a process pool) or ray (a Ray cluster)."),
        ray_address: str = typer.Option(None, "--ray-address", help="Ray cluster: HOST:PORT or ray://HOST:10001."),
        resume: bool = typer.Option(False, "--resume", help="Continue a dataset in --out after a stop or kill."),
        limit: int = typer.Option(None, "--limit", min=1, help="Take at most N units of the corpus."),
        cases: int = typer.Option(8, "--cases", min=1, max=10000, help="Generated input cases per verification."),
        seed: int = typer.Option(0, "--seed", help="Seed of the input generator."),
        timeout: float = typer.Option(10.0, "--timeout", min=0.1, help="Wall-clock seconds per program run."),
        json_output: bool = typer.Option(False, "--json", help="Print a JSON summary instead of a report."),
    ) -> None:
        """Translate and verify every unit of CORPUS and write a dataset to --out."""
        from ..translators.dataset.build import build_dataset
        from ..translators.dataset.engines import EngineError
        from ..translators.dataset.worker import JobConfig
        from ..translators.dataset.writer import DatasetExists

        settings = _checked_settings(corpus, to, solver, questioner, engine, ray_address, base_url=base_url,
                                     model=model, questioner_model=questioner_model, api_key_env=api_key_env)
        config = JobConfig(target=to, solver=solver, questioner=questioner, max_rounds=max_rounds, cases=cases,
                           seed=seed, timeout=timeout, model=model, questioner_model=questioner_model,
                           base_url=base_url, api_key_env=api_key_env)
        hook, bar = (None, None) if json_output else _progress_bar()
        try:
            report = build_dataset(list(corpus), config, out, workers=workers, engine=engine,
                                   ray_address=ray_address, resume=resume, limit=limit, settings=settings,
                                   progress=hook)
        except (DatasetExists, EngineError, FileNotFoundError) as exc:
            if bar is not None:
                bar.stop()
            _fail(str(exc))
        summary = {"out": str(report.out), "units": report.units, "ran": report.ran,
                   "already_done": report.skipped_done, "duplicates_dropped": report.duplicates,
                   "by_status": report.counts, "files_without_units": report.files_without_units,
                   "interrupted": report.interrupted}
        if json_output:
            typer.echo(json.dumps(summary))
        else:
            counts = ", ".join(f"{k} {v}" for k, v in report.counts.items()) or "no units"
            typer.echo(f"{report.out}: {report.units} unit(s) — {counts}"
                       + (f"; {report.skipped_done} done earlier" if report.skipped_done else "")
                       + (f"; {report.duplicates} duplicate(s) dropped" if report.duplicates else ""))
            for skipped in report.files_without_units[:10]:
                typer.echo(f"  skipped {skipped['source_file']}: {skipped['reason']}", err=True)
            if report.interrupted:
                typer.echo("interrupted: run the same command with --resume to continue", err=True)
        raise typer.Exit(INTERRUPTED if report.interrupted else 0)

    @dataset.command("stats")
    def stats_command(
        folder: Path = typer.Argument(..., help="A dataset folder made by `dataset build`."),
        json_output: bool = typer.Option(False, "--json", help="Print one JSON object."),
        chart: Path = typer.Option(None, "--chart", help="Write a PNG chart here (default: FOLDER/stats.png)."),
        no_chart: bool = typer.Option(False, "--no-chart", help="Do not draw the chart."),
    ) -> None:
        """Counts, pass rates, rounds and messages per dialogue, and the top failure reasons."""
        from ..translators.dataset.stats import NotADataset, dataset_stats, write_chart

        try:
            stats = dataset_stats(folder)
        except NotADataset as exc:
            _fail(str(exc))
        if not no_chart:
            stats["chart"] = str(write_chart(stats, chart or folder / "stats.png"))
        if json_output:
            typer.echo(json.dumps(stats))
            return
        rates = stats["pass_rates"]
        typer.echo(f"{stats['folder']}: {stats['units']} unit(s), target {stats['target']}, {stats['status']}")
        typer.echo("  by outcome: " + (", ".join(f"{k} {v}" for k, v in stats["by_status"].items()) or "none"))
        typer.echo(f"  compile pass {rates['compile']:.1%}, execution pass {rates['execution']:.1%}, "
                   f"verified {rates['verified']:.1%}")
        typer.echo("  rows: " + ", ".join(f"{k} {v}" for k, v in stats["rows"].items()))
        typer.echo("  rounds per unit: " + _bars(stats["rounds_histogram"]))
        typer.echo("  messages per dialogue: " + _bars(stats["messages_histogram"]))
        if stats["top_failure_reasons"]:
            typer.echo("  top failure reasons:")
            for item in stats["top_failure_reasons"]:
                typer.echo(f"    {item['units']:5d}  {item['reason']}")
        if "chart" in stats:
            typer.echo(f"  chart: {stats['chart']}")


def _checked_settings(corpus: list[Path], to: str, solver: str, questioner: str, engine: str,
                      ray_address: str | None, **llm_flags):
    """What `dataset build` and `eval` check before any work starts (exit 2 with the reason);
    returns the resolved LLM settings."""
    from ..translators.dataset.engines import EngineError, preflight
    from ..translators.dataset.units import SOURCE_LANGUAGES
    from ..translators.llm import ConfigError, resolve_settings

    if to not in SOURCE_LANGUAGES:
        _fail(f"unknown target '{to}'; choose one of {', '.join(SOURCE_LANGUAGES)}")
    try:
        preflight(engine, ray_address)
    except EngineError as exc:
        _fail(str(exc))
    if solver not in ("auto", "rules", "llm") or questioner not in ("rules", "llm"):
        _fail("--solver takes auto, rules or llm; --questioner takes rules or llm")
    for path in corpus:
        if not path.exists():
            _fail(f"{path}: no such file or folder")
    try:
        settings = resolve_settings(**llm_flags)
    except ConfigError as exc:
        _fail(str(exc))
    if solver == "llm" and not settings.configured:
        _fail("--solver llm needs an LLM endpoint: " + "; ".join(settings.missing()))
    return settings


def _bars(histogram: dict[str, int]) -> str:
    return "  ".join(f"{k}:{v}" for k, v in histogram.items()) or "none"


def _fail(message: str) -> None:
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


def _progress_bar():
    """A rich progress bar on stderr: units done of total, ETA, live counts by outcome."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, \
        TimeRemainingColumn

    progress = Progress(TextColumn("[bold]dataset"), BarColumn(), MofNCompleteColumn(), TextColumn("{task.fields[counts]}"),
                        TimeElapsedColumn(), TextColumn("ETA"), TimeRemainingColumn(),
                        console=Console(stderr=True), transient=False)
    state = {"task": None, "counts": {}}

    def hook(event: str, data) -> None:
        if event == "start":
            progress.start()
            state["task"] = progress.add_task("units", total=data["total"], completed=data["done"], counts="")
        elif event == "unit":
            counts = state["counts"]
            counts[data["status"]] = counts.get(data["status"], 0) + 1
            text = " ".join(f"{k} {v}" for k, v in sorted(counts.items()))
            progress.update(state["task"], advance=1, counts=text)
        elif event == "end":
            progress.stop()

    return hook, progress


def register_eval(app: typer.Typer) -> None:
    @app.command("eval")
    def eval_command(
        corpus: list[Path] = typer.Argument(..., help="Files and folders of the benchmark."),
        to: str = typer.Option(..., "--to", help="Target: cpp, cuda, cpu or jax."),
        model: str = typer.Option(None, "--model", help="Solver model to evaluate (else the configured one)."),
        solver: str = typer.Option("auto", "--solver", help="auto, rules or llm."),
        questioner: str = typer.Option("rules", "--questioner", help="rules or llm."),
        max_rounds: int = typer.Option(3, "--max-rounds", min=1, max=50, help="Most Solver answers per unit."),
        base_url: str = typer.Option(None, "--base-url", help="OpenAI-compatible endpoint."),
        api_key_env: str = typer.Option(None, "--api-key-env", help="Environment variable holding the API key."),
        workers: int = typer.Option(max(1, min(4, os.cpu_count() or 1)), "--workers", min=1, max=1024,
                                    help="Units run at once."),
        engine: str = typer.Option("local", "--engine", help="local or ray."),
        ray_address: str = typer.Option(None, "--ray-address", help="Ray cluster address."),
        limit: int = typer.Option(None, "--limit", min=1, help="Take at most N units."),
        cases: int = typer.Option(8, "--cases", min=1, max=10000, help="Generated input cases per verification."),
        seed: int = typer.Option(0, "--seed", help="Seed of the input generator."),
        timeout: float = typer.Option(10.0, "--timeout", min=0.1, help="Wall-clock seconds per program run."),
        out: Path = typer.Option(None, "--out", help="Also write the full JSON report here."),
        json_output: bool = typer.Option(False, "--json", help="Print the JSON report instead of a table."),
    ) -> None:
        """Evaluate a Solver on a benchmark: compile pass, execution pass, verified, rounds, speed-up."""
        from ..translators.dataset.engines import EngineError
        from ..translators.dataset.evaluate import evaluate
        from ..translators.dataset.worker import JobConfig
        from ..translators.dataset.writer import write_json_atomically

        settings = _checked_settings(corpus, to, solver, questioner, engine, ray_address, base_url=base_url,
                                     model=model, api_key_env=api_key_env)
        config = JobConfig(target=to, solver=solver, questioner=questioner, max_rounds=max_rounds, cases=cases,
                           seed=seed, timeout=timeout, model=settings.model if settings.configured else None,
                           base_url=base_url, api_key_env=api_key_env)
        hook, bar = (None, None) if json_output else _progress_bar()
        try:
            report = evaluate(list(corpus), config, workers=workers, engine=engine, ray_address=ray_address,
                              limit=limit, progress=hook)
        except (EngineError, FileNotFoundError) as exc:
            if bar is not None:
                bar.stop()
            _fail(str(exc))
        if out is not None:
            write_json_atomically(out, report)
        if json_output:
            typer.echo(json.dumps(report))
            return
        _print_eval(report)


def _print_eval(report: dict) -> None:
    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"transverify eval — to {report['target']}, solver {report['solver']}"
                        + (f" ({report['model']})" if report["model"] else ""))
    for column in ("unit", "CP", "EP", "UT", "rounds", "speed-up", "reason"):
        table.add_column(column, justify="left" if column in ("unit", "reason") else "right")
    mark = {True: "✓", False: "·"}
    for row in report["units"]:
        name = row["source_file"] + (f":{row['entry']}" if row["entry"] else "")
        speed = f"{row['speedup']:.2f}×" if row.get("speedup") else "–"
        table.add_row(name, mark[row["cp"]], mark[row["ep"]], mark[row["ut"]], str(row["rounds"]), speed,
                      row["reason"] or "")
    console = Console()
    console.print(table)
    s = report["summary"]
    console.print(f"{s['units']} unit(s): compile pass {s['compile_pass']:.1%}, execution pass "
                  f"{s['execution_pass']:.1%}, verified {s['verified']:.1%}"
                  + (f", mean rounds (verified) {s['mean_rounds_verified']}" if s["mean_rounds_verified"] else "")
                  + (f", median speed-up {s['median_speedup']}× over {s['speedup_units']} unit(s)"
                     if s["median_speedup"] else ""))
