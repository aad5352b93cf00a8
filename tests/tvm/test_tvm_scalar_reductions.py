"""The C++ printer keeps a reduction's accumulator in a local scalar (scalar replacement), and the
code still verifies: the row maximum and sum of the softmax, the mean and variance of layer norm."""

import json
import re
import subprocess
from pathlib import Path

import pytest

pytest.importorskip("tvm", reason="apache-tvm (the optional 'tvm' extra) is not installed")

KERNELS = Path(__file__).resolve().parent / "kernels"


@pytest.fixture(autouse=True)
def _cpu_execution(monkeypatch):
    monkeypatch.setenv("TRANSVERIFY_CUDA_EXECUTION", "cpu")


def _translate_verified(tv_cmd, source: Path, tmp_path: Path) -> str:
    out = tmp_path / f"{source.stem}_cpu.cpp"
    proc = subprocess.run(tv_cmd + ["translate", str(source), "--to", "cpu", "--solver", "tvm", "--trials", "0",
                                    "--cases", "3", "--json", "-o", str(out)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert json.loads(proc.stdout)["verdict"] == "equivalent"
    return out.read_text()


def _scalar_accumulations(code: str) -> dict[str, str]:
    """Each `T a = m[i];` before a loop whose body updates `a`, mapped to that update's right side,
    where the loop is followed by `m[i] = a;`."""
    found = {}
    for m in re.finditer(r"float (\w+_acc) = (\w+)\[(\w+)\];\n\s*for \([^)]*\) \{\n\s*\1 = (.*);\n\s*\}\n"
                         r"\s*\2\[\3\] = \1;", code):
        found[m.group(1)] = m.group(4)
    return found


def test_softmax_row_maximum_and_sum_are_local_scalars(tv_cmd, tmp_path):
    code = _translate_verified(tv_cmd, KERNELS / "softmax_rows.cu", tmp_path)
    updates = _scalar_accumulations(code)
    assert any(u.startswith(f"tv_max<float>({a}, x[") for a, u in updates.items()), code
    assert any(u.startswith(f"({a} + std::exp(") for a, u in updates.items()), code


def test_layernorm_mean_and_variance_are_local_scalars(tv_cmd, tmp_path):
    code = _translate_verified(tv_cmd, KERNELS / "lift_layernorm.cu", tmp_path)
    sums = [a for a, u in _scalar_accumulations(code).items() if u.startswith(f"({a} + ")]
    assert len(sums) >= 2, code
