// Assembles src/sweep/design/bootstrap.wat (the Saltelli bootstrap's sums in WebAssembly) into
// src/sweep/design/bootstrap-wasm.ts, the module's bytes as base64, with the pinned wabt (as
// scripts/build-fold-wasm.mjs does for the Monte Carlo fold). The generated file is committed, so the
// sources run without a build step; tests/sweep/bootstrap-wasm.test.ts checks it is what the .wat assembles to.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { assembleBootstrap, bootstrapModuleSource } from './bootstrap-wasm-source.mjs';

const wat = fileURLToPath(new URL('../src/sweep/design/bootstrap.wat', import.meta.url));
const out = fileURLToPath(new URL('../src/sweep/design/bootstrap-wasm.ts', import.meta.url));
const text = bootstrapModuleSource(await assembleBootstrap(readFileSync(wat, 'utf8')));
let old = '';
try {
  old = readFileSync(out, 'utf8');
} catch {}
if (old !== text) writeFileSync(out, text);
