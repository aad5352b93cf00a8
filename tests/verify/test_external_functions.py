"""A routine that uses a function of a sibling file without CALL (`imax = ibig(n, x)`, the
LINPACK idiom with IDAMAX): the reference is built with that file, as the translation is."""

from __future__ import annotations

import subprocess

CALLER = """\
      subroutine scale_by_max(n, x)
      integer n, i, imax
      double precision x(n)
      integer ibig
      imax = ibig(n, x)
      do 10 i = 1, n
         x(i) = x(i) / x(imax)
   10 continue
      end
"""
IBIG = """\
      integer function ibig(n, x)
      integer n, i
      double precision x(n), big
      ibig = 1
      big = dabs(x(1))
      do 10 i = 2, n
         if (dabs(x(i)) .gt. big) then
            ibig = i
            big = dabs(x(i))
         end if
   10 continue
      end
"""


def test_a_function_of_a_sibling_file_is_built_with_the_reference(tv_cmd, tmp_path):
    (tmp_path / "caller.f").write_text(CALLER)
    (tmp_path / "ibig.f").write_text(IBIG)
    out = tmp_path / "caller.cpp"
    done = subprocess.run([*tv_cmd, "translate", str(tmp_path / "caller.f"), "--to", "cpp", "--solver", "rules",
                           "-o", str(out)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "undefined reference" not in done.stdout + done.stderr
    # Without the sibling file the routine is not judged: the reference cannot be linked.
    (tmp_path / "ibig.f").unlink()
    done = subprocess.run([*tv_cmd, "verify", str(tmp_path / "caller.f"), str(out)], capture_output=True,
                          text=True, timeout=300)
    assert done.returncode == 2 and "ibig" in done.stdout + done.stderr
