"""`transverify records export|stats`: the captured training data."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import typer

records_app = typer.Typer(help="Export and inspect the captured translation records.", no_args_is_help=True)


def _open(store: Path | None):
    from ..translators.llm import ConfigError
    from ..translators.records import RecordStore, RecordStoreError

    try:
        return RecordStore.open(store)
    except (RecordStoreError, ConfigError) as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2)


def _fail(records, exc: Exception) -> None:
    """One line naming the file and the way out; never a traceback."""
    from ..translators.records.store import corrupt_message

    if isinstance(exc, sqlite3.DatabaseError) and not isinstance(exc, sqlite3.OperationalError):
        message = corrupt_message(records.path, str(exc))
    elif isinstance(exc, OSError) and exc.filename:
        message = f"{exc.filename}: {exc.strerror or exc}"
    else:
        message = str(exc)
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(2)


@records_app.command("export")
def export_command(
    fmt: str = typer.Option(..., "--format", help="messages, codepair, openai-chat or sharegpt."),
    out: Path = typer.Option(..., "--out", help="The JSONL file to write."),
    store: Path = typer.Option(None, "--store", help="Record store (default: TRANSVERIFY_RECORDS, config, per-user)."),
    verified_only: bool = typer.Option(False, "--verified-only", help="Only verified (or accepted) translations."),
    pair: str = typer.Option(None, "--pair", help="Only this pair, e.g. fortran->cpp."),
) -> None:
    """Write the records as JSONL training data."""
    from ..translators.records import FORMATS, RecordStoreError, export_records

    if fmt not in FORMATS:
        typer.echo(f"error: unknown format '{fmt}'; choose one of {', '.join(FORMATS)}", err=True)
        raise typer.Exit(2)
    records = _open(store)
    if not records.path.exists():
        typer.echo(f"error: {records.path}: no record store there", err=True)
        raise typer.Exit(2)
    try:
        count = export_records(records, fmt, out, verified_only=verified_only, pair=pair)
    except (OSError, RecordStoreError, sqlite3.Error) as exc:
        _fail(records, exc)
    finally:
        records.close()
    typer.echo(f"wrote {count} {fmt} record(s) to {out}")


@records_app.command("stats")
def stats_command(
    store: Path = typer.Option(None, "--store", help="Record store (default: TRANSVERIFY_RECORDS, config, per-user)."),
    json_output: bool = typer.Option(False, "--json", help="Print one JSON object."),
) -> None:
    """Counts of dialogues, turns, code pairs, verified translations and fixes."""
    from ..translators.records import RecordStoreError

    records = _open(store)
    try:
        stats = records.stats()
    except (OSError, RecordStoreError, sqlite3.Error) as exc:
        _fail(records, exc)
    finally:
        records.close()
    if json_output:
        typer.echo(json.dumps(stats))
        return
    typer.echo(f"store: {stats['path']}" + ("" if stats["exists"] else " (not created yet)"))
    for key in ("dialogues", "turns", "code_pairs", "verified_translations", "fixes"):
        typer.echo(f"  {key.replace('_', ' ')}: {stats[key]}")
    for key in ("by_status", "by_pair", "fixes_by_origin"):
        if stats.get(key):
            typer.echo(f"  {key.replace('_', ' ')}: " + ", ".join(f"{k} {v}" for k, v in stats[key].items()))
    for pair, statuses in (stats.get("by_pair_status") or {}).items():
        typer.echo(f"  {pair}: " + ", ".join(f"{k} {v}" for k, v in statuses.items()))
    typer.echo(f"  schema version: {stats['schema_version']}")


def register(app: typer.Typer) -> None:
    app.add_typer(records_app, name="records")
