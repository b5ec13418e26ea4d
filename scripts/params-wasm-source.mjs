// Listed in scripts/wasm-modules.mjs: params.wat → bytes
// (assembled as the fold is, scripts/fold-wasm-source.mjs) → the text of src/montecarlo/params-wasm.ts.
import { wasmModuleSource } from './wasm-module-source.mjs';

export function paramsModuleSource(bytes) {
  return wasmModuleSource('params.wat', 'the parameter draws of a batch of runs', 'PARAMS_WASM_BASE64', bytes);
}
