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


def load_tvm():
    """Import TVM once per process, without the `import torch` that tvm_ffi attempts on its own.

    tvm_ffi imports torch (when installed) only to exchange tensors with it, which nothing here
    does; torch costs about 2 s of CPU per process that uses TVM. torch is hidden during that
    first import only, so a later `import torch` in the same process works as usual. Call this
    before anything in this package imports tvm; later `import tvm` statements reuse the module.
    """
    import sys

    if "tvm" in sys.modules:
        return sys.modules["tvm"]
    hide = "torch" not in sys.modules
    if hide:
        sys.modules["torch"] = None  # `import torch` raises ImportError, which tvm_ffi tolerates
    try:
        import tvm
    finally:
        if hide and "torch" in sys.modules and sys.modules["torch"] is None:
            del sys.modules["torch"]
    return tvm
