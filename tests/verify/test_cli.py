"""`transverify verify` end to end through the installed CLI: verdicts, exit codes, JSON."""

from __future__ import annotations

import subprocess

from pathlib import Path

EXAMPLES = Path(__file__).resolve().parent.parent.parent / "examples" / "fortran"

CONTRACT_FIELDS = {"verdict", "stage", "diagnostics", "mismatches", "cases", "timings"}


def test_equivalent_unit_mode_prints_the_contract(verify_cli):
    code, out, _ = verify_cli(EXAMPLES / "saxpy.f90", EXAMPLES / "saxpy.cpp", "--cases", 5, "--seed", 7)
    assert code == 0
    assert CONTRACT_FIELDS <= out.keys()
    assert out["verdict"] == "equivalent" and out["stage"] is None
    assert out["cases"] == 5 and out["mismatches"] == [] and out["diagnostics"] == []
    assert out["mode"] == "unit" and out["entry"] == "saxpy" and out["pair"] == "fortran->cpp"
    assert out["execution"] == "native"
    assert {"compile_source", "compile_candidate", "run", "compare", "total"} <= out["timings"].keys()
    assert "bind(C" in out["harness"] and "tv_driver.cpp" in out["harness"]
    # Sizes cover the tiny, odd and larger extents the convention promises.
    assert [case["sizes"]["n"] for case in out["inputs"]] == [1, 3, 16, 100, 7]


def test_off_by_one_is_reported_at_the_fortran_index(verify_cli):
    code, out, _ = verify_cli(EXAMPLES / "saxpy.f90", EXAMPLES / "saxpy_wrong.cpp")
    assert code == 1
    assert out["verdict"] == "not_equivalent" and out["stage"] == "compare"
    first = out["mismatches"][0]
    assert first["output"] == "y" and first["index"] == "(1)" and first["case"] == 0
    assert first["abs_err"] > 0 and first["expected"] != first["actual"]
    assert "y(1)" in out["message"]


def test_row_major_translation_of_a_module_procedure_is_caught(verify_cli):
    code, out, _ = verify_cli(EXAMPLES / "stencil.f90", EXAMPLES / "stencil_row_major.cpp")
    assert code == 1 and out["stage"] == "compare"
    assert out["mismatches"][0]["output"] == "lap"
    assert out["mismatches"][0]["index"].count(",") == 1  # two-dimensional Fortran subscript


def test_module_procedure_with_vectors_is_equivalent(verify_cli):
    code, out, _ = verify_cli(EXAMPLES / "stencil.f90", EXAMPLES / "stencil.cpp")
    assert (code, out["verdict"], out["entry"]) == (0, "equivalent", "laplacian")


def test_program_mode_compares_stdout_tokens(verify_cli):
    code, out, _ = verify_cli(EXAMPLES / "harmonic.f90", EXAMPLES / "harmonic.cpp")
    assert (code, out["verdict"], out["mode"], out["cases"]) == (0, "equivalent", "program", 1)
    code, out, _ = verify_cli(EXAMPLES / "harmonic.f90", EXAMPLES / "harmonic_int_division.cpp")
    assert code == 1 and out["stage"] == "compare"
    assert out["mismatches"][0]["output"] == "stdout"
    assert out["mismatches"][0]["expected"].startswith("6.10067")


def test_program_mode_compares_exit_status(verify_cli, write):
    source = write("stops.f90", "program stops\n  print *, 'done'\n  stop 3\nend program stops\n")
    same = write("stops.cpp", '#include <cstdio>\nint main() { std::puts(" done"); return 3; }\n')
    other = write("zero.cpp", '#include <cstdio>\nint main() { std::puts(" done"); return 0; }\n')
    assert verify_cli(source, same)[0] == 0
    code, out, _ = verify_cli(source, other)
    assert code == 1
    assert out["mismatches"] == [{"output": "exit_status", "case": 0, "index": None, "expected": 3, "actual": 0,
                                  "abs_err": None, "rel_err": None}]


def test_human_report_and_exit_codes(tv_cmd):
    ok = subprocess.run([*tv_cmd, "verify", str(EXAMPLES / "saxpy.f90"), str(EXAMPLES / "saxpy.cpp")],
                        capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0 and "equivalent" in ok.stdout
    bad = subprocess.run([*tv_cmd, "verify", str(EXAMPLES / "saxpy.f90"), str(EXAMPLES / "saxpy_wrong.cpp")],
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 1 and "not equivalent" in bad.stdout and "y(1)" in bad.stdout


def test_missing_file_is_exit_2_naming_it(verify_cli, tmp_path):
    missing = tmp_path / "nowhere.cpp"
    code, out, _ = verify_cli(EXAMPLES / "saxpy.f90", missing)
    assert code == 2 and out["verdict"] == "error"
    assert str(missing) in out["message"]


def test_usage_errors_are_exit_2_with_a_reason(tv_cmd):
    for args, reason in ((["only_one.f90"], "candidate"), (["a.f90", "b.cpp", "--cases", "0"], "--cases"),
                         (["a.f90", "b.cpp", "--value", "k"], "NAME=EXPR")):
        done = subprocess.run([*tv_cmd, "verify", *args], capture_output=True, text=True, timeout=60)
        assert done.returncode == 2 and reason in done.stderr, done.stderr
    helped = subprocess.run([*tv_cmd, "verify", "--help"], capture_output=True, text=True, timeout=60)
    assert helped.returncode == 0
    for flag in ("--entry", "--json", "--cases", "--seed", "--timeout", "--rtol", "--atol", "--value"):
        assert flag in helped.stdout
