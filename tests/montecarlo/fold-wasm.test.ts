/**
 * The committed WebAssembly fold (src/montecarlo/fold-wasm.ts) is what src/montecarlo/fold.wat
 * assembles to with the pinned wabt: nobody edits the bytes, and a changed .wat without
 * `node scripts/build-fold-wasm.mjs` (run by `npm run build`) fails here.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { assembleFold, foldModuleSource } from '../../scripts/fold-wasm-source.mjs';

describe('fold-wasm.ts', () => {
  it('is fold.wat assembled', async () => {
    const wat = readFileSync(new URL('../../src/montecarlo/fold.wat', import.meta.url), 'utf8');
    const committed = readFileSync(new URL('../../src/montecarlo/fold-wasm.ts', import.meta.url), 'utf8');
    expect(committed).toBe(foldModuleSource(await assembleFold(wat)));
  });
});
