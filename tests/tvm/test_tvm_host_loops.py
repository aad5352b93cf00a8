"""Kernel launches in a host loop (time steps, sweeps): the CPU equivalent runs the lifted launches in
the same loop, in the same order, and verifies against the .cu; what a loop of launches may not hold
is refused with its construct and line."""

import json
import textwrap
from pathlib import Path

import pytest

pytest.importorskip("tvm", reason="apache-tvm (the optional 'tvm' extra) is not installed")

from transverify.translators.tvm_cpu.errors import Unliftable  # noqa: E402
from transverify.translators.tvm_cpu.solver import generate  # noqa: E402
from transverify.verify import VerifyOptions, verify  # noqa: E402

KERNELS = Path(__file__).resolve().parent / "kernels"


@pytest.fixture(autouse=True)
def _cpu_execution(monkeypatch):
    monkeypatch.setenv("TRANSVERIFY_CUDA_EXECUTION", "cpu")


def _translate(tv_cli, source: Path, output: Path, *flags: str):
    proc = tv_cli.run(["translate", str(source), "--to", "cpu", "--solver", "tvm", "--trials", "0",
                       "--json", "--cases", "2", "-o", str(output), *flags], timeout=300)
    text = proc.stdout.strip()
    return proc.returncode, json.loads(text) if text.startswith("{") else proc.stdout + proc.stderr


def test_time_steps_with_the_step_as_argument_verify(tv_cli, tmp_path):
    out = tmp_path / "steps_cpu.cpp"
    code, result = _translate(tv_cli, KERNELS / "hostloop_steps.cu", out, "--value", "n=37", "--value", "steps=5",
                              "--measure")
    assert code == 0 and result["verdict"] == "equivalent", result
    # a launch before the loop, two launches on every step (the second takes t), one after it
    assert textwrap.dedent("""\
        void run_steps(int n, int steps, float* u, float* v, const float* w, const float* src, float* r) {
            run_steps_launch1(n, steps, u, v, w, src, r);
            for (int t = 0; t < steps; ++t) {
                run_steps_launch2(n, steps, u, v, w, src, r, t);
                run_steps_launch3(n, steps, u, v, w, src, r, t);
            }
            run_steps_launch4(n, steps, u, v, w, src, r);
        }""") in out.read_text()
    assert "host loop of line 37" in out.read_text().split("#include", 1)[0]
    # --measure times the whole entry (every step) against the naive translations, at the pinned sizes
    assert result["tvm"]["shape"] == {"n": 37, "steps": 5} and result["tvm"]["ms"]["tvm"] > 0, result["tvm"]
    assert set(result["tvm"]["ms"]) == {"tvm", "openmp", "serial"}, result["tvm"]


def test_sweeps_to_a_macro_bound_verify(tv_cli, tmp_path):
    out = tmp_path / "sweeps_cpu.cpp"
    code, result = _translate(tv_cli, KERNELS / "hostloop_sweeps.cu", out)
    assert code == 0 and result["verdict"] == "equivalent", result
    # `int s; for (s = 1; s <= SWEEPS - 1; ++s)`: the macro's value in the emitted loop
    assert "    for (int s = 1; s <= (4) - 1; ++s) {" in out.read_text()


# the rule translator's corpus example, which the TVM lifting verifies too
PING_PONG_EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "cuda_rules" / "ping_pong_steps_cu.cu"

PING_PONG = """\
__global__ void step(int n, const float* a, float* b) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) b[i] = 0.5f * a[i];
}
void entry(int n, int steps, float* a, float* b) {
    float *da, *db;
    cudaMalloc(&da, n * sizeof(float)); cudaMalloc(&db, n * sizeof(float));
    cudaMemcpy(da, a, n * sizeof(float), cudaMemcpyHostToDevice);
    cudaMemcpy(db, b, n * sizeof(float), cudaMemcpyHostToDevice);
    for (int t = 0; t < steps; ++t) {
        step<<<(n + 63) / 64, 64>>>(n, da, db);
        std::swap(da, db);
    }
    cudaMemcpy(a, da, n * sizeof(float), cudaMemcpyDeviceToHost);
    cudaMemcpy(b, db, n * sizeof(float), cudaMemcpyDeviceToHost);
}
"""


