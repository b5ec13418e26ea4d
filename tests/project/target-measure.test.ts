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
});
