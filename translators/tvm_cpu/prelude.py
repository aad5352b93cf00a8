"""The C++ helpers at the top of every emitted file (an anonymous namespace, no TVM at run time).

TIR's floor division and modulo, by-value max/min, CUDA's bit reversal, and float exp and tanh written branch-free so
that `omp simd` loops vectorise them without -ffast-math (std::exp and std::tanh are library
calls g++ vectorises only with it, or not at all).
"""

PRELUDE = """#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <vector>

namespace {
// Floor division and modulo of TIR (C++'s / and % truncate).
template <typename T> inline T tv_floordiv(T a, T b) { T q = a / b; return (q * b != a && ((a < 0) != (b < 0))) ? q - 1 : q; }
template <typename T> inline T tv_floormod(T a, T b) { return a - tv_floordiv(a, b) * b; }
// std::max/std::min by value: their reference parameters bound to temporaries stop GCC from
// vectorising an omp simd loop ("data ref analysis failed"); same results ((a < b) ? b : a).
template <typename T> inline T tv_max(T a, T b) { return a < b ? b : a; }
template <typename T> inline T tv_min(T a, T b) { return b < a ? b : a; }
// CUDA's __brev: the bits in reverse order.
inline uint32_t tv_brev(uint32_t v) {
    v = ((v >> 1) & 0x55555555u) | ((v & 0x55555555u) << 1);
    v = ((v >> 2) & 0x33333333u) | ((v & 0x33333333u) << 2);
    v = ((v >> 4) & 0x0F0F0F0Fu) | ((v & 0x0F0F0F0Fu) << 4);
    v = ((v >> 8) & 0x00FF00FFu) | ((v & 0x00FF00FFu) << 8);
    return (v >> 16) | (v << 16);
}
// expf without a library call, branch-free, so simd loops vectorise it without -ffast-math:
// at most 1 ulp from glibc's expf over all 2^32 floats, infinities, zeros, subnormals and NaN
// included. Cephes's reduction x = n*ln2 + r, |r| <= ln2/2, and its polynomial for exp(r).
// Written so that -ffast-math's reassociation cannot overflow or unround it (within 5 ulp then).
inline float tv_bits_float(int32_t bits) { float f; std::memcpy(&f, &bits, sizeof f); return f; }
inline int32_t tv_float_bits(float f) { int32_t bits; std::memcpy(&bits, &f, sizeof bits); return bits; }
inline float tv_expf(float x) {
    const float hi = 88.72283172607421875f, lo = -103.97207708f;  // expf is inf above hi, 0 below lo
    float xc = x < lo ? lo : x;
    xc = xc > hi ? hi : xc;
    xc = x == x ? xc : 0.0f;
    // n = round(x / ln2): nearbyint is one vector instruction here (SSE4.1 round) and, unlike the
    // (a + c) - c trick, not folded away by -ffast-math
    const float n = std::nearbyint(xc * 1.44269504088896341f);
    const int32_t k = static_cast<int32_t>(n);
    const float r = (xc - n * 0.693359375f) + n * 2.12194440e-4f;
    float p = 1.9875691500e-4f;
    p = p * r + 1.3981999507e-3f;
    p = p * r + 8.3334519073e-3f;
    p = p * r + 4.1665795894e-2f;
    p = p * r + 1.6666665459e-1f;
    p = p * r + 5.0000001201e-1f;
    p = p * (r * r) + r + 1.0f;
    // times 2^k: k + K added to p's exponent (a normal number for every k), then one multiplication
    // by 2^-K, so a subnormal result rounds once; no float operation under a condition, so g++
    // vectorises it without -ffast-math (it does not speculate a float operation that may trap)
    const int32_t K = k < 0 ? 64 : 0;
    const float scaled = tv_bits_float(tv_float_bits(p) + static_cast<int32_t>(static_cast<uint32_t>(k + K) << 23));
    float v = scaled * tv_bits_float((127 - K) << 23);
    v = x > hi ? std::numeric_limits<float>::infinity() : v;
    v = x < lo ? 0.0f : v;
    return x == x ? v : x + x;
}
// tanhf the same way, for GELU and friends: at most 2 ulp from glibc's tanhf over all floats.
// Cephes's odd polynomial below 0.625, 1 - 2 / (exp(2|x|) + 1) above.
inline float tv_tanhf(float x) {
    const float a = std::fabs(x), z = x * x;
    float p = -5.70498872745e-3f;
    p = p * z + 2.06390887954e-2f;
    p = p * z - 5.37397155531e-2f;
    p = p * z + 1.33314422036e-1f;
    p = p * z - 3.33332819422e-1f;
    const float small = p * z * x + x;
    float large = 1.0f - 2.0f / (tv_expf(a + a) + 1.0f);
    large = x < 0.0f ? -large : large;
    return a < 0.625f ? small : (x == x ? large : x + x);
}
}  // namespace
"""
