"""Run transverify as an ordinary (non-root) user, for the security tests.

Several attacks only work, or only matter, when transverify runs as an ordinary user
(the sandbox then has no other uid to drop to). CI and development machines run the
tests as root, so this module creates such a user itself.

API (plain functions, no pytest fixtures; import them from any tests/security module):

  unprivileged_user() -> (name, uid, gid, home)
      The user to run as. As root: the account `tvsec` (created once with `useradd -m`).
      Not root: the current user. Raises Unavailable (with the reason) when neither works.

  require_unprivileged() -> (name, uid, gid, home)
      The same, but calls pytest.skip(reason) instead of raising.

  user_dir(prefix="t-") -> Path
      A fresh empty directory owned by the user (mode 0700) under its home: put a test's
      candidates, its fake $HOME, its cache there. The caller removes it (shutil.rmtree).

  python_command() -> list[str]
      argv prefix of a Python interpreter that the user may execute and that imports the
      project and its dependencies (the development venv's own interpreter may live in an
      unreadable /root). `python_command() + ["-m", "transverify", "verify", ...]`.

  transverify_command() -> list[str]
      python_command() + ["-m", "transverify"].

  user_env(home, **extra) -> dict
      A clean environment for the user: HOME=home, PATH, LANG, and transverify's cache,
      records and config locations inside `home` (so nothing is shared with the test run).

  run_as_unprivileged(cmd, env=None, cwd=None, timeout=300, input=None) -> CompletedProcess
      Runs cmd (a list) as the user, text mode, stdout/stderr captured. env defaults to
      user_env(home of the user); cwd defaults to that home.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from functools import lru_cache
from pathlib import Path

USER_NAME = "tvsec"
REPO = Path(__file__).resolve().parent.parent.parent


class Unavailable(Exception):
    """No unprivileged user can be had on this machine (the reason is the message)."""


@lru_cache(maxsize=1)
def unprivileged_user() -> tuple[str, int, int, Path]:
    if os.geteuid() != 0:
        entry = pwd.getpwuid(os.geteuid())
        return entry.pw_name, entry.pw_uid, entry.pw_gid, Path(entry.pw_dir)
    try:
        entry = pwd.getpwnam(USER_NAME)
    except KeyError:
        if not shutil.which("useradd"):
            raise Unavailable("running as root and `useradd` is not installed: cannot create an ordinary user")
        made = subprocess.run(["useradd", "-m", "-s", "/bin/sh", USER_NAME], capture_output=True, text=True)
        if made.returncode not in (0, 9):  # 9: created meanwhile by a parallel run
            raise Unavailable(f"useradd {USER_NAME} failed: {made.stderr.strip()}")
        entry = pwd.getpwnam(USER_NAME)
    home = Path(entry.pw_dir)
    if not home.is_dir():
        home.mkdir(parents=True)
        os.chown(home, entry.pw_uid, entry.pw_gid)
    home.chmod(0o700)
    return entry.pw_name, entry.pw_uid, entry.pw_gid, home


def require_unprivileged() -> tuple[str, int, int, Path]:
    import pytest

    try:
        return unprivileged_user()
    except Unavailable as exc:
        pytest.skip(str(exc))


def user_dir(prefix: str = "t-") -> Path:
    _, uid, gid, home = unprivileged_user()
    path = Path(tempfile.mkdtemp(prefix=prefix, dir=home))
    os.chown(path, uid, gid)
    path.chmod(0o700)
    return path


def _readable_by_others(path: Path) -> bool:
    """Every component of `path` is traversable, and the file itself readable, by other users."""
    try:
        resolved = path.resolve()
        for part in [*reversed(resolved.parents), resolved]:
            mode = part.stat().st_mode
            if not mode & 0o001:
                return False
        return bool(resolved.stat().st_mode & 0o004)
    except OSError:
        return False


@lru_cache(maxsize=1)
def python_command() -> list[str]:
    """An interpreter of this Python version that the user can run, seeing this venv's packages."""
    site_packages = sysconfig.get_paths()["purelib"]
    # The venv's packages (the project itself is an editable install there, found via its .pth).
    bootstrap = ("import site, sys; site.addsitedir(sys.argv.pop(1)); import runpy; sys.argv.pop(0); "
                 "runpy.run_module(sys.argv[0], run_name='__main__', alter_sys=True)")
    version = f"python{sys.version_info.major}.{sys.version_info.minor}"
    for candidate in (sys.executable, shutil.which(version), f"/usr/bin/{version}", f"/usr/local/bin/{version}"):
        if candidate and _readable_by_others(Path(candidate)):
            interpreter = str(Path(candidate).resolve())
            break
    else:
        raise Unavailable(f"no {version} interpreter is executable by other users")
    if not _readable_by_others(Path(site_packages)):
        raise Unavailable(f"{site_packages} is not readable by other users")
    # `-m X args` becomes: -c BOOTSTRAP SITE X args (the bootstrap runs module X as __main__).
    return [interpreter, "-c", bootstrap, site_packages]


def transverify_command() -> list[str]:
    return [*python_command(), "transverify"]


def user_env(home: Path, **extra: str) -> dict[str, str]:
    env = {
        "HOME": str(home),
        "PATH": "/usr/local/bin:/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "TRANSVERIFY_CACHE_DIR": str(home / ".cache" / "transverify"),
        "TRANSVERIFY_RECORDS": str(home / ".local" / "share" / "transverify" / "records.sqlite"),
        "XDG_CONFIG_HOME": str(home / ".config"),
    }
    env.update(extra)
    return env


def run_as_unprivileged(cmd: list[str], env: dict[str, str] | None = None, cwd: Path | str | None = None,
                        timeout: float = 300, input: str | None = None) -> subprocess.CompletedProcess:
    name, uid, gid, home = unprivileged_user()
    env = env if env is not None else user_env(home)
    if os.geteuid() == 0:
        def drop() -> None:
            os.setgroups([])
            os.setgid(gid)
            os.setuid(uid)
    else:
        drop = None
    return subprocess.run([str(c) for c in cmd], env=env, cwd=str(cwd or home), timeout=timeout, input=input,
                          capture_output=True, text=True, preexec_fn=drop)
