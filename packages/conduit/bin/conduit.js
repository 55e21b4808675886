#!/usr/bin/env node
// The `conduit` command, as shipped by the meta-package: the CLI lives in @conduit/cli.
import '@conduit/cli/bin';
