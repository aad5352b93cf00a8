"""The `transverify` command.  Each sub-command lives in transverify/commands/."""


import sys

from . import __version__


def build_app():
    """The typer application with every sub-command registered."""
    import typer

    from .commands import dataset_cmd, records_cmd, serve_cmd, translate_cmd, verify_cmd

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

    for command in (verify_cmd, serve_cmd, translate_cmd, records_cmd, dataset_cmd):
        command.register(app)
    return app


def main() -> None:
    argv = sys.argv[1:]
    if argv[:1] == ["verify"]:
        # The hot path for scripts, the loop and editors: argparse alone, without
        # typer's start-up (~0.1 s, a third of a cached verification).
        from .commands.verify_cmd import run

        sys.exit(run(argv[1:]))
    build_app()()
