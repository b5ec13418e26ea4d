// The engine's fixed WebAssembly modules: each .wat, the generated file that holds its bytes, and how
// that file's text is made. scripts/build-fold-wasm.mjs writes them; tests/wasm-modules.test.ts checks
// that each committed file is what its .wat assembles to. Paths are from the package root.
import { bootstrapModuleSource } from './bootstrap-wasm-source.mjs';
import { foldModuleSource } from './fold-wasm-source.mjs';
import { paramsModuleSource } from './params-wasm-source.mjs';
import { shocksModuleSource } from './shocks-wasm-source.mjs';
import { streamsModuleSource } from './streams-wasm-source.mjs';
import { targetsModuleSource } from './targets-wasm-source.mjs';

export const WASM_MODULES = [
  ['src/montecarlo/fold.wat', 'src/montecarlo/fold-wasm.ts', foldModuleSource],
  ['src/sweep/design/bootstrap.wat', 'src/sweep/design/bootstrap-wasm.ts', bootstrapModuleSource],
  ['src/montecarlo/streams.wat', 'src/montecarlo/streams-wasm.ts', streamsModuleSource],
  ['src/montecarlo/shocks.wat', 'src/montecarlo/shocks-wasm.ts', shocksModuleSource],
  ['src/montecarlo/params.wat', 'src/montecarlo/params-wasm.ts', paramsModuleSource],
  ['src/montecarlo/targets.wat', 'src/montecarlo/targets-wasm.ts', targetsModuleSource],
];
