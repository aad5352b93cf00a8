"""C++ -> CUDA: the rules translate offline; the LLM Solver takes what they do not cover."""

from __future__ import annotations

import json

from tests.loop.samples import endpoint

VADD = """\
void vadd(int n, const float* a, const float* b, float* c) {
    for (int i = 0; i < n; ++i) {
        c[i] = a[i] + b[i];
    }
}
"""
VADD_CUDA = """\
__global__ void vadd_kernel(int n, const float* a, const float* b, float* c) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) c[i] = a[i] + b[i];
}

void vadd(int n, const float* a, const float* b, float* c) {
    float *da, *db, *dc;
    size_t bytes = n * sizeof(float);
    cudaMalloc(&da, bytes); cudaMalloc(&db, bytes); cudaMalloc(&dc, bytes);
    cudaMemcpy(da, a, bytes, cudaMemcpyHostToDevice);
    cudaMemcpy(db, b, bytes, cudaMemcpyHostToDevice);
    vadd_kernel<<<(n + 255) / 256, 256>>>(n, da, db, dc);
    cudaMemcpy(c, dc, bytes, cudaMemcpyDeviceToHost);
    cudaFree(da); cudaFree(db); cudaFree(dc);
}
"""


def test_rules_translate_offline_and_hand_over_what_they_refuse(run_cli, tmp_path):
    source = tmp_path / "vadd.cpp"
    source.write_text(VADD)
    done = run_cli("translate", str(source), "--to", "cuda", "--json", "--cases", "2")
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert report["solver_used"] == "rules" and report["verdict"] == "equivalent"
    assert "__global__" in (tmp_path / "vadd.cu").read_text()

    program = tmp_path / "prog.cpp"
    program.write_text("#include <cstdio>\nint main() {\n    std::printf(\"1\\n\");\n}\n")
    done = run_cli("translate", str(program), "--to", "cuda", "--json")
    assert done.returncode == 2
    report = json.loads(done.stdout)
    assert report["unsupported"][0]["construct"] == "main()" and report["unsupported"][0]["line"] == 2
    assert "OPENAI_BASE_URL" in report["details"] and not (tmp_path / "prog.cu").exists()


def test_llm_translation_to_cuda_is_verified(llm, run_cli, tmp_path):
    source = tmp_path / "vadd.cpp"
    source.write_text(VADD)
    llm.reply(f"Each thread adds one element.\n```cuda\n{VADD_CUDA}```")
    done = run_cli("translate", str(source), "--to", "cuda", "--solver", "llm", "--json", extra_env=endpoint(llm))
    assert done.returncode == 0, done.stdout + done.stderr
    report = json.loads(done.stdout)
    assert report["result"]["pair"] == "cpp->cuda" and report["output"] == str(tmp_path / "vadd.cu")
    assert (tmp_path / "vadd.cu").read_text() == VADD_CUDA
    assert "host function with the same name and parameter types" in llm.requests[0]["body"]["messages"][0]["content"]
