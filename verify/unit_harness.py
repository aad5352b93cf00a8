"""Generate the unit-mode harness: a bind(C) Fortran wrapper and one driver per side.

Public API:
  fortran_wrapper(proc) -> str           bind(C) subroutine `tv_reference` that calls the user's
                                         routine through an explicit interface (or `use module`),
                                         converting 1-byte C booleans to Fortran LOGICAL and
                                         passing VALUE arguments by value
  reference_driver(proc) -> str          C program: read inputs, call tv_reference per case,
                                         write outputs
  candidate_driver(proc, fn, include) -> str
                                         C++ program that #includes the candidate, checks each
                                         parameter's type with static_assert and calls it per case
  check_candidate_signature(proc, fn) -> list[(line, message)]
                                         convention violations found before compiling
  signature_warnings(proc, fn) -> list[str]
                                         const/by-value parameters for outputs (likely bugs)

Both drivers read the same input file (unit_inputs.write_inputs) and write the same
output layout (unit_inputs.read_outputs), flushing after every case so the case that
crashed is known, and a mark after the last case (returned_from_every_case): a routine that
ends the program (STOP) exits with status 0 but never writes it. Every generated name starts with `tv_` to stay clear of user names.
"""

from __future__ import annotations

from .cpp_signature import CppFunction
from .fortran_signature import ASSUMED_LENGTH, Arg, Procedure
from .legacy_runtime import cpp_runtime

_C_KIND = {("integer", 4): "c_int32_t", ("integer", 8): "c_int64_t", ("real", 4): "c_float",
           ("real", 8): "c_double", ("logical", 4): "c_bool", ("logical", 1): "c_bool",
           ("complex", 4): "c_float_complex", ("complex", 8): "c_double_complex"}
_C_TYPE = {("integer", 4): "int32_t", ("integer", 8): "int64_t", ("real", 4): "float", ("real", 8): "double",
           ("logical", 4): "unsigned char", ("logical", 1): "unsigned char", ("character", 1): "char",
           ("character", 0): "char", ("complex", 4): "float _Complex", ("complex", 8): "double _Complex"}
_CPP_CHECK = {("integer", 4): ("tv_is_int32", "int (Fortran integer)"),
              ("integer", 8): ("tv_is_int64", "long long, long or int64_t (Fortran integer(8))"),
              ("real", 4): ("tv_is_float", "float (Fortran real)"),
              ("real", 8): ("tv_is_double", "double (Fortran real(8) / double precision)"),
              ("logical", 4): ("tv_is_bool", "bool (Fortran logical)"),
              ("logical", 1): ("tv_is_bool", "bool (Fortran logical)"),
              ("character", 1): ("tv_is_char", "char (Fortran character(len=1))"),
              ("character", 0): ("tv_is_char", "const char* (Fortran character(len=*))"),
              ("complex", 4): ("tv_is_cfloat", "std::complex<float> (Fortran complex)"),
              ("complex", 8): ("tv_is_cdouble", "std::complex<double> (Fortran complex(8) / double complex)")}


def _is_string(arg: Arg) -> bool:
    return arg.is_character and arg.kind == ASSUMED_LENGTH


def _counted(arg: Arg) -> bool:
    """Passed with an extra length: logical arrays (converted element by element) and strings."""
    return (arg.is_array and arg.base == "logical") or _is_string(arg)


def _ftype(arg: Arg) -> str:
    if arg.struct is not None:  # bind(C): the same type on both sides of the wrapper
        return f"type({arg.struct.name})"
    kind = _C_KIND[(arg.base, arg.kind)]
    return f"{arg.base}({kind})"


def _user_ftype(arg: Arg) -> str:
    """The user's own type, for the explicit interface (kinds as byte counts work in gfortran)."""
    if arg.is_character:
        if _is_string(arg):
            return f"character(len={arg.char_len})" if arg.char_len else "character(len=*)"
        return "character(len=1)"
    if arg.struct is not None:
        return f"type({arg.struct.name})"
    return f"{arg.base}({arg.kind})"


