#!/usr/bin/env node
// The `policysim` executable: scripts/bundle-cli.mjs bundles this entry into dist/cli/policysim.js,
// next to the bundled CLI it loads (policysim.cjs) and that bundle's code cache (bundle-loader.ts).
// It is bundled as CommonJS (dist/cli/package.json says so): Node runs it without setting up its ES
// module loader, and without the copy of every export that importing a built-in as an ES module makes
// (node:fs's `promises` alone loads fs/promises, readline and the streams): ~3 ms of every start.
import { join } from 'node:path';
import { loadBundle } from './bundle-loader.js';

loadBundle(join(__dirname, 'policysim.cjs'), { import: (specifier) => import(specifier) }).exports.runAsProgram();
