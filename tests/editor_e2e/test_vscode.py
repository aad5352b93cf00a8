"""The VS Code extension in a real VS Code (code-server), driven through its UI in Debian's
headless chromium: translate a Fortran routine from the lightbulb menu, accept the refactor
preview, see it verified, break it by hand and see the mismatch and its quick fix.

Screenshots of each step and the measured latencies land in tests/editor_e2e/output/.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
EXTENSION = REPO / "extension"
OUTPUT = HERE / "output"
CODE_SERVER = HERE / "node_modules" / ".bin" / "code-server"
PLAYWRIGHT = HERE / "node_modules" / "playwright-core"
TRANSVERIFY = Path(sys.executable).with_name("transverify")

FORTRAN = """\
! z = alpha*x + beta*y, element by element.
subroutine axpby(n, alpha, x, beta, y, z)
  implicit none
  integer, intent(in) :: n
  real(8), intent(in) :: alpha, beta
  real(8), intent(in) :: x(n), y(n)
  real(8), intent(out) :: z(n)
  integer :: i
  do i = 1, n
    z(i) = alpha * x(i) + beta * y(i)
  end do
end subroutine axpby
"""

CUDA = """\
// y = a*x on the GPU, one thread per element.
__global__ void scale(int n, float a, const float *x, float *y) {
  int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i < n) {
    y[i] = a * x[i];
  }
}
"""

USER_SETTINGS = {
    "security.workspace.trust.enabled": False,
    "workbench.startupEditor": "none",
    "workbench.tips.enabled": False,
    "workbench.enableExperiments": False,
    "telemetry.telemetryLevel": "off",
    "update.mode": "none",
    "extensions.autoCheckUpdates": False,
    "extensions.autoUpdate": False,
    "window.restoreWindows": "none",
    # Typing a line by hand must give exactly that line.
    "editor.autoClosingBrackets": "never",
    "editor.autoClosingQuotes": "never",
    "editor.quickSuggestions": {"other": "off", "comments": "off", "strings": "off"},
    "editor.suggestOnTriggerCharacters": False,
    "editor.acceptSuggestionOnEnter": "off",
    "transverify.solver": "rules",
    "transverify.cases": 8,
}


def missing() -> str | None:
    """What this machine lacks for the test, in words, or None."""
    if shutil.which("chromium") is None:
        return "Debian's chromium is not installed (scripts/setup.sh --dev installs it with apt)"
    if shutil.which("node") is None or shutil.which("npm") is None:
        return "node/npm are not installed"
    if not CODE_SERVER.exists() or not PLAYWRIGHT.exists():
        return ("code-server and playwright-core are not installed in tests/editor_e2e/node_modules "
                "(run tests/editor_e2e/install.sh; it needs Node 20 and the npm registry)")
    if not (EXTENSION / "node_modules" / ".bin" / "vsce").exists():
        return "the extension's npm dependencies are not installed (cd extension && npm ci)"
    if shutil.which("gfortran") is None or shutil.which("g++") is None:
        return "gfortran and g++ are needed to verify translations"
    if not TRANSVERIFY.exists():
        return f"{TRANSVERIFY} not found: run the test from the project's virtual environment"
    return None


pytestmark = pytest.mark.skipif(missing() is not None, reason=str(missing()))


def large_fortran(routines: int = 500) -> str:
    """A 5,000-line file of small routines (10 lines each)."""
    parts = []
    for k in range(routines):
        parts.append(f"""subroutine step{k}(n, a, x, y)
  implicit none
  integer, intent(in) :: n
  real, intent(in) :: a, x(n)
  real, intent(inout) :: y(n)
  integer :: i
  do i = 1, n
    y(i) = y(i) + a * x(i) + {k}.0
  end do
