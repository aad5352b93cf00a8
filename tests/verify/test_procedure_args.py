"""Dummy procedures: the source's own function is passed to the Fortran routine and the
candidate's translation of it to the C++ one, as a function pointer."""

from __future__ import annotations

SIMPSON_F90 = """\
function integrand(x) result(y)
  real(8), intent(in) :: x
  real(8) :: y
  y = x * x * x - 2.0d0 * x
end function integrand

function simpson(f, a, b, n) result(s)
  implicit none
  real(8), external :: f
  real(8), intent(in) :: a, b
  integer, intent(in) :: n
  real(8) :: s, h
  integer :: i
  h = (b - a) / (2 * n)
  s = f(a) + f(b)
  do i = 1, 2 * n - 1
    if (mod(i, 2) == 1) then
      s = s + 4.0d0 * f(a + i * h)
    else
      s = s + 2.0d0 * f(a + i * h)
    end if
  end do
  s = s * h / 3.0d0
end function simpson
"""

SIMPSON_CPP = """\
double integrand(double x) { return x * x * x - 2.0 * x; }

double simpson(double (*f)(double), double a, double b, int n) {
    const double h = (b - a) / (2 * n);
    double s = f(a) + f(b);
    for (int i = 1; i <= 2 * n - 1; ++i) s += (i % 2 == 1 ? 4.0 : 2.0) * f(a + i * h);
    return s * h / 3.0;
}
"""


def test_function_pointer_receives_the_translated_function(verify_cli, write):
    code, out, _ = verify_cli(write("simpson.f90", SIMPSON_F90), write("simpson.cpp", SIMPSON_CPP),
                              "--entry", "simpson")
    assert code == 0, out["message"]


def test_wrong_weights_are_caught(verify_cli, write):
    wrong = SIMPSON_CPP.replace("(i % 2 == 1 ? 4.0 : 2.0)", "(i % 2 == 0 ? 4.0 : 2.0)")
    code, out, _ = verify_cli(write("simpson.f90", SIMPSON_F90), write("simpson_w.cpp", wrong), "--entry", "simpson")
    assert code == 1 and out["mismatches"][0]["output"] == "result"


def test_procedure_chosen_with_a_flag(verify_cli, write):
    source = SIMPSON_F90 + "\nfunction other(x) result(y)\n  real(8), intent(in) :: x\n  real(8) :: y\n  y = 1\nend function other\n"
    path = write("simpson2.f90", source)
    code, out, _ = verify_cli(path, write("simpson2.cpp", SIMPSON_CPP), "--entry", "simpson")
    assert code == 2 and "--procedure f=" in out["message"]
    code, out, _ = verify_cli(path, write("simpson3.cpp", SIMPSON_CPP), "--entry", "simpson",
                              "--procedure", "f=integrand")
    assert code == 0, out["message"]


def test_candidate_without_the_passed_function_is_told_so(verify_cli, write):
    cpp = SIMPSON_CPP.replace("double integrand(double x) { return x * x * x - 2.0 * x; }\n", "")
    code, out, _ = verify_cli(write("simpson.f90", SIMPSON_F90), write("simpson_nof.cpp", cpp), "--entry", "simpson")
    assert code == 1 and "integrand" in out["message"]


def test_scalar_where_a_procedure_is_expected_breaks_the_convention(verify_cli, write):
    cpp = SIMPSON_CPP.replace("double (*f)(double)", "double f")
    code, out, _ = verify_cli(write("simpson.f90", SIMPSON_F90), write("simpson_s.cpp", cpp), "--entry", "simpson")
    assert code == 1 and out["stage"] == "compile_candidate" and "function pointer" in out["message"]


def test_subroutine_dummy_with_array_arguments(verify_cli, write):
    source = write("euler.f90", """\
subroutine deriv(n, t, y, dy)
  integer, intent(in) :: n
  real(8), intent(in) :: t, y(n)
  real(8), intent(out) :: dy(n)
  dy = -y * t
end subroutine deriv

subroutine euler(f, n, t, h, y)
  external f
  integer, intent(in) :: n
  real(8), intent(in) :: t, h
  real(8), intent(inout) :: y(n)
  real(8) :: dy(n)
  call f(n, t, y, dy)
  y = y + h * dy
end subroutine euler
""")
    cpp = ("#include <vector>\n"
           "void deriv(int n, double t, const double* y, double* dy) { for (int i = 0; i < n; ++i) dy[i] = -y[i] * t; }\n"
           "void euler(void (*f)(int, double, const double*, double*), int n, double t, double h, double* y) {\n"
           "  std::vector<double> dy(n);\n  f(n, t, y, dy.data());\n  for (int i = 0; i < n; ++i) y[i] += h * dy[i];\n}\n")
    code, out, _ = verify_cli(source, write("euler.cpp", cpp), "--entry", "euler")
    assert code == 0, out["message"]
    wrong = write("euler_w.cpp", cpp.replace("y[i] += h * dy[i]", "y[i] += dy[i]"))
    code, out, _ = verify_cli(source, wrong, "--entry", "euler")
    assert code == 1 and out["mismatches"][0]["output"] == "y"


def test_module_procedure_passed_through_an_interface_block(verify_cli, write):
    source = write("quad.f90", """\
module quad
  implicit none
contains
  function sq(x) result(y)
    real(8), intent(in) :: x
    real(8) :: y
    y = x * x
  end function sq
  function trap(f, a, b, n) result(s)
    interface
      function f(x) result(y)
        real(8), intent(in) :: x
        real(8) :: y
      end function f
    end interface
    real(8), intent(in) :: a, b
    integer, intent(in) :: n
    real(8) :: s, h
    integer :: i
    h = (b - a) / n
    s = 0.5d0 * (f(a) + f(b))
    do i = 1, n - 1
      s = s + f(a + i * h)
    end do
    s = s * h
  end function trap
end module quad
""")
    cpp = ("namespace quad {\ndouble sq(double x) { return x * x; }\n"
           "double trap(double (*f)(double), double a, double b, int n) {\n  const double h = (b - a) / n;\n"
           "  double s = 0.5 * (f(a) + f(b));\n  for (int i = 1; i <= n - 1; ++i) s += f(a + i * h);\n  return s * h;\n}\n}\n")
    code, out, _ = verify_cli(source, write("quad.cpp", cpp), "--entry", "trap")
    assert code == 0, out["message"]
