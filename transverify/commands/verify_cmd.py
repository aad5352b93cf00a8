"""`transverify verify SOURCE CANDIDATE`: the verification engine on the command line.

Exit 0 equivalent, 1 not equivalent, 2 bad input or usage.

The options are parsed with argparse rather than typer's per-parameter coercion: typer
builds a pydantic validator for every parameter on each call, which measured 0.3-0.5 s on
the development machine, a large share of a verification that the editor loop and the
benchmark run again and again.
"""


import argparse
import sys
from pathlib import Path


USAGE_ERROR = 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # usage errors: exit 2 with a one-line reason
        self.print_usage(sys.stderr)
        print(f"transverify verify: error: {message}", file=sys.stderr)
        raise SystemExit(USAGE_ERROR)


def _positive(text: str) -> int:
    value = int(text)
    if not 1 <= value <= 10000:
        raise argparse.ArgumentTypeError(f"{value} is not in 1..10000")
    return value


def _seconds(text: str) -> float:
    value = float(text)
    if value < 0.1:
        raise argparse.ArgumentTypeError(f"{value} is below 0.1")
    return value


def _assignment(text: str) -> tuple[str, str]:
    name, sep, value = text.partition("=")
    if not sep or not name.strip() or not value.strip():
        raise argparse.ArgumentTypeError(f"expected NAME=EXPR, got '{text}'")
    return name.strip(), value.strip()


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="transverify verify",
                     description="Prove CANDIDATE equivalent to SOURCE on generated inputs, or show where it differs. "
                                 "Exit 0 equivalent, 1 not equivalent, 2 bad input or usage.")
    parser.add_argument("source", type=Path, help="the reference (e.g. a Fortran file)")
    parser.add_argument("candidate", type=Path, help="the translation to check (e.g. a C++ file)")
    parser.add_argument("--entry", help="procedure or host function to test (default: the only one)")
    parser.add_argument("--json", dest="json_output", action="store_true",
                        help="print one JSON object instead of a report")
    parser.add_argument("--cases", type=_positive, default=8, help="number of generated input cases (default 8)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the input generator (default 0)")
    parser.add_argument("--timeout", type=_seconds, default=10.0,
                        help="wall-clock seconds allowed per program run (default 10)")
    parser.add_argument("--compile-timeout", type=_seconds, default=60.0,
                        help="wall-clock seconds allowed per compile step (default 60); a compile that runs "
                             "out is reported as 'timed out while compiling'")
    parser.add_argument("--rtol", type=float, help="relative tolerance (overrides the per-type default)")
    parser.add_argument("--atol", type=float, help="absolute tolerance (overrides the per-type default)")
    parser.add_argument("--fast-math", action="store_true",
                        help="build the candidate with -O3 -march=native -ffast-math and compare floats with the "
                             "fast-math tolerances (float32 1e-3, float64 1e-7; CUDA -> C++ only)")
    parser.add_argument("--shape", type=_assignment, action="append", default=[], metavar="NAME=EXPR",
                        help="extent of an array parameter, e.g. x=n (C++/CUDA sources; Fortran: the last "
                             "extent of an assumed-size x(*) or a(lda,*))")
    parser.add_argument("--value", type=_assignment, action="append", default=[], metavar="NAME=V",
                        help="pin a scalar parameter, e.g. k=3")
    parser.add_argument("--range", type=_assignment, action="append", default=[], metavar="NAME=LO:HI",
                        help="draw an input from [LO, HI], e.g. grid=0:1 (repeatable)")
    parser.add_argument("--coverage", action="store_true",
                        help="measure the source's line and branch coverage (gcov) and add cases while it rises")
    parser.add_argument("--procedure", type=_assignment, action="append", default=[], metavar="ARG=NAME",
                        help="procedure passed for a dummy procedure argument, e.g. f=integrand (Fortran; "
                             "default: the only other procedure of the file)")
    parser.add_argument("-I", dest="include_dirs", type=Path, action="append", default=[], metavar="DIR",
                        help="directory searched for INCLUDE files and for modules' kind constants (Fortran; "
                             "repeatable)")
    parser.add_argument("--mode", choices=("eval", "train"), default="eval",
                        help="PyTorch -> JAX: compare in eval (default) or train mode")
    parser.add_argument("--input", type=_assignment, action="append", default=[], metavar="NAME=SHAPE:DTYPE",
                        help="PyTorch -> JAX: an input of the --entry, e.g. x=(8,3,32,32):float32")
    parser.add_argument("--reproducer", type=Path, metavar="DIR",
                        help="write a standalone reproducer of one case into DIR (new or empty): the generated "
                             "harness, copies of SOURCE and CANDIDATE, the case's inputs and run.sh, which builds "
                             "and runs both with the same flags (for PyTorch -> JAX: inputs and parameters as npz and run.py)")
    parser.add_argument("--reproducer-case", type=int, metavar="K",
                        help="the case the reproducer runs (default: the first failing case, else 0)")
    parser.add_argument("--no-cache", action="store_true", help="rebuild the reference even if cached")
    parser.add_argument("--keep", action="store_true", help="keep the temporary build directory")
    return parser


def run(argv: list[str]) -> int:
    """Parse argv (the words after `verify`), verify, report; return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.reproducer is not None and (args.reproducer.is_symlink() or (args.reproducer.exists() and (
            not args.reproducer.is_dir() or any(args.reproducer.iterdir())))):
        parser.error(f"--reproducer {args.reproducer}: exists and is not an empty directory; not overwriting it")
    if args.reproducer_case is not None and args.reproducer is None:
        parser.error("--reproducer-case needs --reproducer DIR")
    if args.reproducer_case is not None and not 0 <= args.reproducer_case < args.cases:
        parser.error(f"--reproducer-case {args.reproducer_case}: cases are 0..{args.cases - 1}")
    from ..verify import VerifyOptions, verify

    options = VerifyOptions(entry=args.entry, cases=args.cases, seed=args.seed, timeout=args.timeout,
                            compile_timeout=args.compile_timeout,
                            rtol=args.rtol, atol=args.atol, fast_math=args.fast_math, shapes=dict(args.shape), values=dict(args.value),
                            ranges=dict(args.range), coverage=args.coverage,
                            procedures=dict(args.procedure), include_dirs=list(args.include_dirs),
                            use_cache=not args.no_cache, keep_workdir=args.keep,
                            mode=args.mode, inputs=dict(args.input), reproducer=args.reproducer,
                            reproducer_case=args.reproducer_case)
    result = verify(args.source, args.candidate, options)
    if args.json_output:
        print(result.to_json())
    else:
        from ..output import print_result  # rich tables: only for the human report

        print_result(result, args.source, args.candidate)
    return result.exit_code


def register(app) -> None:
    import typer

    @app.command("verify", add_help_option=False,
                 context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
                 help="Prove CANDIDATE equivalent to SOURCE on generated inputs, or show where it differs. "
                      "Run `transverify verify --help` for the options.")
    def verify_command(ctx: typer.Context) -> None:
        raise typer.Exit(run(ctx.args))
