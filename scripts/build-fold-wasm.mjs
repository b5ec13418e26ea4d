// Assembles src/montecarlo/fold.wat (the statistics fold in WebAssembly) into src/montecarlo/fold-wasm.ts,
// the module's bytes as base64, with the pinned wabt package (a devDependency: nothing else to install).
// The generated file is committed, so that the sources run without a build step, and
// tests/montecarlo/fold-wasm.test.ts checks that it is what the .wat assembles to.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { assembleFold, foldModuleSource } from './fold-wasm-source.mjs';

const wat = fileURLToPath(new URL('../src/montecarlo/fold.wat', import.meta.url));
const out = fileURLToPath(new URL('../src/montecarlo/fold-wasm.ts', import.meta.url));
const text = foldModuleSource(await assembleFold(readFileSync(wat, 'utf8')));
let old = '';
try {
  old = readFileSync(out, 'utf8');
} catch {}
if (old !== text) writeFileSync(out, text);
