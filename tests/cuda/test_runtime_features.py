"""CUDA syntax and runtime features on the CPU path, in program mode."""

from pathlib import Path

HERE = Path(__file__).resolve().parent


def test_templates_launch_bounds_3d_blocks_aligned_dynamic_shared_streams(verify_json):
    code, result = verify_json(HERE / "features.cpp", HERE / "features.cu")
    assert code == 0, result["message"]
    assert result["mode"] == "program" and result["execution"] == "cpu-emulated"


def test_wrong_output_in_program_mode_is_located(tmp_path, verify_json):
    wrong = tmp_path / "features.cu"
    wrong.write_text((HERE / "features.cu").read_text().replace("s[t] = 1.0f;", "s[t] = 2.0f;"))
    code, result = verify_json(HERE / "features.cpp", wrong)
    assert code == 1 and result["stage"] == "compare"
    assert result["mismatches"][0]["expected"] == "128.000000"
    assert result["mismatches"][0]["actual"] == "256.000000"
