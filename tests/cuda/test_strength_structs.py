"""POD structs in the CUDA calling convention: arrays of structs of numeric fields, matched by
field position (names free), filled and compared field by field (CPU path, through the CLI)."""

from pathlib import Path

PUSH_CPP = """
struct Particle { float x, v; int hits; };
// transverify: shape p=n
void push(Particle* p, int n, float dt) {
    for (int i = 0; i < n; ++i) {
        p[i].v += dt * p[i].x;
        p[i].x += dt * p[i].v;
        if (p[i].x > 0.5f) p[i].hits += 1;
    }
}
"""

PUSH_CU = """
typedef struct { float pos; float vel; int count; } Body;
__global__ void push_kernel(Body* b, int n, float dt) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < n) {
        b[i].vel += dt * b[i].pos;
        b[i].pos += dt * b[i].vel;
        if (b[i].pos > 0.5f) b[i].count += 1;
    }
}
void push(Body* bodies, int n, float dt) {
    Body* d;
    cudaMalloc(&d, n * sizeof(Body));
    cudaMemcpy(d, bodies, n * sizeof(Body), cudaMemcpyHostToDevice);
    push_kernel<<<(n + 127) / 128, 128>>>(d, n, dt);
    cudaMemcpy(bodies, d, n * sizeof(Body), cudaMemcpyDeviceToHost);
    cudaFree(d);
}
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_struct_array_verified_in_both_directions(tmp_path, verify_json):
    cpp = _write(tmp_path, "push.cpp", PUSH_CPP)
    cu = _write(tmp_path, "push.cu", PUSH_CU)
    code, result = verify_json(cpp, cu)
    assert code == 0, result["message"]
    code, result = verify_json(cu, cpp)
    assert code == 0, result["message"]


def test_wrong_field_update_named_by_field(tmp_path, verify_json):
    cpp = _write(tmp_path, "push.cpp", PUSH_CPP)
    wrong = _write(tmp_path, "push_wrong.cu", PUSH_CU.replace("b[i].pos += dt * b[i].vel;", ""))
    code, result = verify_json(cpp, wrong)
    assert code == 1, result["message"]
    assert result["mismatches"][0]["output"] in ("p.x", "p.hits")
    swapped = _write(tmp_path, "push_swapped.cu", PUSH_CU.replace("float pos; float vel;", "float vel; float pos;"))
    code, result = verify_json(cpp, swapped)
    assert code == 1, result["message"]


def test_struct_field_types_must_match(tmp_path, verify_json):
    cpp = _write(tmp_path, "push.cpp", PUSH_CPP)
    doubles = _write(tmp_path, "push_double.cu", PUSH_CU.replace("float pos; float vel;", "double pos; double vel;"))
    code, result = verify_json(cpp, doubles)
    assert code == 1
    assert "signature differs" in result["message"] and "Body* bodies" in result["message"]


def test_struct_by_value_verified_and_mismatch_named(tmp_path, verify_json):
    source = _write(tmp_path, "norm.cpp", "struct V { float x, y; };\n"
                                          "float norm2(V v) { return v.x * v.x + v.y * v.y; }\n")
    good = _write(tmp_path, "norm.cu", "struct W { float a, b; };\nfloat norm2(W w) { return w.a * w.a + w.b * w.b; }\n")
    code, result = verify_json(source, good)
    assert code == 0, result["message"]
    code, result = verify_json(source, _write(tmp_path, "norm_bad.cu", "float norm2(float x) { return x; }\n"))
    assert code == 1
    assert "signature differs" in result["message"] and "parameter x" in result["message"]
