// Listed in scripts/wasm-modules.mjs: streams.wat →
// bytes (assembled as the fold is, scripts/fold-wasm-source.mjs) → the text of src/montecarlo/streams-wasm.ts.
import { wasmModuleSource } from './wasm-module-source.mjs';
export function streamsModuleSource(bytes) {
  return wasmModuleSource('streams.wat', 'four random streams at once', 'STREAMS_WASM_BASE64', bytes);
}
