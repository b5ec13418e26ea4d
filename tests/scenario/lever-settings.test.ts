/**
 * How a lever setting turns into a value per year: `leverValueAt` on its own, then the expanded lever
 * array of a scenario (tests/fixtures/scenarios/two-regions-levers.yaml) and the projection it drives.
 */
import { describe, expect, it } from 'vitest';
import { projectScenario } from '../../src/project/project-scenario.js';
import { leverValueAt } from '../../src/scenario/lever-path.js';
import { loadScenario, scenarioFromSource } from '../../src/scenario/load-scenario.js';
import type { Scenario } from '../../src/scenario/scenario.js';
import { formatDiagnostic, UserError } from '../../src/util/diagnostics.js';
import { parseYamlText } from '../../src/util/yaml-source.js';

describe('leverValueAt', () => {
  const OFF = 0.25; // the lever's default, to tell "off" from 0

  it('a constant applies from the horizon start on, the default before', () => {
    expect(leverValueAt(0.7, 2016, 2017, OFF)).toBe(OFF);
    expect(leverValueAt(0.7, 2017, 2017, OFF)).toBe(0.7);
    expect(leverValueAt(0.7, 2035, 2017, OFF)).toBe(0.7);
  });

  it('{value, from} without a ramp is all at once from `from`', () => {
    expect(leverValueAt({ value: 1, from: 2018, ramp: 0 }, 2017, 2015, OFF)).toBe(OFF);
    expect(leverValueAt({ value: 1, from: 2018, ramp: 0 }, 2018, 2015, OFF)).toBe(1);
    expect(leverValueAt({ value: 1, from: 2018, ramp: 1 }, 2018, 2015, OFF)).toBe(1);
  });

  it('{value, from, ramp: 3} goes 1/3, 2/3 and all of the way from the default, then holds', () => {
    const s = { value: 1, from: 2018, ramp: 3 };
    expect(leverValueAt(s, 2017, 2015, 0)).toBe(0);
    expect(leverValueAt(s, 2018, 2015, 0)).toBeCloseTo(1 / 3, 15);
    expect(leverValueAt(s, 2019, 2015, 0)).toBeCloseTo(2 / 3, 15);
    expect(leverValueAt(s, 2020, 2015, 0)).toBe(1);
    expect(leverValueAt(s, 2030, 2015, 0)).toBe(1);
    // from the default 0.25 to 1: 0.25 + 0.75·k/3
    expect(leverValueAt(s, 2018, 2015, OFF)).toBeCloseTo(0.5, 15);
    expect(leverValueAt(s, 2019, 2015, OFF)).toBeCloseTo(0.75, 15);
    expect(leverValueAt(s, 2020, 2015, OFF)).toBe(1);
  });

  it('`from` defaults to the horizon start', () => {
    const s = { value: 0.8, ramp: 2 };
    expect(leverValueAt(s, 2016, 2017, 0)).toBe(0);
    expect(leverValueAt(s, 2017, 2017, 0)).toBeCloseTo(0.4, 15);
    expect(leverValueAt(s, 2018, 2017, 0)).toBeCloseTo(0.8, 15);
  });

  it('{path} is off before its first year, linear in between (in any key order), held after the last', () => {
    const s = { path: { '2024': 0.2, '2021': 0.1, '2027': 0.5 } };
    expect(leverValueAt(s, 2020, 2015, OFF)).toBe(OFF);
    expect(leverValueAt(s, 2021, 2015, OFF)).toBe(0.1);
    expect(leverValueAt(s, 2022, 2015, OFF)).toBeCloseTo(0.1 + 0.1 / 3, 15); // 1/3 of 0.1 → 0.2
    expect(leverValueAt(s, 2023, 2015, OFF)).toBeCloseTo(0.1 + 0.2 / 3, 15);
    expect(leverValueAt(s, 2024, 2015, OFF)).toBe(0.2);
    expect(leverValueAt(s, 2025, 2015, OFF)).toBeCloseTo(0.3, 15); // 1/3 of 0.2 → 0.5
    expect(leverValueAt(s, 2026, 2015, OFF)).toBeCloseTo(0.4, 15);
    expect(leverValueAt(s, 2027, 2015, OFF)).toBe(0.5);
    expect(leverValueAt(s, 2040, 2015, OFF)).toBe(0.5);
  });

  it('a one-point path is a step at that year', () => {
    expect(leverValueAt({ path: { '2019': 3 } }, 2018, 2015, 0)).toBe(0);
    expect(leverValueAt({ path: { '2019': 3 } }, 2019, 2015, 0)).toBe(3);
    expect(leverValueAt({ path: { '2019': 3 } }, 2050, 2015, 0)).toBe(3);
  });
});

