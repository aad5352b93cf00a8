"""Code extraction from Solver replies, and the rule-based Questioner's analysis."""

from __future__ import annotations

from transverify.translators.loop.extract import extract_code
from transverify.translators.loop.questioner import feedback_text
from transverify.verify.result import Diagnostic, Mismatch, VerifyResult


def test_the_full_block_wins_over_a_snippet_and_prose():
    reply = ("The key line is:\n```cpp\ny[i] += a;\n```\nFull code:\n```c++\nvoid saxpy(int n) {\n  run(n);\n}\n```\n"
             "Hope this helps.")
    got = extract_code(reply, "cpp", "saxpy")
    assert got.code == "void saxpy(int n) {\n  run(n);\n}\n" and got.blocks == 2 and not got.truncated


def test_a_block_in_another_language_is_not_a_translation():
    assert extract_code("Your source:\n```fortran\nsubroutine s\nend\n```", "cpp") is None
    assert extract_code("I cannot help with that.", "cpp") is None


def test_truncated_block_is_flagged():
    got = extract_code("```cpp\nvoid f() {\n  int x = 1;", "cpp")
    assert got.truncated and got.code.startswith("void f()")


def test_bare_code_without_fences_is_accepted_but_prose_is_not():
    bare = "#include <cmath>\nvoid f(int n, float* y) {\n  for (int i = 0; i < n; ++i) {\n    y[i] = 0;\n  }\n}"
    assert extract_code(bare, "cpp").code == bare + "\n"
    assert extract_code("Sure. First, we loop.\nThen we add {things};", "cpp") is None


def test_tilde_fences_and_cuda_tags():
    got = extract_code("~~~cuda\n__global__ void k() {}\n~~~", "cuda")
    assert got.code == "__global__ void k() {}\n"


def _mismatches(output, pairs, case=0):
    return VerifyResult(verdict="not_equivalent", stage="compare",
                        mismatches=[Mismatch(output, case, index, e, a) for index, e, a in pairs])


def test_compile_errors_are_quoted_with_the_candidate_line():
    result = VerifyResult(verdict="not_equivalent", stage="compile_candidate", diagnostics=[
        Diagnostic("c.cpp", 2, 9, "error", "assignment of read-only location '*(x + ((sizetype)i))'")],
        message="the candidate does not compile: c.cpp:2: assignment of read-only location")
    text = feedback_text(result, "void f(const float* x) {\n  x[i] = 0;\n}\n")
    assert text.startswith("1. Line 2, column 9 of your translation (`x[i] = 0;`): the compiler says")
    assert "intent(out)/inout" in text


def test_the_verifiers_own_checks_are_not_quoted_as_the_compiler():
    message = "parameter 'a' (Fortran argument 'a') must be float"
    result = VerifyResult(verdict="not_equivalent", stage="compile_candidate",
                          diagnostics=[Diagnostic("c.cpp", 1, 1, "error", message)], message=f"c.cpp:1: {message}")
    text = feedback_text(result, "void f(double a) {}\n")
    assert f'the verifier says "{message}"' in text and "compiler" not in text


def test_shifted_values_suggest_off_by_one():
    result = _mismatches("y", [("(2)", 2.0, 1.0), ("(3)", 3.0, 2.0), ("(4)", 4.5, 3.0)])
    assert "off-by-one" in feedback_text(result, "")


def test_transposed_values_suggest_column_major():
    result = _mismatches("c", [("(1,2)", 7.0, 3.0), ("(2,1)", 3.0, 7.0)])
    assert "row-major vs column-major" in feedback_text(result, "")


def test_whole_numbers_suggest_integer_division():
    result = _mismatches("r", [("(1)", 2.5, 2.0), ("(2)", 0.75, 0.0), ("(3)", 3.5, 3.0)])
    assert "integer division" in feedback_text(result, "")


def test_zeros_suggest_missing_initialisation_and_result_is_named():
    text = feedback_text(_mismatches("result", [(None, 4.0, 0.0)]), "")
    assert text.startswith("1. The function result differs in case 0: expected 4.0, got 0.0")
    assert "never written" in text


def test_small_errors_suggest_precision():
    assert "precision" in feedback_text(_mismatches("s", [("(1)", 1.0, 1.0004)]), "")


def test_runtime_failure_names_the_reason():
    result = VerifyResult(verdict="not_equivalent", stage="run", message="killed by SIGSEGV in case 2")
    text = feedback_text(result, "")
    assert "killed by SIGSEGV in case 2" in text and "bounds" in text


def test_nan_results_suggest_uninitialised_memory():
    text = feedback_text(_mismatches("y", [("(1)", 0.5, "nan"), ("(2)", 0.25, float("nan"))]), "")
    assert "NaN results where numbers are expected" in text and "every wrong value is 0" not in text
