#!/usr/bin/env bash
# Installs Debian's Chromium (when missing) for the UI browser test (packages/ui/test/ui-browser.test.ts,
# which drives /usr/bin/chromium with playwright-core). Used by .ci/run; handy locally:
#   bash scripts/install-chromium.sh
# Under CI=true the browser test fails without Chromium; elsewhere it skips with a message.
set -euo pipefail
log() { echo "install-chromium: $*" >&2; }

if [ -x /usr/bin/chromium ]; then
  log "$(/usr/bin/chromium --version 2>/dev/null || echo chromium) already installed"
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null; then
  log "Chromium is not installed and cannot be installed here (needs root and apt-get)"
  exit 1
fi
log "installing chromium"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq chromium >&2
log "$(/usr/bin/chromium --version 2>/dev/null || echo chromium) installed"
