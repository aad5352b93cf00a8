"""Sources and scripted Solver answers shared by the loop tests."""

from __future__ import annotations

SAXPY = """\
! y <- a*x + y, the BLAS level-1 classic.
subroutine saxpy(n, a, x, y)
  implicit none
  integer, intent(in) :: n
  real, intent(in) :: a
  real, intent(in) :: x(n)
  real, intent(inout) :: y(n)
  integer :: i

  do i = 1, n
    y(i) = a * x(i) + y(i)
  end do
end subroutine saxpy
"""

# Three Solver answers: one that does not compile, one that computes the wrong
# thing, one that is right.
NOT_COMPILING = """\
void saxpy(int n, float a, const float* x, float* y) {
    for (int i = 0; i < n; ++i) {
        y[i] = a * x[i] + z[i];
    }
}
"""
WRONG_BOUND = """\
void saxpy(int n, float a, const float* x, float* y) {
    for (int i = 0; i < n - 1; ++i) {
        y[i] = a * x[i] + y[i];
    }
}
"""
CORRECT = """\
// y <- a*x + y
void saxpy(int n, float a, const float* x, float* y) {
    for (int i = 0; i < n; ++i) {
        y[i] = a * x[i] + y[i];
    }
}
"""


def answer(code: str, prose: str = "Here is the translation.") -> str:
    return f"{prose}\n\n```cpp\n{code}```\n\nThe loop keeps Fortran's inclusive bounds."


def endpoint(llm) -> dict[str, str]:
    return {"OPENAI_BASE_URL": llm.base_url, "TRANSVERIFY_MODEL": "solver-model", "OPENAI_API_KEY": "test-key"}
