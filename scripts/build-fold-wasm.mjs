// Assembles every fixed WebAssembly module of the engine (the list: wasm-modules.mjs — the statistics
// fold, the Saltelli bootstrap's sums, the random streams, the shock paths, the parameter draws, the
// target counts) into its generated src/**/*-wasm.ts: the module's bytes as base64, with the pinned
// wabt package (a devDependency: nothing else to install). The generated files are committed, so that
// the sources run without a build step, and tests/wasm-modules.test.ts checks that they are what the
// .wat assemble to.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { assembleWat, moduleSource, WASM_MODULES } from './wasm-modules.mjs';

for (const module of WASM_MODULES) {
  const wat = fileURLToPath(new URL(`../${module.wat}`, import.meta.url));
  const out = fileURLToPath(new URL(`../${module.ts}`, import.meta.url));
  const text = moduleSource(module, await assembleWat(readFileSync(wat, 'utf8')));
  let old = '';
  try {
    old = readFileSync(out, 'utf8');
  } catch {}
  if (old !== text) writeFileSync(out, text);
}