def test_ping_pong_buffers_verify_after_an_odd_number_of_swaps(tv_cli, tmp_path):
    out = tmp_path / "heat_cpu.cpp"
    code, result = _translate(tv_cli, PING_PONG_EXAMPLE, out, "--value", "steps=3",
                              "--value", "w=0.5")
    assert code == 0 and result["verdict"] == "equivalent", result
    emitted = out.read_text()
    assert "        heat_launch1(steps, w, u_now, v_now, t);\n        std::swap(u_now, v_now);\n" in emitted
    # without the exchange after the loop, u would hold the last step's input, not its output
    fix = emitted.index("    if (u_now != u) {")
    unfixed = tmp_path / "unfixed_cpu.cpp"
    unfixed.write_text(emitted[:fix] + emitted[emitted.index("    }\n", fix) + 6:])
    checked = verify(PING_PONG_EXAMPLE, unfixed,
                     VerifyOptions(cases=2, values={"steps": "3", "w": "0.5"}))
    assert not checked.ok and checked.stage not in ("parse", "compile_source"), checked.message


def test_the_three_statement_swap_is_a_swap(tmp_path):
    path = tmp_path / "swap3.cu"
    path.write_text(PING_PONG.replace("        std::swap(da, db);\n",
                                      "        float* tmp = da;\n        da = db;\n        db = tmp;\n"))
    code = generate(path).code
    assert "        std::swap(a_now, b_now);\n    }\n    if (a_now != a) {" in code, code


def test_cli_refuses_ping_pong_buffers_not_both_copied_back(tv_cli, tmp_path):
    source = tmp_path / "ping_pong.cu"
    source.write_text(PING_PONG.replace("    cudaMemcpy(b, db, n * sizeof(float), cudaMemcpyDeviceToHost);\n", ""))
    code, result = _translate(tv_cli, source, tmp_path / "ping_pong_cpu.cpp")
    assert code == 2, result
    refusal = result["unsupported"][0]
    assert (refusal["construct"], refusal["line"]) == ("pointer swap", 12), refusal
    assert "'db' is swapped but not copied back to 'b'" in refusal["message"]
    assert not (tmp_path / "ping_pong_cpu.cpp").exists()


def _in_loop(statement: str) -> str:
    return PING_PONG.replace("        std::swap(da, db);\n", statement)


@pytest.mark.parametrize("source, construct, line, words", [
    (_in_loop("        da = db;\n"), "pointer swap", 12, "other than in a swap of two device pointers"),
    (_in_loop("        std::swap(da, a);\n"), "pointer swap", 12, "'a' swapped in the host loop is not a device copy"),
    (_in_loop("        cudaMemcpyToSymbol(table, a, 16);\n"), "host statement", 12, "'cudaMemcpyToSymbol(table, a, 16);'"),
    (_in_loop("        a[0] = 1.0f;\n"), "host statement", 12, "'a[0] = 1.0f;'"),
    (_in_loop("        for (int k = 0; k < 2; ++k) cudaDeviceSynchronize();\n"), "host loop", 12,
     "a loop without kernel launches"),
    (_in_loop("        for (int t = 0; t < 2; ++t) step<<<1, 64>>>(n, da, db);\n"), "host loop", 12,
     "counts with 't', the variable of the loop around it"),
    (_in_loop("        if (t % 2 == 0) cudaDeviceSynchronize();\n"), "host statement", 12, "host code"),
    (PING_PONG.replace("t < steps", "t < a[0]"), "trip count", 10, "not an integer expression"),
    (PING_PONG.replace("int steps", "float steps"), "trip count", 10, "'steps', which is not a signed integer"),
    (PING_PONG.replace("int steps", "unsigned steps"), "trip count", 10, "not a signed integer parameter"),
    (PING_PONG.replace("++t)", "t += 2)"), "host loop", 10, "steps by 't += 2'"),
    (PING_PONG.replace("for (int t = 0; t < steps; ++t)", "while (steps-- > 0)"), "host loop", 10, "'while'"),
])
def test_what_a_loop_of_launches_may_not_hold_is_refused(tmp_path, source, construct, line, words):
    path = tmp_path / "loop.cu"
    path.write_text(source)
    with pytest.raises(Unliftable) as info:
        generate(path)
    assert (info.value.construct, info.value.line) == (construct, line), info.value.describe()
    assert words in info.value.describe()


