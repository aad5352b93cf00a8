"""In-process checks of the server's own logic: unit discovery, incremental
parsing, settings, the link store, edits and status texts."""

from __future__ import annotations

import json
import random
from pathlib import Path

from lsprotocol import types

from transverify.server.features.edits import translation_edit
from transverify.server.links import Link, LinkStore
from transverify.server.settings import parse_settings
from transverify.server.status import diagnostics_for, error_context, lens_title
from transverify.server.units import ParsedDocument, find_unit, find_units, unit_at
from transverify.verify import Diagnostic, Mismatch, VerifyResult

MODULE = """module m
contains
  function f(x) result(y)
    real :: x, y
    y = x
  end function f
  subroutine g(n)
    integer :: n
  end subroutine g
end module m
"""


def test_fortran_module_procedures_are_units():
    units = find_units(MODULE, "fortran")
    assert [(u.name, u.kind, u.start_line, u.end_line) for u in units] == [
        ("f", "function", 2, 5), ("g", "subroutine", 6, 8)]
    assert unit_at(units, 4).name == "f"
    assert unit_at(units, 0) is None  # the module line itself is not a translatable unit
    assert find_unit(units, "G").name == "g"  # Fortran names ignore case


def test_cpp_namespaces_and_cuda_kernels():
    cpp = "namespace a { namespace b {\nint twice(int x) {\n  return 2 * x;\n}\n} }\n"
    (unit,) = find_units(cpp, "cpp")
    assert (unit.name, unit.kind, unit.name_line) == ("twice", "function", 1)
    cuda = "__global__ void k(float* x) {\n  x[threadIdx.x] = 0;\n}\n"
    (kernel,) = find_units(cuda, "cuda")
    assert kernel.kind == "kernel"


def test_point_lookup_agrees_with_a_full_scan():
    text = MODULE * 5
    document = ParsedDocument("fortran")
    document.update(text)
    units = find_units(text, "fortran")
    for line in range(len(text.split("\n"))):
        assert document.unit_at(line) == unit_at(units, line), line
    assert document.unit_at(3, 7) is None  # a selection across two procedures


def test_incremental_parse_agrees_with_a_fresh_parse_after_random_edits():
    rng = random.Random(7)
    lines = (MODULE * 40).split("\n")
    document = ParsedDocument("fortran")
    document.update("\n".join(lines))
    for _ in range(60):
        line = rng.randrange(len(lines))
        choice = rng.random()
        if choice < 0.4:
            lines[line] = "  " + lines[line]
        elif choice < 0.7:
            lines.insert(line, "  ! a comment")
        else:
            del lines[line]  # the code may stop parsing cleanly: both parses must still agree
        text = "\n".join(lines)
        document.update(text)
        fresh = ParsedDocument("fortran")
        fresh.update(text)
        assert str(document.tree.root_node) == str(fresh.tree.root_node)
        for probe in rng.sample(range(len(lines)), 10):
            assert document.unit_at(probe) == fresh.unit_at(probe), probe


def test_settings_nested_flat_and_bad_values():
    settings = parse_settings({"llm": {"baseUrl": " http://h/v1 ", "model": "m"}, "maxRounds": 99,
                               "solver": "nonsense", "capture": "yes", "outputSuffix": {"cpp": "cxx"},
                               "toolchain": {"gxx": "/opt/g++", "nvcc": ""}})
    assert settings.llm_base_url == "http://h/v1" and settings.llm_model == "m"
    assert settings.max_rounds == 20 and settings.solver == "auto" and settings.capture is True
    assert settings.output_suffix == {"cpp": ".cxx"} and settings.toolchain == {"gxx": "/opt/g++"}
    assert parse_settings({"llm.model": "flat"}).llm_model == "flat"
    # initializationOptions: settings for clients without workspace/configuration, and the key
    from_init = parse_settings(None, {"settings": {"maxRounds": 2}, "apiKey": "sk-1"})
    assert from_init.max_rounds == 2 and from_init.api_key == "sk-1"
    assert "sk-1" not in repr(from_init)


def test_tvm_tuning_settings_defaults_bounds_and_bad_values():
    default = parse_settings(None)
    assert (default.tvm_trials, default.tvm_tune_seconds, default.tvm_min_speedup) == (8, 300.0, 1.05)
    off = parse_settings({"tvm": {"trials": 0, "tuneSeconds": 30, "minSpeedup": 0}})
    assert (off.tvm_trials, off.tvm_tune_seconds, off.tvm_min_speedup) == (0, 30.0, 0.0)
    clamped = parse_settings({"tvm.trials": 10**9, "tvm.tuneSeconds": -5, "tvm.minSpeedup": 1e9})
    assert (clamped.tvm_trials, clamped.tvm_tune_seconds, clamped.tvm_min_speedup) == (1000, 1.0, 1000.0)
    bad = parse_settings({"tvm": {"trials": "many", "tuneSeconds": True, "minSpeedup": float("nan")}})
    assert (bad.tvm_trials, bad.tvm_tune_seconds, bad.tvm_min_speedup) == (8, 300.0, 1.05)


