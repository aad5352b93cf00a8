"""Storage layouts of pre-FORTRAN 77 libraries: `x(1)` / `a(lda,1)` dummies meaning `*`, band
matrices whose leading dimension must hold ml + mu + 1 rows and more, and packed triangles
addressed through k*(k-1)/2. Inputs are sized so that the reference stays in bounds."""

from __future__ import annotations

# A band matrix-vector product in LINPACK's storage: row m = mu + 1 holds the diagonal.
BAND_F = """\
      subroutine bandmv(abd,lda,n,ml,mu,x,y)
      integer lda,n,ml,mu
      double precision abd(lda,1),x(1),y(1)
      integer i,j,k,m
      m = mu + ml + 1
      do 20 j = 1, n
         y(j) = 0.0d0
   20 continue
      do 40 j = 1, n
         do 30 i = max(1, j - mu), min(n, j + ml)
            k = i - j + mu + 1
            y(i) = y(i) + abd(k,j)*x(j)
   30    continue
   40 continue
      if (m .gt. lda) y(1) = -1.0d0
      return
      end
"""

BAND_CPP = """\
#include <algorithm>
void bandmv(const double* abd, int lda, int n, int ml, int mu, const double* x, double* y) {
    for (int j = 0; j < n; ++j) y[j] = 0.0;
    for (int j = 1; j <= n; ++j)
        for (int i = std::max(1, j - mu); i <= std::min(n, j + ml); ++i)
            y[i - 1] += abd[(i - j + mu) + (j - 1) * lda] * x[j - 1];
    if (mu + ml + 1 > lda) y[0] = -1.0;
}
"""

# The sum of a packed upper triangle's diagonal: ap(k*(k+1)/2).
PACKED_F = """\
      subroutine pdiag(ap,n,s)
      integer n
      double precision ap(1),s
      integer k,kk
      s = 0.0d0
      kk = 0
      do 10 k = 1, n
         kk = (k*(k+1))/2
         s = s + ap(kk)
   10 continue
      return
      end
"""

PACKED_CPP = """\
void pdiag(const double* ap, int n, double& s) {
    s = 0.0;
    for (int k = 1; k <= n; ++k) s += ap[k * (k + 1) / 2 - 1];
}
"""


def test_band_storage_with_extent_one_dummies(verify_cli, write):
    code, out, _ = verify_cli(write("bandmv.f", BAND_F), write("bandmv.cpp", BAND_CPP))
    assert code == 0, out["message"]
    for case in out["inputs"]:  # abd(lda,1) is abd(lda,*): a column per length; lda holds the band
        assert case["lda"] >= case["ml"] + case["mu"] + 1
        assert case["abd"] == f"float64[{case['lda'] * max(case['n'], case['ml'], case['mu'], 1)}]"


def test_band_translation_with_a_wrong_diagonal_row_is_caught(verify_cli, write):
    wrong = BAND_CPP.replace("abd[(i - j + mu)", "abd[(i - j + ml)")
    code, out, _ = verify_cli(write("bandmv.f", BAND_F), write("bandmv_wrong.cpp", wrong))
    assert code == 1, out["message"]


def test_packed_triangle_is_sized_for_its_order(verify_cli, write):
    code, out, _ = verify_cli(write("pdiag.f", PACKED_F), write("pdiag.cpp", PACKED_CPP))
    assert code == 0, out["message"]
    for case in out["inputs"]:
        n = max(case["n"], 1)
        assert case["ap"] == f"float64[{n * (n + 1) // 2 + n}]"


# Undoes row interchanges recorded by a factorisation, in a loop made of IF and GO TO.
PIVOT_F = """\
      subroutine unpiv(n,kpvt,b)
      integer n,kpvt(1)
      double precision b(1),t
      integer k,kp
      k = n
   10 if (k .eq. 0) go to 20
         kp = iabs(kpvt(k))
         t = b(k)
         b(k) = b(kp)
         b(kp) = t
         k = k - 1
      go to 10
   20 continue
      return
      end
"""

PIVOT_CPP = """\
#include <cstdlib>
void unpiv(int n, const int* kpvt, double* b) {
    for (int k = n; k >= 1; --k) {
        int kp = std::abs(kpvt[k - 1]);
        double t = b[k - 1]; b[k - 1] = b[kp - 1]; b[kp - 1] = t;
    }
}
"""


def test_pivot_vector_holds_row_numbers_and_goto_loops_give_the_length(verify_cli, write):
    code, out, _ = verify_cli(write("unpiv.f", PIVOT_F), write("unpiv.cpp", PIVOT_CPP))
    assert code == 0, out["message"]
    assert {case["b"] for case in out["inputs"]} != {"float64[1]"}  # sized by n, not by b(1)
    wrong = PIVOT_CPP.replace("for (int k = n; k >= 1; --k)", "for (int k = 1; k <= n; ++k)")
    code, out, _ = verify_cli(write("unpiv.f", PIVOT_F), write("unpiv_wrong.cpp", wrong))
    assert code == 1, out["message"]


