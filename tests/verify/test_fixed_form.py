"""Fixed-form sources (.f): comment lines, rulers, typed function headers and INCLUDE files
are read with the fixed-form rules, so the signature is right."""

from __future__ import annotations

# Column-exact fixed form: comments in column 1, statements from column 7, '$' continuation in column 6.
SCALE_F = """\
* Scale a vector: a '*' comment in column 1, as the reference BLAS writes them.
*
      SUBROUTINE VSCALE(N, A, X)
      INTEGER N
      DOUBLE PRECISION A
c-----------------------------------------------------------------------
      DOUBLE PRECISION X(N)
C     a loop with a label and a continuation line
      INTEGER I
      DO 10 I = 1,
     $          N
         X(I) = A*X(I)
   10 CONTINUE
      RETURN
      END
*
      SUBROUTINE UNUSED(N)
      INTEGER N
      N = 0
      END
"""

SCALE_CPP = "void vscale(int n, double a, double* x) {\n  for (int i = 0; i < n; ++i) x[i] *= a;\n}\n"

DOT_F = """\
      DOUBLE PRECISION FUNCTION WDOT(N, X, Y)
      INTEGER N
      DOUBLE PRECISION X(N), Y(N)
      INTEGER I
      WDOT = 0.0D0
      DO 20 I = 1, N
         WDOT = WDOT + X(I)*Y(I)
   20 CONTINUE
      END
"""


def test_star_comments_do_not_make_a_program_and_entry_is_honoured(verify_cli, write):
    source = write("vscale.f", SCALE_F)
    code, out, _ = verify_cli(source, write("vscale.cpp", SCALE_CPP), "--entry", "vscale")
    assert code == 0, out["message"]
    assert out["mode"] == "unit" and out["entry"] == "vscale"


def test_ruler_comment_does_not_hide_the_double_precision_declaration(verify_cli, write):
    source = write("vscale.f", SCALE_F)
    single = write("vscale_float.cpp", SCALE_CPP.replace("double", "float"))
    code, out, _ = verify_cli(source, single, "--entry", "vscale")
    assert code == 1 and out["stage"] == "compile_candidate"
    assert "must be double" in out["message"]


def test_typed_function_header_is_found(verify_cli, write):
    source = write("wdot.f", DOT_F)
    right = write("wdot.cpp", "double wdot(int n, const double* x, const double* y) {\n  double s = 0;\n"
                              "  for (int i = 0; i < n; ++i) s += x[i] * y[i];\n  return s;\n}\n")
    code, out, _ = verify_cli(source, right)
    assert code == 0, out["message"]
    wrong = write("wdot_wrong.cpp", "double wdot(int n, const double* x, const double* y) {\n  double s = 0;\n"
                                    "  for (int i = 1; i < n; ++i) s += x[i] * y[i];\n  return s;\n}\n")
    code, out, _ = verify_cli(source, wrong)
    assert code == 1 and out["mismatches"][0]["output"] == "result"


def test_include_file_found_with_dash_i(verify_cli, write, tmp_path):
    inc = tmp_path / "inc"
    inc.mkdir()
    (inc / "sizes.h").write_text("      INTEGER NV\n      PARAMETER (NV = 3)\n")
    source = write("addv.f", "      SUBROUTINE ADDV(X, Y)\n      INCLUDE 'sizes.h'\n      DOUBLE PRECISION X(NV), Y(NV)\n"
                             "      INTEGER I\n      DO 5 I = 1, NV\n         Y(I) = Y(I) + X(I)\n    5 CONTINUE\n      END\n")
    right = write("addv.cpp", "void addv(const double* x, double* y) {\n  for (int i = 0; i < 3; ++i) y[i] += x[i];\n}\n")
    code, out, _ = verify_cli(source, right)
    assert code == 2 and "sizes.h" in out["message"] and "-I" in out["message"]
    assert out["diagnostics"] == [] or out["diagnostics"][0]["line"] == 2
    code, out, _ = verify_cli(source, right, "-I", inc)
    assert code == 0, out["message"]
    wrong = write("addv_short.cpp", "void addv(const double* x, double* y) {\n  for (int i = 0; i < 2; ++i) y[i] += x[i];\n}\n")
    code, out, _ = verify_cli(source, wrong, "-I", inc)
    assert code == 1 and out["mismatches"][0]["index"] == "(3)"


def test_kind_renamed_from_a_module_next_to_the_source(verify_cli, write):
    write("prec.f90", "module prec\n  integer, parameter :: dp = kind(1.d0)\nend module prec\n")
    source = write("half.f90", "subroutine half(n, x)\n  use prec, only: wp => dp\n  integer, intent(in) :: n\n"
                               "  real(wp), intent(inout) :: x(n)\n  x = x / 2\nend subroutine half\n")
    single = write("half.cpp", "void half(int n, float* x) {\n  for (int i = 0; i < n; ++i) x[i] /= 2;\n}\n")
    code, out, _ = verify_cli(source, single)
    assert code == 1 and "must be double" in out["message"]


PROGRAM_AND_ROUTINE_F = """\
      PROGRAM DEMO
      DOUBLE PRECISION X(3)
      X(1) = 1
      CALL TWICE(3, X)
      PRINT *, X(1)
      END
      SUBROUTINE TWICE(N, X)
      INTEGER N
      DOUBLE PRECISION X(N)
      INTEGER I
      DO 10 I = 1, N
         X(I) = 2*X(I)
   10 CONTINUE
      END
"""


def test_entry_selects_a_routine_of_a_file_with_a_main_program(verify_cli, write):
    source = write("demo.f", PROGRAM_AND_ROUTINE_F)
    whole = write("demo.cpp", "#include <cstdio>\nvoid twice(int n, double* x) { for (int i = 0; i < n; ++i) x[i] *= 2; }\n"
                              "int main() { double x[3] = {1, 0, 0}; twice(3, x); std::printf(\" %f\\n\", x[0]); }\n")
    code, out, _ = verify_cli(source, whole, "--entry", "twice")
    assert code == 0, out["message"]
    assert out["mode"] == "unit"
    code, out, _ = verify_cli(source, whole)
    assert code == 0 and out["mode"] == "program"
    wrong = write("demo_wrong.cpp", whole.read_text().replace("x[i] *= 2; }", "x[i] *= 2; x[0] = 0; }"))
    code, out, _ = verify_cli(source, wrong, "--entry", "twice")
    assert code == 1 and out["mismatches"][0]["output"] == "x"


def test_called_routine_in_a_file_of_its_own_is_built_with_the_reference(verify_cli, write):
    write("vscale.f", SCALE_F.split("*\n      SUBROUTINE UNUSED")[0])
    source = write("scale2.f", "      SUBROUTINE SCALE2(N, X)\n      INTEGER N\n      DOUBLE PRECISION X(N)\n"
                               "      EXTERNAL VSCALE\n      CALL VSCALE(N, 2.0D0, X)\n      CALL VSCALE(N, 3.0D0, X)\n"
                               "      END\n")
    right = write("scale2.cpp", SCALE_CPP + "void scale2(int n, double* x) { vscale(n, 2.0, x); vscale(n, 3.0, x); }\n")
    code, out, _ = verify_cli(source, right)
    assert code == 0, out["message"]
    wrong = write("scale2_w.cpp", SCALE_CPP + "void scale2(int n, double* x) { vscale(n, 5.0, x); x[0] += 1; }\n")
    code, out, _ = verify_cli(source, wrong)
    assert code == 1 and out["mismatches"][0]["output"] == "x"
