/**
 * RunBlockEvaluator's statistics cells that no run can move (the kernel's fixedSeries in every
 * reported year): they must really be the same in every run, on models with drawn parameters and
 * shocks, and leaving them out of the per-run fold must give the same chunk summary, byte for byte,
 * as folding every cell run by run.
 */
import { describe, expect, it } from 'vitest';
import { projectionGrid } from '../../src/model/layout.js';
import { prepareMc } from '../../src/montecarlo/prepare-mc.js';
import { RunBlockEvaluator } from '../../src/montecarlo/run-block.js';
import { ChunkAccumulator, type ChunkSummary, makeBinning } from '../../src/montecarlo/stats.js';
import { TargetMeasure } from '../../src/project/targets.js';
import { FIX, PAPER } from '../fixtures/mc/helpers.js';

const hex = (a: ArrayBufferView) => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('hex');
const bytes = (s: ChunkSummary) =>
  [s.firstRun, s.runCount, hex(s.leafSums), hex(s.min), hex(s.max), hex(s.hist), hex(s.nonFinite)].join('|');

const RUNS = 700;
const SEED = 2016;
// Series of the fixture (regions a, b; aggregate both; reference world), in layout order: steady a, b,
// both, world; calm a, b, both; moved ×3; noisy ×3; share ×3; weighted a, b (a fixed value), both
// (weighted by moved).
const FIXTURE_FIXED = [0, 1, 2, 3, 4, 5, 6, 16, 17];

// inPlace: whether evaluate() projects the runs straight into the accumulator's buffer (the statistics
// cells are the whole projection), or copies them from the projector's output (a later horizon start).
// byYear: the series fixed in each year (the last entry for the later years too), worked out by hand in
// the fixture's comments.
const cases: { file: string; fixed?: number[]; inPlace?: false; byYear?: number[][] }[] = [
  { file: `${FIX}/constant-cells.yaml`, fixed: FIXTURE_FIXED },
  { file: `${FIX}/constant-cells-late.yaml`, fixed: FIXTURE_FIXED, inPlace: false },
  { file: PAPER },
  { file: 'scenarios/baseline.yaml' },
  { file: `${FIX}/closed-form.yaml`, fixed: [] },
  { file: `${FIX}/year-by-year.yaml`, fixed: [], byYear: [[0, 1, 3, 4], [1, 2], []] },
  { file: 'tests/fixtures/decision/linear.yaml', fixed: [] },
];

describe('RunBlockEvaluator: cells no draw and no shock can move', () => {
  for (const { file, fixed, inPlace, byYear: expectedByYear } of cases) {
    describe(file, () => {
      const ctx = prepareMc({ scenarioFile: file });
      const ev = new RunBlockEvaluator(ctx.image);
      const { cells } = ev;
      const series = ev.model.seriesCount;
      const values = ev.pilot(SEED, 0, RUNS);
      const same = (a: number, b: number) => a === b || (Number.isNaN(a) && Number.isNaN(b));
      const constantInRuns = Array.from({ length: cells }, (_, c) => {
        for (let r = 1; r < RUNS; r++) if (!same(values[r * cells + c]!, values[c]!)) return false;
        return true;
      });

      it("are each reported year's fixed series, and constant in every run", () => {
        const expected = fixed ?? ev.model.optimised.fixedSeries;
        expect(ev.model.optimised.fixedSeries).toEqual(expected);
        const byYear = ev.model.optimised.fixedSeriesByYear;
        if (expectedByYear) expect(byYear).toEqual(expectedByYear);
        // The initial values of these models' states read no drawn parameter: every series is fixed in the base year.
        if (file === PAPER || file === `${FIX}/constant-cells.yaml`)
          expect(byYear[0]).toEqual(Array.from({ length: series }, (_, s) => s));
        // Each year's are a superset of the series fixed in every year.
        for (const f of byYear) expect(f.filter((s) => expected.includes(s))).toEqual(expected);
        const skipped = ctx.scenario.horizon.start - ev.model.baseYear;
        expect(Array.from(ev.constantCells)).toEqual(
          Array.from({ length: cells / series }, (_, y) =>
            byYear[Math.min(skipped + y, byYear.length - 1)]!.map((s) => y * series + s),
          ).flat(),
        );
        for (const c of ev.constantCells) expect(constantInRuns[c], `cell ${c}`).toBe(true);
        if (file === PAPER) expect(ev.constantCells.length).toBeGreaterThan(0);
        // Not vacuous: runs differ, and in the fixture every other series varies in the last reported year
        // (other models have series that draws could move but do not: a lever at 0, a clamp).
        expect(constantInRuns.includes(false)).toBe(true);
        const last = cells - series;
        if (fixed === FIXTURE_FIXED)
          for (let s = 0; s < series; s++)
            if (!expected.includes(s)) expect(constantInRuns[last + s], `series ${s}`).toBe(false);
      });

      it(`evaluate() gives the summary of folding every cell run by run, byte for byte (${(inPlace ?? true) ? 'in place' : 'copied'})`, () => {
        expect(ev.inPlace).toBe(inPlace ?? true);
        const pilot = 300;
        const binning = makeBinning(values.subarray(0, pilot * cells), pilot, cells);
        for (const [first, count] of [
          [0, RUNS],
          [256, RUNS - 256],
        ] as const) {
          const r = ev.evaluate({ seed: SEED, firstRun: first, runCount: count, save: false }, binning);
          if (!r.ok) throw new Error(`run ${r.run} failed`);
          const plain = new ChunkAccumulator(binning, first, count);
          for (let run = first; run < first + count; run++)
            plain.add(run, values.subarray(run * cells, (run + 1) * cells));
          expect(bytes(r.summary)).toBe(bytes(plain.finish()));
        }
      });

      it(`evaluate()'s target counts are TargetMeasure's on each run's projection${ev.pairInPlace ? ' (counted in WebAssembly)' : ''}`, () => {
        const { targets, horizon } = ctx.scenario;
        const span = horizon.end - horizon.start + 1;
        const measures = targets.map((t) => new TargetMeasure(t, projectionGrid(ev.model), horizon));
        // A second block counts only its own runs (the meter is drained at the end of each).
        for (const [first, count] of [
          [0, RUNS],
          [256, 3],
        ] as const) {
          const reached = new Float64Array(targets.length);
          const firstYear = new Float64Array(targets.length * (span + 1));
          for (let run = first; run < first + count; run++) {
            const out = ev.replay(SEED, run);
            measures.forEach((m, k) => {
              if (m.reached(out)) reached[k]!++;
              firstYear[k * (span + 1) + m.firstYear(out) - horizon.start]!++;
            });
          }
          const binning = makeBinning(values.subarray(0, 300 * cells), 300, cells);
          const r = ev.evaluate({ seed: SEED, firstRun: first, runCount: count, save: false }, binning);
          if (!r.ok) throw new Error(`run ${r.run} failed`);
          expect(Array.from(r.reached)).toEqual(Array.from(reached));
          expect(Array.from(r.firstYear)).toEqual(Array.from(firstYear));
        }
        if (file === PAPER) expect(ev.pairInPlace).toBe(true);
      });
    });
  }
});
