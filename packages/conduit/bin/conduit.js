#!/usr/bin/env node
// The `conduit` command, as shipped by the meta-package. The CLI lives in @conduit/cli, which
// builds on this package's composition root; it is a peer dependency here (npm and pnpm install
// it with the meta-package), so the workspace graph has no cycle.
import '@conduit/cli/bin';
