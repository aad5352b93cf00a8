"""Unit-mode harness: one C++ main that calls the entry on every generated case.

Python decides the scalar values of each case (sizes, pinned values, small
random scalars) and writes them to a case file; the harness fills the arrays
from a seeded generator of its own (identical on both sides: the same harness
text is built twice), calls the entry, and writes every output (non-const
pointer arguments after the call, then the return value) to a binary file:
per output, a little-endian u64 element count followed by the raw elements.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

import numpy as np

from ..domains import Domain
from .extents import Extents, evaluate, size_parameters
from .signature import CHAR_BUFFER, CSTRING, CSTRING_ARRAY, HostFunction
from .text_inputs import TEXT_HELPERS, decode_token, string_array_token, string_token, text_fill, text_output

HARNESS_VERSION = "cuda-harness-5"
# Sizes cycle through 1, odd, non-multiples of any block size and large.
SIZES_1D = [1, 3, 257, 4099, 17, 1000, 33, 100, 2, 513]
SIZES_2D = [1, 3, 40, 70, 17, 64, 33, 5, 2, 31]
MAX_ELEMENTS = 1 << 21

# Complex arrays travel as pairs of reals: (element type of the pair, elements per value).
_COMPLEX_PARTS = {"complex64": "float", "complex128": "double"}
_C_TYPES = {"complex64": "float", "complex128": "double", "float32": "float", "float64": "double", "bool": "bool", "int8": "int8_t", "uint8": "uint8_t",
            "int16": "int16_t", "uint16": "uint16_t", "int32": "int32_t", "uint32": "uint32_t",
            "int64": "int64_t", "uint64": "uint64_t"}


@dataclass
class Output:
    name: str
    dtype: str
    text: bool = False  # a char buffer: compared as a C string (up to its NUL)


@dataclass
class Plan:
    cases: list[dict[str, str]]  # per case: scalar name -> C literal
    case_file: str
    outputs: list[Output]
    inputs_summary: list[dict]


def plan_cases(entry: HostFunction, extents: Extents, count: int, seed: int,
               domains: dict[str, Domain] | None = None, first_case: int = 0) -> Plan:
    """`first_case` continues the size schedule (coverage rounds draw other sizes)."""
    rng = random.Random(seed)
    domains = domains or {}
    sizes = size_parameters(extents, entry)
    schedule = SIZES_1D
    for case in range(count):
        values = _sizes_for(case + first_case, sizes, SIZES_1D)
        if any(_elements(expr, entry, values, extents) > MAX_ELEMENTS for expr in extents.shapes.values()):
            schedule = SIZES_2D
            break
    cases, summary = [], []
    for case in range(count):
        values: dict[str, str] = {}
        size_values = _sizes_for(case + first_case, sizes, schedule)
        for param in entry.params:
            if param.dtype == CSTRING:
                values[param.name] = string_token(rng, case + first_case, extents.values.get(param.name),
                                                  domains.get(param.name))
                continue
            if param.dtype == CSTRING_ARRAY:
                values[param.name] = string_array_token(extents.values.get(param.name), domains.get(param.name))
                continue
            if param.pointer:
                continue
            if param.name in extents.values:
                values[param.name] = extents.values[param.name]
            elif param.name in size_values:
                values[param.name] = str(size_values[param.name])
            elif param.struct is not None or param.dtype in _COMPLEX_PARTS:
                # one value per field in field order, or real part then imaginary part; a domain
                # applies to each
                dtypes = [d for _, d in param.struct.fields] if param.struct is not None else ["float64"] * 2
                domain = domains.get(param.name)
                bounds = _domain_bounds(domain, entry, {**size_values, **values}, extents) if domain else None
                values[param.name] = " ".join(_random_scalar(rng, d) if bounds is None
                                              else _scalar_in_domain(rng, case, d, bounds) for d in dtypes)
            elif param.name in domains:
                bounds = _domain_bounds(domains[param.name], entry, {**size_values, **values}, extents)
                values[param.name] = _scalar_in_domain(rng, case, param.dtype, bounds)
            elif param.dtype in ("float32", "float64"):
                values[param.name] = repr(round(rng.uniform(-2.0, 2.0), 6))
            elif param.dtype == "bool":
                values[param.name] = str(rng.randint(0, 1))
            else:
                values[param.name] = str(rng.randint(1, 9))
        cases.append(values)
        shown = {p.name: decode_token(values[p.name], p.dtype) for p in entry.params
                 if p.dtype in (CSTRING, CSTRING_ARRAY)}
        summary.append({"case": case, **values, **shown,
                        **{f"len({name})": _elements(expr, entry, values, extents)
                           for name, expr in extents.shapes.items()}})
    lines = [str(count)]
    # One unrelated 63-bit seed per case (the harness hashes it again per array).
    case_seeds = random.Random(f"transverify-cases-{seed}")
    for case, values in enumerate(cases):
        seed_value = case_seeds.getrandbits(63)
        lines.append(" ".join([str(seed_value)] + [values[p.name] for p in entry.params
                                                    if not p.pointer or p.dtype == CSTRING_ARRAY]))
    outputs = []
    for p in entry.params:
        if p.is_output and p.struct is not None:  # one output per field, by the source's field names
            outputs += [Output(f"{p.name}.{field}", dtype) for field, dtype in p.struct.fields]
        elif p.is_output and p.dtype == CHAR_BUFFER:
            outputs.append(Output(p.name, "uint8", text=True))
        elif p.is_output:
            outputs.append(Output(p.name, p.dtype))
    if entry.return_dtype:
        outputs.append(Output("result", entry.return_dtype))
    return Plan(cases=cases, case_file="\n".join(lines) + "\n", outputs=outputs, inputs_summary=summary)


def _random_scalar(rng: random.Random, dtype: str) -> str:
    if dtype in ("float32", "float64"):
        return repr(round(rng.uniform(-2.0, 2.0), 6))
    if dtype == "bool":
        return str(rng.randint(0, 1))
    return str(rng.randint(1, 9))


def _domain_bounds(domain: Domain, entry: HostFunction, values: dict, extents: Extents) -> tuple[float, float]:
    """A scalar's domain in this case: len(ARRAY) stands for ARRAY's extent."""
    if domain.numeric is not None:
        return domain.numeric
    bounds = []
    for text in (domain.lo, domain.hi):
        expr = re.sub(r"len\(\s*([A-Za-z_]\w*)\s*\)",
                      lambda m: f"({_elements(extents.shapes.get(m.group(1), '1'), entry, values, extents)})", text)
        try:
            bounds.append(float(evaluate(expr, {})))
        except (ValueError, KeyError, ZeroDivisionError):
            bounds.append(0.0)
    return bounds[0], bounds[1]


def _scalar_in_domain(rng: random.Random, case: int, dtype: str, bounds: tuple[float, float]) -> str:
    """Boundaries first (lo in case 0, hi in case 1), then values drawn inside the domain."""
    lo, hi = bounds
    if dtype in ("float32", "float64"):
        value = lo if case == 0 else hi if case == 1 else rng.uniform(lo, hi)
        return repr(round(value, 6))
    lo_i, hi_i = int(lo), int(hi)
    if dtype == "bool":
        lo_i, hi_i = max(0, lo_i), min(1, hi_i)
    value = lo_i if case == 0 else hi_i if case == 1 else rng.randint(lo_i, max(lo_i, hi_i))
    return str(value)


def _sizes_for(case: int, names: list[str], schedule: list[int]) -> dict[str, int]:
    return {name: schedule[(case + 3 * j) % len(schedule)] for j, name in enumerate(names)}


def _elements(expr: str, entry: HostFunction, values: dict, extents: Extents) -> int:
    scalars = {}
    for p in entry.params:
        if not p.pointer:
            raw = values.get(p.name, extents.values.get(p.name, "1"))
            try:
                scalars[p.name] = int(float(raw))
            except ValueError:
                scalars[p.name] = 1
    try:
        return evaluate(expr, scalars)
    except (ValueError, KeyError, ZeroDivisionError):
        return 0


def harness_source(entry: HostFunction, extents: Extents, cuda_side: bool, reference: HostFunction | None = None,
                   domains: dict[str, Domain] | None = None) -> str:
    """C++ text of the harness for one side (its own prototype of the entry).

    Parameters are matched by position: `reference` (the source's entry, default `entry`) names
    them in extents and domains; the harness's own variables are tv_p<index>, so parameter
    names (the candidate's or the source's) never clash with the harness's."""
    reference = reference or entry
    domains = domains or {}
    names = [p.name for p in reference.params]
    local = {name: f"tv_p{index}" for index, name in enumerate(names)}
    params = ", ".join(p.declaration for p in entry.params)
    # Types are read without "std::"; the prototype needs it back for std::complex.
    returns = f"std::{entry.return_text}" if entry.return_text.startswith("complex<") else entry.return_text
    prototype = f"{returns} {entry.name}({params});"
    if entry.extern_c:
        prototype = f'extern "C" {prototype}'
    lines = [
        "// Generated by transverify: calls the entry on each case of the case file.",
        "#include <cstdint>", "#include <cstdio>", "#include <cstdlib>", "#include <cstring>", "#include <cstddef>",
        "#include <cmath>", "#include <type_traits>",
    ]
    if cuda_side:
        # The CPU path builds the harness without the execution layer's header
        # (half the build time); the layer exports tvcuda_pending_error for it.
        lines += ["#ifdef TV_GPU_BUILD", "#include <cuda_runtime.h>",
                  "static const char* tv_pending_cuda_error() { cudaDeviceSynchronize(); "
                  "cudaError_t e = cudaGetLastError(); return e == cudaSuccess ? nullptr : cudaGetErrorString(e); }",
                  "#else", 'extern "C" const char* tvcuda_pending_error();',
                  "static const char* tv_pending_cuda_error() { return tvcuda_pending_error(); }", "#endif"]
    lines += _complex_declarations(entry, cuda_side)
    # This side's own definitions of its struct types (names and field names are its own).
    lines += list(dict.fromkeys(p.struct.definition for p in entry.params if p.struct is not None))
    texts = any(p.dtype in (CSTRING, CHAR_BUFFER, CSTRING_ARRAY) for p in entry.params)
    lines += [prototype, _HELPERS, TEXT_HELPERS if texts else "", "int main(int argc, char** argv) {",
              "  if (argc < 3) return 64;",
              "  FILE* in = std::fopen(argv[1], \"r\");",
              "  FILE* out = std::fopen(argv[2], \"wb\");",
              "  if (!in || !out) { std::perror(\"transverify harness\"); return 65; }",
              "  int ncases = 0;",
              "  if (std::fscanf(in, \"%d\", &ncases) != 1) return 66;",
              "  for (int tv_case = 0; tv_case < ncases; ++tv_case) {",
              "    unsigned long long tv_seed = next_u64(in);"]
    for index, param in enumerate(entry.params):
        if param.dtype == CSTRING:
            lines.append(f"    char* tv_p{index} = next_text(in);")
        elif param.dtype == CSTRING_ARRAY:
            lines.append(f"    tv_strings tv_list_{index} = next_strings(in);")
        elif not param.pointer:
            lines += _scalar_by_value(index, param)
    # Every extent first: an index domain ("0 : len(bins)-1") reads another array's length.
    for index, param in enumerate(entry.params):
        if param.pointer:
            extent = _rename(extents.shapes[names[index]], local)
            lines += [
                f"    long long tv_len_{index} = static_cast<long long>({extent});",
                f"    if (tv_len_{index} < 0 || tv_len_{index} > (1LL << 28)) {{ std::fprintf(stderr, "
                f"\"transverify harness: extent of '{names[index]}' is %lld\\n\", tv_len_{index}); return 67; }}",
            ]
    lengths = {name: f"tv_len_{index}" for index, name in enumerate(names) if reference.params[index].pointer}
    args = []
    for index, param in enumerate(entry.params):
        if not param.pointer:
            args.append(f"tv_p{index}")
            continue
        if param.struct is not None:
            lines += _struct_array(index, param, array_seed=f"mix64(tv_seed ^ {index + 1}ULL * 0xD1B54A32D192ED03ULL)",
                                   domain=domains.get(names[index]), lengths=lengths, local=local)
            args.append(f"tv_arr_{index}")
            continue
        if param.dtype in (CHAR_BUFFER, CSTRING_ARRAY):
            fill, arg = text_fill(index, param, f"mix64(tv_seed ^ {index + 1}ULL * 0xD1B54A32D192ED03ULL)",
                                  domains.get(names[index]))
            lines += fill
            args.append(arg)
            continue
        ctype = _C_TYPES[param.dtype]
        parts = 2 if param.dtype in _COMPLEX_PARTS else 1
        count = f"tv_len_{index}" if parts == 1 else f"2 * tv_len_{index}"
        # Each array of each case from its own hashed seed: no two arrays share a stream.
        array_seed = f"mix64(tv_seed ^ {index + 1}ULL * 0xD1B54A32D192ED03ULL)"
        domain = domains.get(names[index])
        if domain is not None:
            lo, hi = (_c_bound(bound, lengths, local) for bound in (domain.lo, domain.hi))
            fill = (f"fill_domain(tv_arr_{index}, {count}, {array_seed}, (double)({lo}), (double)({hi}), "
                    f"tv_case % 2 == 1);")
        else:
            fill = (f"fill(tv_arr_{index}, {count}, {array_seed}, {'true' if param.const else 'false'}, "
                    f"tv_case % 2 == 1);")
        lines += [f"    {ctype}* tv_arr_{index} = new {ctype}[{count}];", f"    {fill}"]
        # A complex array is passed as the side's own complex type (same layout: real, imaginary).
        args.append(f"tv_arr_{index}" if parts == 1 else f"reinterpret_cast<{_complex_spelling(param)}*>(tv_arr_{index})")
    call = f"{entry.name}({', '.join(args)})"
    if entry.return_dtype in _COMPLEX_PARTS:  # written as its two parts
        lines.append(f"    {_C_TYPES[entry.return_dtype]} tv_result[2]; {{ auto tv_z = {call}; "
                     f"static_assert(sizeof tv_z == sizeof tv_result, \"complex result\"); "
                     f"std::memcpy(tv_result, &tv_z, sizeof tv_result); }}")
    elif entry.return_dtype:
        lines.append(f"    {_C_TYPES[entry.return_dtype]} tv_result = static_cast<{_C_TYPES[entry.return_dtype]}>({call});")
    else:
        lines.append(f"    {call};")
    if cuda_side:
        lines += ["    if (const char* tv_err = tv_pending_cuda_error()) { std::fprintf(stderr, \"tvcuda launch error: "
                  "%s (reported by cudaGetLastError after the call)\\n\", tv_err); return 3; }"]
    for index, param in enumerate(entry.params):
        if param.is_output and param.struct is not None:
            for field, dtype in param.struct.fields:
                ctype = _C_TYPES[dtype]
                lines.append(f"    {{ {ctype}* tv_tmp = new {ctype}[tv_len_{index} ? tv_len_{index} : 1]; "
                             f"for (long long k = 0; k < tv_len_{index}; ++k) tv_tmp[k] = tv_arr_{index}[k].{field}; "
                             f"emit(out, tv_tmp, tv_len_{index}, 1); delete[] tv_tmp; }}")
        elif param.is_output and param.dtype == CHAR_BUFFER:
            lines.append(text_output(index))
        elif param.is_output:
            parts = 2 if param.dtype in _COMPLEX_PARTS else 1
            lines.append(f"    emit(out, tv_arr_{index}, tv_len_{index}, {parts});")
    if entry.return_dtype in _COMPLEX_PARTS:
        lines.append("    emit(out, tv_result, 1, 2);")
    elif entry.return_dtype:
        lines.append("    emit(out, &tv_result, 1, 1);")
    for index, param in enumerate(entry.params):
        if param.dtype == CSTRING:
            lines.append(f"    std::free(tv_p{index});")
        elif param.dtype == CSTRING_ARRAY:
            lines.append(f"    free_strings(tv_arr_{index}, tv_len_{index});")
        elif param.pointer:
            lines.append(f"    delete[] tv_arr_{index};")
    lines += ["  }", "  std::fclose(out);", "  return 0;", "}", ""]
    return "\n".join(lines)


def _scalar_by_value(index: int, param) -> list[str]:
    """A scalar parameter read from the case file: arithmetic, complex (two parts, copied into
    this side's complex type: std::complex and cuComplex.h's share the layout) or a POD struct
    (its fields in order, by this side's field names)."""
    def read(dtype: str) -> str:
        ctype = _C_TYPES[dtype]
        reader = "next_double(in)" if dtype in ("float32", "float64", "complex64", "complex128") else "next_i64(in)"
        return f"static_cast<{ctype}>({reader})"

    if param.struct is not None:
        assigns = " ".join(f"tv_p{index}.{field} = {read(dtype)};" for field, dtype in param.struct.fields)
        return [f"    {param.struct.name} tv_p{index}; {assigns}"]
    if param.dtype in _COMPLEX_PARTS:
        ctype = _C_TYPES[param.dtype]
        spelling = _complex_spelling(param)
        return [f"    {spelling} tv_p{index}; {{ {ctype} tv_parts[2]; tv_parts[0] = {read(param.dtype)}; "
                f"tv_parts[1] = {read(param.dtype)}; static_assert(sizeof tv_p{index} == sizeof tv_parts, "
                f"\"complex layout\"); std::memcpy(&tv_p{index}, tv_parts, sizeof tv_parts); }}"]
    ctype = _C_TYPES[param.dtype]
    return [f"    {ctype} tv_p{index} = {read(param.dtype)};"]


def _struct_array(index: int, param, array_seed: str, domain, lengths: dict, local: dict) -> list[str]:
    """An array of a POD struct, each field filled like an array of its own (fields matched by
    position, so both sides get the same values whatever their field names)."""
    lines = [f"    {param.struct.name}* tv_arr_{index} = new {param.struct.name}[tv_len_{index}];"]
    for number, (field, dtype) in enumerate(param.struct.fields):
        ctype = _C_TYPES[dtype]
        seed = f"mix64({array_seed} ^ {number + 1}ULL * 0x9E3779B97F4A7C15ULL)"
        if domain is not None:
            lo, hi = (_c_bound(bound, lengths, local) for bound in (domain.lo, domain.hi))
            fill = f"fill_domain(tv_tmp, tv_len_{index}, {seed}, (double)({lo}), (double)({hi}), tv_case % 2 == 1);"
        else:
            fill = f"fill(tv_tmp, tv_len_{index}, {seed}, {'true' if param.const else 'false'}, tv_case % 2 == 1);"
        lines.append(f"    {{ {ctype}* tv_tmp = new {ctype}[tv_len_{index} ? tv_len_{index} : 1]; {fill} "
                     f"for (long long k = 0; k < tv_len_{index}; ++k) tv_arr_{index}[k].{field} = tv_tmp[k]; "
                     f"delete[] tv_tmp; }}")
    return lines


def _complex_spelling(param) -> str:
    return f"std::{param.type_text}" if param.type_text.startswith("complex<") else param.type_text


def _complex_declarations(entry: HostFunction, cuda_side: bool) -> list[str]:
    """What the harness needs to spell the entry's complex parameter types."""
    types = {p.type_text for p in entry.params if p.dtype in _COMPLEX_PARTS}
    if entry.return_dtype in _COMPLEX_PARTS:
        types.add(entry.return_text)
    lines = ["#include <complex>"] if any(t.startswith("complex<") for t in types) else []
    if types - {"complex<float>", "complex<double>"}:
        # cuComplex.h's types are float2/double2; on the CPU path the layer defines those
        # structs, and the harness (built without the layer's header) only needs their names.
        # Complete types: complex scalars are passed by value. Same definitions as the layer's.
        lines += ["#ifdef TV_GPU_BUILD", "#include <cuComplex.h>", "#else",
                  "struct float2 { float x, y; }; struct double2 { double x, y; };",
                  "typedef float2 cuFloatComplex; typedef double2 cuDoubleComplex; typedef float2 cuComplex;",
                  "#endif"] if cuda_side else ["#include <cuComplex.h>"]
    return lines


def _rename(expr: str, local: dict[str, str]) -> str:
    """A C++ expression over parameter names, over the harness's variables instead."""
    return re.sub(r"[A-Za-z_]\w*", lambda m: local.get(m.group(0), m.group(0)), expr)


def _c_bound(bound: str, lengths: dict[str, str], local: dict[str, str]) -> str:
    """A domain bound: a number, or an expression with len(ARRAY) for an array's extent."""
    text = re.sub(r"len\(\s*([A-Za-z_]\w*)\s*\)", lambda m: lengths.get(m.group(1), "0"), bound)
    return _rename(text, local)


_HELPERS = r"""
namespace {
unsigned long long next_u64(FILE* in) { unsigned long long v = 0; if (std::fscanf(in, "%llu", &v) != 1) std::exit(66); return v; }
long long next_i64(FILE* in) { char buf[64]; if (std::fscanf(in, "%63s", buf) != 1) std::exit(66);
  if (!std::strcmp(buf, "true")) return 1; if (!std::strcmp(buf, "false")) return 0; return (long long)std::strtod(buf, nullptr); }
double next_double(FILE* in) { char buf[64]; if (std::fscanf(in, "%63s", buf) != 1) std::exit(66); return std::strtod(buf, nullptr); }
unsigned long long splitmix(unsigned long long& s) {
  unsigned long long z = (s += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL; z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL; return z ^ (z >> 31); }
// A full 64-bit hash: distinct seeds give unrelated streams (seed + k would give the
// stream of seed shifted by k elements).
unsigned long long mix64(unsigned long long z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL; z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL; return z ^ (z >> 31); }
double unit(unsigned long long& s) { return double(splitmix(s) >> 11) * (1.0 / 9007199254740992.0); }
// Reals: non-zero in [-1, 1]. Integers: inputs in [0, 1000) (they often index or bin),
// in/out arrays non-zero in [-1000, 1000] so that a forgotten initialisation shows.
// In boundary cases about one element in 16 is an extreme of that range instead.
template <class T> void fill(T* p, long long n, unsigned long long s, bool input, bool boundary) {
  const long long int_hi = std::is_same<T, int8_t>::value || std::is_same<T, uint8_t>::value ? 100 : 1000;
  for (long long i = 0; i < n; ++i) {
    unsigned long long r = splitmix(s);
    bool edge = boundary && (r & 15u) == 0;
    if (std::is_floating_point<T>::value) { double v = 2.0 * unit(s) - 1.0; if (v == 0.0) v = 0.5;
      p[i] = T(edge ? ((r >> 4) & 1u ? 1.0 : -1.0) : v); }
    else if (std::is_same<T, bool>::value) p[i] = T(splitmix(s) & 1u);
    else if (input || !std::is_signed<T>::value) p[i] = T(edge ? ((r >> 4) & 1u ? int_hi - 1 : 0) : (long long)(splitmix(s) % (unsigned long long)int_hi));
    else { long long v = (long long)(splitmix(s) % 2000u) - 1000; if (edge) v = (r >> 4) & 1u ? 1000 : -1000; p[i] = T(v == 0 ? 7 : v); }
  }
}
// Values in [lo, hi] (integers inclusive), for a declared or inferred domain. In boundary
// cases about one element in 8 is lo, hi, or 0/1/-1 where inside the domain.
template <class T> void fill_domain(T* p, long long n, unsigned long long s, double lo, double hi, bool boundary) {
  if (hi < lo) hi = lo;
  double edges[5] = {lo, hi, 0.0, 1.0, -1.0};
  int nedges = 2;
  for (int k = 2; k < 5; ++k) if (edges[k] >= lo && edges[k] <= hi) edges[nedges++] = edges[k];
  for (long long i = 0; i < n; ++i) {
    unsigned long long r = splitmix(s);
    double v;
    if (boundary && (r & 7u) == 0) v = edges[(r >> 3) % (unsigned long long)nedges];
    else if (std::is_floating_point<T>::value) v = lo + unit(s) * (hi - lo);
    else { long long a = (long long)std::ceil(lo), b = (long long)std::floor(hi); if (b < a) b = a;
      v = double(a + (long long)(splitmix(s) % (unsigned long long)(b - a + 1))); }
    p[i] = T(v);
  }
}
// n values of `parts` elements each (2 for a complex array stored as pairs of reals).
template <class T> void emit(FILE* out, const T* p, long long n, int parts) {
  unsigned long long count = (unsigned long long)n; std::fwrite(&count, 8, 1, out);
  if (n) std::fwrite(p, sizeof(T), (size_t)(n * parts), out);
}
}  // namespace
"""


def read_outputs(data: bytes, plan: Plan) -> list[dict[str, np.ndarray]]:
    """Per case, output name -> values, from the harness's binary file."""
    results: list[dict[str, np.ndarray]] = []
    offset = 0
    for _case in plan.cases:
        values = {}
        for output in plan.outputs:
            if offset + 8 > len(data):
                return results
            count = int.from_bytes(data[offset:offset + 8], "little")
            offset += 8
            dtype = np.dtype(output.dtype)
            size = count * dtype.itemsize
            if offset + size > len(data):
                return results
            values[output.name] = np.frombuffer(data[offset:offset + size], dtype=dtype).copy()
            offset += size
        results.append(values)
    return results
