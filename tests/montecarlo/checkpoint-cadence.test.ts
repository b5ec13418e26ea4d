/**
 * The checkpoint cadence (src/montecarlo/checkpoint-cadence.ts) on a clock the test drives: after a
 * checkpoint that took d ms the next waits max(every, 49·d), so checkpoints never take more than 2%
 * of the time between the end of one and the end of the next.
 */
import { describe, expect, it } from 'vitest';
import { CHECKPOINT_SHARE, CheckpointCadence } from '../../src/montecarlo/checkpoint-cadence.js';

/** A clock that moves only when told to. */
function clock(): { now: () => number; advance: (ms: number) => void } {
  let t = 1000;
  return { now: () => t, advance: (ms) => void (t += ms) };
}

/** Not due until `ms` more milliseconds have passed, due then. */
function expectDueAfter(k: CheckpointCadence, c: ReturnType<typeof clock>, ms: number): void {
  c.advance(ms - 1);
  expect(k.due()).toBe(false);
  c.advance(1);
  expect(k.due()).toBe(true);
}

describe('CheckpointCadence', () => {
  it('first checkpoint after --checkpoint-every; a fast one keeps that interval', () => {
    const c = clock();
    const k = new CheckpointCadence(10_000, c.now);
    expectDueAfter(k, c, 10_000);
    k.take(() => c.advance(100)); // 100 ms: 49 × 100 = 4.9 s < 10 s
    expect(k.nextWaitMs).toBe(10_000);
    expectDueAfter(k, c, 10_000);
  });

  it('a slow checkpoint pushes the next one back to 49 times its duration', () => {
    const c = clock();
    const k = new CheckpointCadence(10_000, c.now);
    c.advance(10_000);
    k.take(() => c.advance(500)); // 500 ms: the next after 24.5 s, not 10 s
    expect(k.nextWaitMs).toBe(24_500);
    expectDueAfter(k, c, 24_500);
  });

  it('--checkpoint-every 0: the first after the first block, then as often as 2% allows', () => {
    const c = clock();
    const k = new CheckpointCadence(0, c.now);
    expect(k.due()).toBe(true);
    k.take(() => c.advance(20));
    expect(k.nextWaitMs).toBe(980);
    expect(k.due()).toBe(false);
  });

  it('over a long run with checkpoint durations varying 1 ms to 2 s: at most 2% of the time', () => {
    const c = clock();
    const k = new CheckpointCadence(0, c.now);
    const start = c.now();
    let spent = 0;
    // Durations from a fixed sequence (no randomness): 1, 2, 4, ... 2048 ms, then down again.
    const durations = Array.from({ length: 24 }, (_, i) => 2 ** (i < 12 ? i : 23 - i));
    let next = 0;
    for (let step = 0; step < 200_000; step++) {
      c.advance(7); // a merged block
      if (k.due()) {
        const d = durations[next++ % durations.length]!;
        k.take(() => c.advance(d));
        spent += d;
      }
    }
    expect(next).toBeGreaterThan(50);
    // Every checkpoint but the last is followed by ≥ 49 times its own duration of work.
    const last = durations[(next - 1) % durations.length]!;
    const share = (spent - last) / (c.now() - start);
    expect(share).toBeLessThanOrEqual(CHECKPOINT_SHARE);
    // And not far below: checkpoints are taken as often as the rule allows.
    expect(share).toBeGreaterThan(0.75 * CHECKPOINT_SHARE);
  });
});
