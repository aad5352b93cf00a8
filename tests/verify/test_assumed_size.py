"""Assumed-size dummies x(*) and a(lda,*): sized from the lengths and strides the routine
uses (negative strides where it handles them), from --shape, or refused naming the flag;
index arrays get values within the extent they index."""

from __future__ import annotations

# A strided sum in the reference-BLAS style: negative increments walk the vector backwards.
STRIDED_F = """\
      SUBROUTINE SXPY(N, X, INCX, Y, INCY)
      INTEGER N, INCX, INCY
      DOUBLE PRECISION X(*), Y(*)
      INTEGER I, IX, IY
      IF (N.LE.0) RETURN
      IX = 1
      IY = 1
      IF (INCX.LT.0) IX = (-N+1)*INCX + 1
      IF (INCY.LT.0) IY = (-N+1)*INCY + 1
      DO 10 I = 1, N
         Y(IY) = Y(IY) + X(IX)
         IX = IX + INCX
         IY = IY + INCY
   10 CONTINUE
      END
"""

STRIDED_CPP = """\
void sxpy(int n, const double* x, int incx, double* y, int incy) {
    if (n <= 0) return;
    int ix = incx < 0 ? (-n + 1) * incx : 0;
    int iy = incy < 0 ? (-n + 1) * incy : 0;
    for (int i = 0; i < n; ++i) { y[iy] += x[ix]; ix += incx; iy += incy; }
}
"""


def test_strided_assumed_size_right_translation(verify_cli, write):
    code, out, _ = verify_cli(write("sxpy.f", STRIDED_F), write("sxpy.cpp", STRIDED_CPP))
    assert code == 0, out["message"]
    incs = [case["incx"] for case in out["inputs"]]
    assert any(v < 0 for v in incs) and any(v > 1 for v in incs)
    for case in out["inputs"]:  # 1 + (n-1)*|incx| elements
        assert case["x"] == f"float64[{1 + (case['n'] - 1) * abs(case['incx'])}]"


def test_translation_that_ignores_negative_strides_is_caught(verify_cli, write):
    # Walks y forwards whatever the sign of incy: in bounds, but the wrong elements.
    wrong = STRIDED_CPP.replace("int iy = incy < 0 ? (-n + 1) * incy : 0;", "int iy = 0;").replace(
        "iy += incy;", "iy += incy < 0 ? -incy : incy;")
    code, out, _ = verify_cli(write("sxpy.f", STRIDED_F), write("sxpy_wrong.cpp", wrong))
    assert code == 1 and out["mismatches"][0]["output"] == "y"


def test_two_dimensional_assumed_size_with_leading_dimension(verify_cli, write):
    source = write("colsum.f", """\
      SUBROUTINE COLSUM(M, N, A, LDA, S)
      INTEGER M, N, LDA
      DOUBLE PRECISION A(LDA,*), S(*)
      INTEGER I, J
      DO 20 J = 1, N
         S(J) = 0.0D0
         DO 10 I = 1, M
            S(J) = S(J) + A(I,J)
   10    CONTINUE
   20 CONTINUE
      END
""")
    right = write("colsum.cpp", "void colsum(int m, int n, const double* a, int lda, double* s) {\n"
                                "  for (int j = 0; j < n; ++j) { s[j] = 0; for (int i = 0; i < m; ++i) s[j] += a[i + j * lda]; }\n}\n")
    code, out, _ = verify_cli(source, right)
    assert code == 0, out["message"]
    assert all(case["lda"] >= max(case["m"], case["n"]) for case in out["inputs"])
    assert any(case["lda"] > max(case["m"], case["n"]) for case in out["inputs"])
    wrong = write("colsum_m.cpp", "void colsum(int m, int n, const double* a, int lda, double* s) {\n"
                                  "  for (int j = 0; j < n; ++j) { s[j] = 0; for (int i = 0; i < m; ++i) s[j] += a[i + j * m]; }\n}\n")
    code, out, _ = verify_cli(source, wrong)
    assert code == 1 and out["mismatches"][0]["output"] == "s"


