"""C strings in the CUDA pairs: `const char*` inputs, `char*` buffers compared as text up to the
NUL, `char**` arrays of strings with a count; --value and --range set them (CPU path, CLI)."""

from pathlib import Path

SHOUT_CPP = """
#include <cstring>
// transverify: shape out=n
void shout(const char* in, char* out, int n) {
    int len = (int)strlen(in);
    int k = 0;
    for (int i = 0; i < len && k < n - 1; ++i) {
        char c = in[i];
        if (c >= 'a' && c <= 'z') c = c - 'a' + 'A';
        if (c != ' ') out[k++] = c;
    }
    if (n > 0) out[k] = '\\0';
}
"""

SHOUT_CU = """
#include <cstring>
__global__ void upper_kernel(const char* in, char* up, int len) {
    int i = blockIdx.x * blockDim.x + threadIdx.x;
    if (i < len) { char c = in[i]; up[i] = (c >= 'a' && c <= 'z') ? c - 'a' + 'A' : c; }
}
void shout(const char* in, char* out, int n) {
    int len = (int)strlen(in);
    char *din, *dup;
    cudaMalloc(&din, len + 1);
    cudaMalloc(&dup, len + 1);
    cudaMemcpy(din, in, len + 1, cudaMemcpyHostToDevice);
    upper_kernel<<<(len + 63) / 64 + 1, 64>>>(din, dup, len);
    char* up = new char[len + 1];
    cudaMemcpy(up, dup, len, cudaMemcpyDeviceToHost);
    int k = 0;
    for (int i = 0; i < len && k < n - 1; ++i) if (up[i] != ' ') out[k++] = up[i];
    if (n > 0) out[k] = '\\0';
    delete[] up;
    cudaFree(din);
    cudaFree(dup);
}
"""

TOTAL_CPP = """
// transverify: shape argv=argc, lens=argc
int total(int argc, const char* const* argv, int* lens) {
    int t = 0;
    for (int i = 0; i < argc; ++i) { int l = 0; while (argv[i][l]) ++l; lens[i] = l; t += l; }
    return t;
}
"""

TOTAL_CU = """
#include <cstring>
// transverify: shape argv=argc, lens=argc
int total(int argc, char** argv, int* lens) {
    int t = 0;
    for (int i = 0; i < argc; ++i) { lens[i] = (int)strlen(argv[i]); t += lens[i]; }
    return t;
}
"""


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


def test_string_input_and_buffer_output(tmp_path, verify_json):
    source = _write(tmp_path, "shout.cpp", SHOUT_CPP)
    code, result = verify_json(source, _write(tmp_path, "shout.cu", SHOUT_CU), "--cases", "4")
    assert code == 0, result["message"]
    assert [len(case["in"]) for case in result["inputs"]] == [0, 1, 5, 16]  # lengths 0, 1, 5, 16
    keeps_blanks = _write(tmp_path, "shout_blank.cu", SHOUT_CU.replace("if (up[i] != ' ') out", "out"))
    code, result = verify_json(source, keeps_blanks, "--cases", "6", "--value", "in=a b")
    assert code == 1, result["message"]
    first = result["mismatches"][0]
    assert first["output"] == "out" and first["expected"] == "'AB'" and first["actual"].startswith("'A ")


def test_array_of_strings_with_count_both_directions(tmp_path, verify_json):
    source = _write(tmp_path, "total.cpp", TOTAL_CPP)
    candidate = _write(tmp_path, "total.cu", TOTAL_CU)
    code, result = verify_json(source, candidate)
    assert code == 0, result["message"]
    code, result = verify_json(candidate, source, "--value", "argv=ab,,cde", "--value", "argc=4")
    assert code == 0, result["message"]
    assert result["inputs"][0]["argv"] == "ab,,cde"
    wrong = _write(tmp_path, "total_wrong.cu", TOTAL_CU.replace("t += lens[i];", "t += lens[i] > 0 ? lens[i] : 1;"))
    code, result = verify_json(source, wrong, "--range", "argv=0:2")
    assert code == 1 and result["mismatches"][0]["output"] == "result", result["message"]
