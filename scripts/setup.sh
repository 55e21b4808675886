#!/usr/bin/env bash
# Installs everything Conduit needs on a fresh machine and builds it.
# Safe to run again; used by the README's install command and by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."

want_pnpm="$(node -p "require('./package.json').packageManager.split('@')[1]")"
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version)" != "$want_pnpm" ]; then
  echo "conduit setup: installing pnpm@$want_pnpm"
  npm install -g "pnpm@$want_pnpm" >/dev/null
fi

# better-sqlite3 compiles from source where no prebuilt binary can be downloaded. node-gyp then needs
# Node's headers; use the system ones when they are there instead of downloading a tarball.
if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node.h ]; then
  export npm_config_nodedir=/usr
fi

pnpm install --frozen-lockfile
pnpm build
