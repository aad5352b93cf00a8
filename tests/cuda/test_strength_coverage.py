"""--coverage: the source's line and branch coverage under the generated cases, and more
rounds of cases while it rises (CPU path, through the CLI)."""

import os
import subprocess
from pathlib import Path

SOURCE = """\
// transverify: shape x=n, y=n
void tally(const float* x, float* y, int n) {
    for (int i = 0; i < n; ++i) {
        if (n > 2000) y[i] = 2.0f * x[i];
        else y[i] = x[i];
        if (x[i] > 5.0f) y[i] = 0.0f;
    }
}
"""

# Wrong only for large arrays: the first round's sizes (1, 3, 257) never show it.
WRONG_WHEN_LARGE = SOURCE.replace("2.0f * x[i]", "3.0f * x[i]")


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_coverage_reported_and_rounds_added_while_it_rises(tmp_path, verify_json):
    source = _write(tmp_path, "tally.cpp", SOURCE)
    candidate = _write(tmp_path, "tally.cu", SOURCE)
    code, result = verify_json(source, candidate, "--coverage")
    assert code == 0, result["message"]
    coverage = result["coverage"]
    # Round 2 (sizes 4099, 17, 1000) takes `n > 2000`; round 3 adds nothing, so it stops.
    assert coverage["rounds"] == 3 and result["cases"] == 9
    assert coverage["lines"] == 100.0 and coverage["branches"] == 83.3
    assert coverage["untaken"] == [{"line": 6, "executed": True, "taken": 1, "total": 2,
                                    "text": "if (x[i] > 5.0f) y[i] = 0.0f;"}]
    assert "83.3% of the source's branches taken" in result["message"]


def test_range_completes_coverage(tmp_path, verify_json):
    source = _write(tmp_path, "tally.cpp", SOURCE)
    candidate = _write(tmp_path, "tally.cu", SOURCE)
    code, result = verify_json(source, candidate, "--coverage", "--range", "x=0:10")
    assert code == 0, result["message"]
    assert result["coverage"]["branches"] == 100.0 and result["coverage"]["untaken"] == []
    assert result["coverage"]["rounds"] == 2


def test_coverage_round_finds_what_the_first_round_missed(tmp_path, verify_json):
    source = _write(tmp_path, "tally.cpp", SOURCE)
    wrong = _write(tmp_path, "tally_wrong.cu", WRONG_WHEN_LARGE)
    code, result = verify_json(source, wrong)
    assert code == 0 and result["coverage"] is None  # off by default
    code, result = verify_json(source, wrong, "--coverage")
    assert code == 1
    assert result["message"].startswith("coverage round 2 (seed 7919): outputs differ: y[")


def test_human_report_says_how_much_was_run(tmp_path, tv_cmd, monkeypatch):
    monkeypatch.setenv("TRANSVERIFY_CUDA_EXECUTION", "cpu")
    source = _write(tmp_path, "tally.cpp", SOURCE)
    candidate = _write(tmp_path, "tally.cu", SOURCE)
    proc = subprocess.run(tv_cmd + ["verify", str(source), str(candidate), "--cases", "3", "--coverage"],
                          capture_output=True, text=True, timeout=300, env={**os.environ, "COLUMNS": "200"})
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "verified on 9 cases; 83.3% of the source's branches taken" in proc.stdout
    assert "line 6: 1 of 2 branches taken: if (x[i] > 5.0f) y[i] = 0.0f;" in proc.stdout
