#!/usr/bin/env bash
# Sets up transverify on this machine: system toolchains, a virtual environment
# in .venv, the package (editable) and, with --dev, the test tools and the
# VS Code extension's npm dependencies.  Safe to run again: it skips what is done.
set -euo pipefail
cd "$(dirname "$0")/.."

DEV=0
for arg in "$@"; do
  case "$arg" in
    --dev) DEV=1 ;;
    *) echo "usage: scripts/setup.sh [--dev]" >&2; exit 2 ;;
  esac
done

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

# --- system packages -------------------------------------------------------
need_apt=()
command -v gfortran >/dev/null 2>&1 || need_apt+=(gfortran)
command -v g++ >/dev/null 2>&1 || need_apt+=(g++)
command -v bwrap >/dev/null 2>&1 || need_apt+=(bubblewrap)
if [ "$DEV" = 1 ]; then
  command -v nvim >/dev/null 2>&1 || need_apt+=(neovim)
  command -v npm >/dev/null 2>&1 || need_apt+=(nodejs npm)
  # OpenBLAS: the GEMM baseline of the TVM CPU solver's speed report (optional at run time)
  [ -f /usr/include/x86_64-linux-gnu/cblas.h ] || [ -f /usr/include/cblas.h ] || [ "$(uname -s)" != Linux ] || \
    need_apt+=(libopenblas-dev)
  # The editor end-to-end test: a headless browser, and what code-server's npm install
  # builds or fetches (native modules need make and the Kerberos headers; ripgrep stands in
  # for the copy it would download from GitHub).
  command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
  command -v rg >/dev/null 2>&1 || need_apt+=(ripgrep)
  command -v make >/dev/null 2>&1 || need_apt+=(make)
  [ -e /usr/include/gssapi/gssapi.h ] || need_apt+=(libkrb5-dev)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    say "installing ${need_apt[*]} with apt-get"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
  else
    echo "transverify needs: ${need_apt[*]}" >&2
    echo "  Debian/Ubuntu: sudo apt-get install ${need_apt[*]}" >&2
    echo "  Fedora:        sudo dnf install gcc-gfortran gcc-c++ bubblewrap" >&2
    echo "  macOS:         brew install gcc   (provides gfortran; sandboxing falls back to resource limits)" >&2
    if ! command -v gfortran >/dev/null 2>&1 || ! command -v g++ >/dev/null 2>&1; then
      echo "gfortran and g++ are required; install them and run this script again." >&2
      exit 1
    fi
  fi
fi

# --- Python environment ----------------------------------------------------
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  say "creating .venv with $($PYTHON --version)"
  "$PYTHON" -m venv .venv
fi
extras="" stamp=".venv/.setup-stamp"
if [ "$DEV" = 1 ]; then extras="[dev,jax,tvm]" stamp=".venv/.setup-stamp-dev"; fi
want="$(cat pyproject.toml setup.py | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  say "installing transverify$extras into .venv"
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null
  .venv/bin/python -m pip install -q -e ".$extras"
  echo "$want" > "$stamp"
fi

# --- CodeBLEU for bench/jax.py ----------------------------------------------
# codebleu's metadata pins tree-sitter < 0.23 (we use 0.26, with which its code works): it goes
# without dependencies into a folder of its own that only the benchmark puts on its path.
if [ "$DEV" = 1 ] && [ ! -d .venv/codebleu/codebleu ]; then
  say "installing codebleu 0.7.0 (benchmark only) into .venv/codebleu"
  .venv/bin/python -m pip install -q --no-deps --target .venv/codebleu "codebleu==0.7.0" \
    || echo "codebleu could not be installed: bench/jax.py will report CodeBLEU as not measured" >&2
fi

# --- VS Code extension -----------------------------------------------------
if [ "$DEV" = 1 ] && [ -f extension/package.json ]; then
  if [ ! -d extension/node_modules ] || [ extension/package-lock.json -nt extension/node_modules ]; then
    say "installing the extension's npm dependencies"
    (cd extension && npm ci --no-audit --no-fund --loglevel=error)
  fi
  # code-server and playwright-core for tests/editor_e2e; where they cannot be installed,
  # that test skips and says why.
  if ! tests/editor_e2e/install.sh; then
    echo "warning: code-server could not be installed; tests/editor_e2e will be skipped" >&2
  fi
fi
say "ready: .venv/bin/transverify"
