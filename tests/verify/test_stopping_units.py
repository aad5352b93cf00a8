"""A procedure that ends the program (STOP) instead of returning: unit mode cannot compare what
it returns, and must not call it equivalent because both sides wrote nothing."""

from __future__ import annotations

import json
import subprocess
import textwrap




def _verify(tv_cmd, tmp_path, fortran: str, cpp: str):
    source, candidate = tmp_path / "unit.f90", tmp_path / "unit.cpp"
    source.write_text(textwrap.dedent(fortran))
    candidate.write_text(textwrap.dedent(cpp))
    done = subprocess.run([*tv_cmd, "verify", str(source), str(candidate), "--json"], capture_output=True, text=True,
                          timeout=240)
    return done.returncode, json.loads(done.stdout)


def test_a_reference_that_stops_is_refused_not_called_equivalent(tmp_path, tv_cmd):
    code, result = _verify(tv_cmd, tmp_path, """
        subroutine halt_after(n, x)
          integer :: n
          double precision :: x
          x = 2 * x
          if (n > -1000) stop
        end subroutine
        """, """
        #include <cstdlib>
        void halt_after(int n, double& x) { x = 3 * x; if (n > -1000) std::exit(0); }
        """)
    assert code == 2, result["message"]
    assert result["stage"] == "run"
    assert "the reference ended the program" in result["message"] and "'halt_after'" in result["message"]


def test_a_candidate_that_stops_where_the_reference_returns_is_not_equivalent(tmp_path, tv_cmd):
    code, result = _verify(tv_cmd, tmp_path, """
        subroutine report_only(info)
          integer :: info
          if (info > 1000000) info = 0
        end subroutine
        """, """
        #include <cstdlib>
        void report_only(int& info) { if (info > 1000000) info = 0; std::exit(0); }
        """)
    assert code == 1, result["message"]
    assert "the candidate ended the program (exit status 0)" in result["message"]
