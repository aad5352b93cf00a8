"""How much work a parallel loop nest does, so that a small launch runs on one thread.

Starting a parallel region and joining it costs about 0.6 µs with 2 warm threads on a quiet
machine, and far more when the cores are shared: a chain of small launches (a host loop of time
steps) spends most of its time there, and a naive `omp parallel for` translation does too. The
printer runs the nest on threads only when `work >= PARALLEL_MIN_WORK`: work is the nest's
statement executions (a store with math calls counts more), an upper bound computed before the
loop from the sizes.
"""

from __future__ import annotations

import os

# Statement executions below which one thread is faster: y = a*u + b*w over n floats with 2
# threads broke even between n = 16384 (0.93x) and n = 32768 (1.39x) on a 2-core AVX-512 machine.
PARALLEL_MIN_WORK = 20480
_SETTING = "TRANSVERIFY_TVM_PARALLEL_MIN_WORK"


def parallel_min_work() -> int:
    """PARALLEL_MIN_WORK, or TRANSVERIFY_TVM_PARALLEL_MIN_WORK when set (a non-negative integer; 0:
    every parallel loop always parallel), read on each call: a long-running server sees a change."""
    forced = os.environ.get(_SETTING, "").strip()
    return int(forced) if forced.isdigit() else PARALLEL_MIN_WORK


def min_work_words() -> str:
    source = _SETTING if os.environ.get(_SETTING, "").strip().isdigit() else "measured on a 2-core machine"
    return f"{parallel_min_work()} ({source})"


# A math call (expf, tanhf, sqrt...) costs a few plain operations' time in a vectorised loop.
_CALL_WEIGHT = 4
_FREE_CALLS = {"if_then_else", "likely", "call_pure_extern"}


def parallel_work(loop):
    """An int64 TIR expression bounding the statement executions of a parallel loop's nest, over
    the variables defined outside it; None when no bound is found (the loop stays parallel)."""
    from tvm import sym, tirx

    analyzer = sym.Analyzer()
    inner: dict = {}  # loop variable inside the nest -> its range, as an IntervalSet

    def upper(e):
        """e's largest value over the nest's loop variables; None if unbounded."""
        bound = analyzer.int_set(e, inner).max_value if inner else e
        if _unbounded(bound):
            return None
        return tirx.Cast("int64", bound)

    def walk(s):
        kind = type(s).__name__
        if kind == "SeqStmt":
            total = tirx.IntImm("int64", 0)
            for child in s.seq:
                part = walk(child)
                if part is None:
                    return None
                total = total + part
            return total
        if kind == "For":
            extent = upper(s.extent)
            if extent is None:
                return None
            inner[s.loop_var] = sym.IntervalSet(s.min, s.min + s.extent - 1)
            body = walk(s.body)
            return None if body is None else extent * body
        if kind == "IfThenElse":  # both branches: a bound
            then = walk(s.then_case)
            other = walk(s.else_case) if s.else_case is not None else tirx.IntImm("int64", 0)
            return None if then is None or other is None else then + other
        if kind == "BufferStore":
            return tirx.IntImm("int64", 1 + _CALL_WEIGHT * _math_calls(s.value))
        if kind in ("AllocBuffer", "DeclBuffer", "LetStmt"):
            return walk(s.body) if getattr(s, "body", None) is not None else tirx.IntImm("int64", 0)
        if kind == "Bind":  # a value the nest's later extents may read: unknown outside it
            inner[s.var] = sym.IntervalSet(analyzer.simplify(s.value), analyzer.simplify(s.value)) \
                if not _mentions_any(s.value, inner) else None
            if inner[s.var] is None:
                return None
            return walk(s.body) if getattr(s, "body", None) is not None else tirx.IntImm("int64", 0)
        if kind == "Evaluate":
            return tirx.IntImm("int64", 1)
        return None

    work = walk(loop)
    return None if work is None else analyzer.simplify(work)


def _unbounded(e) -> bool:
    """Whether an interval bound holds TVM's symbolic infinity (the variables pos_inf, neg_inf)."""
    import tvm_ffi

    found = []
    tvm_ffi.structural_walk(e, lambda node: found.append(1) if type(node).__name__ == "Var" and
                            node.name in ("pos_inf", "neg_inf") else None)
    return bool(found)


def _math_calls(e) -> int:
    import tvm_ffi

    count = []

    def visit(node):
        if type(node).__name__ == "Call" and str(node.op.name).split(".")[-1] not in _FREE_CALLS:
            count.append(1)

    tvm_ffi.structural_walk(e, visit)
    return len(count)


def _mentions_any(e, variables: dict) -> bool:
    import tvm_ffi

    from .tir_util import handle

    handles = {handle(v) for v in variables}
    found = []
    tvm_ffi.structural_walk(e, lambda node: found.append(1) if type(node).__name__ == "Var" and
                            handle(node) in handles else None)
    return bool(found)
