/**
 * Model files: declarations, initial values and the order of auxiliaries are checked before any code
 * is generated, and every problem is reported at once.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadModel } from '../../src/model/load-model.js';
import { formatDiagnostic, UserError } from '../../src/util/diagnostics.js';
import { cli } from '../cli/harness.js';
import { modelProblems } from './load-errors.js';

describe('the built-in model', () => {
  it('compiles: 3 provinces, the Northeast aggregate, the national reference, 7 levers, 8 indicators', () => {
    const m = loadModel();
    expect(m.origin).toBe('builtin:northeast');
    expect(m.baseYear).toBe(2015);
    expect(m.regions.map((r) => r.id)).toEqual(['liaoning', 'jilin', 'heilongjiang']);
    expect(m.aggregates.map((a) => [a.id, a.members])).toEqual([['northeast', [0, 1, 2]]]);
    expect(m.reference?.id).toBe('national');
    expect(m.levers.map((l) => l.name)).toEqual([
      'ftz',
      'parks',
      'openness',
      'corridor',
      'soe_reform',
      'rd_push',
      'invest_env',
    ]);
    expect(m.indicators.length).toBe(8);
  });

  it('gives every parameter a source, a range that contains its value, and every lever a paper section', () => {
    const m = loadModel();
    for (const p of m.parameters) {
      expect(p.source.trim().length, p.name).toBeGreaterThan(0);
      for (const v of p.defaults) {
        expect(v, p.name).toBeGreaterThanOrEqual(p.range[0]);
        expect(v, p.name).toBeLessThanOrEqual(p.range[1]);
      }
    }
    for (const l of m.levers) expect(l.paper, l.name).toMatch(/§\d/);
  });

  it('an unknown built-in model is named, with a suggestion', () => {
    try {
      loadModel('builtin:northeas');
      throw new Error('expected an error');
    } catch (e) {
      expect(e).toBeInstanceOf(UserError);
      expect((e as UserError).diagnostics.map(formatDiagnostic)).toEqual([
        "model: unknown built-in model 'northeas' (did you mean 'northeast'?)",
      ]);
    }
  });
});

describe('auxiliaries', () => {
  it('a cycle is named, member by member', () => {
    const f = resolve('tests/fixtures/models/bad-cycle.yaml');
    expect(modelProblems('tests/fixtures/models/bad-cycle.yaml')).toEqual([
      `${f}:7:10: auxiliaries.first: auxiliaries form a cycle: first → second → third → first`,
    ]);
  });

  it('are computed after the auxiliaries they read, whatever the declaration order', async () => {
    // aux-reverse-order.yaml declares `doubled: 2 * rate` before `rate: growth + push + 0.01 * t`. In the step
    // into year 2020 + t the level grows by 2 * (0.1 + 0.01 t): 100 -> 122 -> 148.84 -> 187.5384. Computed in
    // declaration order, `doubled` would read last year's (or no) `rate` and give other numbers.
    const r = await cli('run', 'tests/fixtures/scenarios/aux-reverse-order.yaml', '--format', 'json');
    expect(r.stderr).toBe('');
    const level = (JSON.parse(r.stdout) as { series: Array<{ region: string; values: number[] }> }).series.find(
      (s) => s.region === 'a',
    )!;
    const expected = [100, 100 * 1.22, 100 * 1.22 * 1.24, 100 * 1.22 * 1.24 * 1.26];
    level.values.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 10));
  });
});

describe('initial values', () => {
  it('a state without any initial value is reported as a missing field', () => {
    const f = resolve('tests/fixtures/models/bad-missing-initial.yaml');
    const lines = modelProblems('tests/fixtures/models/bad-missing-initial.yaml');
    expect(lines).toHaveLength(1);
    // today: "…states.y.initial: unexpected value undefined undefined"
    expect(lines[0]).toMatch(
      new RegExp(`^${f.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}:8:5: states\\.y\\.initial: missing required field\\b`),
    );
  });

  it('a regional state without an initial value for one region names the region', () => {
    const f = resolve('tests/fixtures/models/bad-missing-region-initial.yaml');
    expect(modelProblems('tests/fixtures/models/bad-missing-region-initial.yaml')).toEqual([
      `${f}:10:14: states.x.initial: missing initial value for region 'b'`,
    ]);
  });
});

describe('declarations', () => {
  it('every declaration mistake at once, field paths written like the scenario ones (regions[1])', () => {
    const f = resolve('tests/fixtures/models/bad-declarations.yaml');
    expect(modelProblems('tests/fixtures/models/bad-declarations.yaml')).toEqual([
      `${f}:9:37: aggregates.ab.regions[1]: unknown region 'c' (did you mean 'a'?)`,
      `${f}:11:9: parameters.rate: value 2 is outside its range [0, 1]`,
      `${f}:12:25: parameters.per_region.values: missing value for region 'b'`,
      `${f}:12:37: parameters.per_region.values.bb: unknown region 'bb' (did you mean 'b'?)`,
      `${f}:13:16: parameters.constructor: 'constructor' is a reserved name`,
      `${f}:15:67: levers.push.acts_on[0]: unknown indicator 'xx' (did you mean 'x'?)`,
      `${f}:18:9: states.rate: 'rate' is already declared at parameters.rate`,
    ]);
  });
});
