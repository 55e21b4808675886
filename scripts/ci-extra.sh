#!/usr/bin/env bash
# Release hygiene checks run by .ci/run after lint and typecheck (issues 9 and 14).
set -euo pipefail
cd "$(dirname "$0")/.."
# Nothing tracked reads a path outside the repository (a clean clone must pass its own tests).
node scripts/check-self-contained.mjs
node scripts/check-changesets.mjs
# Version constants (e.g. the server version in /health) match their package.json.
node scripts/sync-versions.mjs --check
# Who may depend on whom (core <- server/plugins/monitoring <- synapse <- conduit <- cli), no file cycles.
node scripts/check-package-graph.mjs
# No uncommented `as unknown as` in the packages' non-test source.
node scripts/check-unchecked-casts.mjs
node --conditions=@conduit/source --import tsx scripts/generate-config-reference.mjs --check
npx tsc -p docs/examples
# The meta-package's generated re-exports are committed up to date (a name exported twice fails here).
node packages/conduit/scripts/generate-exports.mjs --check
# Every published package: publint, attw, tarball size budget; then a real install from the tarballs.
node scripts/check-packages.mjs
node scripts/install-test.mjs
pnpm -r publish --dry-run --no-git-checks
# The benchmark harness end to end, in seconds (no claude-code-router, no network); its unit tests
# run with the suite (bench/jest.config.js is a project of the root jest config).
pnpm bench --smoke
# The Codex CLI end-to-end test (OpenAI door, issue 22) needs the pinned Codex binary.
node scripts/install-codex.mjs
