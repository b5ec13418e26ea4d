// Assembles every .wat (scripts/wasm-modules.mjs) and is listed there: fold.wat → bytes → the
// text of src/montecarlo/fold-wasm.ts.

import wabtInit from 'wabt';
import { wasmModuleSource } from './wasm-module-source.mjs';

/** The binary module of a .wat text (SIMD enabled), as wabt 1.0.39 assembles it. */
export async function assembleFold(wat) {
  const wabt = await wabtInit();
  const mod = wabt.parseWat('fold.wat', wat, { simd: true });
  try {
    mod.validate();
    return Buffer.from(mod.toBinary({ log: false, write_debug_names: false }).buffer);
  } finally {
    mod.destroy();
  }
}

export function foldModuleSource(bytes) {
  return wasmModuleSource('fold.wat', 'the statistics fold', 'FOLD_WASM_BASE64', bytes);
}