/** The value of `lever` in `region` for `year` from the scenario's expanded lever array. */
function leverAt(s: Scenario, lever: string, region: string, year: number): number {
  const m = s.model;
  const l = m.levers.find((x) => x.name === lever)!;
  const r = m.regions.findIndex((x) => x.id === region);
  return s.levers[(year - m.baseYear) * m.leverBlock + l.index * m.regions.length + r]!;
}

function inline(yaml: string): Scenario {
  return scenarioFromSource(parseYamlText(yaml, 'tests/fixtures/scenarios/inline.yaml'));
}

function problems(yaml: string): string[] {
  try {
    inline(yaml);
  } catch (e) {
    if (e instanceof UserError) return e.diagnostics.map(formatDiagnostic);
    throw e;
  }
  throw new Error('expected the scenario to be rejected');
}

describe('the expanded lever array', () => {
  const s = loadScenario('tests/fixtures/scenarios/two-regions-levers.yaml');

  it('has one slot per year, lever and region', () => {
    // years 2020..2030 = 11, levers 2 × regions 2 = 4 per year
    expect(s.model.leverBlock).toBe(4);
    expect(s.levers.length).toBe(11 * 4);
  });

  it('region A: off (0) until 2021, then the 3-year ramp to 0.3 from 2022: 0.1, 0.2, 0.3, held', () => {
    const want: Record<number, number> = { 2021: 0, 2022: 0.1, 2023: 0.2, 2024: 0.3, 2025: 0.3, 2030: 0.3 };
    for (const [y, v] of Object.entries(want)) expect(leverAt(s, 'push', 'a', Number(y)), y).toBeCloseTo(v, 15);
  });

  it('region B: the path 2021 0.1 → 2024 0.2 → 2027 0.5, off before, held after', () => {
    const want: Record<number, number> = {
      2021: 0.1,
      2022: 0.1 + 0.1 / 3,
      2023: 0.1 + 0.2 / 3,
      2024: 0.2,
      2025: 0.3,
      2026: 0.4,
      2027: 0.5,
      2030: 0.5,
    };
    for (const [y, v] of Object.entries(want)) expect(leverAt(s, 'push', 'b', Number(y)), y).toBeCloseTo(v, 15);
  });

  it('a constant for a lever that is not per region: 0.5 in both regions from 2021', () => {
    for (const r of ['a', 'b']) for (let y = 2021; y <= 2030; y++) expect(leverAt(s, 'national_push', r, y)).toBe(0.5);
  });

  it('the base-year row keeps every lever at its default (the base year is data, not simulated)', () => {
    for (const r of ['a', 'b']) {
      expect(leverAt(s, 'push', r, 2020)).toBe(0);
      expect(leverAt(s, 'national_push', r, 2020)).toBe(0);
    }
  });

  it('drives the projection in the year it is set for', () => {
    const p = projectScenario(s);
    const at = (ind: string, r: string, y: number): number =>
      p.values[(y - 2020) * p.seriesCount + s.model.seriesIndex(ind, r)!]!;
    // level A: 100 · (1.1 + 0) · (1.1 + 0.1) · (1.1 + 0.2) · (1.1 + 0.3) = 110, 132, 171.6, 240.24
    expect(at('level', 'a', 2021)).toBeCloseTo(110, 10);
    expect(at('level', 'a', 2022)).toBeCloseTo(132, 10);
    expect(at('level', 'a', 2023)).toBeCloseTo(171.6, 10);
    expect(at('level', 'a', 2024)).toBeCloseTo(240.24, 10);
    // level B: 300 · 1.2 (2021, push 0.1) = 360
    expect(at('level', 'b', 2021)).toBeCloseTo(360, 10);
    // share: +0.5 a year in both regions; the aggregate is level-weighted:
    // 2021: A 10.5, B 30.5 with weights 110, 360 → (110·10.5 + 360·30.5) / 470
    expect(at('share', 'both', 2021)).toBeCloseTo((110 * 10.5 + 360 * 30.5) / 470, 10);
    expect(at('level', 'both', 2021)).toBeCloseTo(470, 10);
    // the reference series: 20 + 1 a year, untouched by levers
    expect(at('share', 'national', 2025)).toBe(25);
  });

  it('an aggregate in `regions` sets every member region', () => {
    const t = inline(
      'name: agg\ndescription: set through the aggregate\nmodel: ../models/two-regions.yaml\nhorizon: { start: 2020, end: 2025 }\nlevers:\n  push: { regions: [both], value: 0.2, from: 2023 }\n',
    );
    for (const r of ['a', 'b']) {
      expect(leverAt(t, 'push', r, 2022)).toBe(0);
      expect(leverAt(t, 'push', r, 2023)).toBe(0.2);
    }
  });

  it('a horizon starting after the base year: a constant starts at the horizon start', () => {
    const t = inline(
      'name: late\ndescription: constant from a later horizon start\nmodel: ../models/two-regions.yaml\nhorizon: { start: 2023, end: 2025 }\nlevers:\n  push: 0.4\n',
    );
    expect(leverAt(t, 'push', 'a', 2022)).toBe(0);
    expect(leverAt(t, 'push', 'a', 2023)).toBe(0.4);
    expect(leverAt(t, 'push', 'b', 2025)).toBe(0.4);
  });
});

