"""A subscript written as `size - c` (a border copy, `a(i, n2 - 1)` of `a(n1, n2)`) is outside
the array when the size is c or less: generated sizes start where every such subscript exists,
so the reference never reads out of bounds."""

from __future__ import annotations

EDGE_F = """\
      subroutine edge(n1, n2, a)
      integer n1, n2, i
      double precision a(n1, n2)
      do 10 i = 1, n1
         a(i, 1) = a(i, n2 - 1)
   10 continue
      end
"""
EDGE_CPP = """\
void edge(int n1, int n2, double* a) {
    for (int i = 0; i < n1; ++i) {
        a[i] = a[i + (n2 - 2) * n1];
    }
}
"""


def test_sizes_keep_a_size_minus_constant_subscript_in_bounds(verify_cli, write):
    source = write("edge.f", EDGE_F)
    candidate = write("edge.cpp", EDGE_CPP)
    code, payload, _ = verify_cli(source, candidate, "--cases", "12")
    assert code == 0, payload["message"]
    sizes = [case["sizes"] for case in payload["inputs"]]
    assert all(s["n2"] >= 2 for s in sizes) and any(s["n2"] == 2 for s in sizes), sizes
    assert any(s["n1"] == 1 for s in sizes), sizes  # n1 is not constrained


SMOOTH_F = """\
      subroutine smooth(n, x)
      integer nb
      parameter (nb = 10)
      integer n, i
      double precision x(n), w(nb)
      do 10 i = 1, n
         w(i) = x(i)
   10 continue
      do 20 i = 2, n - 1
         x(i) = w(i - 1) + w(i + 1)
   20 continue
      end
"""
SMOOTH_CPP = """\
void smooth(int n, double* x) {
    double w[10];
    for (int i = 0; i < n; ++i) w[i] = x[i];
    for (int i = 1; i < n - 1; ++i) x[i] = w[i - 1] + w[i + 1];
}
"""


def test_a_loop_up_to_a_size_over_a_work_array_of_constant_extent_caps_the_size(verify_cli, write):
    source = write("smooth.f", SMOOTH_F)
    candidate = write("smooth.cpp", SMOOTH_CPP)
    code, payload, _ = verify_cli(source, candidate, "--cases", "8")
    assert code == 0, payload["message"]
    sizes = [case["sizes"]["n"] for case in payload["inputs"]]
    assert max(sizes) <= 10 and 1 in sizes, sizes


STEP_F = """\
      subroutine step(n, x, lev)
      integer n, lev, i
      double precision x(n)
      do 10 i = 1, n
         x(i) = 0.5d0 * x(i)
   10 continue
      call border(n, x)
      call count(lev)
      end

      subroutine border(m, y)
      integer m
      double precision y(m)
      y(1) = y(m - 1)
      end

      subroutine count(l)
      integer l
      integer hits(4)
      common /lv/ hits
      hits(l) = hits(l) + 1
      end
"""
STEP_CPP = """\
int hits[4];
void border(int m, double* y) { y[0] = y[m - 2]; }
void count(int l) { hits[l - 1] = hits[l - 1] + 1; }
void step(int n, double* x, int lev) {
    for (int i = 0; i < n; ++i) x[i] = 0.5 * x[i];
    border(n, x);
    count(lev);
}
"""


def test_sizes_and_levels_passed_on_are_bounded_by_the_callees_use(verify_cli, write):
    source = write("step.f", STEP_F)
    candidate = write("step.cpp", STEP_CPP)
    code, payload, _ = verify_cli(source, candidate, "--entry", "step", "--cases", "8")
    assert code == 0, payload["message"]
    sizes = [case["sizes"]["n"] for case in payload["inputs"]]
    assert min(sizes) == 2, sizes  # border reads y(m - 1)
    levels = [case["lev"] for case in payload["inputs"]]
    assert all(1 <= lev <= 4 for lev in levels), levels  # count's hits(l) has 4 levels


