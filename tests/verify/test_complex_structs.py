"""Fortran complex/complex(8) <-> std::complex<float/double>, and bind(C) derived types <-> C++ POD
structs (fields matched by position), in the Fortran -> C++ calling convention (through the CLI)."""

ZAXPY_F90 = """
subroutine zaxpyc(n, a, x, y, s)
  implicit none
  integer, intent(in) :: n
  complex(8), intent(in) :: a
  complex(8), intent(in) :: x(n)
  complex(8), intent(inout) :: y(n)
  complex(8), intent(out) :: s
  integer :: i
  s = (0.0d0, 0.0d0)
  do i = 1, n
    y(i) = a * conjg(x(i)) + y(i)
    s = s + y(i) * abs(x(i))
  end do
end subroutine zaxpyc
"""

ZAXPY_CPP = """
#include <complex>
void zaxpyc(int n, std::complex<double> a, const std::complex<double>* x, std::complex<double>* y,
            std::complex<double>& s) {
    s = 0.0;
    for (int i = 0; i < n; ++i) {
        y[i] = a * std::conj(x[i]) + y[i];
        s += y[i] * std::abs(x[i]);
    }
}
"""

CDOT_F90 = """
complex function cdotc4(n, x, y)
  implicit none
  integer, intent(in) :: n
  complex, intent(in) :: x(n), y(n)
  integer :: i
  cdotc4 = cmplx(0.0, 0.0)
  do i = 1, n
    cdotc4 = cdotc4 + conjg(x(i)) * y(i)
  end do
end function
"""

CDOT_CPP = """
#include <complex>
std::complex<float> cdotc4(int n, const std::complex<float>* x, const std::complex<float>* y) {
    std::complex<float> s(0.0f, 0.0f);
    for (int i = 0; i < n; ++i) s += std::conj(x[i]) * y[i];
    return s;
}
"""

PARTICLES_F90 = """
module geom
  use iso_c_binding
  implicit none
  type, bind(C) :: particle
    real(c_double) :: x, y
    real(c_double) :: mass
    integer(c_int) :: id
  end type particle
contains
  subroutine advance(n, p, dt, total)
    integer, intent(in) :: n
    type(particle), intent(inout) :: p(n)
    real(c_double), intent(in) :: dt
    type(particle), intent(out) :: total
    integer :: i
    total%x = 0; total%y = 0; total%mass = 0; total%id = 0
    do i = 1, n
      p(i)%x = p(i)%x + dt * p(i)%y
      p(i)%id = p(i)%id + 1
      total%mass = total%mass + p(i)%mass
      total%x = total%x + p(i)%x * p(i)%mass
      total%id = max(total%id, p(i)%id)
    end do
  end subroutine advance
end module geom
"""

PARTICLES_CPP = """
#include <algorithm>
struct Particle { double px, py; double m; int ident; };
void advance(int n, Particle* p, double dt, Particle& total) {
    total = Particle{0, 0, 0, 0};
    for (int i = 0; i < n; ++i) {
        p[i].px += dt * p[i].py;
        p[i].ident += 1;
        total.m += p[i].m;
        total.px += p[i].px * p[i].m;
        total.ident = std::max(total.ident, p[i].ident);
    }
}
"""

LOCAL_TYPE_F90 = """
subroutine scale_pt(p, s)
  use iso_c_binding
  implicit none
  type, bind(C) :: pt
    real(c_float) :: a
    integer(c_int) :: k
  end type
  type(pt), intent(inout) :: p
  real, intent(in) :: s
  p%a = p%a * s
  p%k = p%k * 2
end subroutine
"""


def test_complex_double_arrays_scalars_verified_and_missing_conj_rejected(verify_cli, write):
    source = write("zaxpyc.f90", ZAXPY_F90)
    code, result, _ = verify_cli(source, write("zaxpyc.cpp", ZAXPY_CPP))
    assert code == 0, result["message"]
    code, result, _ = verify_cli(source, write("zaxpyc_noconj.cpp", ZAXPY_CPP.replace("std::conj(x[i])", "x[i]")))
    assert code == 1, result["message"]
    first = result["mismatches"][0]
    assert first["output"] == "y" and complex(first["expected"]) != complex(first["actual"])


def test_complex_function_result_and_pinned_value(verify_cli, write):
    source = write("cdotc4.f90", CDOT_F90)
    code, result, _ = verify_cli(source, write("cdotc4.cpp", CDOT_CPP))
    assert code == 0, result["message"]
    code, result, _ = verify_cli(source, write("cdot_noconj.cpp", CDOT_CPP.replace("std::conj(x[i])", "x[i]")))
    assert code == 1 and result["mismatches"][0]["output"] == "result", result["message"]
    pinned = write("zaxpyc.f90", ZAXPY_F90)
    code, result, _ = verify_cli(pinned, write("zaxpyc.cpp", ZAXPY_CPP), "--value", "a=(0.5,-2)", "--cases", "2")
    assert code == 0 and result["inputs"][0]["a"] == "(0.5-2j)", result


def test_complex_precision_must_match(verify_cli, write):
    source = write("cdotc4.f90", CDOT_F90)
    code, result, _ = verify_cli(source, write("cdot_double.cpp", CDOT_CPP.replace("complex<float>", "complex<double>")
                                               .replace("0.0f", "0.0")))
    assert code == 1 and result["stage"] == "compile_candidate"
    assert "std::complex<float> (Fortran complex)" in result["message"], result["message"]


def test_bind_c_type_compared_field_by_field(verify_cli, write):
    source = write("advance.f90", PARTICLES_F90)
    code, result, _ = verify_cli(source, write("advance.cpp", PARTICLES_CPP))
    assert code == 0, result["message"]
    wrong = write("advance_field.cpp", PARTICLES_CPP.replace("p[i].px += dt * p[i].py", "p[i].py += dt * p[i].px"))
    code, result, _ = verify_cli(source, wrong)
    assert code == 1, result["message"]
    assert {m["output"] for m in result["mismatches"]} <= {"p%x", "p%y", "total%x"}
    assert result["mismatches"][0]["output"] == "p%x"


def test_bind_c_field_types_must_match_in_order(verify_cli, write):
    source = write("advance.f90", PARTICLES_F90)
    other = write("advance_float.cpp", PARTICLES_CPP.replace("double m;", "float m;"))
    code, result, _ = verify_cli(source, other)
    assert code == 1 and result["stage"] == "compile_candidate"
    assert "field types must match in order" in result["message"] and "float m" in result["message"]


def test_type_defined_in_the_procedure_and_non_bind_c_refused(verify_cli, write):
    candidate = write("scale_pt.cpp", "struct pt { float a; int k; };\n"
                                      "void scale_pt(pt* p, float s) { p->a *= s; p->k *= 2; }\n")
    code, result, _ = verify_cli(write("scale_pt.f90", LOCAL_TYPE_F90), candidate)
    assert code == 0, result["message"]
    code, result, _ = verify_cli(write("plain.f90", LOCAL_TYPE_F90.replace(", bind(C)", "")), candidate)
    assert code == 2 and "not BIND(C)" in result["message"], result["message"]
