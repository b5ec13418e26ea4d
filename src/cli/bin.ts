#!/usr/bin/env node
// The `policysim` executable: scripts/bundle-cli.mjs bundles this entry into dist/cli/policysim.js,
// next to the bundled CLI it loads (policysim.cjs) and that bundle's code cache (bundle-loader.ts).
import { fileURLToPath } from 'node:url';
import { loadBundle } from './bundle-loader.js';

loadBundle(fileURLToPath(new URL('./policysim.cjs', import.meta.url)), {
  resolve: (specifier) => import.meta.resolve(specifier),
  import: (specifier) => import(specifier),
}).exports.runAsProgram();
