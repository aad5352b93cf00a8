"""The C++ definitions a CPU translation needs, emitted only when the translated code uses them."""

from __future__ import annotations

import re

HEADERS = ["<algorithm>", "<cmath>", "<cstddef>", "<cstdint>", "<cstdlib>", "<cstring>"]

GEOMETRY = """\
// CUDA's launch geometry, kept so that the kernels read as before.
struct dim3 {
    unsigned x, y, z;
    dim3(unsigned x_ = 1, unsigned y_ = 1, unsigned z_ = 1) : x(x_), y(y_), z(z_) {}
};"""

THREAD_LOOPS = """\
// At most this many threads per block (CUDA's limit): sizes the per-thread copies of values
// that live across a __syncthreads().
constexpr unsigned kMaxBlockThreads = 1024;

// The (x, y, z) index of the tid-th thread of a block, x fastest as in CUDA.
static inline dim3 thread_index(unsigned tid, const dim3& blockDim) {
    return dim3(tid % blockDim.x, tid / blockDim.x % blockDim.y, tid / (blockDim.x * blockDim.y));
}"""

# name -> definition; emitted when `name(` occurs in the translation.
HELPERS: dict[str, str] = {
    "warpSize": "constexpr int warpSize = 32;",
    "atomicAdd": """\
template <class T, class U> static inline T atomicAdd(T* address, U value) {
    T old;
#pragma omp atomic capture
    { old = *address; *address += static_cast<T>(value); }
    return old;
}""",
    "atomicSub": """\
template <class T, class U> static inline T atomicSub(T* address, U value) {
    T old;
#pragma omp atomic capture
    { old = *address; *address -= static_cast<T>(value); }
    return old;
}""",
    "atomicAnd": """\
template <class T, class U> static inline T atomicAnd(T* address, U value) {
    T old;
#pragma omp atomic capture
    { old = *address; *address &= static_cast<T>(value); }
    return old;
}""",
    "atomicOr": """\
template <class T, class U> static inline T atomicOr(T* address, U value) {
    T old;
#pragma omp atomic capture
    { old = *address; *address |= static_cast<T>(value); }
    return old;
}""",
    "atomicXor": """\
template <class T, class U> static inline T atomicXor(T* address, U value) {
    T old;
#pragma omp atomic capture
    { old = *address; *address ^= static_cast<T>(value); }
    return old;
}""",
    "atomicMax": """\
template <class T, class U> static inline T atomicMax(T* address, U value) {
    T old;
#pragma omp critical(cuda_atomic)
    { old = *address; if (static_cast<T>(value) > old) *address = static_cast<T>(value); }
    return old;
}""",
    "atomicMin": """\
template <class T, class U> static inline T atomicMin(T* address, U value) {
    T old;
#pragma omp critical(cuda_atomic)
    { old = *address; if (static_cast<T>(value) < old) *address = static_cast<T>(value); }
    return old;
}""",
    "atomicExch": """\
template <class T, class U> static inline T atomicExch(T* address, U value) {
    T old;
#pragma omp critical(cuda_atomic)
    { old = *address; *address = static_cast<T>(value); }
    return old;
}""",
    "atomicCAS": """\
template <class T, class U, class V> static inline T atomicCAS(T* address, U compare, V value) {
    T old;
#pragma omp critical(cuda_atomic)
    { old = *address; if (old == static_cast<T>(compare)) *address = static_cast<T>(value); }
    return old;
}""",
    "atomicInc": """\
static inline unsigned atomicInc(unsigned* address, unsigned limit) {
    unsigned old;
#pragma omp critical(cuda_atomic)
    { old = *address; *address = old >= limit ? 0u : old + 1u; }
    return old;
}""",
    "atomicDec": """\
static inline unsigned atomicDec(unsigned* address, unsigned limit) {
    unsigned old;
#pragma omp critical(cuda_atomic)
    { old = *address; *address = (old == 0u || old > limit) ? limit : old - 1u; }
    return old;
}""",
    "min": "template <class A, class B> static inline auto min(A a, B b) { return b < a ? b : a; }",
    "max": "template <class A, class B> static inline auto max(A a, B b) { return a < b ? b : a; }",
    # a maximum/minimum against a constant that is neither NaN nor a zero of the wrong sign
    # (selects.py): the value select that gcc vectorises under `omp simd`, where it leaves
    # fmaxf a call and std::max (which selects references) scalar
    "select_max": "template <class T> static inline T select_max(T c, T x) { return c < x ? x : c; }",
    "select_min": "template <class T> static inline T select_min(T c, T x) { return x < c ? x : c; }",
    "rsqrtf": "static inline float rsqrtf(float x) { return 1.0f / std::sqrt(x); }",
    "rsqrt": "static inline double rsqrt(double x) { return 1.0 / std::sqrt(x); }",
    "__expf": "static inline float __expf(float x) { return std::exp(x); }",
    "__logf": "static inline float __logf(float x) { return std::log(x); }",
    "__sinf": "static inline float __sinf(float x) { return std::sin(x); }",
    "__cosf": "static inline float __cosf(float x) { return std::cos(x); }",
    "__powf": "static inline float __powf(float x, float y) { return std::pow(x, y); }",
    "__fdividef": "static inline float __fdividef(float x, float y) { return x / y; }",
    "__frcp_rn": "static inline float __frcp_rn(float x) { return 1.0f / x; }",
    "__fmaf_rn": "static inline float __fmaf_rn(float a, float b, float c) { return std::fma(a, b, c); }",
    "__saturatef": "static inline float __saturatef(float x) { return x < 0.0f ? 0.0f : (x > 1.0f ? 1.0f : x); }",
    # 24-bit multiplies: a full multiply, as the verifier's CPU layer computes them (the same
    # product while the operands fit in 24 bits, which is what code using them assumes)
    "__mul24": "static inline int __mul24(int a, int b) { return a * b; }",
    "__umul24": "static inline unsigned __umul24(unsigned a, unsigned b) { return a * b; }",
    "__popc": "static inline int __popc(unsigned x) { return __builtin_popcount(x); }",
    "__popcll": "static inline int __popcll(unsigned long long x) { return __builtin_popcountll(x); }",
    "__clz": "static inline int __clz(int x) { return x == 0 ? 32 : __builtin_clz(static_cast<unsigned>(x)); }",
    "__ffs": "static inline int __ffs(int x) { return __builtin_ffs(x); }",
    "__brev": """\
static inline unsigned __brev(unsigned x) {
    unsigned r = 0;
    for (int b = 0; b < 32; ++b) r |= ((x >> b) & 1u) << (31 - b);
    return r;
}""",
    "__float2int_rn": "static inline int __float2int_rn(float x) { return static_cast<int>(std::nearbyint(x)); }",
    "__float_as_uint": """\
static inline unsigned __float_as_uint(float x) { unsigned u; std::memcpy(&u, &x, sizeof u); return u; }""",
    "__uint_as_float": """\
static inline float __uint_as_float(unsigned u) { float x; std::memcpy(&x, &u, sizeof x); return x; }""",
    "__float_as_int": """\
static inline int __float_as_int(float x) { int u; std::memcpy(&u, &x, sizeof u); return u; }""",
    "__int_as_float": """\
static inline float __int_as_float(int u) { float x; std::memcpy(&x, &u, sizeof x); return x; }""",
    "shfl_idx_source": """\
// The thread a warp shuffle reads from (segments of `width` lanes); a lane outside the block
// reads its own value.
static inline unsigned shfl_idx_source(unsigned tid, int src_lane, int width, unsigned nthreads) {
    unsigned base = tid - tid % width, source = base + static_cast<unsigned>(src_lane) % width;
    return source < nthreads ? source : tid;
}""",
    "shfl_up_source": """\
static inline unsigned shfl_up_source(unsigned tid, unsigned delta, int width, unsigned nthreads) {
    return tid % width >= delta ? tid - delta : tid;
}""",
    "shfl_down_source": """\
static inline unsigned shfl_down_source(unsigned tid, unsigned delta, int width, unsigned nthreads) {
    return tid % width + delta < static_cast<unsigned>(width) && tid + delta < nthreads ? tid + delta : tid;
}""",
    "shfl_xor_source": """\
static inline unsigned shfl_xor_source(unsigned tid, int lane_mask, int width, unsigned nthreads) {
    unsigned lane = tid % width, other = lane ^ static_cast<unsigned>(lane_mask);
    return other < static_cast<unsigned>(width) && tid - lane + other < nthreads ? tid - lane + other : tid;
}""",
    "warp_ballot": """\
// A warp vote: bit k is the predicate of lane k of the warp of thread tid.
template <class T> static inline unsigned warp_ballot(const T* predicate, unsigned tid, unsigned nthreads) {
    unsigned first = tid - tid % 32, bits = 0;
    for (unsigned lane = 0; lane < 32 && first + lane < nthreads; ++lane)
        if (predicate[first + lane]) bits |= 1u << lane;
    return bits;
}""",
    "warp_all": """\
template <class T> static inline bool warp_all(const T* predicate, unsigned tid, unsigned nthreads) {
    unsigned first = tid - tid % 32;
    for (unsigned lane = 0; lane < 32 && first + lane < nthreads; ++lane)
        if (!predicate[first + lane]) return false;
    return true;
}""",
}

