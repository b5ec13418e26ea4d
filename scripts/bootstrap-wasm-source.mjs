// Shared by scripts/build-fold-wasm.mjs and tests/sweep/bootstrap-wasm.test.ts: bootstrap.wat →
// bytes (assembled as the fold is, scripts/fold-wasm-source.mjs) → the text of src/sweep/design/bootstrap-wasm.ts.

import { assembleFold } from './fold-wasm-source.mjs';
import { wasmModuleSource } from './wasm-module-source.mjs';

export const assembleBootstrap = assembleFold;

export function bootstrapModuleSource(bytes) {
  return wasmModuleSource('bootstrap.wat', 'the Saltelli bootstrap sums', 'BOOTSTRAP_WASM_BASE64', bytes);
}
