"""`transverify verify SOURCE CANDIDATE`: the verification engine on the command line.

Exit 0 equivalent, 1 not equivalent, 2 bad input or usage.
"""

from __future__ import annotations

from pathlib import Path

import typer


def _pairs(items: list[str], flag: str) -> dict[str, str]:
    parsed = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise typer.BadParameter(f"expected NAME=EXPR, got '{item}'", param_hint=flag)
        parsed[name.strip()] = value.strip()
    return parsed


def register(app: typer.Typer) -> None:
    @app.command("verify")
    def verify_command(
        source: Path = typer.Argument(..., help="The reference (e.g. a Fortran file)."),
        candidate: Path = typer.Argument(..., help="The translation to check (e.g. a C++ file)."),
        entry: str = typer.Option(None, "--entry", help="Procedure or host function to test (default: the only one)."),
        json_output: bool = typer.Option(False, "--json", help="Print one JSON object instead of a report."),
        cases: int = typer.Option(8, "--cases", min=1, max=10000, help="Number of generated input cases."),
        seed: int = typer.Option(0, "--seed", help="Seed of the input generator."),
        timeout: float = typer.Option(10.0, "--timeout", min=0.1, help="Wall-clock seconds allowed per program run."),
        rtol: float = typer.Option(None, "--rtol", help="Relative tolerance (overrides the per-type default)."),
        atol: float = typer.Option(None, "--atol", help="Absolute tolerance (overrides the per-type default)."),
        shape: list[str] = typer.Option([], "--shape", help="Extent of an array parameter, e.g. x=n (C++/CUDA)."),
        value: list[str] = typer.Option([], "--value", help="Pin a scalar parameter, e.g. k=3."),
        no_cache: bool = typer.Option(False, "--no-cache", help="Rebuild the reference even if cached."),
        keep: bool = typer.Option(False, "--keep", help="Keep the temporary build directory."),
    ) -> None:
        """Prove CANDIDATE equivalent to SOURCE on generated inputs, or show where it differs."""
        from ..verify import VerifyOptions, verify

        options = VerifyOptions(entry=entry, cases=cases, seed=seed, timeout=timeout, rtol=rtol, atol=atol,
                                shapes=_pairs(shape, "--shape"), values=_pairs(value, "--value"),
                                use_cache=not no_cache, keep_workdir=keep)
        result = verify(source, candidate, options)
        if json_output:
            typer.echo(result.to_json())
        else:
            from ..output import print_result  # rich tables: only for the human report

            print_result(result, source, candidate)
        raise typer.Exit(result.exit_code)
