"""Item 9: what a candidate writes is capped. Each file is limited by RLIMIT_FSIZE, and under
bubblewrap its working directory, /tmp and /dev/shm are size-capped tmpfs (128 MiB each by
default), so filling the disk or the memory through files stops early."""

from __future__ import annotations

import re

import pytest

FILL_CPP = r"""
#include <cerrno>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>
// Writes 8 MiB files into DIR until something refuses; returns the bytes written.
static long long fill(const std::string &dir) {
    std::vector<char> block(1 << 20, 'x');
    long long total = 0;
    for (int file = 0; file < 128; ++file) {
        std::string path = dir + "/fill" + std::to_string(file);
        FILE *f = std::fopen(path.c_str(), "wb");
        if (!f) return total;
        for (int mb = 0; mb < 8; ++mb) {
            size_t n = std::fwrite(block.data(), 1, block.size(), f);
            total += n;
            if (n != block.size()) { std::fclose(f); return total; }
        }
        if (std::fclose(f) != 0) return total;
    }
    return total;
}
int main() {
    std::signal(SIGXFSZ, SIG_IGN);  // so a file-size refusal is an error, not a kill
    long long here = fill("."), tmp = fill("/tmp"), shm = fill("/dev/shm");
    std::fprintf(stderr, "wrote cwd=%lld tmp=%lld shm=%lld\n", here, tmp, shm);
    std::abort();
}
"""


def test_a_candidate_cannot_write_more_than_its_quota(verify_json, hello_source, tmp_path, needs_compilers):
    candidate = tmp_path / "fill.cpp"
    candidate.write_text(FILL_CPP)
    code, out = verify_json(hello_source, candidate, "--timeout", 60)
    if out["sandbox"]["kind"] != "bwrap":
        pytest.skip("the size-capped scratch space needs bubblewrap")
    assert code == 1 and out["stage"] == "run", out
    written = re.search(r"wrote cwd=(\d+) tmp=(\d+) shm=(\d+)", out["message"])
    assert written, out["message"]
    cap = 128 << 20
    for where, amount in zip(("cwd", "/tmp", "/dev/shm"), map(int, written.groups())):
        assert amount <= cap, f"the candidate wrote {amount} bytes into {where}"


FLOOD_CPP = r"""
#include <cstdio>
int main() {
    for (long i = 0; i < (1L << 30); ++i) std::printf("%ld 0.123456789\n", i);
    return 0;
}
"""


def test_a_candidate_printing_past_the_output_limit_is_stopped_with_the_limit_named(verify_json, hello_source,
                                                                                  tmp_path, needs_compilers):
    candidate = tmp_path / "flood.cpp"
    candidate.write_text(FLOOD_CPP)
    code, out = verify_json(hello_source, candidate, "--timeout", 60)
    assert code == 1 and out["stage"] == "run", out
    assert "wrote more output than allowed (16 MiB a file" in out["message"], out["message"]
