/**
 * Histogram percentiles against the exact order statistics, in-process: every run of a small Monte
 * Carlo is recomputed on its own (RunBlockEvaluator.replay), every cell's values are sorted, and each
 * reported statistic is checked against them:
 *
 *  - an unclamped percentile p lies within one bin width (`resolution`) of x₍⌈p·n/100⌉₎ — the bound the
 *    JSON states; a clamped one (outside the pilot range) equals the exact min or max;
 *  - min and max are exact; mean and sd match the exact ones to rounding.
 *
 * 3000 runs of paper-proposals (past the 2000-run pilot, so some values fall outside the pilot's range)
 * and 2500 runs of the closed-form fixture.
 */
import { describe, expect, it } from 'vitest';
import type { McResult } from '../../src/montecarlo/simulate.js';
import { ChunkAccumulator, DEFAULT_BINS, makeBinning, StatsMerger } from '../../src/montecarlo/stats.js';
import { FIX, orderStatistic, PAPER, simulateInProcess } from '../fixtures/mc/helpers.js';

/** Per cell, the values of every run, sorted; computed by replaying each run alone. */
function exactCells(r: McResult): Float64Array[] {
  const { local, runsCompleted: n, seed } = r;
  const { model, horizon } = r.scenario;
  const offset = (horizon.start - model.baseYear) * model.seriesCount;
  const cells = Array.from({ length: local.cells }, () => new Float64Array(n));
  for (let k = 0; k < n; k++) {
    const values = local.replay(seed, k);
    for (let c = 0; c < local.cells; c++) cells[c]![k] = values[offset + c]!;
  }
  for (const c of cells) c.sort();
  return cells;
}

function checkAgainstExact(r: McResult): { unclamped: number; clamped: number } {
  const exact = exactCells(r);
  const { stats } = r;
  const n = r.runsCompleted;
  let unclamped = 0;
  let clamped = 0;
  for (let c = 0; c < stats.cells; c++) {
    const xs = exact[c]!;
    const where = `cell ${c}`;
    expect(stats.min[c], `${where} min`).toBe(xs[0]! + 0);
    expect(stats.max[c], `${where} max`).toBe(xs[n - 1]! + 0);
    let sum = 0;
    for (const x of xs) sum += x;
    const mean = sum / n;
    let ss = 0;
    for (const x of xs) ss += (x - mean) ** 2;
    const sd = Math.sqrt(ss / (n - 1));
    const scale = Math.max(Math.abs(mean), 1e-300);
    expect(Math.abs(stats.mean[c]! - mean), `${where} mean`).toBeLessThanOrEqual(1e-12 * scale + 1e-12 * sd);
    expect(Math.abs(stats.sd[c]! - sd), `${where} sd`).toBeLessThanOrEqual(1e-7 * sd + 1e-12 * scale);
    const res = stats.resolution[c]!;
    for (const pr of stats.percentiles) {
      const v = pr.value[c]!;
      if (pr.clamped[c]) {
        clamped++;
        expect([xs[0]! + 0, xs[n - 1]! + 0], `${where} p${pr.p} clamped`).toContain(v);
      } else {
        unclamped++;
        const os = orderStatistic(xs, pr.p);
        // One bin width, plus rounding in the bin arithmetic.
        expect(
          Math.abs(v - os),
          `${where} p${pr.p}: ${v} vs order statistic ${os}, resolution ${res}`,
        ).toBeLessThanOrEqual(res * (1 + 1e-9) + 1e-12 * Math.abs(os));
      }
    }
  }
  return { unclamped, clamped };
}

describe('percentiles against exact sorted values', () => {
  it('paper-proposals, 3000 runs: every cell and percentile within its resolution', async () => {
    const r = await simulateInProcess(PAPER, { runs: 3000, seed: 2016, chunk: 512 });
    const { unclamped } = checkAgainstExact(r);
    // 798 cells × 5 percentiles; the check must have covered (nearly) all of them.
    expect(unclamped).toBeGreaterThan(0.95 * r.stats.cells * 5);
  });

  it('closed-form fixture, 2500 runs, another seed', async () => {
    const r = await simulateInProcess(`${FIX}/closed-form.yaml`, { runs: 2500, seed: 99 });
    const { unclamped } = checkAgainstExact(r);
    expect(unclamped).toBeGreaterThan(0.95 * r.stats.cells * 5);
  });

  // BUG (src/montecarlo/stats.ts, makeBinning): with 300 runs the pilot is every run, so no value can be
  // outside the pilot range and no percentile should be clamped. But private_investment_growth for
  // liaoning in 2016 varies across runs by one ulp only (float noise): the bins are then 2·range/512
  // wide, far below the spacing of doubles, `min − range/2` rounds down a whole ulp, and the runs at the
  // max land in the overflow slot, so p25..p95 are reported as clamped (values still within an ulp).
  it('BUG: fewer runs than the pilot (300): the pilot range holds every value, so nothing is clamped', async () => {
    const r = await simulateInProcess(PAPER, { runs: 300, seed: 3 });
    const { clamped } = checkAgainstExact(r);
    expect(clamped).toBe(0);
  });

  it('BUG: a pilot whose values differ by one ulp: every pilot value lands inside the bins (no under/overflow)', () => {
    const a = -23.83306262114758;
    const b = -23.833062621147576; // a + 1 ulp: the min and max seen in paper-proposals above
    const binning = makeBinning(Float64Array.of(a, b), 2, 1);
    const acc = new ChunkAccumulator(binning, 0, 2);
    acc.add(0, Float64Array.of(a));
    acc.add(1, Float64Array.of(b));
    const summary = acc.finish();
    const under = summary.hist[0]!;
    const over = summary.hist[DEFAULT_BINS + 1]!;
    expect({ under, over }).toEqual({ under: 0, over: 0 });
    const merger = new StatsMerger(binning);
    merger.add(summary);
    for (const p of merger.result().percentiles) expect(p.clamped[0], `p${p.p}`).toBe(0);
  });
});