def fortran_wrapper(proc: Procedure) -> str:
    lines = []
    dummies = [f"tv_a{i}" for i, a in enumerate(proc.args) if not a.is_procedure]
    counts = [f"tv_n{i}" for i, a in enumerate(proc.args) if _counted(a)]
    formal = (dummies + (["tv_res"] if proc.result is not None else []) + counts
              + (["tv_xinfo"] if proc.xerbla_output else []))
    lines.append(f"subroutine tv_reference({', '.join(formal)}) bind(C, name='tv_reference')")
    lines.append("  use, intrinsic :: iso_c_binding")
    types = _struct_types(proc)
    if proc.module:
        own = [t.name for t in types if t.module == proc.module]
        lines.append(f"  use {proc.module}, only: {', '.join([proc.name, *own])}")
    for t in types:
        if t.module and t.module != proc.module:
            lines.append(f"  use {t.module}, only: {t.name}")
    for module, names in _procedure_modules(proc).items():
        lines.append(f"  use {module}, only: {', '.join(names)}")
    if proc.xerbla_output:
        lines.append("  use tv_legacy_state, only: tv_xerbla_info")
    lines.append("  implicit none")
    # A bind(C) type defined in the procedure itself: an identical definition is the same type.
    lines.extend(t.text for t in types if not t.module)
    if not proc.module:
        lines.extend(_interface(proc))
    lines.extend(_procedure_declarations(proc))
    if proc.xerbla_output:
        lines.append("  integer(c_int32_t), intent(out) :: tv_xinfo")
    for i, arg in enumerate(proc.args):
        if arg.is_procedure:
            continue
        if arg.is_character:
            shape = "(*)" if _is_string(arg) else ""
            lines.append(f"  character(kind=c_char), intent(in) :: tv_a{i}{shape}")
            if _is_string(arg):
                lines.append(f"  integer(c_int64_t), value :: tv_n{i}")
                lines.append(f"  character(len=:), allocatable :: tv_s{i}")
                lines.append(f"  integer(c_int64_t) :: tv_k{i}")
            continue
        shape = "(*)" if arg.is_array else ""
        lines.append(f"  {_ftype(arg)}, intent(inout) :: tv_a{i}{shape}")
        if arg.is_array and arg.base == "logical":
            lines.append(f"  integer(c_int64_t), value :: tv_n{i}")
            lines.append(f"  logical({arg.kind}), allocatable :: tv_l{i}(:)")
        elif arg.base == "logical":
            lines.append(f"  logical({arg.kind}) :: tv_l{i}")
    if proc.result is not None:
        lines.append(f"  {_ftype(proc.result)}, intent(out) :: tv_res")
    for i, arg in enumerate(proc.args):
        if _is_string(arg):
            lines.append(f"  allocate(character(len=tv_n{i}) :: tv_s{i})")
            lines.append(f"  do tv_k{i} = 1, tv_n{i}")
            lines.append(f"    tv_s{i}(tv_k{i}:tv_k{i}) = tv_a{i}(tv_k{i})")
            lines.append("  end do")
        if arg.base == "logical" and arg.is_array:
            lines.append(f"  allocate(tv_l{i}(tv_n{i}))")
            lines.append(f"  tv_l{i} = logical(tv_a{i}(1:tv_n{i}), {arg.kind})")
        elif arg.base == "logical":
            lines.append(f"  tv_l{i} = logical(tv_a{i}, {arg.kind})")
    if proc.xerbla_output:
        lines.append("  tv_xerbla_info = 0")
    actual = ", ".join(_wrapper_actual(i, a) for i, a in enumerate(proc.args))
    if proc.result is None:
        lines.append(f"  call {proc.name}({actual})")
    elif proc.result.base == "logical":
        lines.append(f"  tv_res = logical({proc.name}({actual}), c_bool)")
    else:
        lines.append(f"  tv_res = {proc.name}({actual})")
    for i, arg in enumerate(proc.args):
        if arg.base == "logical" and arg.is_array:
            lines.append(f"  tv_a{i}(1:tv_n{i}) = logical(tv_l{i}, c_bool)")
        elif arg.base == "logical":
            lines.append(f"  tv_a{i} = logical(tv_l{i}, c_bool)")
    if proc.xerbla_output:
        lines.append("  tv_xinfo = tv_xerbla_info")
    lines.append("end subroutine tv_reference")
    text = "\n".join(folded for line in lines for folded in _fold_free_form(line)) + "\n"
    if proc.commons:
        from .common_blocks import fortran_common_io
        text += "\n" + fortran_common_io(proc.commons)
    return text


