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

describe('acquireFold', () => {
  it('never grows a memory: a larger request gets a new memory, and no buffer handed out is detached', async () => {
    const { acquireFold, releaseFold } = await import('../../src/montecarlo/wasm-fold.js');
    const PAGE = 65536;
    const small = acquireFold(3 * PAGE);
    const smallBuffer = small.memory.buffer;
    // At least what was asked (a kept instance from another test of this process may be larger).
    const had = smallBuffer.byteLength;
    expect(had).toBeGreaterThanOrEqual(3 * PAGE);
    releaseFold(small);
    const large = acquireFold(had + 2 * PAGE + 1);
    expect(large).not.toBe(small);
    expect(large.memory.buffer.byteLength).toBe(had + 3 * PAGE);
    // A grown memory would have detached the buffer handed out before (byteLength 0), which in V8
    // also invalidates the ArrayBufferDetaching protector for the whole thread.
    expect(smallBuffer.byteLength).toBe(had);
    releaseFold(large);
    // A kept instance large enough is reused as it is.
    expect(acquireFold(2 * PAGE)).toBe(large);
  });
});
