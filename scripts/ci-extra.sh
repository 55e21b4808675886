#!/usr/bin/env bash
# Release hygiene checks run by .ci/run after lint and typecheck (issue 9).
set -euo pipefail
cd "$(dirname "$0")/.."
node scripts/check-changesets.mjs
node --conditions=@conduit/source --import tsx scripts/generate-config-reference.mjs --check
npx tsc -p docs/examples