def _fold_free_form(line: str, width: int = 100) -> list[str]:
    """Split a generated line at ', ' with '&' continuations: long argument lists
    (a dozen arguments with descriptive names) would exceed gfortran's 132-column
    free-form limit."""
    if len(line) <= width:
        return [line]
    pieces, current = [], ""
    for part in line.split(", "):
        candidate = f"{current}, {part}" if current else part
        if current and len(candidate) > width:
            pieces.append(current + ", &")
            current = "      " + part
        else:
            current = candidate
    pieces.append(current)
    return pieces


def _wrapper_actual(i: int, arg: Arg) -> str:
    if arg.is_procedure:
        return arg.actual or arg.name
    if _is_string(arg):
        return f"tv_s{i}"
    return f"tv_l{i}" if arg.base == "logical" else f"tv_a{i}"


def _procedure_modules(proc: Procedure) -> dict[str, list[str]]:
    """Module procedures passed as actual procedure arguments: `use m, only: f`."""
    modules: dict[str, list[str]] = {}
    for arg in proc.args:
        if arg.is_procedure and arg.actual_module:
            names = modules.setdefault(arg.actual_module, [])
            if arg.actual not in names and not (arg.actual_module == proc.module and arg.actual == proc.name):
                names.append(arg.actual)
    return modules


def _procedure_declarations(proc: Procedure) -> list[str]:
    """External procedures passed as actual arguments: `real(8), external :: f`."""
    lines, seen = [], set()
    for arg in proc.args:
        if arg.is_procedure and not arg.actual_module and arg.actual not in seen:
            seen.add(arg.actual)
            kind = f"{arg.actual_type}, " if arg.actual_type else ""
            lines.append(f"  {kind}external :: {arg.actual}")
    return lines


def _interface(proc: Procedure) -> list[str]:
    names = ", ".join(a.name for a in proc.args)
    out = ["  interface"]
    if proc.result is None:
        out.append(f"    subroutine {proc.name}({names})")
    else:
        out.append(f"    function {proc.name}({names}) result(tv_r)")
    if _struct_types(proc):
        out.append(f"      import :: {', '.join(t.name for t in _struct_types(proc))}")
    for arg in proc.args:
        if arg.is_procedure:
            kind = f"{arg.actual_type}, " if arg.actual_type else ""
            out.append(f"      {kind}external :: {arg.name}")
            continue
        attrs = ", value" if arg.value else ""
        shape = "(*)" if arg.is_array else ""
        out.append(f"      {_user_ftype(arg)}{attrs} :: {arg.name}{shape}")
    if proc.result is not None:
        out.append(f"      {_user_ftype(proc.result)} :: tv_r")
        out.append(f"    end function {proc.name}")
    else:
        out.append(f"    end subroutine {proc.name}")
    out.append("  end interface")
    return out


_DRIVER_HEAD = r"""
static unsigned char *tv_buf;
static size_t tv_pos, tv_len;
static void tv_read(void *dst, size_t n) {
  if (tv_pos + n > tv_len) { fprintf(stderr, "transverify: input file truncated\n"); exit(97); }
  memcpy(dst, tv_buf + tv_pos, n);
  tv_pos += n;
}
static int64_t tv_count(void) { int64_t c; tv_read(&c, sizeof c); return c; }
static void *tv_alloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) { fprintf(stderr, "transverify: out of memory\n"); exit(98); }
  return p;
}
static void tv_load(const char *path) {
  FILE *f = fopen(path, "rb");
  if (!f) { perror(path); exit(96); }
  fseek(f, 0, SEEK_END);
  tv_len = (size_t)ftell(f);
  fseek(f, 0, SEEK_SET);
  tv_buf = (unsigned char *)tv_alloc(tv_len);
  if (fread(tv_buf, 1, tv_len, f) != tv_len) { perror(path); exit(96); }
  fclose(f);
}
"""


def _struct_types(proc: Procedure) -> list:
    return list({a.struct.name: a.struct for a in proc.args if a.struct is not None}.values())


def _c_type(arg: Arg) -> str:
    """The C driver's type of an argument: a bind(C) struct is carried as its bytes."""
    return f"tv_s_{arg.struct.name}" if arg.struct is not None else _C_TYPE[(arg.base, arg.kind)]


