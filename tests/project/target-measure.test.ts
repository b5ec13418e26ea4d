/**
 * The one measure of a target (src/project/targets.ts TargetMeasure), on the hand-computable growth
 * model (tests/fixtures/models/growth.yaml, see targets.test.ts):
 *   x(y) = 100 · 1.1^(y-2020), reference y(y) = 150 + 5 (y-2020), horizon 2020-2030.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { horizonGrid, projectionGrid, rowStart } from '../../src/model/layout.js';
import { type Projection, projectScenario } from '../../src/project/project-scenario.js';
import { evaluateTarget, neverReached, TargetMeasure } from '../../src/project/targets.js';
import { loadScenario } from '../../src/scenario/load-scenario.js';
import type { Target } from '../../src/scenario/scenario.js';

let p: Projection;
const target = (name: string): Target => p.scenario.targets.find((t) => t.name === name)!;

beforeAll(() => {
  p = projectScenario(loadScenario('tests/fixtures/scenarios/growth-targets.yaml'));
});

describe('TargetMeasure', () => {
  it('x ≥ reference by 2025: value 161.051, reference 175, not met, first met 2027 (194.87171 ≥ 185)', () => {
    const m = new TargetMeasure(target('x reaches the reference by 2025'), projectionGrid(p), p.scenario.horizon);
    expect(m.value(p.values)).toBeCloseTo(161.051, 9);
    expect(m.reference(p.values)).toBe(175);
    expect(m.reached(p.values)).toBe(false);
    expect(m.firstYear(p.values)).toBe(2027);
  });

  it('"never within the horizon" is the year after it inside, null at the verdict edge', () => {
    // z = 80 · 0.9^(y-2020) stays above 0 in every year
    const t = target('z down to 0 by 2030');
    const m = new TargetMeasure(t, projectionGrid(p), p.scenario.horizon);
    expect(neverReached(p.scenario.horizon)).toBe(2031);
    expect(m.firstYear(p.values)).toBe(2031);
    expect(m.verdict(p.values).firstYearReached).toBeNull();
    expect(evaluateTarget(p, t, p.scenario.horizon)).toEqual(m.verdict(p.values));
  });

  it('first years for fixed and series references, in both directions', () => {
    // x = 100·1.1^k reaches 150 at k = 5 (161.05); z = 80·0.9^k is down to 50 at k = 5 (47.2), to 60 at k = 3 (58.3).
    const first = (name: string) =>
      new TargetMeasure(target(name), projectionGrid(p), p.scenario.horizon).firstYear(p.values);
    expect(
      ['x reaches 150 by 2025', 'z down to 50 by 2024', 'z down to 60 by 2023', 'x reaches the reference by 2025'].map(
        first,
      ),
    ).toEqual([2025, 2025, 2023, 2027]);
  });

  it('gives the same answers on a horizon grid (the statistics origin) as on the projection grid', () => {
    const h = p.scenario.horizon;
    const fromStart = p.values.slice(rowStart(projectionGrid(p), h.start));
    for (const t of p.scenario.targets) {
      const a = new TargetMeasure(t, projectionGrid(p), h);
      const b = new TargetMeasure(t, horizonGrid(p, h), h);
      expect([b.value(fromStart), b.reference(fromStart), b.reached(fromStart), b.firstYear(fromStart)]).toEqual([
        a.value(p.values),
        a.reference(p.values),
        a.reached(p.values),
        a.firstYear(p.values),
      ]);
    }
  });

  it('meets on equality in both directions, never on NaN, against a series and a fixed value', () => {
    // Two series over 2020-2024, row by row [x, ref]; horizon 2020-2024.
    const grid = { firstYear: 2020, seriesCount: 2 };
    const horizon = { start: 2020, end: 2024 };
    const out = Float64Array.of(5, 1, Number.NaN, 1, 3, 3, -0, 0, 0, -1);
    const measure = (direction: Target['direction'], reference: Target['reference']) =>
      new TargetMeasure(
        { name: 't', indicator: 'x', region: 'r', year: 2024, series: 0, reference, direction },
        grid,
        horizon,
      ).firstYear(out);
    const series = { kind: 'series', indicator: 'ref', region: 'r', series: 1 } as const;
    // x: 5, NaN, 3, -0, 0 against ref 1, 1, 3, 0, -1.
    expect(measure('at_least', series)).toBe(2020);
    expect(measure('at_most', series)).toBe(2022); // NaN <= 1 is false; 3 <= 3
    expect(measure('at_most', { kind: 'value', value: 0 })).toBe(2023); // -0 <= 0
    expect(measure('at_least', { kind: 'value', value: 6 })).toBe(2025); // never: the year after the horizon
    expect(measure('at_most', { kind: 'value', value: -0.5 })).toBe(2025);
  });
});
