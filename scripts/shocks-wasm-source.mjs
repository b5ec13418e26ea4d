// Listed in scripts/wasm-modules.mjs: shocks.wat → bytes
// (assembled as the fold is, scripts/fold-wasm-source.mjs) → the text of src/montecarlo/shocks-wasm.ts.
import { wasmModuleSource } from './wasm-module-source.mjs';

export function shocksModuleSource(bytes) {
  return wasmModuleSource('shocks.wat', 'the shock paths of a batch of runs', 'SHOCKS_WASM_BASE64', bytes);
}
