"""The `transverify` command.  Each sub-command lives in transverify/commands/."""

from __future__ import annotations

import typer

from . import __version__

app = typer.Typer(
    name="transverify",
    help="Translate code between HPC/ML languages and prove each translation right.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"transverify {__version__}")
        raise typer.Exit()


@app.callback()
def _root(version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                       help="Print the version and exit.")) -> None:
    pass


from .commands import verify_cmd  # noqa: E402

verify_cmd.register(app)

from .commands import serve_cmd  # noqa: E402

serve_cmd.register(app)

from .commands import translate_cmd  # noqa: E402

translate_cmd.register(app)

from .commands import records_cmd  # noqa: E402

records_cmd.register(app)


def main() -> None:
    app()
