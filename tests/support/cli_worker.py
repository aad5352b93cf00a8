"""Run `transverify` command lines in one long-lived child process, one after another.

Each command goes through `transverify.cli.main`, as the console script runs it, with the
caller's environment and working directory at the time of the call, its own stdout and
stderr (files, read back) and stdin at /dev/null; its exit status is what `main` exits with.
What a new process per command would cost again, and a test session pays hundreds of times,
is the import of the heavy libraries (apache-tvm: seconds each). Tests of behaviour that
needs a process of its own (signals, a cache found by a new process) still start one.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

DRIVER = textwrap.dedent("""
    import json, os, sys, traceback
    jobs = os.fdopen(int(sys.argv[1]), "r")
    control = os.fdopen(int(sys.argv[2]), "w")
    from transverify.cli import main
    for line in jobs:
        job = json.loads(line)
        os.environ.clear()
        os.environ.update(job["env"])
        os.chdir(job["cwd"])
        sys.stdout.flush()
        sys.stderr.flush()
        saved = os.dup(1), os.dup(2)
        out = os.open(job["out"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        err = os.open(job["err"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        os.dup2(out, 1)
        os.dup2(err, 2)
        code = 0
        try:
            sys.argv = ["transverify"] + job["argv"]
            main()
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
        except BaseException:
            traceback.print_exc()
            code = 1
        sys.stdout.flush()
        sys.stderr.flush()
        os.dup2(saved[0], 1)
        os.dup2(saved[1], 2)
        for fd in (out, err, *saved):
            os.close(fd)
        control.write(json.dumps({"code": code}) + "\\n")
        control.flush()
""")


class CliWorker:
    def __init__(self) -> None:
        self._proc: subprocess.Popen | None = None
        self._scratch = Path(tempfile.mkdtemp(prefix="transverify-cli-worker-"))

    def _start(self) -> None:
        jobs_read, self._jobs = os.pipe()
        self._control, control_write = os.pipe()
        self._proc = subprocess.Popen([sys.executable, "-c", DRIVER, str(jobs_read), str(control_write)],
                                      stdin=subprocess.DEVNULL, pass_fds=(jobs_read, control_write),
                                      start_new_session=True)
        os.close(jobs_read)
        os.close(control_write)
        self._pending = b""

    def run(self, argv: list[str], timeout: float = 300, env: dict | None = None) -> subprocess.CompletedProcess:
        """`transverify <argv>` with `env` (by default the current environment); stdout and stderr as text."""
        if self._proc is None or self._proc.poll() is not None:
            self._start()
        out, err = self._scratch / "stdout", self._scratch / "stderr"
        job = {"argv": [str(a) for a in argv], "env": dict(os.environ if env is None else env), "cwd": os.getcwd(),
               "out": str(out), "err": str(err)}
        os.write(self._jobs, (json.dumps(job) + "\n").encode())
        line = self._read_line(timeout)
        died = line is None and self._proc.poll() is not None
        if line is None and not died:
            self.close()
            raise subprocess.TimeoutExpired(["transverify", *job["argv"]], timeout)
        code = self._proc.returncode if died else json.loads(line)["code"]  # died: as a crashed process
        return subprocess.CompletedProcess(["transverify", *job["argv"]], code,
                                           out.read_text(errors="replace"), err.read_text(errors="replace"))

    def _read_line(self, timeout: float) -> str | None:
        while b"\n" not in self._pending:
            ready, _, _ = select.select([self._control], [], [], timeout)
            chunk = os.read(self._control, 65536) if ready else b""
            if not chunk:
                return None  # timed out, or the worker died
            self._pending += chunk
        line, self._pending = self._pending.split(b"\n", 1)
        return line.decode()

    def close(self) -> None:
        if self._proc is not None:
            if self._proc.poll() is None:
                os.killpg(self._proc.pid, signal.SIGKILL)
            self._proc.wait()
            for fd in (self._jobs, self._control):
                os.close(fd)
            self._proc = None

    def remove(self) -> None:
        self.close()
        shutil.rmtree(self._scratch, ignore_errors=True)
