"""Names FORTRAN 77 code relies on: specific intrinsic names and the BLAS/LAPACK service routines."""

from __future__ import annotations

# FORTRAN 77 specific names of generic intrinsics (DABS, DMAX1, ...): the generic does the same.
SPECIFIC_NAMES = {
    "dabs": "abs", "iabs": "abs", "cabs": "abs", "dsqrt": "sqrt", "csqrt": "sqrt", "dexp": "exp", "cexp": "exp",
    "alog": "log", "dlog": "log", "clog": "log", "alog10": "log10", "dlog10": "log10", "dsin": "sin", "csin": "sin",
    "dcos": "cos", "ccos": "cos", "dtan": "tan", "dasin": "asin", "dacos": "acos", "datan": "atan",
    "datan2": "atan2", "dsinh": "sinh", "dcosh": "cosh", "dtanh": "tanh", "dmax1": "max", "amax1": "max",
    "max0": "max", "dmin1": "min", "amin1": "min", "min0": "min", "dsign": "sign", "isign": "sign",
    "dmod": "mod", "amod": "mod", "idint": "int", "ifix": "int", "dfloat": "dble", "sngl": "real",
    "dint": "aint", "dnint": "anint", "idnint": "nint", "dconjg": "conjg", "dimag": "aimag",
    "ddim": "dim", "idim": "dim",
}

# Service routines a BLAS/LAPACK file calls without defining: emitted as small inline C++
# functions (runtime.py) when the file does not define them itself.
SERVICE_ROUTINES = {"lsame": "function", "xerbla": "subroutine"}
