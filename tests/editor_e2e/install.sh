#!/usr/bin/env bash
# Installs what the editor end-to-end test drives: code-server (VS Code in the browser) and
# playwright-core, from npm into tests/editor_e2e/node_modules (git-ignored).  The browser is
# Debian's chromium (scripts/setup.sh --dev installs it); Playwright's own browser download is
# never used.  Safe to run again: it skips what is done.
set -euo pipefail
cd "$(dirname "$0")"

say() { printf '\033[1m[editor-e2e]\033[0m %s\n' "$*"; }

stamp=node_modules/.install-stamp
want="$(cat package.json package-lock.json | sha256sum | cut -c1-16)"
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && [ -x node_modules/.bin/code-server ]; then
  exit 0
fi

major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo none)"
if [ "$major" != 20 ]; then
  echo "editor e2e: code-server 4.99 needs Node 20, found: $major; skipping its installation" >&2
  exit 1
fi

# code-server's postinstall fetches ripgrep from GitHub, which may be unreachable: give its
# download cache Debian's rg (same major version) so it never goes online.
work_tmp="$PWD/.install-tmp"
rm -rf "$work_tmp"
mkdir -p "$work_tmp/vscode-ripgrep-cache-1.15.11"
case "$(uname -m)" in
  x86_64) rg_target=x86_64-unknown-linux-musl ;;
  aarch64) rg_target=aarch64-unknown-linux-musl ;;
  *) rg_target="" ;;
esac
if command -v rg >/dev/null 2>&1 && [ -n "$rg_target" ]; then
  cp "$(command -v rg)" "$work_tmp/rg"
  tar -C "$work_tmp" -czf "$work_tmp/vscode-ripgrep-cache-1.15.11/ripgrep-v13.0.0-10-$rg_target.tar.gz" rg
fi

say "installing code-server and playwright-core with npm (a few minutes the first time)"
# .npmrc sets unsafe-perm: code-server's postinstall refuses to run as root without it.
# npm_config_yes: node-pty's postinstall runs `npx node-gyp`, which would wait for a yes.
TMPDIR="$work_tmp" npm_config_yes=true npm ci --no-audit --no-fund --loglevel=error
rm -rf "$work_tmp"
echo "$want" > "$stamp"
say "ready: tests/editor_e2e/node_modules/.bin/code-server"
