/**
 * Target verdicts on a model small enough to compute by hand (tests/fixtures/models/growth.yaml):
 *   x(y) = 100 · 1.1^(y-2020)    100, 110, 121, 133.1, 146.41, 161.051, 177.1561, 194.87171, ...
 *   z(y) =  80 · 0.9^(y-2020)     80,  72, 64.8, 58.32, 52.488, 47.2392, ...
 *   reference y(y) = 150 + 5 (y-2020)  150, 155, 160, 165, 170, 175, 180, 185, ...
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { type Projection, projectScenario } from '../../src/project/project-scenario.js';
import type { TargetVerdict } from '../../src/project/targets.js';
import { loadScenario } from '../../src/scenario/load-scenario.js';
import { valueAt } from './series.js';

let p: Projection;
const verdict = (name: string): TargetVerdict => {
  const v = p.verdicts.find((x) => x.name === name);
  if (!v) throw new Error(`no verdict '${name}' among ${p.verdicts.map((x) => x.name).join(' | ')}`);
  return v;
};

beforeAll(() => {
  p = projectScenario(loadScenario('tests/fixtures/scenarios/growth-targets.yaml'));
});

describe('the fixture model itself', () => {
  it('projects x, z and the reference exactly as the closed forms say', () => {
    for (let y = 2020; y <= 2030; y++) {
      expect(valueAt(p, 'x', 'a', y)).toBeCloseTo(100 * 1.1 ** (y - 2020), 9);
      expect(valueAt(p, 'z', 'a', y)).toBeCloseTo(80 * 0.9 ** (y - 2020), 9);
      expect(valueAt(p, 'x', 'national', y)).toBe(150 + 5 * (y - 2020));
    }
  });
});

describe('at_least against a series reference', () => {
  it('x ≥ reference by 2025: value, reference, gap, gap %, not reached, first reached 2027, growth needed', () => {
    const v = verdict('x reaches the reference by 2025');
    expect(v.direction).toBe('at_least');
    expect(v.value).toBeCloseTo(161.051, 9); // 100 · 1.1^5
    expect(v.reference).toBe(175); // 150 + 5·5
    expect(v.gap).toBeCloseTo(-13.949, 9); // 161.051 - 175
    expect(v.gapPercent!).toBeCloseTo(-7.970857142857, 9); // 100 · -13.949 / 175
    expect(v.reached).toBe(false);
    // 2026: 177.1561 < 180; 2027: 194.87171 ≥ 185
    expect(v.firstYearReached).toBe(2027);
    // (175 / 100)^(1/5) - 1 from the horizon start 2020
    expect(v.requiredGrowth!).toBeCloseTo(1.75 ** (1 / 5) - 1, 12); // 0.118427
  });
});

describe('at_least against a number', () => {
  it('x ≥ 150 by 2025: reached, first in 2025 (2024: 146.41 < 150), growth needed (1.5)^(1/5) - 1', () => {
    const v = verdict('x reaches 150 by 2025');
    expect(v.reference).toBe(150);
    expect(v.gap).toBeCloseTo(11.051, 9);
    expect(v.gapPercent!).toBeCloseTo((100 * 11.051) / 150, 9); // 7.367333
    expect(v.reached).toBe(true);
    expect(v.firstYearReached).toBe(2025);
    expect(v.requiredGrowth!).toBeCloseTo(1.5 ** (1 / 5) - 1, 12); // 0.084472
  });

  it('x ≥ 1000 by 2030: not within the horizon (null), growth needed 10^(1/10) - 1; the default name says what it is', () => {
    const v = verdict('x a >= 1000 by 2030');
    expect(v.value).toBeCloseTo(100 * 1.1 ** 10, 9); // 259.374
    expect(v.gap).toBeCloseTo(100 * 1.1 ** 10 - 1000, 9);
    expect(v.gapPercent!).toBeCloseTo((100 * (100 * 1.1 ** 10 - 1000)) / 1000, 9); // -74.06
    expect(v.reached).toBe(false);
    expect(v.firstYearReached).toBeNull();
    expect(v.requiredGrowth!).toBeCloseTo(10 ** (1 / 10) - 1, 12); // 0.258925
  });
});

describe('at_most', () => {
  it('z ≤ 50 by 2024: 52.488 is 2.488 above (+4.976%), not reached, first reached 2025 (47.2392), growth needed (50/80)^(1/4) - 1', () => {
    const v = verdict('z down to 50 by 2024');
    expect(v.direction).toBe('at_most');
    expect(v.value).toBeCloseTo(52.488, 9);
    expect(v.gap).toBeCloseTo(2.488, 9);
    expect(v.gapPercent!).toBeCloseTo(4.976, 9);
    expect(v.reached).toBe(false);
    expect(v.firstYearReached).toBe(2025);
    expect(v.requiredGrowth!).toBeCloseTo((50 / 80) ** (1 / 4) - 1, 12); // -0.110860
  });

  it('z ≤ 60 by 2023: 58.32 is reached, first in 2023 (2022: 64.8 > 60)', () => {
    const v = verdict('z down to 60 by 2023');
    expect(v.value).toBeCloseTo(58.32, 9);
    expect(v.gap).toBeCloseTo(-1.68, 9);
    expect(v.gapPercent!).toBeCloseTo(-2.8, 9);
    expect(v.reached).toBe(true);
    expect(v.firstYearReached).toBe(2023);
  });

  it('z ≤ 0 by 2030: a zero reference has no gap % and no growth rate (null), and is never reached', () => {
    const v = verdict('z down to 0 by 2030');
    expect(v.value).toBeCloseTo(80 * 0.9 ** 10, 9); // 27.894
    expect(v.gap).toBeCloseTo(80 * 0.9 ** 10, 9);
    expect(v.gapPercent).toBeNull();
    expect(v.requiredGrowth).toBeNull();
    expect(v.reached).toBe(false);
    expect(v.firstYearReached).toBeNull();
  });
});

describe('edge cases of the horizon', () => {
  it('a target in the start year has no required growth (null) but still a first year reached', () => {
    const v = verdict('x against its reference in the start year');
    expect(v.value).toBe(100);
    expect(v.reference).toBe(150); // {indicator: x, region: national}
    expect(v.gap).toBe(-50);
    expect(v.gapPercent!).toBeCloseTo(-100 / 3, 12);
    expect(v.requiredGrowth).toBeNull();
    expect(v.firstYearReached).toBe(2027);
  });

  it('with the horizon starting in 2022, growth needed runs from the 2022 value: (175 / 121)^(1/3) - 1', () => {
    const late = projectScenario(loadScenario('tests/fixtures/scenarios/growth-late-start.yaml'));
    const v = late.verdicts[0]!;
    expect(v.value).toBeCloseTo(161.051, 9);
    expect(v.requiredGrowth!).toBeCloseTo((175 / 121) ** (1 / 3) - 1, 12); // 0.130... from x(2022) = 121
    expect(v.firstYearReached).toBe(2027);
  });

  it('a lever moves the verdict: with x growing 20% a year, x(2025) = 100·1.2^5 = 248.832 ≥ 175, first reached 2023 (172.8 ≥ 165)', () => {
    const boosted = projectScenario(loadScenario('tests/fixtures/scenarios/growth-boost.yaml'));
    const v = boosted.verdicts[0]!;
    expect(v.value).toBeCloseTo(248.832, 9);
    expect(v.reached).toBe(true);
    expect(v.gap).toBeCloseTo(73.832, 9);
    // 2021: 120 < 155; 2022: 144 < 160; 2023: 172.8 ≥ 165
    expect(v.firstYearReached).toBe(2023);
    // the growth needed does not depend on the lever: (175/100)^(1/5) - 1
    expect(v.requiredGrowth!).toBeCloseTo(1.75 ** (1 / 5) - 1, 12);
  });
});
