import { describe, expect, it } from 'vitest';
import { DEFAULT_CHUNK, MAIN_THREAD_CHUNK, pooledChunk } from '../../src/montecarlo/simulate.js';
import { LEAF_SIZE } from '../../src/montecarlo/stats.js';

describe('pooledChunk: runs per block on worker threads', () => {
  it('is the main-thread block for big jobs, at least 8 blocks per thread for middling ones, never below the old default', () => {
    expect(pooledChunk(1_000_000, 2)).toBe(32768); // 1e6 / 16 = 62,500: capped
    expect(pooledChunk(300_000, 2)).toBe(18688); // 300,000 / 16 = 18,750, down to a leaf multiple (73 × 256)
    expect(pooledChunk(100_000, 2)).toBe(8192); // 6,250: raised to the floor
    expect(pooledChunk(1_000_000, 8)).toBe(15616); // 15,625 → 61 × 256
    expect(pooledChunk(10, 0)).toBe(DEFAULT_CHUNK);
    expect(MAIN_THREAD_CHUNK).toBe(32768);
  });

  it('is always a whole number of statistics leaves', () => {
    for (const runs of [1, 255, 256, 131_071, 131_072, 262_145, 777_777, 10_000_000])
      for (const w of [1, 2, 3, 7]) expect(pooledChunk(runs, w) % LEAF_SIZE, `${runs} runs on ${w} threads`).toBe(0);
  });
});
