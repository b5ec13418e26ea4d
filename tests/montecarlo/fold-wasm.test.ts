/**
 * The WebAssembly fold's instances (wasm-fold.ts); that the committed module is what fold.wat
 * assembles to is tests/wasm-modules.test.ts's.
 */
import { describe, expect, it } from 'vitest';

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
