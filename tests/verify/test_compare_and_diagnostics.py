"""Comparison rules and compiler-message parsing, on real gfortran/g++ output."""

from __future__ import annotations

import subprocess

import numpy as np
import pytest

from transverify.verify.compare import compare_stdout, compare_values, fortran_index
from transverify.verify.diagnostics import parse_compiler_output, remap


def test_float32_tolerance_is_relative_plus_a_floor_scaled_by_the_largest_value():
    expected = np.array([1000.0, 1e-6, -3.0], dtype=np.float32)
    # 0.05 off on a tiny element is within 1e-4 * max|expected| = 0.1; 1e-3 relative on 1000 is not.
    near = np.array([1000.05, 0.05, -3.0], dtype=np.float32)
    assert compare_values("y", expected, near, 0) == []
    far = np.array([1001.0, 1e-6, -3.0], dtype=np.float32)
    [m] = compare_values("y", expected, far, 2, shape=(3,))
    assert (m.output, m.case, m.index, m.expected, m.actual) == ("y", 2, "(1)", 1000.0, 1001.0)
    assert m.abs_err == pytest.approx(1.0) and m.rel_err == pytest.approx(1e-3)


def test_float64_is_tighter_and_nan_equals_nan():
    e = np.array([1.0, np.nan, np.inf])
    assert compare_values("z", e, e + np.array([1e-12, 0, 0]), 0) == []
    assert len(compare_values("z", e, e + np.array([1e-7, 0, 0]), 0)) == 1
    assert len(compare_values("z", e, np.array([1.0, 1.0, np.inf]), 0)) == 1
    assert len(compare_values("z", e, np.array([1.0, np.nan, -np.inf]), 0)) == 1


def test_integers_and_logicals_are_exact_and_indices_are_fortran_style():
    e = np.arange(6, dtype=np.int32)
    a = e.copy()
    a[4] += 1
    [m] = compare_values("k", e, a, 0, shape=(2, 3), lower=(0, 1))
    assert m.index == "(0,3)" and (m.expected, m.actual) == (4, 5)
    assert compare_values("flag", np.bool_(True), np.bool_(False), 1)[0].index is None
    assert fortran_index(5, (2, 3)) == "(2,3)"


def test_explicit_atol_overrides_the_floor():
    e = np.array([100.0, 0.0], dtype=np.float32)
    a = np.array([100.0, 0.005], dtype=np.float32)
    assert compare_values("y", e, a, 0) == []  # floor 1e-4 * 100 = 0.01
    assert len(compare_values("y", e, a, 0, atol=1e-3)) == 1


def test_stdout_gfortran_spellings_match_cpp_ones():
    fortran = " n=          42\n   1.00000001     Infinity  NaN  0.1720D+02  -0.00000000  T\n  0.1000+101\n"
    cpp = "n= 42\n1.0 inf nan 17.2 -0 T\n1e100\n"
    assert compare_stdout(fortran, cpp) == []
    assert compare_stdout("x Infinity", "x -inf")[0].expected == "Infinity"


def test_stdout_numeric_and_text_differences():
    [m] = compare_stdout(" sum =   2.5000\n", "sum = 2.5003\n")
    assert (m.output, m.index, m.expected, m.actual) == ("stdout", 1, "2.5000", "2.5003")
    assert compare_stdout("tiny 1e-7", "tiny 5e-7") == []  # absolute 1e-6
    assert compare_stdout("done", "Done")[0].expected == "done"
    [m] = compare_stdout("1 2 3", "1 2")
    assert m.expected == "3" and m.actual == "<end of output>"


def test_gfortran_multiline_error_is_parsed(tmp_path):
    src = tmp_path / "user_source.f90"
    src.write_text("subroutine s(n)\n  integer :: n\n  n = \nend subroutine\n")
    out = subprocess.run(["gfortran", "-c", src.name], cwd=tmp_path, capture_output=True, text=True).stderr
    diags = parse_compiler_output(out)
    assert [(d.file, d.line, d.severity) for d in diags] == [("user_source.f90", 3, "error")]
    [mapped] = remap(diags, {"user_source.f90": "/home/me/s.f90"})
    assert mapped.file == "/home/me/s.f90" and mapped.line == 3 and mapped.column > 1


def test_gxx_errors_in_harness_files_move_to_the_fallback(tmp_path):
    (tmp_path / "user_candidate.cpp").write_text("int f(int x) { return x; }\n")
    (tmp_path / "tv_driver.cpp").write_text('#include "user_candidate.cpp"\nint main() { return f(nope); }\n')
    out = subprocess.run(["g++", "-c", "tv_driver.cpp"], cwd=tmp_path, capture_output=True, text=True).stderr
    mapped = remap(parse_compiler_output(out), {"user_candidate.cpp": "/home/me/f.cpp"}, ("/home/me/f.cpp", 1))
    assert mapped and all(d.file == "/home/me/f.cpp" for d in mapped)
    assert "nope" in mapped[0].message and "harness" in mapped[0].message