def reference_driver(proc: Procedure) -> str:
    decls = [f"typedef struct {{ _Alignas({t.dtype.alignment}) unsigned char tv_bytes[{t.dtype.itemsize}]; }} "
             f"tv_s_{t.name};" for t in _struct_types(proc)]
    formal = []
    for i, arg in enumerate(proc.args):
        if arg.is_procedure:
            continue
        ctype = _c_type(arg)
        formal.append(f"{ctype} *")
    if proc.result is not None:
        formal.append(f"{_C_TYPE[(proc.result.base, proc.result.kind)]} *")
    formal += ["int64_t" for a in proc.args if _counted(a)]
    if proc.xerbla_output:
        formal.append("int32_t *")
    decls.append(f"void tv_reference({', '.join(formal) or 'void'});")
    body = []
    for i, arg in enumerate(proc.args):
        if not arg.is_procedure:
            body.extend(_read_arg(i, arg, _c_type(arg)))
    args = [f"tv_v{i}" if a.is_array or _is_string(a) else f"&tv_v{i}" for i, a in enumerate(proc.args)
            if not a.is_procedure]
    if proc.result is not None:
        body.append(f"    {_C_TYPE[(proc.result.base, proc.result.kind)]} tv_r;")
        args.append("&tv_r")
    args += [f"tv_c{i}" for i, a in enumerate(proc.args) if _counted(a)]
    if proc.xerbla_output:
        body.append("    int32_t tv_xi = 0;")
        args.append("&tv_xi")
    if proc.commons:
        from .common_blocks import reference_declaration, reference_lines
        decls.append(reference_declaration(proc.commons))
        body.extend(reference_lines(proc.commons)[0])
    body.append(f"    tv_reference({', '.join(args)});")
    body.extend(_write_outputs(proc))
    return _program("#include <stdio.h>\n#include <stdlib.h>\n#include <string.h>\n#include <stdint.h>\n",
                    "\n".join(decls), body, proc)


def _read_arg(i: int, arg: Arg, ctype: str, vector: bool = False, guard: bool = False) -> list[str]:
    """`guard`: the candidate's arrays get a guard zone after their last element (tv_guarded)."""
    alloc = "tv_guarded" if guard else "tv_alloc"
    if _is_string(arg):  # NUL-terminated for C++, its length passed to Fortran
        return [f"    int64_t tv_c{i} = tv_count();",
                f"    char *tv_v{i} = (char *)tv_alloc((size_t)tv_c{i} + 1);",
                f"    tv_read(tv_v{i}, (size_t)tv_c{i});",
                f"    tv_v{i}[tv_c{i}] = 0;"]
    if arg.is_array:
        lines = [f"    int64_t tv_c{i} = tv_count();"]
        if vector:
            lines.append(f"    std::vector<{ctype}> tv_v{i}((size_t)tv_c{i});")
            lines.append(f"    tv_read(tv_v{i}.data(), (size_t)tv_c{i} * sizeof({ctype}));")
        elif arg.base == "logical":
            lines.append(f"    {ctype} *tv_v{i} = ({ctype} *){alloc}((size_t)tv_c{i} * sizeof({ctype}));")
            lines.append(f"    for (int64_t tv_k = 0; tv_k < tv_c{i}; ++tv_k) {{ unsigned char tv_b; tv_read(&tv_b, 1);"
                         f" tv_v{i}[tv_k] = tv_b != 0; }}")
        else:
            lines.append(f"    {ctype} *tv_v{i} = ({ctype} *){alloc}((size_t)tv_c{i} * sizeof({ctype}));")
            lines.append(f"    tv_read(tv_v{i}, (size_t)tv_c{i} * sizeof({ctype}));")
        return lines
    if arg.base == "logical":
        return [f"    {ctype} tv_v{i}; {{ unsigned char tv_b; tv_read(&tv_b, 1); tv_v{i} = tv_b != 0; }}"]
    return [f"    {ctype} tv_v{i}; tv_read(&tv_v{i}, sizeof tv_v{i});"]