end subroutine step{k}
""")
    return "".join(parts)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def stop(process: subprocess.Popen) -> None:
    """End a process and everything it started (its own process group)."""
    if process.poll() is None:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=10)
        except (ProcessLookupError, subprocess.TimeoutExpired):
            pass
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    process.wait()


def package_extension(dest: Path) -> Path:
    """The .vsix, built with the extension's own scripts (one build at a time: other tests
    compile into the same extension/out)."""
    vsix = dest / "transverify.vsix"
    with extension_build_lock():
        return _package(vsix)


@contextlib.contextmanager
def extension_build_lock():
    with open(Path(tempfile.gettempdir()) / "transverify-extension-build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _package(vsix: Path) -> Path:
    package = ["npx", "--no-install", "vsce", "package", "--no-rewrite-relative-links", "-o", str(vsix)]
    for argv in (["npm", "run", "compile"], package):
        run = subprocess.run(argv, cwd=EXTENSION, capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, f"{' '.join(argv)} failed:\n{run.stdout[-2000:]}\n{run.stderr[-2000:]}"
    return vsix


def server_start_ms(user_data: Path) -> float | None:
    """Activation to the server's first answer, as the extension logged it in its output channel."""
    for log in sorted(user_data.glob("logs/**/*transverify*.log")):
        for line in log.read_text(errors="replace").splitlines():
            if "language server answered" in line:
                return float(line.split("answered", 1)[1].split("ms")[0])
    return None


@pytest.fixture(scope="module")
def vsix(tmp_path_factory) -> Path:
    return package_extension(tmp_path_factory.mktemp("vsix"))


