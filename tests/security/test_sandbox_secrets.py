"""Item 2: nothing private is visible in the sandbox: not the home directory (transverify's
config with the API key, ~/.ssh), not the records store, not /var; neither to a running
candidate nor to the compiler (an `#include` of a secret would echo it in an error)."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

SECRET = "tvsecret" + uuid.uuid4().hex

INCLUDE_CPP = '#include "@PATH@"\n#include <cstdio>\nint main() { std::puts("hello"); return 0; }\n'
READ_CPP = r"""
#include <cstdio>
int main() {
    const char *paths[] = {@PATHS@};
    std::puts("hello");
    for (const char *path : paths) {
        FILE *f = std::fopen(path, "r");
        if (!f) { std::printf("cannot-open %s\n", path); continue; }
        char line[4096];
        while (std::fgets(line, sizeof line, f)) std::fputs(line, stdout);
        std::fclose(f);
    }
    return 0;
}
"""


def _plant(home: Path, uid: int, gid: int) -> list[Path]:
    """Secrets where an ordinary user keeps them, readable by that user."""
    files = {
        home / ".config" / "transverify" / "config.toml": f'[llm]\napi_key = "sk-{SECRET}"\n',
        home / ".ssh" / "id_rsa": f"-----BEGIN OPENSSH PRIVATE KEY-----\n{SECRET}\n-----END OPENSSH PRIVATE KEY-----\n",
        home / ".local" / "share" / "transverify" / "records.sqlite": f"SQLite format 3\0{SECRET}\n",
    }
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        for part in [path, *path.parents]:
            if part == home.parent:
                break
            os.chown(part, uid, gid)
    return list(files)


def test_a_candidate_reads_no_secret_of_the_user(unprivileged_dir, verify_json, needs_compilers):
    from conftest import HELLO_F90
    from unprivileged import user_env

    (_, uid, gid, _), home = unprivileged_dir
    secrets = _plant(home, uid, gid)
    world = Path("/var/tmp") / f"tv-world-{uuid.uuid4().hex}"  # world-readable, outside what compilers need
    world.write_text(f"{SECRET}\n")
    world.chmod(0o644)
    try:
        (home / "hello.f90").write_text(HELLO_F90)
        quoted = ", ".join(f'"{p}"' for p in [*secrets, world])
        (home / "read.cpp").write_text(READ_CPP.replace("@PATHS@", quoted))
        env = user_env(home)
        for path in (home / "hello.f90", home / "read.cpp"):
            os.chown(path, uid, gid)
        code, out = verify_json(home / "hello.f90", home / "read.cpp", env=env, as_user=True)
        assert SECRET not in str(out), "a secret reached the verify result"
        assert code == 1 and out["stage"] == "compare", out
        assert out["sandbox"]["isolation"] == "strong", out["sandbox"]
        assert "cannot-open" in str(out["mismatches"])

        for secret in [*secrets, world]:
            candidate = home / f"include_{secret.name}.cpp"
            candidate.write_text(INCLUDE_CPP.replace("@PATH@", str(secret)))
            os.chown(candidate, uid, gid)
            code, out = verify_json(home / "hello.f90", candidate, env=env, as_user=True)
            assert SECRET not in str(out), f"the compiler's output carried {secret}"
            assert code == 1 and out["stage"] == "compile_candidate", out
            assert "No such file or directory" in str(out["diagnostics"]), out["diagnostics"]
    finally:
        world.unlink()
