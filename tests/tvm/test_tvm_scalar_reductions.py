"""The C++ printer keeps a reduction's accumulator in a local scalar (scalar replacement), and the
code still verifies: the row maximum and sum of the softmax, the mean and variance of layer norm.
Plain updates get `omp simd` reduction clauses (vectorised without -ffast-math). Hand-written TIR shows the detection is
conservative: one case per reason to leave a loop alone."""

import json
import re
from pathlib import Path

import pytest

pytest.importorskip("tvm", reason="apache-tvm (the optional 'tvm' extra) is not installed")

from tvm.script import tirx as T  # noqa: E402

from transverify.translators.tvm_cpu.emit import Printer  # noqa: E402

KERNELS = Path(__file__).resolve().parent / "kernels"


@pytest.fixture(autouse=True)
def _cpu_execution(monkeypatch):
    monkeypatch.setenv("TRANSVERIFY_CUDA_EXECUTION", "cpu")


def _translate_verified(tv_cli, source: Path, tmp_path: Path) -> str:
    out = tmp_path / f"{source.stem}_cpu.cpp"
    proc = tv_cli.run(["translate", str(source), "--to", "cpu", "--solver", "tvm", "--trials", "0",
                       "--cases", "3", "--json", "-o", str(out)], timeout=300)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert json.loads(proc.stdout)["verdict"] == "equivalent"
    return out.read_text()


def _scalar_accumulations(code: str) -> dict[str, str]:
    """Each `T a = m[i];` before a loop whose body updates `a`, mapped to that update's right side,
    where the loop is followed by `m[i] = a;`."""
    found = {}
    for m in re.finditer(r"float (\w+_acc) = (\w+)\[(\w+)\];\n(?:\s*#pragma omp simd[^\n]*\n)?\s*for \([^)]*\) \{\n\s*\1 = (.*);\n\s*\}\n"
                         r"\s*\2\[\3\] = \1;", code):
        found[m.group(1)] = m.group(4)
    return found


def test_softmax_row_maximum_and_sum_are_local_scalars(tv_cli, tmp_path):
    code = _translate_verified(tv_cli, KERNELS / "softmax_rows.cu", tmp_path)
    updates = _scalar_accumulations(code)
    assert any(u.startswith(f"tv_max<float>({a}, x[") for a, u in updates.items()), code
    assert any(u.startswith(f"({a} + tv_expf(") for a, u in updates.items()), code
    # both vectorise without -ffast-math: the reductions carry their clauses
    assert re.search(r"#pragma omp simd reduction\(max:\w+_acc\)", code), code
    assert re.search(r"#pragma omp simd reduction\(\+:\w+_acc\)", code), code


def test_layernorm_mean_and_variance_are_local_scalars(tv_cli, tmp_path):
    code = _translate_verified(tv_cli, KERNELS / "lift_layernorm.cu", tmp_path)
    sums = [a for a, u in _scalar_accumulations(code).items() if u.startswith(f"({a} + ")]
    assert len(sums) >= 2, code


# The detection is conservative: the printer over hand-written TIR, one case per reason to refuse.
def _printed(func) -> str:
    return "\n".join(Printer(func, {"X": "x", "Y": "y"}, ["n"]).body())


@T.prim_func
def two_sums(X: T.Buffer((64,), "float32"), Y: T.Buffer((8,), "float32"), n: T.int32):
    s = T.alloc_buffer((8,))
    q = T.alloc_buffer((8,))
    for i in range(8):
        s[i] = T.float32(0)
        q[i] = T.float32(0)
        for k in range(n):
            s[i] = s[i] + X[i * 8 + k]
            q[i] = q[i] + X[i * 8 + k] * X[i * 8 + k]
        Y[i] = s[i] + q[i]

@T.prim_func
def into_parameter(X: T.Buffer((64,), "float32"), Y: T.Buffer((8,), "float32"), n: T.int32):
    for i in range(8):
        for k in range(8):
            Y[i] = Y[i] + X[i * 8 + k]

@T.prim_func
def conditional(X: T.Buffer((64,), "float32"), Y: T.Buffer((8,), "float32"), n: T.int32):
    s = T.alloc_buffer((8,))
    for i in range(8):
        for k in range(8):
            if X[i * 8 + k] > T.float32(0):
                s[i] = s[i] + X[i * 8 + k]
        Y[i] = s[i]

@T.prim_func
def index_moves(X: T.Buffer((64,), "float32"), Y: T.Buffer((8,), "float32"), n: T.int32):
    s = T.alloc_buffer((8,))
    for i in range(8):
        for k in range(8):
            s[k] = s[k] + X[i * 8 + k]
        Y[i] = s[i]

@T.prim_func
def other_element_read(X: T.Buffer((64,), "float32"), Y: T.Buffer((8,), "float32"), n: T.int32):
    s = T.alloc_buffer((8,))
    for i in range(8):
        for k in range(8):
            s[i] = s[i] + s[0] * X[i * 8 + k]
        Y[i] = s[i]

@T.prim_func
def nested(X: T.Buffer((64,), "float32"), Y: T.Buffer((8,), "float32"), n: T.int32):
    s = T.alloc_buffer((8,))
    for i in range(8):
        for k in range(4):
            for j in range(2):
                s[i] = s[i] + X[i * 8 + k * 2 + j]
        Y[i] = s[i]


@T.prim_func
def scaled_update(X: T.Buffer((64,), "float32"), Y: T.Buffer((8,), "float32"), n: T.int32):
    s = T.alloc_buffer((8,))
    for i in range(8):
        for k in range(n):
            s[i] = s[i] * T.float32(0.5) + X[i * 8 + k]
        Y[i] = s[i]

@T.prim_func
def value_first_max(X: T.Buffer((64,), "float32"), Y: T.Buffer((8,), "float32"), n: T.int32):
    s = T.alloc_buffer((8,))
    for i in range(8):
        for k in range(n):
            s[i] = T.max(X[i * 8 + k], s[i])
        Y[i] = s[i]

@T.prim_func
def reads_other_accumulator(X: T.Buffer((64,), "float32"), Y: T.Buffer((8,), "float32"), n: T.int32):
    s = T.alloc_buffer((8,))
    q = T.alloc_buffer((8,))
    for i in range(8):
        for k in range(n):
            s[i] = s[i] + X[i * 8 + k]
            q[i] = q[i] + s[i] * X[i * 8 + k]
        Y[i] = s[i] + q[i]


CASES = {"two_sums": two_sums, "into_parameter": into_parameter, "conditional": conditional,
         "index_moves": index_moves, "other_element_read": other_element_read, "nested": nested}


def test_accumulators_in_temporaries_become_scalars():
    code = _printed(CASES["two_sums"])
    assert "float s_acc = s[i];" in code and "float q_acc = q[i];" in code, code
    assert "s_acc = (s_acc + x[" in code and "s[i] = s_acc;" in code and "q[i] = q_acc;" in code, code
    assert "if (0 < n) {" in code, code  # a loop that may run zero times touches nothing
    assert "#pragma omp simd reduction(+:s_acc) reduction(+:q_acc)" in code, code


# Scalar replacement still applies, but a lane's partial result would not be the kernel's value:
# a scaled accumulator, max with the accumulator second (NaN handling depends on the order), an
# update reading another accumulator.
@pytest.mark.parametrize("case", [scaled_update, value_first_max, reads_other_accumulator])
def test_updates_other_than_plain_ones_get_no_reduction_clause(case):
    code = "\n".join(Printer(case, {"X": "x", "Y": "y"}, ["n"]).body())
    assert "s_acc" in code and "omp simd" not in code, code