# Column starts of a packed triangle accumulated by the loop counter: jj = jj + j.
COLUMN_F = """\
      subroutine plast(ap,n,s)
      integer n
      double precision ap(1),s
      integer j,jj
      s = 0.0d0
      jj = 0
      do 10 j = 1, n
         jj = jj + j
         s = s + ap(jj)
   10 continue
      return
      end
"""


def test_packed_triangle_walked_by_an_accumulated_offset(verify_cli, write):
    cpp = PACKED_CPP.replace("pdiag", "plast")
    code, out, _ = verify_cli(write("plast.f", COLUMN_F), write("plast.cpp", cpp))
    assert code == 0, out["message"]
    n = max(out["inputs"][3]["n"], 1)
    assert out["inputs"][3]["ap"] == f"float64[{n * (n + 1) // 2 + n}]"


# A sweep that reads the previous plane: the last subscript is an argument plus a constant.
PLANE_F = """\
      subroutine sweep(ld, k, w, v)
      integer ld, k, i
      double precision w, v(ld, *)
      do 10 i = 1, ld
         v(i, k) = v(i, k) - w * v(i, k-1)
   10 continue
      end
"""

PLANE_CPP = """\
void sweep(int ld, int k, double w, double* v) {
    for (int i = 0; i < ld; ++i) v[i + (k - 1) * ld] -= w * v[i + (k - 2) * ld];
}
"""


def test_planes_addressed_by_an_argument_and_its_neighbour(verify_cli, write):
    code, out, _ = verify_cli(write("sweep.f", PLANE_F), write("sweep.cpp", PLANE_CPP))
    assert code == 0, out["message"]
    for case in out["inputs"]:
        assert case["k"] >= 2 and case["v"] == f"float64[{case['ld'] * case['k']}]"


def test_length_kept_on_an_explicit_stack_and_lsame_called_by_a_dependency(verify_cli, write):
    # The order n only reaches the loops through stack(2, 1); LSAME is called by opt.f, which
    # the source calls but does not define: the harness supplies it all the same.
    write("opt.f", """\
      INTEGER FUNCTION OPT(C)
      CHARACTER C
      LOGICAL LSAME
      EXTERNAL LSAME
      OPT = 0
      IF (LSAME(C, 'R')) OPT = 1
      END
""")
    source = write("rev.f", """\
      SUBROUTINE REV(N, D)
      INTEGER N, OPT, LO, HI, STACK(2, 1)
      DOUBLE PRECISION D(*), T
      EXTERNAL OPT
      STACK(1, 1) = 1
      STACK(2, 1) = N
      LO = STACK(1, 1)
      HI = STACK(2, 1)
   10 IF (LO .GE. HI .OR. OPT('r') .EQ. 0) RETURN
      T = D(LO)
      D(LO) = D(HI)
      D(HI) = T
      LO = LO + 1
      HI = HI - 1
      GO TO 10
      END
""")
    candidate = write("rev.cpp", """\
void rev(int n, double* d) {
    for (int lo = 0, hi = n - 1; lo < hi; ++lo, --hi) { double t = d[lo]; d[lo] = d[hi]; d[hi] = t; }
}
""")
    code, out, _ = verify_cli(source, candidate)
    assert code == 0, out["message"]
    assert [case["d"] for case in out["inputs"]] == [f"float64[{max(case['n'], 1)}]" for case in out["inputs"]]


# `y(1)` touched only as y(1) here, but passed whole to a copy that reads n elements.
PASSED_WHOLE_F = """\
      subroutine firstcp(n,y,qy,s)
      integer n,i
      double precision y(1),qy(1),s
      s = y(1)
      call cpy(n,y,qy)
      do 10 i = 1, n
         s = s + qy(i)
   10 continue
      return
      end

      subroutine cpy(n,a,b)
      integer n,i
      double precision a(n),b(n)
      do 10 i = 1, n
         b(i) = a(i)
   10 continue
      return
      end
"""

PASSED_WHOLE_CPP = """\
void cpy(int n, const double* a, double* b) {
    for (int i = 0; i < n; ++i) b[i] = a[i];
}
void firstcp(int n, const double* y, double* qy, double& s) {
    s = y[0];
    cpy(n, y, qy);
    for (int i = 0; i < n; ++i) s += qy[i];
}
"""


def test_an_extent_one_dummy_passed_whole_to_a_procedure_is_assumed_size(verify_cli, write):
    source = write("firstcp.f", PASSED_WHOLE_F)
    code, out, _ = verify_cli(source, write("firstcp.cpp", PASSED_WHOLE_CPP), "--entry", "firstcp")
    assert code == 0, out["message"]
    assert {case["y"] for case in out["inputs"]} != {"float64[1]"}  # sized by n, not by y(1)
    assert all(case["y"] == case["qy"] for case in out["inputs"]), out["inputs"]
    wrong = PASSED_WHOLE_CPP.replace("b[i] = a[i]", "b[i] = a[n - 1 - i]")
    code, out, _ = verify_cli(source, write("firstcp_wrong.cpp", wrong), "--entry", "firstcp")
    assert code == 1, out["message"]
