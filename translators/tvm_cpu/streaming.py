"""Streaming (non-temporal) stores of an output that is written once and never read.

A plain store to memory first reads the cache line it writes (write-allocate): for an output
written once, a third of a stencil's traffic is that read. A simd loop whose body is one store
`out[base + v] = value` to a parameter array the function never reads (so no cell is read back,
and an array updated in place, saxpy's `y`, is excluded) is printed twice: the plain simd loop,
and a version that computes 64 bytes at a time into a local line and writes it with the
streaming store of the widest vector unit (`_mm512_stream_ps`; AVX and SSE forms; a plain copy
elsewhere), scalar stores before the first 64-byte boundary and after the last one, then
`_mm_sfence()`. Only values without math calls are streamed (memory-bound runs). The entry
picks the streaming version when the output is at least `stream_threshold()` bytes: half this
machine's L3, beyond which the output would not stay in the caches anyway (below it, streaming
would push a cache-resident result out to memory).
"""

from __future__ import annotations

import os
from functools import lru_cache

from .tir_util import C_TYPES, addends, handle, is_const, mentions

LINE_BYTES = 64
SHORT_RUN = 256  # a constant trip count below this is a tile's row, not a run worth streaming
_L3_FALLBACK = 32 * 1024 * 1024

STREAM_PRELUDE = """#if defined(__SSE2__)
#include <immintrin.h>
#endif

namespace {
// One 64-byte cache line from an aligned local line to an aligned address, bypassing the caches
// (no read of the line before it is written), with the widest streaming store compiled for.
inline void tv_stream_line(float* dst, const float* src) {
#if defined(__AVX512F__)
    _mm512_stream_ps(dst, _mm512_load_ps(src));
#elif defined(__AVX__)
    _mm256_stream_ps(dst, _mm256_load_ps(src));
    _mm256_stream_ps(dst + 8, _mm256_load_ps(src + 8));
#elif defined(__SSE2__)
    for (int k = 0; k < 16; k += 4) _mm_stream_ps(dst + k, _mm_load_ps(src + k));
#else
    for (int k = 0; k < 16; ++k) dst[k] = src[k];
#endif
}
inline void tv_stream_line(double* dst, const double* src) {
#if defined(__AVX512F__)
    _mm512_stream_pd(dst, _mm512_load_pd(src));
#elif defined(__AVX__)
    _mm256_stream_pd(dst, _mm256_load_pd(src));
    _mm256_stream_pd(dst + 4, _mm256_load_pd(src + 4));
#elif defined(__SSE2__)
    for (int k = 0; k < 8; k += 2) _mm_stream_pd(dst + k, _mm_load_pd(src + k));
#else
    for (int k = 0; k < 8; ++k) dst[k] = src[k];
#endif
}
// Streaming stores are weakly ordered: each thread fences its own before others read them.
inline void tv_stream_fence() {
#if defined(__SSE2__)
    _mm_sfence();
#endif
}
}  // namespace
"""


def stream_threshold() -> int:
    """Output bytes from which streaming stores are used: half this machine's L3 (its size from
    sysfs; 32 MB when unknown), or TRANSVERIFY_TVM_STREAM_BYTES when set (a non-negative integer),
    read on each call: a long-running server sees a changed setting."""
    forced = os.environ.get("TRANSVERIFY_TVM_STREAM_BYTES", "").strip()
    if forced.isdigit():
        return int(forced)
    return l3_bytes() // 2


@lru_cache(maxsize=1)
def l3_bytes() -> int:
    try:
        with open("/sys/devices/system/cpu/cpu0/cache/index3/size", encoding="ascii") as f:
            text = f.read().strip().upper()
    except OSError:
        return _L3_FALLBACK
    scale = {"K": 1024, "M": 1024 * 1024}.get(text[-1:], 1)
    digits = text.rstrip("KM")
    return int(digits) * scale if digits.isdigit() else _L3_FALLBACK


def threshold_words() -> str:
    size = stream_threshold()
    if os.environ.get("TRANSVERIFY_TVM_STREAM_BYTES", "").strip().isdigit():
        return f"{size} bytes (TRANSVERIFY_TVM_STREAM_BYTES)"
    return f"{size} bytes (half this machine's L3)"


