#!/usr/bin/env bash
# Release hygiene checks run by .ci/run after lint and typecheck (issue 9).
set -euo pipefail
cd "$(dirname "$0")/.."
node scripts/check-changesets.mjs
node --conditions=@conduit/source --import tsx scripts/generate-config-reference.mjs --check
npx tsc -p docs/examples
# The meta-package's generated re-exports are committed up to date (a name exported twice fails here).
node packages/conduit/scripts/generate-exports.mjs --check
# Every published package: publint, attw, tarball size budget; then a real install from the tarballs.
node scripts/check-packages.mjs
node scripts/install-test.mjs
pnpm -r publish --dry-run --no-git-checks
# The Codex CLI end-to-end test (OpenAI door, issue 22) needs the pinned Codex binary.
node scripts/install-codex.mjs
