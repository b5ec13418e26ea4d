#!/usr/bin/env node
// The `policysim` executable: scripts/bundle-cli.mjs bundles this entry into dist/cli/policysim.js.
import { runAsProgram } from './main.js';

runAsProgram();