def _write_outputs(proc: Procedure, vectors: set[int] = frozenset(), candidate: bool = False) -> list[str]:
    lines = []
    for i, arg in enumerate(proc.args):
        if not arg.is_output:
            continue
        if arg.is_array:
            data = f"tv_v{i}.data()" if i in vectors else f"tv_v{i}"
            if arg.base == "logical":
                lines.append(f"    for (int64_t tv_k = 0; tv_k < tv_c{i}; ++tv_k) {{ unsigned char tv_b = "
                             f"tv_v{i}[tv_k] ? 1 : 0; fwrite(&tv_b, 1, 1, tv_out); }}")
            else:
                lines.append(f"    fwrite({data}, sizeof({data}[0]), (size_t)tv_c{i}, tv_out);")
        elif arg.base == "logical":
            lines.append(f"    {{ unsigned char tv_b = tv_v{i} ? 1 : 0; fwrite(&tv_b, 1, 1, tv_out); }}")
        else:
            lines.append(f"    fwrite(&tv_v{i}, sizeof tv_v{i}, 1, tv_out);")
    if proc.result is not None:
        if proc.result.base == "logical":
            lines.append("    { unsigned char tv_b = tv_r ? 1 : 0; fwrite(&tv_b, 1, 1, tv_out); }")
        else:
            lines.append("    fwrite(&tv_r, sizeof tv_r, 1, tv_out);")
    if proc.xerbla_output:
        lines.append("    fwrite(&tv_xi, sizeof tv_xi, 1, tv_out);")
    common_end: list[str] = []
    if proc.commons:  # COMMON state after the call, last (unit_inputs.outputs_of)
        from .common_blocks import candidate_lines, reference_lines
        _, after, common_end = (candidate_lines if candidate else reference_lines)(proc.commons)
        lines.extend(after)
    lines.append("    fflush(tv_out);")
    for i, arg in enumerate(proc.args):
        if (arg.is_array or _is_string(arg)) and i not in vectors:
            lines.append(f"    free(tv_v{i});")
    return lines + common_end


# Written after the last case: a procedure that ends the program (STOP, exit) leaves it out,
# which no output count can show when the procedure has no outputs.
RETURNED_MARK = b"tv-done"


def returned_from_every_case(data: bytes) -> bool:
    """Whether a driver's output file ends with the mark written after the last case."""
    return data.endswith(RETURNED_MARK)


def _program(includes: str, decls: str, body: list[str], proc: Procedure) -> str:
    return (f"{includes}{_DRIVER_HEAD}\n{decls}\n\n"
            "int main(int argc, char **argv) {\n"
            "  if (argc != 3) { fprintf(stderr, \"usage: driver INPUTS OUTPUTS\\n\"); return 95; }\n"
            "  tv_load(argv[1]);\n"
            "  FILE *tv_out = fopen(argv[2], \"wb\");\n"
            "  if (!tv_out) { perror(argv[2]); return 96; }\n"
            "  int64_t tv_cases = tv_count();\n"
            "  for (int64_t tv_case = 0; tv_case < tv_cases; ++tv_case) {\n"
            + "\n".join(body) + "\n  }\n"
            f"  fwrite(\"{RETURNED_MARK.decode()}\", 1, {len(RETURNED_MARK)}, tv_out);\n"
            "  fclose(tv_out);\n  return 0;\n}\n")


# Writes past the end of an array land in a guard zone of known bytes, checked after the call:
# a loop that runs one element too far is reported even where it would not crash.
_GUARD = r"""
static const size_t tv_guard_bytes = 64;
static void *tv_guarded(size_t n) {
  unsigned char *p = (unsigned char *)tv_alloc(n + tv_guard_bytes);
  memset(p + n, 0xA5, tv_guard_bytes);
  return p;
}
static void tv_check_guard(const void *data, size_t n, const char *name, int64_t tv_case) {
  const unsigned char *p = (const unsigned char *)data + n;
  for (size_t k = 0; k < tv_guard_bytes; ++k)
    if (p[k] != 0xA5) {
      fprintf(stderr, "transverify: the candidate wrote past the end of array '%s' (%zu bytes beyond its last "
              "element) in case %lld\n", name, k, (long long)tv_case);
      exit(90);
    }
}
"""

_CPP_TRAITS = r"""
#include <type_traits>
template <class T> constexpr bool tv_is_int32() { return std::is_integral<T>::value && std::is_signed<T>::value && sizeof(T) == 4 && !std::is_same<T, bool>::value; }
template <class T> constexpr bool tv_is_int64() { return std::is_integral<T>::value && std::is_signed<T>::value && sizeof(T) == 8; }
template <class T> constexpr bool tv_is_float() { return std::is_same<T, float>::value; }
template <class T> constexpr bool tv_is_double() { return std::is_same<T, double>::value; }
template <class T> constexpr bool tv_is_bool() { return std::is_same<T, bool>::value; }
template <class T> constexpr bool tv_is_char() { return std::is_same<T, char>::value; }
template <unsigned long N, class T> constexpr bool tv_is_pod() { return std::is_trivially_copyable<T>::value && std::is_standard_layout<T>::value && sizeof(T) == N; }
"""
# Only when the routine has complex arguments: <complex> costs compile time.
_CPP_COMPLEX_TRAITS = r"""
#include <complex>
template <class T> constexpr bool tv_is_cfloat() { return std::is_same<T, std::complex<float>>::value; }
template <class T> constexpr bool tv_is_cdouble() { return std::is_same<T, std::complex<double>>::value; }
"""


