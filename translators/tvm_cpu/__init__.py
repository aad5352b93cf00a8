"""CPU equivalents of CUDA kernels through TVM: lift one thread to TE, schedule, emit C++/OpenMP, verify.

Needs the optional `tvm` extra (`pip install 'transverify[tvm]'`); `available()`
says whether it is installed, without importing TVM.
"""

from __future__ import annotations

import importlib.util

INSTALL_HINT = ("the TVM solver needs the optional 'tvm' extra: pip install 'transverify[tvm]' "
                "(or, in a checkout: .venv/bin/pip install -e '.[tvm]')")


def available() -> bool:
    try:
        return importlib.util.find_spec("tvm") is not None and importlib.util.find_spec("tvm_ffi") is not None
    except (ImportError, ValueError):  # a module entry set to None (blocked) reads as absent
        return False
