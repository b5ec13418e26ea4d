/**
 * The target counts in WebAssembly (src/montecarlo/targets.wat, TargetMeter) are TargetMeasure's: for
 * every kind of target (a series or a fixed reference, at least or at most, targets sharing a scan) the
 * same runs met and the same first-year histograms as reached() and firstYear() give.
 */
import { describe, expect, it } from 'vitest';
import { TargetMeter } from '../../src/montecarlo/target-meter.js';
import { TargetMeasure } from '../../src/project/targets.js';
import type { Target } from '../../src/scenario/scenario.js';
import { wasmMemory } from '../../src/util/wasm.js';
import { lcg } from '../fixtures/kernel-passes.js';

describe('TargetMeter', () => {
  // A projection of 4 series from 2015 to 2030; the horizon 2016–2030 (15 years).
  const grid = { firstYear: 2015, seriesCount: 4 };
  const horizon = { start: 2016, end: 2030 };
  const span = horizon.end - horizon.start + 1;
  const cells = (horizon.end - grid.firstYear + 1) * grid.seriesCount;
  const target = (over: Partial<Target>): Target => ({
    name: 't',
    indicator: 'x',
    region: 'r',
    year: 2020,
    series: 0,
    reference: { kind: 'series', indicator: 'x', region: 'n', series: 1 },
    direction: 'at_least',
    ...over,
  });
  const targets: Target[] = [
    target({}),
    // The same scan as the first, another year.
    target({ year: 2030 }),
    target({ series: 2, reference: { kind: 'value', value: 0.5 }, direction: 'at_most' }),
    target({ series: 3, year: 2016, reference: { kind: 'value', value: 0.7 } }),
    target({
      series: 1,
      year: 2025,
      reference: { kind: 'series', indicator: 'x', region: 'n', series: 3 },
      direction: 'at_most',
    }),
    // Met only when equal: ties count as met in both directions.
    target({ series: 2, reference: { kind: 'value', value: 0.25 } }),
  ];
  const measures = targets.map((t) => new TargetMeasure(t, grid, horizon));

  it("counts each target's runs met and first years as TargetMeasure does", () => {
    const runs = 500;
    const bytes = 8 * runs * cells + TargetMeter.bytes(measures, span);
    const memory = wasmMemory(bytes);
    const rows = new Float64Array(memory.buffer, 0, runs * cells);
    const next = lcg(91);
    // Values on a coarse grid, so that equal values (ties) are common.
    for (let i = 0; i < rows.length; i++) rows[i] = Math.round(next() * 8) / 8;
    const meter = new TargetMeter(memory, 8 * runs * cells + 3, measures, span);
    const wantReached = new Float64Array(measures.length);
    const wantFirst = new Float64Array(measures.length * (span + 1));
    for (let r = 0; r < runs; r++) {
      const row = rows.subarray(r * cells, (r + 1) * cells);
      meter.add(8 * r * cells);
      measures.forEach((m, k) => {
        if (m.reached(row)) wantReached[k]!++;
        wantFirst[k * (span + 1) + (m.firstYear(row) - horizon.start)]!++;
      });
    }
    const reached = new Float64Array(measures.length).fill(1);
    const firstYear = new Float64Array(measures.length * (span + 1));
    meter.drain(reached, firstYear);
    expect(Array.from(reached)).toEqual(Array.from(wantReached, (n) => n + 1));
    expect(Array.from(firstYear)).toEqual(Array.from(wantFirst));
    // Every target met in some runs and not in others, every histogram with "never" and years.
    for (let k = 0; k < measures.length; k++) {
      expect(wantReached[k]).toBeGreaterThan(0);
      expect(wantReached[k]).toBeLessThan(runs);
    }
    // Drained: the next drain adds nothing.
    const again = new Float64Array(measures.length);
    meter.drain(again, new Float64Array(firstYear.length));
    expect(Array.from(again)).toEqual(new Array(measures.length).fill(0));
  });
});