def _has_complex(proc: Procedure) -> bool:
    return any(a.base == "complex" for a in [*proc.args, *([proc.result] if proc.result else [])])


def _common_helpers(proc: Procedure) -> str:
    if not proc.commons:
        return ""
    from .common_blocks import CPP_HELPERS
    return CPP_HELPERS


def check_candidate_signature(proc: Procedure, fn: CppFunction, cpp_text: str = "") -> list[tuple[int, str]]:
    problems: list[tuple[int, str]] = []
    if fn.unparsed:
        problems.append((fn.line, f"parameter '{fn.unparsed[0]}' of '{fn.name}' is outside the calling convention "
                                  "(scalars, T*, T& or std::vector<T>&)"))
        return problems
    if len(fn.params) != len(proc.args):
        names = ", ".join(a.name for a in proc.args)
        problems.append((fn.line, f"'{fn.name}' takes {len(fn.params)} parameter(s) but the Fortran "
                                  f"{proc.kind} takes {len(proc.args)} ({names})"))
        return problems
    for arg, param in zip(proc.args, fn.params):
        where = f"parameter {param.name or '?'} (Fortran argument '{arg.name}')"
        if arg.is_procedure or param.form == "function":
            if not (arg.is_procedure and param.form == "function"):
                problems.append((param.line, f"{where} is " + ("a procedure: pass a function pointer such as "
                                                               "double (*f)(double)" if arg.is_procedure else
                                                               "not a procedure")))
            continue
        if arg.struct is not None:
            problem = _struct_problem(arg, param, cpp_text)
            if problem:
                problems.append((param.line, f"{where} {problem}"))
                continue
        if arg.is_character:
            if _is_string(arg) and param.form != "ptr":
                problems.append((param.line, f"{where} is CHARACTER(len=*): pass it as const char*"))
            elif not _is_string(arg) and param.form == "ptr":
                problems.append((param.line, f"{where} is a single CHARACTER: pass it as char by value"))
            continue
        if arg.is_array:
            if param.form not in ("ptr", "vector"):
                problems.append((param.line, f"{where} is an array: pass it as T* or std::vector<T>&"))
            elif param.form == "vector" and arg.base == "logical":
                problems.append((param.line, f"{where} is a logical array: std::vector<bool> has no contiguous "
                                             "bool storage, use bool*"))
        else:
            if param.form == "vector":
                problems.append((param.line, f"{where} is a scalar, not an array"))
    if proc.result is not None and fn.return_type.strip() == "void":
        problems.append((fn.line, f"'{fn.name}' returns void but the Fortran function returns "
                                  f"{proc.result.base}({proc.result.kind})"))
    return problems


def _struct_problem(arg: Arg, param, cpp_text: str) -> str | None:
    """A bind(C) type needs a C++ struct with the same field types in the same order (names free)."""
    from .cuda.signature import file_structs

    wanted = arg.struct.field_dtypes
    spelled = ", ".join(f"{_NUMPY_TO_CPP[d]} {n}" for (n, _, _), d in zip(arg.struct.fields, wanted))
    name = param.type_text.replace("struct ", "").replace("const ", "").strip()
    found = file_structs(cpp_text).get(name)
    if found is None:
        return (f"is Fortran type '{arg.struct.name}': pass a struct defined in the candidate with the fields "
                f"{{{spelled}}} in this order (names free), as {name}* or {name}&")
    have = [dtype for _, dtype in found.fields]
    if have != wanted:
        return (f"is Fortran type '{arg.struct.name}' with fields {{{spelled}}}; struct '{name}' has "
                f"{{{', '.join(_NUMPY_TO_CPP.get(d, d) + ' ' + n for n, d in found.fields)}}}: the field types must "
                "match in order")
    if param.form == "vector" or (arg.is_array and param.form != "ptr"):
        return "is an array of structs: pass it as T*"
    return None


_NUMPY_TO_CPP = {"int32": "int", "int64": "long long", "float32": "float", "float64": "double"}


