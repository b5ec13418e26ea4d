/**
 * The memory-saving paths of a Monte Carlo block held to the straightforward ones, bit for bit, on
 * several models (the Northeast model through paper-proposals, the closed-form and the decision
 * fixtures):
 *
 *  - a block computed into a shared slot (block-slots.ts: what a worker thread does, the slot reused
 *    dirty from an earlier, larger block) equals the block computed in fresh arrays;
 *  - the pilot scanned run by run (RunBlockEvaluator.pilotBinning, PilotScan) gives the bins of
 *    makeBinning over the whole pilot kept in memory.
 */
import { describe, expect, it } from 'vitest';
import { slotBuffers, slotBytes } from '../../src/montecarlo/block-slots.js';
import type { BlockResult } from '../../src/montecarlo/messages.js';
import { prepareMc } from '../../src/montecarlo/prepare-mc.js';
import { RunBlockEvaluator } from '../../src/montecarlo/run-block.js';
import { type Binning, LEAF_SIZE, makeBinning, PilotScan } from '../../src/montecarlo/stats.js';
import { FIX, PAPER } from '../fixtures/mc/helpers.js';

const SCENARIOS = [PAPER, `${FIX}/closed-form.yaml`, 'tests/fixtures/decision/linear.yaml'];
const SEED = 2016;

function setup(file: string): { ev: RunBlockEvaluator; binning: Binning; targets: number; span: number } {
  const ctx = prepareMc({ scenarioFile: file });
  const ev = new RunBlockEvaluator(ctx.image);
  const binning = makeBinning(ev.pilot(SEED, 0, 300), 300, ev.cells);
  const { horizon, targets } = ctx.image;
  return { ev, binning, targets: targets.length, span: horizon.end - horizon.start + 1 };
}

/** Every array of a block result as plain numbers (views of a slot compare like fresh arrays). */
function plain(r: BlockResult): unknown {
  if (!r.ok) return r;
  const { summary: s } = r;
  return {
    firstRun: s.firstRun,
    runCount: s.runCount,
    leafSums: [...s.leafSums],
    min: [...s.min],
    max: [...s.max],
    hist: [...s.hist],
    nonFinite: [...s.nonFinite],
    reached: [...r.reached],
    firstYear: [...r.firstYear],
  };
}

describe.each(SCENARIOS)('%s', (file) => {
  it('a block computed into a reused slot equals the block in fresh arrays', () => {
    const { ev, binning, targets, span } = setup(file);
    const chunk = 4 * LEAF_SIZE;
    const slot = new SharedArrayBuffer(slotBytes(binning, chunk, targets, span));
    // A full block first, leaving the slot dirty; then a shorter one (a last, partial block) into it.
    for (const [firstRun, runCount] of [
      [LEAF_SIZE, chunk],
      [3 * LEAF_SIZE, 300],
    ] as const) {
      const req = { seed: SEED, firstRun, runCount, save: false };
      const fresh = ev.evaluate(req, binning);
      const inSlot = ev.evaluate(req, binning, slotBuffers(slot, binning, runCount, targets, span));
      expect(inSlot.ok).toBe(true);
      if (!inSlot.ok) return;
      expect(inSlot.summary.hist.buffer).toBe(slot);
      expect(plain(inSlot)).toEqual(plain(fresh));
    }
  });

  it('the pilot scanned run by run gives the bins of the whole pilot', () => {
    const { ev } = setup(file);
    for (const runs of [1, 2000]) {
      const whole = makeBinning(ev.pilot(SEED, 0, runs), runs, ev.cells);
      const scanned = ev.pilotBinning(SEED, 0, runs);
      expect(scanned.bins).toBe(whole.bins);
      for (const k of ['lo', 'width', 'centre'] as const) expect([...scanned[k]]).toEqual([...whole[k]]);
    }
  });
});

describe('block slots', () => {
  it('a block larger than its slot is refused', () => {
    const { binning, targets, span } = setup(`${FIX}/closed-form.yaml`);
    const slot = new SharedArrayBuffer(slotBytes(binning, LEAF_SIZE, targets, span));
    expect(() => slotBuffers(slot, binning, LEAF_SIZE + 1, targets, span)).toThrow(
      'a block of 257 runs is larger than its slot',
    );
    expect(slotBuffers(slot, binning, LEAF_SIZE, targets, span).nonFinite.length).toBe(binning.cells);
  });

  it('PilotScan keeps −0, skips non-finite values, and refuses a run of the wrong width', () => {
    const values = [Float64Array.of(-0, NaN), Float64Array.of(0, 2), Float64Array.of(Infinity, 4)];
    const scan = new PilotScan(2);
    for (const v of values) scan.add(v);
    const flat = new Float64Array(6);
    values.forEach((v, r) => flat.set(v, 2 * r));
    const whole = makeBinning(flat, 3, 2, 8);
    const b = scan.binning(8);
    for (const k of ['lo', 'width', 'centre'] as const) {
      expect([...b[k]].map((x) => Object.is(x, -0))).toEqual([...whole[k]].map((x) => Object.is(x, -0)));
      expect([...b[k]]).toEqual([...whole[k]]);
    }
    expect(() => scan.add(new Float64Array(3))).toThrow('a pilot run has 3 values; expected 2');
    expect(() => scan.binning(0)).toThrow('bins must be a whole number >= 1 (got 0)');
  });
});
