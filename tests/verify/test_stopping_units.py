"""A procedure that ends the program (STOP) on some inputs, as the reference XERBLA does: each
case then runs alone on both sides and is compared by what the reference did, stdout and exit
status where it stopped, outputs where it returned. Never "equivalent" because both sides wrote
nothing."""

from __future__ import annotations

import json
import subprocess
import textwrap

REPORTER = """
    subroutine reporter(code, x)
      integer :: code
      double precision :: x
      x = 2 * x
      if (code > 0) then
        write(*, '(a, i4)') ' bad argument', code
        stop
      end if
    end subroutine
    """


def _verify(tv_cmd, tmp_path, fortran: str, cpp: str, *flags: str):
    source, candidate = tmp_path / "unit.f90", tmp_path / "unit.cpp"
    source.write_text(textwrap.dedent(fortran))
    candidate.write_text(textwrap.dedent(cpp))
    done = subprocess.run([*tv_cmd, "verify", str(source), str(candidate), "--json", *flags],
                          capture_output=True, text=True, timeout=240)
    return done.returncode, json.loads(done.stdout)


def _candidate(message: str, stops: bool = True) -> str:
    return f"""
        #include <cstdio>
        #include <cstdlib>
        void reporter(int& code, double& x) {{
            x = 2 * x;
            if (code > 0) {{ std::printf("{message} %4d\\n", code); {'std::exit(0);' if stops else ''} }}
        }}
        """


def test_a_unit_that_stops_is_compared_by_its_stdout_and_exit_status(tmp_path, tv_cmd):
    code, result = _verify(tv_cmd, tmp_path, REPORTER, _candidate(" bad argument"), "--value", "code=1")
    assert code == 0, result["message"]
    assert "ended the program in" in result["message"]


def test_a_unit_that_stops_with_other_output_is_not_equivalent(tmp_path, tv_cmd):
    code, result = _verify(tv_cmd, tmp_path, REPORTER, _candidate(" wrong argument"), "--value", "code=1")
    assert code == 1, result["message"]
    assert result["mismatches"][0]["output"] == "stdout"


def test_a_candidate_that_returns_where_the_reference_stops_is_not_equivalent(tmp_path, tv_cmd):
    code, result = _verify(tv_cmd, tmp_path, REPORTER, _candidate(" bad argument", stops=False), "--value", "code=1")
    assert code == 1, result["message"]
    assert "the reference ended the program, the candidate returned" in result["message"]


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
