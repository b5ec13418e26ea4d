/**
 * Loading a scenario: defaults, and the checks against the model — every problem reported at once,
 * each with file:line:column and the field path.
 */
import { describe, expect, it } from 'vitest';
import { projectScenario } from '../../src/project/project-scenario.js';
import { DEFAULT_HORIZON_END, loadScenario, scenarioFromSource } from '../../src/scenario/load-scenario.js';
import { formatDiagnostic, UserError } from '../../src/util/diagnostics.js';
import { parseYamlText } from '../../src/util/yaml-source.js';

const FILE = 'scenarios/inline.yaml';
function problems(yaml: string): string[] {
  try {
    scenarioFromSource(parseYamlText(yaml, FILE));
  } catch (e) {
    if (e instanceof UserError) return e.diagnostics.map(formatDiagnostic);
    throw e;
  }
  throw new Error('expected the scenario to be rejected');
}

describe('defaults', () => {
  it('no horizon: from the model base year to 2035; model builtin:northeast; seed 1; levers at their defaults', () => {
    const s = scenarioFromSource(parseYamlText('name: minimal\ndescription: only the required fields\n', FILE));
    expect(DEFAULT_HORIZON_END).toBe(2035);
    expect(s.horizon).toEqual({ start: 2015, end: 2035 });
    expect(s.model.origin).toBe('builtin:northeast');
    expect(s.seed).toBe(1);
    expect(s.levers.length).toBe(21 * s.model.leverBlock);
    expect([...s.levers].every((v) => v === 0)).toBe(true);
    expect(s.targets).toEqual([]);
  });

  it('a model whose base year is after 2035 and no horizon: a clear error or a horizon that works, not a crash', () => {
    // tests/fixtures/models/late-base-year.yaml has base_year 2040; the scenario gives no horizon.
    let outcome: string;
    try {
      const p = projectScenario(loadScenario('tests/fixtures/scenarios/late-base-year.yaml'));
      outcome = `ran ${p.scenario.horizon.start}-${p.scenario.horizon.end}`;
    } catch (e) {
      outcome = e instanceof UserError ? 'user error' : `crash: ${(e as Error).name}: ${(e as Error).message}`;
    }
    expect(outcome).toMatch(/^(user error|ran 2040-20\d\d)$/);
  });
});

describe('every problem at once', () => {
  it('three mistakes against the model give three lines, in file order', () => {
    const yaml = [
      'name: three-mistakes',
      'description: three independent mistakes',
      'levers:',
      '  ftzz: 1',
      '  corridor: 3',
      'parameters:',
      '  gdp_growht: 0.03',
      '',
    ].join('\n');
    expect(problems(yaml)).toEqual([
      `${FILE}:4:3: levers.ftzz: unknown lever 'ftzz' (did you mean 'ftz'?)`,
      `${FILE}:5:13: levers.corridor: value 3 is outside the range of lever 'corridor' [0, 1] (capacity index (0 = as in 2015, 1 = the full China-Russia-Mongolia rail and sea corridor programme))`,
      `${FILE}:7:3: parameters.gdp_growht: unknown parameter 'gdp_growht' (did you mean 'gdp_growth'?)`,
    ]);
  });

  it('three mistakes against the schema give three lines', () => {
    const yaml = [
      'name: schema-mistakes',
      'description: three schema mistakes',
      'seed: -1',
      'horizon: { start: 2015, end: later }',
      'targets:',
      '  - indicator: trade_dependence',
      '    region: northeast',
      '    year: 2020',
      '',
    ].join('\n');
    expect(problems(yaml)).toEqual([
      `${FILE}:3:7: seed: must be at least 0 (got -1)`,
      `${FILE}:4:30: horizon.end: expected a number, got the string "later"`,
      // A missing field whose type is a union (number | region | {indicator, region}) must read as a
      // missing field, like any other missing field — not "unexpected value undefined undefined".
      expect.stringMatching(/^scenarios\/inline\.yaml:6:5: targets\[0\]\.reference: missing required field\b/),
    ]);
  });

  it('a name given as a parameter where a lever is expected (and vice versa) says so', () => {
    const yaml =
      'name: swapped\ndescription: lever and parameter swapped\nlevers:\n  ftz_trade: 0.05\nparameters:\n  ftz: 1\n';
    expect(problems(yaml)).toEqual([
      `${FILE}:4:3: levers.ftz_trade: unknown lever 'ftz_trade' ('ftz_trade' is a parameter: set it under parameters:)`,
      `${FILE}:6:3: parameters.ftz: unknown parameter 'ftz' ('ftz' is a lever: set it under levers:)`,
    ]);
  });
});

describe('targets', () => {
  const head = 'name: targets\ndescription: target checks\nhorizon: { start: 2015, end: 2030 }\ntargets:\n';
  it('unknown indicator, unknown region and year outside the horizon are all reported', () => {
    const yaml = `${head}  - { indicator: rd_intensty, region: northeest, year: 2031, reference: national }\n`;
    expect(problems(yaml)).toEqual([
      `${FILE}:5:18: targets[0].indicator: unknown indicator 'rd_intensty' (did you mean 'rd_intensity'?)`,
      `${FILE}:5:39: targets[0].region: unknown region 'northeest' (did you mean 'northeast'?)`,
      `${FILE}:5:56: targets[0].year: year 2031 is outside the horizon 2015-2030`,
    ]);
  });

  it('a reference region the indicator has no series for', () => {
    const yaml = `${head}  - { indicator: private_investment_share, region: northeast, year: 2020, reference: national }\n`;
    expect(problems(yaml)).toEqual([
      `${FILE}:5:86: targets[0].reference: indicator 'private_investment_share' has no series for 'national'`,
    ]);
  });

  it('an unknown reference region and an unknown reference indicator', () => {
    const yaml = `${head}  - { indicator: rd_intensity, region: northeast, year: 2020, reference: nationl }\n  - { indicator: rd_intensity, region: northeast, year: 2020, reference: { indicator: rd_intensty, region: national } }\n`;
    expect(problems(yaml)).toEqual([
      `${FILE}:5:74: targets[0].reference: unknown region 'nationl' (did you mean 'national'?)`,
      `${FILE}:6:87: targets[1].reference.indicator: unknown indicator 'rd_intensty' (did you mean 'rd_intensity'?)`,
    ]);
  });
});
