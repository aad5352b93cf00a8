"""CHARACTER options (char by value), LSAME and XERBLA supplied on both sides, and inputs
drawn from the letters the routine compares against, in both cases."""

from __future__ import annotations

# A LAPACK-style routine: the option is checked with LSAME, a bad argument goes to XERBLA.
TRIFILL_F = """\
      SUBROUTINE TRIFIL(UPLO, N, A, LDA, V)
      CHARACTER UPLO
      INTEGER N, LDA
      DOUBLE PRECISION V
      DOUBLE PRECISION A(LDA,*)
      LOGICAL LSAME
      EXTERNAL LSAME, XERBLA
      INTEGER I, J, INFO
      INFO = 0
      IF (.NOT.LSAME(UPLO,'U') .AND. .NOT.LSAME(UPLO,'L')) THEN
         INFO = 1
      ELSE IF (N.LT.0) THEN
         INFO = 2
      END IF
      IF (INFO.NE.0) THEN
         CALL XERBLA('TRIFIL', INFO)
         RETURN
      END IF
      DO 20 J = 1, N
         DO 10 I = 1, N
            IF (LSAME(UPLO,'U') .AND. I.LE.J) A(I,J) = V
            IF (LSAME(UPLO,'L') .AND. I.GE.J) A(I,J) = V
   10    CONTINUE
   20 CONTINUE
      END
"""

TRIFILL_CPP = """\
bool lsame(char ca, char cb);
void xerbla(const char* srname, int info);

void trifil(char uplo, int n, double* a, int lda, double v) {
    int info = 0;
    if (!lsame(uplo, 'U') && !lsame(uplo, 'L')) info = 1;
    else if (n < 0) info = 2;
    if (info != 0) { xerbla("TRIFIL", info); return; }
    for (int j = 0; j < n; ++j)
        for (int i = 0; i < n; ++i) {
            if (lsame(uplo, 'U') && i <= j) a[i + j * lda] = v;
            if (lsame(uplo, 'L') && i >= j) a[i + j * lda] = v;
        }
}
"""


def test_character_option_right_translation_sees_every_letter(verify_cli, write):
    code, out, _ = verify_cli(write("trifil.f", TRIFILL_F), write("trifil.cpp", TRIFILL_CPP))
    assert code == 0, out["message"]
    letters = {case["uplo"] for case in out["inputs"]}
    assert {"U", "L", "u", "l"} <= letters  # both cases: LSAME ignores case
    assert letters - {"U", "L", "u", "l"}  # and one the routine rejects through XERBLA


def test_case_sensitive_comparison_is_caught(verify_cli, write):
    wrong = TRIFILL_CPP.replace("lsame(uplo, 'U') && i <= j", "uplo == 'U' && i <= j")
    code, out, _ = verify_cli(write("trifil.f", TRIFILL_F), write("trifil_case.cpp", wrong))
    assert code == 1 and out["mismatches"][0]["output"] == "a"


def test_a_different_xerbla_argument_number_is_caught(verify_cli, write):
    wrong = TRIFILL_CPP.replace("info = 1;", "info = 3;")
    code, out, _ = verify_cli(write("trifil.f", TRIFILL_F), write("trifil_info.cpp", wrong))
    assert code == 1 and out["mismatches"][0]["output"] == "xerbla"
    assert out["mismatches"][0]["expected"] == 1 and out["mismatches"][0]["actual"] == 3


def test_character_passed_as_a_pointer_breaks_the_convention(verify_cli, write):
    wrong = TRIFILL_CPP.replace("void trifil(char uplo", "void trifil(const char* uplo").replace(
        "lsame(uplo,", "lsame(*uplo,")
    code, out, _ = verify_cli(write("trifil.f", TRIFILL_F), write("trifil_ptr.cpp", wrong))
    assert code == 1 and out["stage"] == "compile_candidate"
    assert "uplo" in out["message"] and "char" in out["message"]


def test_free_form_comparison_with_equals(verify_cli, write):
    source = write("pick.f90", """\
function pick(mode, a, b) result(r)
  character(len=1), intent(in) :: mode
  real(8), intent(in) :: a, b
  real(8) :: r
  select case (mode)
  case ('a')
    r = a
  case ('b')
    r = b
  case default
    r = a + b
  end select
end function pick
""")
    right = write("pick.cpp", "double pick(char mode, double a, double b) {\n"
                              "  if (mode == 'a') return a;\n  if (mode == 'b') return b;\n  return a + b;\n}\n")
    code, out, _ = verify_cli(source, right)
    assert code == 0, out["message"]
    assert {"a", "b", "A", "B"} <= {case["mode"] for case in out["inputs"]}
    wrong = write("pick_wrong.cpp", right.read_text().replace("return a + b;", "return a;"))
    code, out, _ = verify_cli(source, wrong)
    assert code == 1 and out["mismatches"][0]["output"] == "result"


def test_fixed_length_string_is_passed_exactly_that_long(verify_cli, write):
    source = write("tcount.f", """\
      SUBROUTINE TCOUNT(TITLE, N)
      CHARACTER*8 TITLE
      INTEGER N, I
      N = 0
      DO 10 I = 1, 8
         IF (TITLE(I:I) .EQ. 'a') N = N + 1
   10 CONTINUE
      END
""")
    right = write("tcount.cpp", "void tcount(const char* title, int& n) {\n"
                                "  n = 0;\n  for (int i = 0; i < 8; ++i) if (title[i] == 'a') ++n;\n}\n")
    code, out, _ = verify_cli(source, right)
    assert code == 0, out["message"]
    assert all(len(case["title"]) == 8 for case in out["inputs"])
    code, out, _ = verify_cli(source, write("tcount_7.cpp", right.read_text().replace("i < 8", "i < 7")))
    assert code == 1 and out["mismatches"][0]["output"] == "n"
