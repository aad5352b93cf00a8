"""The calling convention end to end on one routine that uses most of it: a module function
with VALUE, integer(int64), a (0:n-1, m) array, logical outputs and a no-intent scalar."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "convention"


def test_convention_equivalent(verify_cli):
    code, out, _ = verify_cli(DATA / "classify.f90", DATA / "classify.cpp")
    assert code == 0, out["message"]
    assert out["entry"] == "classify" and out["warnings"] == []


def test_narrowed_int64_products_are_caught_on_large_inputs(verify_cli):
    code, out, _ = verify_cli(DATA / "classify.f90", DATA / "classify_narrowed.cpp")
    assert code == 1 and out["stage"] == "compare"
    first = out["mismatches"][0]
    assert first["output"] == "total" and first["index"] is None
    assert first["case"] % 4 == 3  # the cases with magnitudes near 2**40


def test_a_no_intent_scalar_is_compared_after_the_call(verify_cli):
    code, out, _ = verify_cli(DATA / "classify.f90", DATA / "classify_scale_kept.cpp")
    assert code == 1 and [m["output"] for m in out["mismatches"]][:1] == ["scale"]
    assert "scale in case 0" in out["message"]


def test_old_style_declarations_and_attribute_statements(verify_cli, write):
    """`real*8`, implicit typing, and DIMENSION / INTENT statements separate from the type."""
    source = write("norm.f90", "function norm2sq(n, x, w)\n  integer n\n  real*8 x, w\n  dimension x(n)\n"
                               "  intent(in) :: x\n  dimension :: w(2*n)\n  real*8 norm2sq\n  norm2sq = 0\n"
                               "  do i = 1, n\n    norm2sq = norm2sq + x(i)**2\n    w(2*i) = x(i)\n  end do\nend function\n")
    right = write("norm.cpp", "double norm2sq(int& n, const double* x, double* w) {\n  double s = 0;\n"
                              "  for (int i = 0; i < n; ++i) { s += x[i] * x[i]; w[2 * i + 1] = x[i]; }\n"
                              "  return s;\n}\n")
    code, out, _ = verify_cli(source, right)
    assert code == 0, out["message"]
    assert out["inputs"][1]["x"] == "float64[3]" and out["inputs"][1]["w"] == "float64[6]"
    wrong = write("norm_wrong.cpp", right.read_text().replace("w[2 * i + 1]", "w[2 * i]"))
    code, out, _ = verify_cli(source, wrong)
    assert code == 1 and out["mismatches"][0]["output"] == "w"


def test_extents_may_use_named_constants_of_the_file(verify_cli, write):
    source = write("cross.f90", "module vec\n  integer, parameter :: nv = 3\ncontains\n  subroutine cross(a, b, c)\n"
                                "    real(8), intent(in) :: a(nv), b(nv)\n    real(8), intent(out) :: c(nv)\n"
                                "    c(1) = a(2)*b(3) - a(3)*b(2)\n    c(2) = a(3)*b(1) - a(1)*b(3)\n"
                                "    c(3) = a(1)*b(2) - a(2)*b(1)\n  end subroutine\nend module\n")
    right = write("cross.cpp", "void cross(const double* a, const double* b, double* c) {\n"
                               "  c[0] = a[1]*b[2] - a[2]*b[1]; c[1] = a[2]*b[0] - a[0]*b[2]; c[2] = a[0]*b[1] - a[1]*b[0];\n}\n")
    code, out, _ = verify_cli(source, right)
    assert code == 0 and out["inputs"][0]["c"] == "float64[3]", out["message"]
    swapped = write("cross_swapped.cpp", right.read_text().replace("c[1] = a[2]*b[0] - a[0]*b[2]",
                                                                   "c[1] = a[0]*b[2] - a[2]*b[0]"))
    code, out, _ = verify_cli(source, swapped)
    assert code == 1 and out["mismatches"][0]["index"] == "(2)"


def test_openmp_reduction_passes_within_the_tolerance(verify_cli, write):
    """A parallel reduction reassociates the sum; the scaled absolute floor accepts that."""
    source = write("sdot.f90", "real function sdot(n, x, y)\n  integer, intent(in) :: n\n"
                               "  real, intent(in) :: x(n), y(n)\n  integer :: i\n  sdot = 0\n"
                               "  do i = 1, n\n    sdot = sdot + x(i) * y(i)\n  end do\nend function\n")
    parallel = write("sdot.cpp", "#include <omp.h>\nfloat sdot(int n, const float* x, const float* y) {\n"
                                 "  float s = 0;\n#pragma omp parallel for reduction(+ : s) num_threads(2)\n"
                                 "  for (int i = 0; i < n; ++i) s += x[i] * y[i];\n  return s;\n}\n")
    code, out, _ = verify_cli(source, parallel, "--cases", 12)
    assert code == 0, out["message"]
    skips_first = write("sdot_wrong.cpp", parallel.read_text().replace("int i = 0", "int i = 1"))
    code, out, _ = verify_cli(source, skips_first, "--cases", 12)
    assert code == 1 and out["stage"] == "compare" and out["mismatches"][0]["output"] == "result"


def test_functions_in_namespaces_are_found_and_called_qualified(verify_cli, write):
    source = Path(__file__).resolve().parent.parent.parent / "examples" / "fortran" / "saxpy.f90"
    nested = write("nested.cpp", "namespace hpc { namespace blas {\n"
                                 "void saxpy(int n, float a, const float* x, float* y) {\n"
                                 "  for (int i = 0; i < n; ++i) y[i] += a * x[i];\n}\n} }\n")
    assert verify_cli(source, nested)[0] == 0
    anonymous = write("anon.cpp", "namespace {\nvoid saxpy(int n, float a, const float* x, float* y) {\n"
                                  "  for (int i = 1; i < n; ++i) y[i] += a * x[i];\n}\n}\n")
    code, out, _ = verify_cli(source, anonymous)
    assert code == 1 and out["mismatches"][0]["index"] == "(1)"


def test_a_long_argument_list_fits_the_generated_wrapper(verify_cli, write):
    """Thirteen descriptive argument names make the bind(C) wrapper's lines longer than
    free-form Fortran allows; the wrapper must continue them rather than fail to compile."""
    names = [f"coefficient_number_{k}" for k in range(12)]
    source = write("wide.f90", "subroutine wide_sum(n, &\n" + "".join(f"    {name}, &\n" for name in names)
                               + "    total)\n"
                               "  implicit none\n  integer, intent(in) :: n\n"
                               + "".join(f"  real(8), intent(in) :: {name}\n" for name in names)
                               + "  real(8), intent(out) :: total\n"
                               "  total = n * (" + " &\n      + ".join(names) + ")\nend subroutine\n")
    params = ", ".join(f"double {name}" for name in names)
    right = write("wide.cpp", f"void wide_sum(int n, {params}, double& total) {{\n"
                              f"  total = n * ({' + '.join(names)});\n}}\n")
    code, out, _ = verify_cli(source, right)
    assert code == 0, out["message"]
    wrong = write("wide_wrong.cpp", right.read_text().replace(f" + {names[-1]})", ")"))
    code, out, _ = verify_cli(source, wrong)
    assert code == 1 and out["mismatches"][0]["output"] == "total"