def test_tvm_shape_setting_keeps_named_positive_integer_sizes_only():
    assert parse_settings(None).tvm_shape == {}
    assert parse_settings({"tvm": {"shape": {"n": 4096, "rows": 64}}}).tvm_shape == {"n": "4096", "rows": "64"}
    mixed = parse_settings({"tvm.shape": {"n": 512, "m": 0, "k": -3, "big": 1 << 40, "x": 2.5, "b": True,
                                          "s": "64", "not a name": 8, "_ok": 1}})
    assert mixed.tvm_shape == {"n": "512", "_ok": "1"}
    assert parse_settings({"tvm.shape": [["n", 4096]]}).tvm_shape == {}


def test_tvm_auto_offer_settings_defaults_and_bad_values():
    default = parse_settings(None)
    assert (default.tvm_offer_with_auto, default.tvm_offer_min_speedup) == (True, 0.5)
    off = parse_settings({"tvm": {"offerWithAuto": False, "offerMinSpeedup": 0}})
    assert (off.tvm_offer_with_auto, off.tvm_offer_min_speedup) == (False, 0.0)
    bad = parse_settings({"tvm.offerWithAuto": "no", "tvm.offerMinSpeedup": -3})
    assert (bad.tvm_offer_with_auto, bad.tvm_offer_min_speedup) == (True, 0.0)


def test_link_store_persists_relative_paths_and_survives_corruption(tmp_path: Path):
    store = LinkStore(tmp_path)
    store.put(Link(target=str(tmp_path / "a.cpp"), source=str(tmp_path / "a.f90"), entry="a", target_kind="cpp",
                   verdict="not_equivalent", failing_code="bad"))
    raw = json.loads((tmp_path / ".transverify" / "links.json").read_text())
    assert raw["links"][0]["target"] == "a.cpp"
    again = LinkStore(tmp_path).get(tmp_path / "a.cpp")
    assert again.failing_code == "bad" and again.source == str((tmp_path / "a.f90").resolve())
    assert [link.entry for link in LinkStore(tmp_path).for_source(tmp_path / "a.f90")] == ["a"]
    (tmp_path / ".transverify" / "links.json").write_text("{not json")
    assert LinkStore(tmp_path).get(tmp_path / "a.cpp") is None  # lost history, never a crash


def test_translation_edit_creates_or_replaces(tmp_path: Path):
    target = tmp_path / "x.cpp"
    created = translation_edit(target, "int x;\n", None, label="l", description="d")
    create, text_edit = created.document_changes
    assert isinstance(create, types.CreateFile) and create.options.overwrite
    assert created.change_annotations[text_edit.edits[0].annotation_id].needs_confirmation
    replaced = translation_edit(target, "int y;\n", "int x;\nint é;", label="l", description="d")
    (only,) = replaced.document_changes
    assert only.edits[0].range.end == types.Position(line=1, character=6)
    plain = translation_edit(target, "int y;\n", None, label="l", description="d", document_changes=False)
    assert plain.document_changes is None and list(plain.changes) == [only.text_document.uri]


def test_status_texts_and_diagnostics():
    source = Path("/w/saxpy.f90")
    ok = VerifyResult(verdict="equivalent", cases=64)
    assert lens_title(ok, source, 12) == "verified against saxpy.f90:12, 64 cases"
    bad = VerifyResult(verdict="not_equivalent", cases=64, stage="compare",
                       mismatches=[Mismatch(output="y", case=0, index="(3)", expected=1.0, actual=2.0)])
    assert lens_title(bad, source, 12) == "not equivalent: y(3) differs"
    assert "mismatch y(3) case 0: expected 1.0, got 2.0" in error_context(bad)
    units = find_units("void f() {\n}\n", "cpp")
    (diagnostic,) = diagnostics_for(bad, Path("/w/saxpy.cpp"), units[0], ["void f() {", "}", ""])
    assert diagnostic.range.start.line == 0 and "y(3) differs" in diagnostic.message
    broken = VerifyResult(verdict="error", stage="compile_candidate", diagnostics=[
        Diagnostic(file="/sandbox/saxpy.cpp", line=2, column=3, severity="error", message="expected ';'"),
        Diagnostic(file="/sandbox/harness.cpp", line=9, column=1, severity="error", message="elsewhere")])
    (compile_error,) = diagnostics_for(broken, Path("/w/saxpy.cpp"), None, ["a", "bcdef", ""])
    assert (compile_error.range.start.line, compile_error.range.start.character) == (1, 2)
    assert compile_error.code == "compile"
