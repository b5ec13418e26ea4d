// Assembles src/montecarlo/fold.wat (the statistics fold in WebAssembly) into src/montecarlo/fold-wasm.ts,
// src/sweep/design/bootstrap.wat (the Saltelli bootstrap's sums) into src/sweep/design/bootstrap-wasm.ts,
// src/montecarlo/streams.wat (four random streams at once) into src/montecarlo/streams-wasm.ts,
// src/montecarlo/shocks.wat (the shock paths of a batch of runs) into src/montecarlo/shocks-wasm.ts,
// src/montecarlo/params.wat (the parameter draws of a batch of runs) into src/montecarlo/params-wasm.ts and
// src/montecarlo/targets.wat (the Monte Carlo's target counts) into src/montecarlo/targets-wasm.ts:
// the modules' bytes as base64, with the pinned wabt package (a devDependency: nothing else to install).
// The generated files are committed, so that the sources run without a build step, and
// tests/wasm-modules.test.ts checks that they are what the .wat assemble to (the list: wasm-modules.mjs).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { assembleFold } from './fold-wasm-source.mjs';
import { WASM_MODULES } from './wasm-modules.mjs';

for (const [from, to, source] of WASM_MODULES) {
  const wat = fileURLToPath(new URL(`../${from}`, import.meta.url));
  const out = fileURLToPath(new URL(`../${to}`, import.meta.url));
  const text = source(await assembleFold(readFileSync(wat, 'utf8')));
  let old = '';
  try {
    old = readFileSync(out, 'utf8');
  } catch {}
  if (old !== text) writeFileSync(out, text);
}