SPREAD_F = """\
      subroutine spread(mc, zc, nf, uf)
      integer mc, nf, i
      double precision zc(mc), uf(nf)
      do 10 i = 1, mc - 1
         uf(2*i - 1) = zc(i)
         uf(2*i) = 0.5d0 * (zc(i) + zc(i + 1))
   10 continue
      end
"""
SPREAD_CPP = """\
void spread(int mc, const double* zc, int nf, double* uf) {
    for (int i = 1; i <= mc - 1; ++i) {
        uf[2 * i - 2] = zc[i - 1];
        uf[2 * i - 1] = 0.5 * (zc[i - 1] + zc[i]);
    }
}
"""


def test_a_fine_grid_addressed_from_a_coarse_one_is_generated_large_enough(verify_cli, write):
    source = write("spread.f", SPREAD_F)
    candidate = write("spread.cpp", SPREAD_CPP)
    code, payload, _ = verify_cli(source, candidate, "--cases", "12")
    assert code == 0, payload["message"]
    sizes = [case["sizes"] for case in payload["inputs"]]
    assert all(s["nf"] >= 2 * s["mc"] - 2 for s in sizes), sizes
    assert any(s["mc"] >= 16 for s in sizes), sizes  # the coarse grid still takes large sizes


RESTRICT_F = """\
      subroutine shrink(mf, uf, mc, zc)
      integer mf, mc, i, j
      double precision uf(mf), zc(mc)
      do 10 j = 2, mc - 1
         i = 2*j - 1
         zc(j) = 0.5d0 * uf(i) + 0.25d0 * (uf(i - 1) + uf(i + 1))
   10 continue
      end
"""
RESTRICT_CPP = """\
void shrink(int mf, const double* uf, int mc, double* zc) {
    for (int j = 2; j <= mc - 1; ++j) {
        int i = 2 * j - 1;
        zc[j - 1] = 0.5 * uf[i - 1] + 0.25 * (uf[i - 2] + uf[i]);
    }
}
"""


def test_a_fine_grid_read_through_a_local_set_from_the_counter_is_large_enough(verify_cli, write):
    source = write("shrink.f", RESTRICT_F)
    candidate = write("shrink.cpp", RESTRICT_CPP)
    code, payload, _ = verify_cli(source, candidate, "--cases", "12")
    assert code == 0, payload["message"]
    sizes = [case["sizes"] for case in payload["inputs"]]
    assert all(s["mf"] >= 2 * s["mc"] - 2 for s in sizes), sizes  # i + 1 = 2*j <= 2*(mc - 1)


# The grid (nf >= 2*mc - 2) and a DO range between two sizes (lw <= mc) are solved together:
# raising mc for the loop must raise nf with it, or the reference writes past uf.
SPREAD_LOOP_F = """\
      subroutine spreadw(mc, zc, lw, w, nf, uf)
      integer mc, lw, nf, i, j
      double precision zc(mc), w(lw), uf(nf)
      do 10 i = 1, mc - 1
         uf(2*i - 1) = zc(i)
         uf(2*i) = 0.5d0 * (zc(i) + zc(i + 1))
   10 continue
      do 20 j = lw, mc
         uf(1) = uf(1) + w(lw) * zc(j)
   20 continue
      end
"""
SPREAD_LOOP_CPP = """\
void spreadw(int mc, const double* zc, int lw, const double* w, int nf, double* uf) {
    for (int i = 1; i <= mc - 1; ++i) {
        uf[2 * i - 2] = zc[i - 1];
        uf[2 * i - 1] = 0.5 * (zc[i - 1] + zc[i]);
    }
    for (int j = lw; j <= mc; ++j) uf[0] += w[lw - 1] * zc[j - 1];
}
"""


def test_a_grid_still_covers_a_size_that_a_loop_relation_raised(verify_cli, write):
    source = write("spreadw.f", SPREAD_LOOP_F)
    candidate = write("spreadw.cpp", SPREAD_LOOP_CPP)
    code, payload, _ = verify_cli(source, candidate, "--cases", "8")
    assert code == 0, payload["message"]
    sizes = [case["sizes"] for case in payload["inputs"]]
    assert all(s["lw"] <= s["mc"] and s["nf"] >= 2 * s["mc"] - 2 for s in sizes), sizes
    assert "faulted" not in payload["message"], payload["message"]
    assert not [w for w in payload["warnings"] if "cannot always satisfy" in w], payload["warnings"]
