"""Reference caching across calls and the Python API the editor and the loop use."""

from __future__ import annotations

import os
import shutil
import threading
import time
from pathlib import Path

from transverify.verify import VerifyOptions, verify

EXAMPLES = Path(__file__).resolve().parent.parent.parent / "examples" / "fortran"


def _cached_files(root: Path) -> set[str]:
    return {p.name for p in root.rglob("*") if p.is_file()}


def test_reference_is_cached_by_content_in_transverify_cache_dir(verify_cli, tmp_path, write):
    cache = tmp_path / "cache"
    env = {**os.environ, "TRANSVERIFY_CACHE_DIR": str(cache)}
    code, first, _ = verify_cli(EXAMPLES / "saxpy.f90", EXAMPLES / "saxpy.cpp", env=env)
    assert code == 0 and first["timings"]["compile_source"] > 0
    assert {"binary", "outputs"} <= _cached_files(cache)
    code, second, _ = verify_cli(EXAMPLES / "saxpy.f90", EXAMPLES / "saxpy_wrong.cpp", env=env)
    assert code == 1 and second["timings"]["compile_source"] == 0  # reused, not rebuilt
    # A changed source is a different key: rebuilt, and still judged correctly.
    changed = write("saxpy.f90", (EXAMPLES / "saxpy.f90").read_text().replace("a * x(i)", "2 * a * x(i)"))
    code, third, _ = verify_cli(changed, EXAMPLES / "saxpy.cpp", env=env)
    assert code == 1 and third["timings"]["compile_source"] > 0
    code, fresh, _ = verify_cli(EXAMPLES / "saxpy.f90", EXAMPLES / "saxpy.cpp", "--no-cache", env=env)
    assert code == 0 and fresh["timings"]["compile_source"] > 0


def test_api_reports_progress_and_fills_result(tmp_path):
    seen: list[str] = []
    result = verify(EXAMPLES / "saxpy.f90", EXAMPLES / "saxpy.cpp",
                    VerifyOptions(cases=3, cache_dir=tmp_path, progress=seen.append))
    assert result.ok and result.exit_code == 0 and result.cases == 3
    assert seen == ["compiling reference", "compiling candidate", "running 3 cases", "comparing"]
    assert result.tools["gfortran"].startswith("GNU Fortran") and result.tools["sandbox"]
    assert any(tmp_path.rglob("binary"))  # cache_dir honoured


def test_api_cancel_stops_a_running_candidate(tmp_path):
    cancel = threading.Event()
    threading.Timer(1.0, cancel.set).start()
    started = time.monotonic()
    result = verify(EXAMPLES / "saxpy.f90", Path(__file__).parent / "data" / "spin.cpp",
                    VerifyOptions(timeout=60, cache_dir=tmp_path, cancel=cancel))
    assert time.monotonic() - started < 10
    assert result.verdict == "error" and result.message == "cancelled"


def test_tolerance_overrides(tmp_path, write):
    # A candidate off by 1e-3 relative: wrong under the float32 default (1e-4), right with --rtol 1e-2.
    candidate = write("loose.cpp", "void saxpy(int n, float a, const float* x, float* y) {\n"
                                   "  for (int i = 0; i < n; ++i) y[i] = (a * x[i] + y[i]) * 1.001f;\n}\n")
    strict = verify(EXAMPLES / "saxpy.f90", candidate, VerifyOptions(cache_dir=tmp_path))
    assert strict.verdict == "not_equivalent" and strict.mismatches[0].rel_err > 1e-4
    loose = verify(EXAMPLES / "saxpy.f90", candidate, VerifyOptions(cache_dir=tmp_path, rtol=1e-2))
    assert loose.verdict == "equivalent"


def test_precompiled_std_headers_never_change_a_verdict(tmp_path, write):
    """The cached PCH speeds up candidate compiles; a candidate it would break (its own max()
    under `using namespace std`) is compiled again without it and judged on its own."""
    cache = tmp_path / "cache"
    verify(EXAMPLES / "saxpy.f90", EXAMPLES / "saxpy.cpp", VerifyOptions(cache_dir=cache))  # starts the build
    deadline = time.monotonic() + 120
    while not list(cache.rglob("tv_std.h.gch")) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert list(cache.rglob("tv_std.h.gch")), "the precompiled header was not built in the background"
    clash = write("clash.cpp", "using namespace std;\ntemplate <class T> T max(T a, T b) { return a > b ? a : b; }\n"
                               "void saxpy(int n, float a, const float* x, float* y) {\n"
                               "  for (int i = 0; i < n; ++i) y[i] = max(a * x[i] + y[i], a * x[i] + y[i]);\n}\n")
    result = verify(EXAMPLES / "saxpy.f90", clash, VerifyOptions(cache_dir=cache, keep_workdir=True))
    kept = Path(result.warnings[0].rsplit(" ", 1)[1])
    try:
        assert (kept / "candidate" / "tv_std.h.gch").exists()  # the PCH was offered
        assert result.verdict == "equivalent", result.message
    finally:
        shutil.rmtree(kept, ignore_errors=True)
