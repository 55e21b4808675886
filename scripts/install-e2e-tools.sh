#!/usr/bin/env bash
# Installs what the interactive Claude Code test (apps/cli/test/e2e/claude-code-tui.test.ts) needs:
# tmux, unshare/ip (util-linux, iproute2) and the pinned Claude Code in
# ${CONDUIT_E2E_CACHE:-~/.cache/conduit-e2e}/claude-code-<version>. Safe to run again.
# .ci/run can call it before `pnpm test`:  bash scripts/install-e2e-tools.sh
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
command -v tmux >/dev/null 2>&1 || missing+=(tmux)
command -v unshare >/dev/null 2>&1 || missing+=(util-linux)
command -v ip >/dev/null 2>&1 || missing+=(iproute2)
if [ "${#missing[@]}" -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo="sudo"
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq "${missing[@]}"
fi

version="$(node -p "require('./apps/cli/test/e2e/claude-code-version.json').version")"
target="${CONDUIT_E2E_CACHE:-$HOME/.cache/conduit-e2e}/claude-code-$version"
if [ ! -x "$target/node_modules/.bin/claude" ] || ! "$target/node_modules/.bin/claude" --version | grep -q "^$version"; then
  mkdir -p "$target"
  npm install --prefix "$target" --no-audit --no-fund "@anthropic-ai/claude-code@$version" >/dev/null
fi
echo "Claude Code $version: $target/node_modules/.bin/claude"
