"""Item 6: the weaker fallbacks. Without namespaces (`none`) a double-forked daemon that left
the session must still not outlive the verification; an ordinary user without bubblewrap
gets the `unshare` fallback through a user namespace; a weak isolation is said in the result."""

from __future__ import annotations

import os
import time
import uuid
from pathlib import Path

import pytest

DAEMON_CPP = r"""
#include <cstdio>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
int main() {
    pid_t child = fork();
    if (child == 0) {
        setsid();
        if (fork() == 0) {
            prctl(PR_SET_NAME, "@NAME@");
            for (;;) sleep(1);
        }
        _exit(0);
    }
    waitpid(child, nullptr, 0);
    std::puts("hello");
    return 0;
}
"""


def _processes_named(name: str) -> list[str]:
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                if Path(f"/proc/{entry}/comm").read_text().strip() == name:
                    found.append(entry)
            except OSError:
                continue
    return found


@pytest.mark.parametrize("who", ["ordinary user", "current user"])
def test_a_double_forked_daemon_does_not_outlive_the_none_fallback(who, unprivileged_dir, verify_json,
                                                                   needs_compilers):
    from conftest import HELLO_F90
    from unprivileged import user_env

    (_, uid, gid, _), home = unprivileged_dir
    name = "tvd" + uuid.uuid4().hex[:10]
    (home / "hello.f90").write_text(HELLO_F90)
    (home / "daemon.cpp").write_text(DAEMON_CPP.replace("@NAME@", name))
    for path in (home / "hello.f90", home / "daemon.cpp"):
        os.chown(path, uid, gid)
    if who == "ordinary user":
        code, out = verify_json(home / "hello.f90", home / "daemon.cpp",
                                env=user_env(home, TRANSVERIFY_SANDBOX="none"), as_user=True)
    else:
        code, out = verify_json(home / "hello.f90", home / "daemon.cpp",
                                env={**os.environ, "TRANSVERIFY_SANDBOX": "none"})
    try:
        assert code == 0, out
        assert out["sandbox"] == {"kind": "none", "isolation": "weak", "note": out["sandbox"]["note"]}
        assert "bubblewrap" in out["sandbox"]["note"]
        assert _processes_named(name) == [], "the daemon outlived the verification"
    finally:
        for pid in _processes_named(name):
            os.kill(int(pid), 9)


def test_an_ordinary_user_gets_the_unshare_fallback_with_a_weak_isolation_note(unprivileged_dir, verify_json,
                                                                               needs_compilers):
    from conftest import HELLO_F90
    from unprivileged import user_env

    (_, uid, gid, _), home = unprivileged_dir
    (home / "hello.f90").write_text(HELLO_F90)
    (home / "hello.cpp").write_text('#include <cstdio>\nint main() { std::puts("hello"); }\n')
    for path in (home / "hello.f90", home / "hello.cpp"):
        os.chown(path, uid, gid)
    code, out = verify_json(home / "hello.f90", home / "hello.cpp",
                            env=user_env(home, TRANSVERIFY_SANDBOX="unshare"), as_user=True)
    assert code == 0, out
    assert out["sandbox"]["kind"] == "unshare" and out["sandbox"]["isolation"] == "weak"
    assert any("isolation is weak" in w for w in out["warnings"])


def test_bubblewrap_is_reported_as_strong(unprivileged_dir, verify_json, needs_compilers):
    from conftest import HELLO_F90
    from unprivileged import user_env

    (_, uid, gid, _), home = unprivileged_dir
    (home / "hello.f90").write_text(HELLO_F90)
    (home / "hello.cpp").write_text('#include <cstdio>\nint main() { std::puts("hello"); }\n')
    for path in (home / "hello.f90", home / "hello.cpp"):
        os.chown(path, uid, gid)
    code, out = verify_json(home / "hello.f90", home / "hello.cpp", env=user_env(home), as_user=True)
    if out["sandbox"]["kind"] != "bwrap":
        pytest.skip(f"bubblewrap does not work here for an ordinary user ({out['sandbox']['kind']})")
    assert code == 0 and out["sandbox"]["isolation"] == "strong", out
