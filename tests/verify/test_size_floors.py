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