def test_nested_host_loops_run_nested(tv_cli, tmp_path):
    source = KERNELS / "hostloop_nested.cu"
    out = tmp_path / "nested_cpu.cpp"
    code, result = _translate(tv_cli, source, out, "--value", "iters=3", "--value", "sweeps=2")
    assert code == 0 and result["verdict"] == "equivalent", result
    emitted = out.read_text()
    nest = ("    for (int it = 0; it < iters; ++it) {\n"
            "        for (int s = 0; s < sweeps + it; ++s) {\n"
            "            smooth_launch1(n, iters, sweeps, u_now, v_now, f, it, s);\n"
            "            std::swap(u_now, v_now);\n"
            "        }\n"
            "        smooth_launch2(n, iters, sweeps, u_now, v_now, f, it, 0.5f);\n"
            "    }\n")
    assert nest in emitted, emitted
    # the swap belongs to the inner loop: once a sweep, not once an iteration
    outer_swap = tmp_path / "outer_swap_cpu.cpp"
    outer_swap.write_text(emitted.replace(nest, nest.replace("            std::swap(u_now, v_now);\n", "").replace(
        "        smooth_launch2(", "        std::swap(u_now, v_now);\n        smooth_launch2(")))
    checked = verify(source, outer_swap, VerifyOptions(cases=2, values={"iters": "3", "sweeps": "2"}))
    assert not checked.ok and checked.stage not in ("parse", "compile_source", "compile_candidate"), checked.message


ADD_AT = """\
__global__ void add_at(int n, float* u, int where) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) u[i] = u[i] + where;
}
"""


def test_an_argument_may_read_every_enclosing_loop_variable(tv_cli, tmp_path):
    source = tmp_path / "nested_argument.cu"
    source.write_text(ADD_AT + PING_PONG.replace(
        "        step<<<(n + 63) / 64, 64>>>(n, da, db);\n",
        "        step<<<(n + 63) / 64, 64>>>(n, da, db);\n"
        "        for (int s = 0; s < 2; ++s) add_at<<<(n + 63) / 64, 64>>>(n, db, t * 2 + s);\n"))
    out = tmp_path / "nested_argument_cpu.cpp"
    code, result = _translate(tv_cli, source, out, "--value", "steps=3")
    assert code == 0 and result["verdict"] == "equivalent", result
    assert "            entry_launch2(n, steps, a_now, b_now, t, s, t * 2 + s);\n" in out.read_text()


def test_launch_configuration_computed_in_the_loop_is_no_host_code(tv_cli, tmp_path):
    # LU-style: the grid is recomputed on every step; the CPU equivalent's domain comes from the guards
    source = tmp_path / "grid.cu"
    source.write_text(_in_loop("        std::swap(da, db);\n").replace(
        "        step<<<(n + 63) / 64, 64>>>(n, da, db);\n",
        "        dim3 block(64);\n        grid.x = (n + block.x - 1) / block.x;\n"
        "        step<<<grid, block>>>(n, da, db);\n").replace(
        "    for (int t = 0;", "    dim3 grid(1, 1, 1);\n    for (int t = 0;"))
    code, result = _translate(tv_cli, source, tmp_path / "grid_cpu.cpp", "--value", "steps=3")
    assert code == 0 and result["verdict"] == "equivalent", result
    # a value that a launch also takes as an argument is host code the loop computes
    used = tmp_path / "used.cu"
    used.write_text(_in_loop("        std::swap(da, db);\n").replace(
        "        step<<<(n + 63) / 64, 64>>>(n, da, db);\n",
        "        int blocks = (n + 63) / 64;\n        step<<<blocks, 64>>>(blocks * 64, da, db);\n"))
    with pytest.raises(Unliftable) as info:
        generate(used)
    assert (info.value.construct, info.value.line) == ("host statement", 11), info.value.describe()


def test_a_launch_under_a_condition_in_the_loop_is_refused(tmp_path):
    path = tmp_path / "maybe.cu"
    path.write_text(_in_loop("").replace("        step<<<", "        if (t > 0) step<<<"))
    with pytest.raises(Unliftable) as info:
        generate(path)
    assert (info.value.construct, info.value.line) == ("kernel launch", 11), info.value.describe()
    assert "under a condition (line 11)" in info.value.describe()