def test_extent_that_cannot_be_inferred_names_the_shape_flag(verify_cli, write):
    source = write("first.f90", "subroutine first(x, y)\n  real(8), intent(in) :: x(*)\n  real(8), intent(out) :: y\n"
                                "  y = x(1) + x(4)\nend subroutine first\n")
    right = write("first.cpp", "void first(const double* x, double& y) { y = x[0] + x[3]; }\n")
    code, out, _ = verify_cli(source, right)
    assert code == 2 and "--shape x=" in out["message"]
    code, out, _ = verify_cli(source, right, "--shape", "x=4")
    assert code == 0, out["message"]
    assert out["inputs"][0]["x"] == "float64[4]"


def test_index_array_values_stay_within_the_rows_they_swap(verify_cli, write):
    source = write("swaps.f", """\
      SUBROUTINE SWAPS(N, A, LDA, K, IPIV)
      INTEGER N, LDA, K
      INTEGER IPIV(*)
      DOUBLE PRECISION A(LDA,*)
      INTEGER I, J, IP
      DOUBLE PRECISION T
      DO 20 I = 1, K
         IP = IPIV(I)
         DO 10 J = 1, N
            T = A(I,J)
            A(I,J) = A(IP,J)
            A(IP,J) = T
   10    CONTINUE
   20 CONTINUE
      END
""")
    right = write("swaps.cpp", "void swaps(int n, double* a, int lda, int k, const int* ipiv) {\n"
                               "  for (int i = 0; i < k; ++i) { int ip = ipiv[i] - 1;\n"
                               "    for (int j = 0; j < n; ++j) { double t = a[i + j * lda]; a[i + j * lda] = a[ip + j * lda];"
                               " a[ip + j * lda] = t; } }\n}\n")
    code, out, _ = verify_cli(source, right)
    assert code == 0, out["message"]
    wrong = write("swaps_wrong.cpp", right.read_text().replace("int ip = ipiv[i] - 1;", "int ip = ipiv[i] % lda;"))
    code, out, _ = verify_cli(source, wrong)
    assert code == 1 and out["stage"] in ("compare", "run")


def test_csr_row_pointers_are_monotone(verify_cli, write):
    source = write("csr.f90", """\
subroutine csrmv(n, nnz, rowptr, colidx, val, x, y)
  integer, intent(in) :: n, nnz
  integer, intent(in) :: rowptr(n+1), colidx(nnz)
  real(8), intent(in) :: val(nnz), x(n)
  real(8), intent(out) :: y(n)
  integer :: i, k
  do i = 1, n
    y(i) = 0
    do k = rowptr(i), rowptr(i+1) - 1
      y(i) = y(i) + val(k) * x(colidx(k))
    end do
  end do
end subroutine csrmv
""")
    right = write("csr.cpp", "void csrmv(int n, int nnz, const int* rowptr, const int* colidx, const double* val,\n"
                             "           const double* x, double* y) {\n  for (int i = 0; i < n; ++i) { y[i] = 0;\n"
                             "    for (int k = rowptr[i] - 1; k < rowptr[i + 1] - 1; ++k) y[i] += val[k] * x[colidx[k] - 1]; }\n}\n")
    code, out, _ = verify_cli(source, right, "--cases", "12")
    assert code == 0, out["message"]
    wrong = write("csr_wrong.cpp", right.read_text().replace("k < rowptr[i + 1] - 1", "k < rowptr[i + 1] - 2"))
    code, out, _ = verify_cli(source, wrong)
    assert code == 1 and out["mismatches"][0]["output"] == "y"


