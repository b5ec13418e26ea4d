/**
 * `--set NAME=VALUE` / `--set NAME.REGION=VALUE`: parsed in the CLI (src/cli/set-overrides.ts) into
 * typed overrides, checked against the scenario's model with the same care as the file itself, and
 * applied by the core after the file.
 */
import { describe, expect, it } from 'vitest';
import { parseSet, setOverrides } from '../../src/cli/set-overrides.js';
import { projectScenario } from '../../src/project/project-scenario.js';
import { loadScenario } from '../../src/scenario/load-scenario.js';
import type { Scenario } from '../../src/scenario/scenario.js';
import { formatDiagnostic, UserError } from '../../src/util/diagnostics.js';
import { cli } from './harness.js';

const BASELINE = 'scenarios/baseline.yaml';

function param(s: Scenario, name: string, region = 0): number {
  const p = s.model.parameters.find((x) => x.name === name)!;
  return s.params[p.offset + (p.scope === 'global' ? 0 : region)]!;
}
function lever(s: Scenario, name: string, region: string, year: number): number {
  const m = s.model;
  const l = m.levers.find((x) => x.name === name)!;
  return s.levers[
    (year - m.baseYear) * m.leverBlock + l.index * m.regions.length + m.regions.findIndex((r) => r.id === region)
  ]!;
}
function setError(...overrides: string[]): string[] {
  try {
    loadScenario(BASELINE, { overrides: setOverrides(overrides) });
  } catch (e) {
    if (e instanceof UserError) return e.diagnostics.map(formatDiagnostic);
    throw e;
  }
  throw new Error('expected --set to be rejected');
}

describe('--set applies', () => {
  it('a regional parameter for one province only', () => {
    const s = loadScenario(BASELINE, { overrides: setOverrides(['gdp_growth.jilin=0.05']) });
    expect(param(s, 'gdp_growth', 0)).toBe(0.0264); // Liaoning untouched
    expect(param(s, 'gdp_growth', 1)).toBe(0.05);
    expect(param(s, 'gdp_growth', 2)).toBe(0.021519);
    expect(s.overrides).toEqual([
      { name: 'gdp_growth', region: 'jilin', value: 0.05, fromCli: true, origin: '--set gdp_growth.jilin' },
    ]);
    // Jilin's GDP in 2016: 14063.1 · 1.05 (levers off: no trade pass-through)
    const p = projectScenario(s);
    expect(p.values[1 * p.seriesCount + s.model.seriesIndex('gdp', 'jilin')!]).toBeCloseTo(14063.1 * 1.05, 8);
  });

  it('a global parameter', () => {
    const s = loadScenario(BASELINE, { overrides: setOverrides(['national_td_floor=25']) });
    expect(param(s, 'national_td_floor')).toBe(25);
    // national trade dependence 2016: 35.7 + (25 - 35.7) · 0.50877
    const p = projectScenario(s);
    expect(p.values[1 * p.seriesCount + s.model.seriesIndex('trade_dependence', 'national')!]).toBeCloseTo(
      35.7 - 10.7 * 0.50877,
      10,
    );
  });

  it('a lever, held constant from the horizon start, in every province', () => {
    const s = loadScenario('scenarios/ftz.yaml', { overrides: setOverrides(['ftz=0.5']) });
    for (const r of ['liaoning', 'jilin', 'heilongjiang']) {
      for (let y = 2016; y <= 2035; y++) expect(lever(s, 'ftz', r, y), `${r} ${y}`).toBe(0.5);
    }
    expect(s.overrides).toEqual([{ name: 'ftz', value: 0.5, lever: true, fromCli: true, origin: '--set ftz' }]);
  });

  it('a lever for an aggregate sets each member province; later --set wins', () => {
    const s = loadScenario(BASELINE, { overrides: setOverrides(['rd_push.northeast=0.2', 'rd_push.jilin=0.9']) });
    expect(lever(s, 'rd_push', 'liaoning', 2020)).toBe(0.2);
    expect(lever(s, 'rd_push', 'jilin', 2020)).toBe(0.9);
    expect(lever(s, 'rd_push', 'heilongjiang', 2020)).toBe(0.2);
  });
});

