"""The VS Code extension in a real VS Code (code-server), driven through its UI in Debian's
headless chromium: translate a Fortran routine from the lightbulb menu, accept the refactor
preview, see it verified, break it by hand and see the mismatch and its quick fix.

Screenshots of each step and the measured latencies land in tests/editor_e2e/output/.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
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
    """The .vsix, built with the extension's own scripts."""
    vsix = dest / "transverify.vsix"
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


def test_translate_verify_break_and_quick_fix_in_vscode(tmp_path: Path):
    started = time.monotonic()
    shutil.rmtree(OUTPUT, ignore_errors=True)
    OUTPUT.mkdir(parents=True)
    user_data, extensions, workspace = tmp_path / "user-data", tmp_path / "extensions", tmp_path / "workspace"
    for folder in (user_data / "User", extensions, workspace):
        folder.mkdir(parents=True)
    (workspace / "axpby.f90").write_text(FORTRAN)
    (workspace / "scale.cu").write_text(CUDA)
    (workspace / "large.f90").write_text(large_fortran())
    settings = {**USER_SETTINGS, "transverify.server.command": [str(TRANSVERIFY), "serve"]}
    (user_data / "User" / "settings.json").write_text(json.dumps(settings, indent=2))
    env = {**os.environ, "XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_DATA_HOME": str(tmp_path / "data"),
           "TRANSVERIFY_RECORDS": str(tmp_path / "records.jsonl")}
    common = ["--user-data-dir", str(user_data), "--extensions-dir", str(extensions),
              "--config", str(tmp_path / "code-server.yaml")]

    vsix = package_extension(tmp_path)
    install = subprocess.run([str(CODE_SERVER), *common, "--install-extension", str(vsix)],
                             capture_output=True, text=True, timeout=180, env=env)
    assert install.returncode == 0 and "successfully installed" in install.stdout, install.stdout + install.stderr

    port = free_port()
    server_log = (tmp_path / "code-server.log").open("w")
    code_server = subprocess.Popen(
        [str(CODE_SERVER), *common, "--bind-addr", f"127.0.0.1:{port}", "--auth", "none", "--disable-telemetry",
         "--disable-update-check", "--disable-workspace-trust", "--disable-getting-started-override",
         "--ignore-last-opened"],
        stdout=server_log, stderr=subprocess.STDOUT, env=env, start_new_session=True)
    driver = None
    try:
        deadline = time.monotonic() + 60
        while True:
            with socket.socket() as sock:
                if sock.connect_ex(("127.0.0.1", port)) == 0:
                    break
            assert code_server.poll() is None, f"code-server exited:\n{(tmp_path / 'code-server.log').read_text()}"
            assert time.monotonic() < deadline, "code-server did not listen within 60 s"
            time.sleep(0.2)

        config = {
            "url": f"http://127.0.0.1:{port}", "workspace": str(workspace), "outputDir": str(OUTPUT),
            "chromium": shutil.which("chromium"), "fortran": "axpby.f90", "translated": "axpby.cpp",
            "cuda": "scale.cu", "large": "large.f90", "largeLine": 2505,
            "breakFrom": "alpha * x[i]", "breakTo": "alpha * y[i]", "translatedFunction": "void axpby(",
        }
        (tmp_path / "drive.json").write_text(json.dumps(config))
        driver = subprocess.Popen(["node", str(HERE / "drive.mjs"), str(tmp_path / "drive.json")], cwd=HERE,
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                                  bufsize=1, env=env, start_new_session=True)
        steps, failure = [], None
        watchdog = threading.Timer(300, stop, [driver])  # a hung browser must not hang the suite
        watchdog.start()
        for line in driver.stdout:
            line = line.rstrip("\n")
            if line.startswith("STEP "):
                steps.append(line[5:])
            elif line.startswith("CHECK verifies "):
                driver.stdin.write(check_verifies(workspace / "axpby.f90", Path(line.split(" ", 2)[2])) + "\n")
                driver.stdin.flush()
            elif line.startswith("FAIL "):
                failure = line[5:]
            elif line.strip():
                print(line)
        driver.wait(timeout=30)
        watchdog.cancel()
        assert failure is None and driver.returncode == 0, (
            f"step '{steps[-1] if steps else '?'}' failed: {failure} (screenshot: {OUTPUT / 'failure.png'})")
        assert steps[-1] == "large-file"

        measured = json.loads((OUTPUT / "latency.json").read_text())
        measured["server_start_ms"] = server_start_ms(user_data)
        measured["total_s"] = round(time.monotonic() - started, 1)
        (OUTPUT / "latency.json").write_text(json.dumps(measured, indent=2))
        print(f"\nlatencies (goals: server start < 1500 ms, first actions < 150 ms): {json.dumps(measured)}")
    finally:
        if driver is not None:
            stop(driver)
        stop(code_server)
        server_log.close()


def check_verifies(source: Path, translated: Path) -> str:
    """The test's own look at the accepted file: the CLI must verify it against the source."""
    run = subprocess.run([str(TRANSVERIFY), "verify", str(source), str(translated), "--cases", "8"],
                         capture_output=True, text=True, timeout=120)
    if run.returncode != 0:
        return f"fail transverify verify exited {run.returncode}: {(run.stdout + run.stderr)[-400:]!r}"
    return "ok"