class StreamForms:
    """Mixed into emit.Printer: streaming versions of simd loops that store an output once."""

    def _stream_setup(self, func, buffer_names: dict) -> None:
        import tvm_ffi

        # the buffers declared over a parameter -> its C array name; the C names of the arrays read
        params = {handle(p): buffer_names[p.name] for p in func.params if p.name in buffer_names}
        self.param_buffers: dict[int, str] = {}
        loads: list = []
        own: set[int] = set()  # the function's own temporaries

        def visit(node):
            kind = type(node).__name__
            if kind == "DeclBuffer":
                found: list[str] = []
                tvm_ffi.structural_walk(node.data, lambda n: found.append(params[handle(n)])
                                        if type(n).__name__ == "Var" and handle(n) in params else None)
                if len(set(found)) == 1:
                    self.param_buffers[handle(node.buffer)] = found[0]
            elif kind == "AllocBuffer":
                own.add(handle(node.buffer))
            elif kind == "TensorLoad":
                loads.append(node.source)

        tvm_ffi.structural_walk(func.body, visit)
        # a load from a buffer that is neither a temporary nor known to view one parameter counts
        # as a read of every array
        self.read_arrays = {self.param_buffers.get(handle(b), "*") for b in loads if handle(b) not in own}
        self.stream_flags: dict[str, str] = {}  # C array name -> its flag's declaration

    def _streamable(self, loop_var, body, trip_count: int | None) -> tuple[str, str] | None:
        """(C array name, element C type) when `body` is one store `out[base + v] = value` of
        float/double to a parameter array the function never reads, over a run that is not a
        short constant tile row, of a value without math calls; None otherwise. A value that
        calls a math function (GELU's tanh) is bound by its arithmetic, which hides the read of
        the line: streaming it measured slower (0.84x at 4M floats), so it keeps plain stores."""
        if type(body).__name__ != "BufferStore" or len(body.indices) != 1:
            return None
        dtype = str(body.buffer.ty.dtype)
        if dtype not in ("float32", "float64"):
            return None
        if trip_count is not None and trip_count < SHORT_RUN:
            return None
        if _calls_math(body.value):
            return None
        name = self.param_buffers.get(handle(body.buffer))
        if name is None or name in self.read_arrays or "*" in self.read_arrays or name in self.temporaries:
            return None
        v = handle(loop_var)
        with_v = [t for t in addends(body.indices[0]) if mentions(t, v)]
        if len(with_v) != 1 or type(with_v[0]).__name__ != "Var" or handle(with_v[0]) != v:
            return None
        if name not in self.stream_flags:
            size = " * ".join(f"static_cast<size_t>({self.expr(d)})" for d in body.buffer.shape) or "1"
            flag = self.unused_name(f"tv_stream_{name}")
            least = stream_threshold()
            test = f"{size} * sizeof({C_TYPES[dtype]}) >= static_cast<size_t>({least})" if least > 0 else "true"
            self.stream_flags[name] = (f"const bool {flag} = {test};  // streaming stores of "
                                       f"{name}: it is written once and never read")
        return name, C_TYPES[dtype]

    def _flag_name(self, array: str) -> str:
        return self.stream_flags[array].split(" = ")[0].split()[-1]

    def _stream_loop(self, loop, start: str, stop: str, body, depth: int, plain) -> bool:
        """Prints `if (flag) { streaming version } else { plain(depth + 1) }` when the loop (a TIR
        For, printed from `start` to `stop` with `body`) is streamable (True), else nothing (False).
        plain(d) prints the plain simd loop at depth d."""
        if not self.streaming:
            return False
        loop_var, ctype = loop.loop_var, C_TYPES[str(loop.loop_var.ty.dtype)]
        found = self._streamable(loop_var, body, int(loop.extent.value) if is_const(loop.extent) else None)
        if found is None:
            return False
        array, element = found
        self._private_sizes()
        lanes = LINE_BYTES // (4 if element == "float" else 8)
        key = handle(loop_var)
        saved = self.names.get(key)
        i = self.unused_name(f"{loop_var.name}_s")
        lane = self.unused_name("lane")
        line = self.unused_name(f"{array}_line")
        self.emit(depth, f"if ({self._flag_name(array)}) {{  // streaming stores: {array} is written once, never read")
        d = depth + 1
        try:
            self.names[key] = i
            self.emit(d, f"{ctype} {i} = {start};")
            address = f"&{self.buffer(body.buffer)}[{self.index(body.indices)}]"
            self.emit(d, f"for (; {i} < {stop} && (reinterpret_cast<std::uintptr_t>({address}) % {LINE_BYTES}) != 0; "
                         f"++{i}) {{  // up to the first {LINE_BYTES}-byte boundary")
            self.stmt(body, d + 1)
            self.emit(d, "}")
            self.emit(d, f"for (; ({stop}) - {i} >= {lanes}; {i} += {lanes}) {{")
            self.emit(d + 1, f"alignas({LINE_BYTES}) {element} {line}[{lanes}];")
            self.emit(d + 1, "#pragma omp simd")
            self.stats["simd"] += 1
            self.emit(d + 1, f"for (int {lane} = 0; {lane} < {lanes}; ++{lane}) {{")
            self.names[key] = f"({i} + {lane})"
            self.emit(d + 2, f"{line}[{lane}] = {self.expr(body.value)};")
            self.emit(d + 1, "}")
            self.names[key] = i
            self.emit(d + 1, f"tv_stream_line({address}, {line});")
            self.emit(d, "}")
            self.emit(d, "tv_stream_fence();")
            self.emit(d, f"for (; {i} < {stop}; ++{i}) {{  // the rest of the run")
            self.stmt(body, d + 1)
            self.emit(d, "}")
        finally:
            if saved is None:
                self.names.pop(key, None)
            else:
                self.names[key] = saved
        self.emit(depth, "} else {")
        plain(depth + 1)
        self.emit(depth, "}")
        return True

    def _private_sizes(self) -> None:
        """The scalar parameters become firstprivate in the enclosing parallel loop: shared, each
        read goes through a pointer that a streaming store (a may-alias vector store) could have
        changed, so g++ reloaded them, and the index arithmetic with them, on every line."""
        if not self.open_parallel or not self.scalar_names:
            return
        at = self.open_parallel[0]
        if "#pragma omp parallel" in self.lines[at] and "firstprivate(" not in self.lines[at]:
            self.lines[at] += f" firstprivate({', '.join(self.scalar_names)})"

    def _stream_declarations(self) -> list[str]:
        return ["    " + text for text in self.stream_flags.values()]


_FREE_CALLS = {"if_then_else", "likely"}


def _calls_math(value) -> bool:
    import tvm_ffi

    found: list[str] = []
    tvm_ffi.structural_walk(value, lambda n: found.append(str(n.op.name).split(".")[-1])
                            if type(n).__name__ == "Call" else None)
    return any(op not in _FREE_CALLS for op in found)
