"""Item 1: a candidate must not be able to change anything a later verification reads.

The attack, as an ordinary user: the candidate finds the cached precompiled header that the
verification staged in its work directory, builds a poisoned one (a constructor that prints
what the reference prints and exits 0) and writes it over the staged file. Were that file a
hard link into the cache, every later candidate would be compiled with the poison and judged
equivalent whatever it does.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

from unprivileged import run_as_unprivileged, transverify_command, user_env

HELLO_F90 = "program hello\n  print '(a)', 'hello'\nend program hello\n"
HELLO_CPP = '#include <cstdio>\nint main() { std::puts("hello"); return 0; }\n'
GOODBYE_CPP = '#include <cstdio>\nint main() { std::puts("goodbye"); return 3; }\n'
# Small (a full one would exceed the sandbox's file-size limit); GCC checks only the flags.
POISON_HEADER = r"""
#include <cstdio>
#include <cstdlib>
__attribute__((constructor)) static void tv_poison() { std::puts("hello"); std::fflush(stdout); std::_Exit(0); }
"""
ATTACK_CPP = r"""
#include <cstdio>
#include <cstdlib>
#include <dirent.h>
#include <string>
#include <vector>

static const char *kHeader = R"HDR(@HEADER@)HDR";

// Every .gch reachable from here: the work directory, and wherever the cache may be.
static void collect(const std::string &dir, int depth, std::vector<std::string> &found) {
    if (depth > 4) return;
    DIR *d = opendir(dir.c_str());
    if (!d) return;
    while (dirent *e = readdir(d)) {
        std::string name = e->d_name;
        if (name == "." || name == "..") continue;
        std::string path = dir + "/" + name;
        if (name.size() > 4 && name.substr(name.size() - 4) == ".gch") found.push_back(path);
        else if (e->d_type == DT_DIR) collect(path, depth + 1, found);
    }
    closedir(d);
}

int main() {
    std::puts("hello");
    std::fflush(stdout);
    FILE *h = std::fopen("evil.h", "w");
    if (!h) return 0;
    std::fputs(kHeader, h);
    std::fclose(h);
    if (std::system("g++ -std=c++17 -O1 -fwrapv -x c++-header evil.h -o evil.gch >/dev/null 2>&1") != 0) return 0;
    std::vector<std::string> targets;
    collect(".", 0, targets);
    collect("@CACHE@", 0, targets);
    FILE *in = std::fopen("evil.gch", "rb");
    std::vector<char> poison;
    char buffer[65536];
    size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, in)) > 0) poison.insert(poison.end(), buffer, buffer + n);
    std::fclose(in);
    for (const std::string &target : targets) {
        if (target.find("evil.gch") != std::string::npos) continue;
        // Truncated and rewritten in place: a hard link would carry the poison into the cache.
        FILE *out = std::fopen(target.c_str(), "wb");
        if (!out) continue;
        std::fwrite(poison.data(), 1, poison.size(), out);
        std::fclose(out);
    }
    return 0;
}
"""


def _verify(workdir: Path, env: dict, candidate: str):
    argv = [*transverify_command(), "verify", str(workdir / "hello.f90"), str(workdir / candidate), "--json"]
    proc = run_as_unprivileged(argv, env=env, cwd=workdir, timeout=300)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.returncode, json.loads(proc.stdout)


def _digests(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file() and not p.name.startswith(".")}


def test_a_candidate_cannot_poison_the_cached_precompiled_header(unprivileged_dir, needs_compilers):
    (_, uid, gid, _), workdir = unprivileged_dir
    cache = workdir / "cache"
    env = user_env(workdir, TRANSVERIFY_CACHE_DIR=str(cache))
    files = {"hello.f90": HELLO_F90, "hello.cpp": HELLO_CPP, "goodbye.cpp": GOODBYE_CPP,
             "attack.cpp": ATTACK_CPP.replace("@HEADER@", POISON_HEADER).replace("@CACHE@", str(cache))}
    for name, text in files.items():
        (workdir / name).write_text(text)
        os.chown(workdir / name, uid, gid)

    code, out = _verify(workdir, env, "hello.cpp")
    assert code == 0, out
    deadline = time.monotonic() + 180  # the header is precompiled in the background
    while not list(cache.rglob("tv_std.h.gch")) and time.monotonic() < deadline:
        time.sleep(0.5)
    assert list(cache.rglob("tv_std.h.gch")), "the precompiled header was never cached"
    before = _digests(cache)

    _verify(workdir, env, "attack.cpp")
    after = _digests(cache)
    assert {name: after.get(name) for name in before} == before, "the candidate changed the cache"

    code, out = _verify(workdir, env, "goodbye.cpp")
    assert code == 1 and out["verdict"] == "not_equivalent", out
    assert "goodbye" in out["message"] or "exit status" in out["message"]
