// Listed in scripts/wasm-modules.mjs: bootstrap.wat →
// bytes (assembled as the fold is, scripts/fold-wasm-source.mjs) → the text of src/sweep/design/bootstrap-wasm.ts.

import { wasmModuleSource } from './wasm-module-source.mjs';

export function bootstrapModuleSource(bytes) {
  return wasmModuleSource('bootstrap.wat', 'the Saltelli bootstrap sums', 'BOOTSTRAP_WASM_BASE64', bytes);
}
