"""The calling convention end to end on one routine that uses most of it: a module function
with VALUE, integer(int64), a (0:n-1, m) array, logical outputs and a no-intent scalar."""

from __future__ import annotations

from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "convention"


def test_convention_equivalent(verify_cli):
    code, out, _ = verify_cli(DATA / "classify.f90", DATA / "classify.cpp")
    assert code == 0, out["message"]
    assert out["entry"] == "classify" and out["warnings"] == []


def test_narrowed_int64_products_are_caught_on_large_inputs(verify_cli):
    code, out, _ = verify_cli(DATA / "classify.f90", DATA / "classify_narrowed.cpp")
    assert code == 1 and out["stage"] == "compare"
    first = out["mismatches"][0]
    assert first["output"] == "total" and first["index"] is None
    assert first["case"] % 4 == 3  # the cases with magnitudes near 2**40


def test_a_no_intent_scalar_is_compared_after_the_call(verify_cli):
    code, out, _ = verify_cli(DATA / "classify.f90", DATA / "classify_scale_kept.cpp")
    assert code == 1 and [m["output"] for m in out["mismatches"]][:1] == ["scale"]
    assert "scale in case 0" in out["message"]
