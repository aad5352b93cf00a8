"""C sources of routines a Fortran source calls (NPB's wtime.c): copied into a side's sandboxed
directory with the headers they include, and, for the candidate, compiled apart as C."""

from __future__ import annotations

import shutil
from pathlib import Path

from ..diagnostics import parse_compiler_output, remap
from ..fortran_deps import c_headers
from ..fortran_signature import FortranFile
from ..toolchain import compile_in_sandbox

# built for the candidate as gfortran builds them for the reference
C_FLAGS = ["-O1", "-fwrapv"]


def c_files(ffile: FortranFile) -> list[Path]:
    """Every file the C sources bring (headers first): part of the reference's cache key."""
    return [f for path in ffile.c_sources for f in (*c_headers(path), path)]


def copy_c_sources(ffile: FortranFile, directory: Path) -> list[str]:
    """The C sources (and the headers they include with quotes, found beside them) under their
    own names in `directory`; returns the sources' names."""
    names = []
    for path in c_files(ffile):
        shutil.copyfile(path, directory / path.name)
        (directory / path.name).chmod(0o644)
        if path in ffile.c_sources:
            names.append(path.name)
    return names


def compile_c_objects(gxx: str, ffile: FortranFile, directory: Path, *, cancel, timeout,
                      warnings: list[str]) -> tuple[list[str], str | None]:
    """(object names, None), or ([], the compiler's output) when a C source does not compile.
    Apart from the C++ compile because the candidate's precompiled C++ header cannot apply to C."""
    objects = []
    for name in copy_c_sources(ffile, directory):
        obj = f"tv_c_{Path(name).stem}.o"
        outcome = compile_in_sandbox([gxx, "-x", "c", *C_FLAGS, "-c", name, "-o", obj], directory, directory / obj,
                                     cancel=cancel, timeout=timeout)
        warnings.extend(outcome.warnings)
        if not outcome.ok:
            return [], outcome.output
        objects.append(obj)
    return objects, None


def c_failure(output: str, ffile: FortranFile, source: Path, line: int):
    """(diagnostics, message) for a C source that does not compile, pointing at that file."""
    diags = remap(parse_compiler_output(output), {p.name: str(p) for p in ffile.c_sources}, (str(source), line))
    first = next((d for d in diags if d.severity == "error"), None)
    where = f": {first.file}:{first.line}: {first.message}" if first else f": {output.strip()[-400:]}"
    return diags, "a C source the Fortran calls does not compile" + where