@contextlib.contextmanager
def vscode(tmp_path: Path, vsix: Path, settings: dict):
    """A code-server with a fresh user-data and extensions folder, the .vsix installed, these user
    settings and a workspace with the Fortran routine, the CUDA kernel and a 5,000-line file.
    Yields (url, workspace, user-data folder, environment); everything it started is killed after."""
    user_data, extensions, workspace = tmp_path / "user-data", tmp_path / "extensions", tmp_path / "workspace"
    for folder in (user_data / "User", extensions, workspace):
        folder.mkdir(parents=True)
    (workspace / "axpby.f90").write_text(FORTRAN)
    (workspace / "scale.cu").write_text(CUDA)
    (workspace / "large.f90").write_text(large_fortran())
    (user_data / "User" / "settings.json").write_text(json.dumps({**USER_SETTINGS, **settings}, indent=2))
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_DATA_HOME": str(tmp_path / "data"),
           "TRANSVERIFY_RECORDS": str(tmp_path / "records.jsonl")}
    common = ["--user-data-dir", str(user_data), "--extensions-dir", str(extensions),
              "--config", str(tmp_path / "code-server.yaml")]
    install = subprocess.run([str(CODE_SERVER), *common, "--install-extension", str(vsix)],
                             capture_output=True, text=True, timeout=180, env=env)
    assert install.returncode == 0 and "successfully installed" in install.stdout, install.stdout + install.stderr

    port = free_port()
    log_path = tmp_path / "code-server.log"
    with log_path.open("w") as server_log:
        code_server = subprocess.Popen(
            [str(CODE_SERVER), *common, "--bind-addr", f"127.0.0.1:{port}", "--auth", "none",
             "--disable-telemetry", "--disable-update-check", "--disable-workspace-trust",
             "--disable-getting-started-override", "--ignore-last-opened"],
            stdout=server_log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
        try:
            deadline = time.monotonic() + 60
            while True:
                with socket.socket() as sock:
                    if sock.connect_ex(("127.0.0.1", port)) == 0:
                        break
                assert code_server.poll() is None, f"code-server exited:\n{log_path.read_text()}"
                assert time.monotonic() < deadline, "code-server did not listen within 60 s"
                time.sleep(0.2)
            yield f"http://127.0.0.1:{port}", workspace, user_data, env
        finally:
            stop(code_server)


def fresh_output(folder: Path) -> Path:
    """The test's screenshot folder, emptied of a previous run's files (sub-folders belong to
    other tests, which may run at the same time)."""
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.iterdir():
        if old.is_file():
            old.unlink()
    return folder


def drive(tmp_path: Path, output: Path, config: dict, env: dict, answer) -> list[str]:
    """Runs drive.mjs with this config; answers its CHECK requests with answer(kind, path).
    Returns the steps it went through; fails naming the step and its screenshot."""
    (tmp_path / "drive.json").write_text(json.dumps({**config, "outputDir": str(output),
                                                     "chromium": shutil.which("chromium")}))
    driver = subprocess.Popen(["node", str(HERE / "drive.mjs"), str(tmp_path / "drive.json")], cwd=HERE,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              bufsize=1, env=env, start_new_session=True)
    watchdog = threading.Timer(300, stop, [driver])  # a hung browser must not hang the suite
    watchdog.start()
    steps, failure = [], None
    try:
        for line in driver.stdout:
            line = line.rstrip("\n")
            if line.startswith("STEP "):
                steps.append(line[5:])
            elif line.startswith("CHECK "):
                _, kind, path = line.split(" ", 2)
                driver.stdin.write(answer(kind, Path(path)) + "\n")
                driver.stdin.flush()
            elif line.startswith("FAIL "):
                failure = line[5:]
            elif line.strip():
                print(line)
        driver.wait(timeout=30)
    finally:
        watchdog.cancel()
        stop(driver)
    assert failure is None and driver.returncode == 0, (
        f"step '{steps[-1] if steps else '?'}' failed: {failure} (screenshot: {output / 'failure.png'})")
    return steps


def test_translate_verify_break_and_quick_fix_in_vscode(tmp_path: Path, vsix: Path):
    started = time.monotonic()
    output = fresh_output(OUTPUT)
    settings = {"transverify.server.command": [str(TRANSVERIFY), "serve"]}
    with vscode(tmp_path, vsix, settings) as (url, workspace, user_data, env):
        config = {
            "url": url, "workspace": str(workspace), "fortran": "axpby.f90", "translated": "axpby.cpp",
            "cuda": "scale.cu", "large": "large.f90", "largeLine": 2505,
            "breakFrom": "alpha * x[i]", "breakTo": "alpha * y[i]", "translatedFunction": "void axpby(",
        }
        steps = drive(tmp_path, output, config, env,
                      lambda kind, path: check_verifies(workspace / "axpby.f90", path) if kind == "verifies"
                      else f"fail unknown check {kind}")
        assert steps[-1] == "large-file"
        measured = json.loads((output / "latency.json").read_text())
        measured["server_start_ms"] = server_start_ms(user_data)
        measured["total_s"] = round(time.monotonic() - started, 1)
        (output / "latency.json").write_text(json.dumps(measured, indent=2))
        print(f"\nlatencies (goals: server start < 1500 ms, first actions < 150 ms): {json.dumps(measured)}")


def test_first_run_without_python_says_what_to_install(tmp_path: Path, vsix: Path):
    missing_python = str(tmp_path / "no-such-venv" / "bin" / "python3")
    with vscode(tmp_path, vsix, {"transverify.server.python": missing_python}) as (url, workspace, _, env):
        config = {"scenario": "first-run", "url": url, "workspace": str(workspace),
                  "expect": f"no Python found at '{missing_python}'"}
        steps = drive(tmp_path, fresh_output(OUTPUT / "first-run"), config, env,
                      lambda kind, path: "fail no checks expected")
        assert steps == ["first-run"]


def check_verifies(source: Path, translated: Path) -> str:
    """The test's own look at the accepted file: the CLI must verify it against the source."""
    run = subprocess.run([str(TRANSVERIFY), "verify", str(source), str(translated), "--cases", "8"],
                         capture_output=True, text=True, timeout=120)
    if run.returncode != 0:
        return f"fail transverify verify exited {run.returncode}: {(run.stdout + run.stderr)[-400:]!r}"
    return "ok"
