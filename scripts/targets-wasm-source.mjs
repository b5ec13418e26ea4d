// Listed in scripts/wasm-modules.mjs: targets.wat → bytes
// (assembled as the fold is, scripts/fold-wasm-source.mjs) → the text of src/montecarlo/targets-wasm.ts.
import { wasmModuleSource } from './wasm-module-source.mjs';

export function targetsModuleSource(bytes) {
  return wasmModuleSource('targets.wat', "the Monte Carlo's target counts", 'TARGETS_WASM_BASE64', bytes);
}