def signature_warnings(proc: Procedure, fn: CppFunction) -> list[str]:
    """Parameters that cannot carry an output back: the comparison will show the effect,
    these notes say the likely cause."""
    notes = []
    for arg, param in zip(proc.args, fn.params):
        writes = arg.intent in ("out", "inout") or (arg.intent is None and (arg.is_array or arg.assigned))
        if arg.is_size or arg.value or not writes:
            continue
        role = f"intent({arg.intent})" if arg.intent else "assigned by the routine"
        if not arg.is_array and param.form == "value":
            notes.append(f"parameter '{param.name}' (line {param.line}) is passed by value, but Fortran argument "
                         f"'{arg.name}' is {role}: use T& or T*")
        elif param.const:
            notes.append(f"parameter '{param.name}' (line {param.line}) is const, but Fortran argument "
                         f"'{arg.name}' is {role}")
    return notes


def candidate_driver(proc: Procedure, fn: CppFunction, include: str, defined: set[str] = frozenset(),
                     functions: dict[str, str] | None = None, rename_main: bool = False) -> str:
    """`defined`: functions the candidate defines (its own lsame/xerbla win); `functions`: the
    candidate's qualified name of each procedure passed as an argument; `rename_main`: the
    candidate translates a whole file with a main program, of which one procedure is tested."""
    checks = []
    body = []
    vectors = set()
    functions = functions or {}
    for i, (arg, param) in enumerate(zip(proc.args, fn.params)):
        if arg.is_procedure:
            continue
        ctype = param.type_text
        if arg.struct is not None:
            trait, spelled = f"tv_is_pod<{arg.struct.dtype.itemsize}, ", f"a struct like Fortran type {arg.struct.name}"
            checks.append(f"static_assert({trait}std::remove_cv<{ctype}>::type>(), \"parameter '{param.name}' "
                          f"(Fortran argument '{arg.name}') must be {spelled}\");")
        else:
            trait, spelled = _CPP_CHECK[(arg.base, arg.kind)]
            checks.append(f"static_assert({trait}<std::remove_cv<{ctype}>::type>(), \"parameter '{param.name}' "
                          f"(Fortran argument '{arg.name}') must be {spelled}\");")
        if param.form == "vector":
            vectors.add(i)
        body.extend(_read_arg(i, arg, f"std::remove_cv<{ctype}>::type", vector=param.form == "vector", guard=True))
    call_args = []
    for i, (arg, param) in enumerate(zip(proc.args, fn.params)):
        if arg.is_procedure:
            call_args.append(functions.get(arg.actual or arg.name, arg.actual or arg.name))
        elif param.form == "ptr" and not arg.is_array and not _is_string(arg):
            call_args.append(f"&tv_v{i}")
        else:
            call_args.append(f"tv_v{i}")
    call = f"{fn.qualified}({', '.join(call_args)})"
    if proc.xerbla_output:
        body.append("    tv_xerbla_info = 0;")
    if proc.commons:
        from .common_blocks import candidate_lines
        body.extend(candidate_lines(proc.commons)[0])
    if proc.result is not None:
        trait, spelled = _CPP_CHECK[(proc.result.base, proc.result.kind)]
        body.append(f"    auto tv_r = {call};")
        body.append(f"    static_assert({trait}<decltype(tv_r)>(), \"'{fn.name}' must return {spelled}\");")
    else:
        body.append(f"    {call};")
    if proc.xerbla_output:
        body.append("    int32_t tv_xi = tv_xerbla_info;")
    for i, (arg, param) in enumerate(zip(proc.args, fn.params)):
        if arg.is_array and param.form != "vector":
            body.append(f"    tv_check_guard(tv_v{i}, (size_t)tv_c{i} * sizeof(tv_v{i}[0]), \"{arg.name}\", tv_case);")
    body.extend(_write_outputs(proc, vectors=vectors, candidate=True))
    includes = ("#include <cstdio>\n#include <cstdlib>\n#include <cstring>\n#include <cstdint>\n"
                + ("#include <vector>\n" if vectors else "")
                + cpp_runtime(proc.externals, set(defined))
                + ("#define main tv_candidate_main\n" if rename_main else "")
                + f"#include \"{include}\"\n"
                + ("#undef main\n" if rename_main else "") + _CPP_TRAITS
                + (_CPP_COMPLEX_TRAITS if _has_complex(proc) else "") + _common_helpers(proc))
    return _program(includes, _GUARD + "\n".join(checks), body, proc)