describe('--set errors: one line naming the --set, with a suggestion where one helps', () => {
  it('an unknown name', () => {
    expect(setError('ftzz=1')).toEqual(["--set ftzz=1: unknown lever or parameter 'ftzz' (did you mean 'ftz'?)"]);
  });
  it('a lever value outside its range', () => {
    expect(setError('ftz=2')).toEqual(["--set ftz=2: value 2 is outside the range of lever 'ftz' [0, 1]"]);
  });
  it('a parameter value outside its range', () => {
    expect(setError('gdp_growth=0.5')).toEqual([
      "--set gdp_growth=0.5: value 0.5 is outside the range of 'gdp_growth' [-0.03, 0.09]",
    ]);
  });
  it('an unknown region', () => {
    expect(setError('gdp_growth.liaoninq=0.02')).toEqual([
      "--set gdp_growth.liaoninq=0.02: unknown region 'liaoninq' (did you mean 'liaoning'?)",
    ]);
  });
  it('a region for a global parameter', () => {
    expect(setError('td_trend.jilin=-0.05')).toEqual([
      "--set td_trend.jilin=-0.05: 'td_trend' is one value for all regions and cannot be set per region",
    ]);
  });
  it('no value, and a value that is not a number', () => {
    expect(setError('ftz')).toEqual(['--set ftz: expected NAME=VALUE or NAME.REGION=VALUE']);
    expect(setError('ftz=abc')).toEqual(["--set ftz=abc: value must be a number (got 'abc')"]);
  });
});

describe('the core receives typed overrides', () => {
  const model = loadScenario(BASELINE).model;
  it('a lever in one province, a parameter everywhere', () => {
    expect(parseSet('ftz.liaoning=1', model)).toEqual({
      kind: 'lever',
      name: 'ftz',
      region: 'liaoning',
      value: 1,
      origin: '--set ftz.liaoning',
    });
    expect(parseSet(' national_td_floor=2.5e1 ', model)).toEqual({
      kind: 'parameter',
      name: 'national_td_floor',
      value: 25,
      origin: '--set national_td_floor',
    });
  });
  it('typed overrides given to the core directly apply the same as --set text', () => {
    const typed = loadScenario(BASELINE, {
      overrides: [{ kind: 'lever', name: 'rd_push', region: 'jilin', value: 0.9 }],
    });
    const text = loadScenario(BASELINE, { overrides: setOverrides(['rd_push.jilin=0.9']) });
    expect(typed.levers).toEqual(text.levers);
    expect(typed.overrides).toEqual([{ name: 'rd_push', region: 'jilin', value: 0.9, lever: true, fromCli: true }]);
    expect(text.overrides).toEqual([{ ...typed.overrides[0], origin: '--set rd_push.jilin' }]);
  });
});

describe('every bad --set at once, in the order given, after the file', () => {
  it('three bad --set flags: three lines, in order', () => {
    expect(setError('ftz', 'ftzz=1', 'ftz=2')).toEqual([
      '--set ftz: expected NAME=VALUE or NAME.REGION=VALUE',
      "--set ftzz=1: unknown lever or parameter 'ftzz' (did you mean 'ftz'?)",
      "--set ftz=2: value 2 is outside the range of lever 'ftz' [0, 1]",
    ]);
  });
  it('from the command line: exit 2, one line each, no stack trace', async () => {
    const r = await cli('run', BASELINE, '--set', 'ftzz=1', '--set', 'ftz=abc', '--set', 'ftz.jilin=0.5');
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      "policysim: error: --set ftzz=1: unknown lever or parameter 'ftzz' (did you mean 'ftz'?)\n" +
        "policysim: error: --set ftz=abc: value must be a number (got 'abc')\n",
    );
  });
});

describe('a --set on a parameter the uncertainties redraw (apply: replace)', () => {
  it('is refused, naming the --set as the CLI gave it (the core words it from the override, not from text)', async () => {
    const r = await cli('mc', 'scenarios/paper-proposals.yaml', '--set', 'ftz_trade=0.05', '--runs', '10');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      "policysim: error: --set ftz_trade: 'ftz_trade' is drawn by the scenario's uncertainties (apply: replace), which would overwrite this value in every run (remove the uncertainty, or use apply: shift / scale there)\n",
    );
  });
});