ERROR_SHIM = """\
// CUDA's error reporting, for the checks kept from the original: nothing can fail on the host.
using cudaError_t = int;
constexpr cudaError_t cudaSuccess = 0;
static inline const char* cudaGetErrorString(cudaError_t) { return "no error"; }"""


def _uses(code: str, name: str) -> bool:
    return re.search(rf"(?<![\w.:>]){re.escape(name)}\b", code) is not None


def preamble(code: str, source_name: str, uses_omp: bool) -> str:
    if "// idiom:" not in code:
        parts = [f"// CPU translation of {source_name} (C++17 + OpenMP): each kernel runs its blocks in parallel\n"
                 "// and the threads of a block one after another, split at every barrier."]
    else:
        parts = [f"// CPU translation of {source_name} (C++17 + OpenMP): kernels whose idiom was recognised are\n"
                 "// plain OpenMP loops (see their `idiom:` comments); others run their blocks in parallel and\n"
                 "// the threads of a block one after another, split at every barrier."]
    headers = list(HEADERS)
    if "std::remove_reference_t" in code:
        headers.append("<type_traits>")
    if "std::vector" in code:
        headers.append("<vector>")
    if "std::numeric_limits" in code:
        headers.append("<limits>")
    if uses_omp:
        headers.append("<omp.h>")
    parts.append("\n".join(f"#include {h}" for h in headers))
    if _uses(code, "dim3"):
        parts.append(GEOMETRY)
    if _uses(code, "thread_index") or _uses(code, "kMaxBlockThreads"):
        parts.append(THREAD_LOOPS)
    if any(_uses(code, n) for n in ("cudaError_t", "cudaSuccess", "cudaGetErrorString")):
        parts.append(ERROR_SHIM)
    helpers = [text for name, text in HELPERS.items()
               if _uses(code, name) and (name == "warpSize" or re.search(rf"\b{name}\s*\(", code)
                                         or name.startswith("select_") and re.search(rf"\b{name}<", code))]
    if helpers:
        parts.append("\n".join(helpers))
    return "\n\n".join(parts) + "\n\n"