describe('lever settings that are rejected', () => {
  const head =
    'name: bad\ndescription: bad lever settings\nmodel: ../models/two-regions.yaml\nhorizon: { start: 2020, end: 2030 }\nlevers:\n';
  const file = 'tests/fixtures/scenarios/inline.yaml';

  it('a lever that is not per region cannot be set per region', () => {
    expect(problems(`${head}  national_push: { regions: [a], value: 0.5 }\n`)).toEqual([
      `${file}:6:29: levers.national_push.regions: lever 'national_push' applies to all regions alike and cannot be set per region`,
    ]);
  });

  it('a region set twice for one lever', () => {
    expect(
      problems(`${head}  push:\n    - { regions: [a], value: 0.1 }\n    - { regions: [both], value: 0.2 }\n`),
    ).toEqual([`${file}:8:7: levers.push[1]: region 'a' is already set for lever 'push' at levers.push[0]`]);
  });

  it('a path year outside the horizon, and a value outside the range, each located at its own entry', () => {
    // Path keys are years, which YAML reads as integer keys; the location must still be the entry's.
    expect(problems(`${head}  push: { path: { 2019: 0.1, 2025: 2 } }\n`)).toEqual([
      `${file}:6:25: levers.push.path.2019: year 2019 is outside the horizon 2020-2030`,
      `${file}:6:36: levers.push.path.2025: value 2 is outside the range of lever 'push' [0, 1] (fraction / year)`,
    ]);
  });

  it('an unknown region, with a suggestion among regions and aggregates', () => {
    expect(problems(`${head}  push: { regions: [bothh], value: 0.1 }\n`)).toEqual([
      `${file}:6:21: levers.push.regions[0]: unknown region 'bothh' (did you mean 'both'?)`,
    ]);
  });
});