def test_only_loops_over_the_last_dimension_size_a_multidimensional_array(verify_cli, write):
    """v(3, ld, *): nk sizes the last dimension; ilo/ihi subscript the middle one and stay
    small instead of following the size schedule."""
    source = write("plane.f", """\
      SUBROUTINE PLANE(LD, NK, ILO, IHI, V, S)
      INTEGER LD, NK, ILO, IHI
      DOUBLE PRECISION V(3, LD, *), S(3)
      INTEGER I, K, M
      DO 30 M = 1, 3
         S(M) = 0.0D0
         DO 20 K = 1, NK
            DO 10 I = ILO, IHI
               S(M) = S(M) + V(M, I, K)
   10       CONTINUE
   20    CONTINUE
   30 CONTINUE
      END
""")
    right = write("plane.cpp", "void plane(int ld, int nk, int ilo, int ihi, const double* v, double* s) {\n"
                               "  for (int m = 0; m < 3; ++m) { s[m] = 0;\n    for (int k = 0; k < nk; ++k)\n"
                               "      for (int i = ilo; i <= ihi; ++i) s[m] += v[m + 3 * ((i - 1) + ld * k)]; }\n}\n")
    code, out, _ = verify_cli(source, right)
    assert code == 0, out["message"]
    for case in out["inputs"]:
        assert "nk" in case["sizes"] and "ilo" not in case["sizes"]
        assert 1 <= case["ihi"] <= 3
        assert case["v"] == f"float64[{3 * case['ld'] * max(case['nk'], 1)}]"


def test_leading_dimensions_differ_so_a_mix_up_shows(verify_cli, write):
    source = write("mcopy.f", """\
      SUBROUTINE MCOPY(M, N, A, LDA, B, LDB)
      INTEGER M, N, LDA, LDB
      DOUBLE PRECISION A(LDA,*), B(LDB,*)
      INTEGER I, J
      DO 20 J = 1, N
         DO 10 I = 1, M
            B(I,J) = A(I,J)
   10    CONTINUE
   20 CONTINUE
      END
""")
    right = ("void mcopy(int m, int n, const double* a, int lda, double* b, int ldb) {\n"
             "  for (int j = 0; j < n; ++j) for (int i = 0; i < m; ++i) b[i + j * ldb] = a[i + j * lda];\n}\n")
    code, out, _ = verify_cli(source, write("mcopy.cpp", right))
    assert code == 0, out["message"]
    assert any(case["lda"] != case["ldb"] for case in out["inputs"])
    code, out, _ = verify_cli(source, write("mcopy_lda.cpp", right.replace("b[i + j * ldb]", "b[i + j * lda]")))
    assert code == 1 and out["stage"] in ("compare", "run")  # wrong elements, or past the end of b


# Appends one element when the value is new: v(nzv) after nzv = nzv + 1 is one past the count.
APPEND_F = """\
      subroutine append(v, iv, nzv, i, val)
      integer iv(*), nzv, i, k
      double precision v(*), val
      logical found
      found = .false.
      do 10 k = 1, nzv
         if (iv(k) .eq. i) then
            v(k) = val
            found = .true.
         end if
   10 continue
      if (.not. found) then
         nzv = nzv + 1
         v(nzv) = val
         iv(nzv) = i
      end if
      end
"""

APPEND_CPP = """\
void append(double* v, int* iv, int& nzv, int i, double val) {
    bool found = false;
    for (int k = 0; k < nzv; ++k)
        if (iv[k] == i) { v[k] = val; found = true; }
    if (!found) { nzv = nzv + 1; v[nzv - 1] = val; iv[nzv - 1] = i; }
}
"""


def test_a_count_grown_in_place_sizes_one_element_more(verify_cli, write):
    code, out, _ = verify_cli(write("append.f", APPEND_F), write("append.cpp", APPEND_CPP))
    assert code == 0, out["message"]
    for case in out["inputs"]:
        assert int(case["v"].split("[")[1].rstrip("]")) >= case["nzv"] + 1, case


def test_an_append_past_the_count_plus_one_is_caught(verify_cli, write):
    wrong = APPEND_CPP.replace("v[nzv - 1] = val", "v[nzv] = val")
    code, out, _ = verify_cli(write("append.f", APPEND_F), write("append_wrong.cpp", wrong))
    assert code == 1, out["message"]
