"""Inputs outside the convention: exit 2 naming file, line and construct; wrong candidates: exit 1
with diagnostics in the user's files, never in generated harness files."""

from __future__ import annotations

import os

import pytest

SAXPY_CPP = "void saxpy(int n, float a, const float* x, float* y) { for (int i = 0; i < n; ++i) y[i] += a * x[i]; }\n"


@pytest.mark.parametrize("decl, line, words", [
    ("real, intent(in) :: x(:)", 4, ["assumed-shape", "'x'"]),
    ("real, intent(in) :: x(n, *)", 4, ["assumed-size", "'x'"]),
    ("real, allocatable, intent(in) :: x(:)", 4, ["allocatable", "'x'"]),
    ("character(len=8), intent(out) :: x", 4, ["character", "'x'"]),  # inputs are supported
    ("type(point), intent(in) :: x", 4, ["derived type", "'x'"]),
])
def test_unsupported_dummy_is_exit_2_with_file_line_and_argument(verify_cli, write, decl, line, words):
    source = write("bad.f90", "subroutine saxpy(n, x)\n  implicit none\n  integer, intent(in) :: n\n"
                              f"  {decl}\nend subroutine saxpy\n")
    candidate = write("bad.cpp", "void saxpy(int n, const float* x) {}\n")
    code, out, _ = verify_cli(source, candidate)
    assert code == 2 and out["verdict"] == "error" and out["stage"] == "parse"
    assert f"bad.f90:{line}" in out["message"]
    for word in words:
        assert word in out["message"].lower() or word in out["message"]
    assert out["diagnostics"][0]["line"] == line and out["diagnostics"][0]["file"].endswith("bad.f90")


def test_source_that_does_not_compile_is_exit_2_at_its_line(verify_cli, write):
    source = write("broken.f90", "subroutine saxpy(n, a, x, y)\n  integer, intent(in) :: n\n  real :: a, x(n), y(n)\n"
                                 "  y = a * x +\nend subroutine saxpy\n")
    code, out, _ = verify_cli(source, write("ok.cpp", SAXPY_CPP))
    assert code == 2 and out["stage"] == "compile_source"
    assert out["diagnostics"], out
    assert all(d["file"].endswith("broken.f90") for d in out["diagnostics"])
    assert any(d["line"] == 4 for d in out["diagnostics"])


def test_candidate_compile_error_points_into_the_candidate(verify_cli, examples, write):
    candidate = write("typo.cpp", "// a typo on line 3\nvoid saxpy(int n, float a, const float* x, float* y) {\n"
                                  "    for (int i = 0; i < n; ++i) y[i] = a * x[i] + yy[i];\n}\n")
    code, out, _ = verify_cli(examples / "saxpy.f90", candidate)
    assert code == 1 and out["stage"] == "compile_candidate"
    assert [d["line"] for d in out["diagnostics"] if d["severity"] == "error"] == [3]
    assert all(d["file"] == str(candidate) for d in out["diagnostics"])
    assert "yy" in out["message"]


def test_wrong_parameter_type_is_a_clear_error_in_the_candidate(verify_cli, examples, write):
    candidate = write("dbl.cpp", "void saxpy(int n, double a,\n            const float* x, float* y) {\n"
                                 "    for (int i = 0; i < n; ++i) y[i] += a * x[i];\n}\n")
    code, out, _ = verify_cli(examples / "saxpy.f90", candidate)
    assert code == 1 and out["stage"] == "compile_candidate"
    assert any("'a'" in d["message"] and "float" in d["message"] for d in out["diagnostics"]), out
    assert all(d["file"] == str(candidate) for d in out["diagnostics"])
    assert "tv_driver" not in str(out["diagnostics"])


def test_wrong_parameter_count_is_not_equivalent(verify_cli, examples, write):
    candidate = write("three.cpp", "void saxpy(int n, const float* x, float* y) {}\n")
    code, out, _ = verify_cli(examples / "saxpy.f90", candidate)
    assert code == 1 and out["stage"] == "compile_candidate"
    assert "takes 3 parameter(s)" in out["message"] and "takes 4" in out["message"]


def test_missing_entry_function_is_not_equivalent(verify_cli, examples, write):
    code, out, _ = verify_cli(examples / "saxpy.f90", write("other.cpp", "void daxpy() {}\n"))
    assert code == 1 and "no function named 'saxpy'" in out["message"] and "daxpy" in out["message"]


def test_main_in_a_unit_mode_candidate_is_exit_2(verify_cli, examples, write):
    candidate = write("withmain.cpp", SAXPY_CPP + "int main() { return 0; }\n")
    code, out, _ = verify_cli(examples / "saxpy.f90", candidate)
    assert code == 2 and "main()" in out["message"] and "withmain.cpp:2" in out["message"]


def test_several_procedures_need_entry(verify_cli, write):
    source = write("two.f90", "subroutine saxpy(n, a, x, y)\n  integer, intent(in) :: n\n  real, intent(in) :: a, x(n)\n"
                              "  real, intent(inout) :: y(n)\n  y = y + a * x\nend subroutine\n"
                              "subroutine other(k)\n  integer, intent(inout) :: k\n  k = k + 1\nend subroutine\n")
    candidate = write("two.cpp", SAXPY_CPP)
    code, out, _ = verify_cli(source, candidate)
    assert code == 2 and "--entry" in out["message"] and "saxpy" in out["message"] and "other" in out["message"]
    code, out, _ = verify_cli(source, candidate, "--entry", "saxpy")
    assert code == 0, out
    code, out, _ = verify_cli(source, candidate, "--entry", "nothere")
    assert code == 2 and "nothere" in out["message"]


def test_unknown_suffix_is_exit_2(verify_cli, examples, write):
    code, out, _ = verify_cli(examples / "saxpy.f90", write("saxpy.txt", SAXPY_CPP))
    assert code == 2 and "saxpy.txt" in out["message"]


def test_reference_crash_on_generated_inputs_is_not_blamed_on_the_candidate(verify_cli, write):
    source = write("needs_big.f90", "subroutine pick(n, x, y)\n  integer, intent(in) :: n\n  real, intent(in) :: x(n)\n"
                                    "  real, intent(out) :: y\n  integer :: k\n  k = 1\n"
                                    "  if (n < 2) error stop 'n must be at least 2'\n  y = x(2)\nend subroutine\n")
    candidate = write("pick.cpp", "void pick(int n, const float* x, float& y) { y = x[1]; }\n")
    code, out, _ = verify_cli(source, candidate)
    # the guard says n >= 2: generated sizes keep to it (a case that still stopped the reference
    # would be left out and named, never blamed on the candidate)
    assert code == 0, out["message"]
    assert all(case["n"] >= 2 for case in out["inputs"])
    code, out, _ = verify_cli(source, candidate, "--value", "n=1")
    assert code == 2 and out["stage"] == "run" and "reference" in out["message"] and "--value" in out["message"]
    code, out, _ = verify_cli(source, candidate, "--value", "n=5")
    assert code == 0 and "faulted" not in out["message"], out


def test_truncated_candidate_reports_its_own_errors_not_harness_cascades(verify_cli, examples, write):
    candidate = write("cut.cpp", "void saxpy(int n, float a, const float* x, float* y) {\n"
                                 "  for (int i = 0; i < n; ++i) {\n    y[i] = a * x[i] + y[i]\n  }\n")
    code, out, _ = verify_cli(examples / "saxpy.f90", candidate)
    assert code == 1 and out["stage"] == "compile_candidate"
    assert out["diagnostics"][0]["line"] == 3 and "';'" in out["diagnostics"][0]["message"].replace("‘", "'").replace("’", "'")
    assert not any("harness" in d["message"] for d in out["diagnostics"])


def test_missing_compiler_is_exit_2_with_what_to_do(verify_cli, examples, tmp_path):
    env = {**os.environ, "PATH": str(tmp_path)}  # no gfortran, no g++
    code, out, _ = verify_cli(examples / "saxpy.f90", examples / "saxpy.cpp", env=env)
    assert code == 2 and out["verdict"] == "error"
    assert "gfortran not found" in out["message"] and "apt-get install" in out["message"]
