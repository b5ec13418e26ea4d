/**
 * Every problem at once, each at its place: what `policysim validate` prints for files with several
 * mistakes of different kinds (shape and meaning), and the precision of each line.
 * Fixtures in tests/fixtures/bad/.
 */
import { readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load-scenario.js';
import { ScenarioFileSchema } from '../../src/scenario/scenario-file.js';
import { sortDiagnostics } from '../../src/util/diagnostics.js';
import { checkSchema } from '../../src/util/schema-check.js';
import { parseYamlText } from '../../src/util/yaml-source.js';
import { cli, STACK_LINE } from './harness.js';

const BAD = 'tests/fixtures/bad';

/** The lines `validate` prints on stderr for one file, without the closing count; exit 2. */
async function problems(file: string): Promise<string[]> {
  const r = await cli('validate', file);
  expect(r.code).toBe(2);
  expect(r.stderr).not.toContain(STACK_LINE);
  const lines = r.stderr.slice(0, -1).split('\n');
  expect(lines.at(-1)).toBe('1 of 1 file had problems');
  return lines.slice(0, -1);
}

describe('the list form of a lever setting is checked as precisely as the object form', () => {
  it('names the entry and the field', async () => {
    expect(await problems(`${BAD}/lever-list-precise.yaml`)).toEqual([
      `${BAD}/lever-list-precise.yaml:5:46: levers.ftz[0].from: expected a whole number, got 2017.5`,
      `${BAD}/lever-list-precise.yaml:6:49: levers.ftz[1].rmp: unknown key 'rmp'; expected one of: value, from, ramp, regions, path (did you mean 'ramp'?)`,
    ]);
  });
});

describe('shock names can be discovered', () => {
  it('lists the equations, suggests the close one, and says where a parameter goes', async () => {
    const list =
      'parks_effect, lever_trade_growth, trade_growth, gdp_growth_effective, private_growth, gdp, trade, ' +
      'private_investment_growth, private_share, rd, soe_share, hightech_share, world_trade_growth_dev, ' +
      'russia_growth_dev, national_gdp, national_td, national_rd, national_soe, national_private_growth';
    expect(await problems(`${BAD}/shock-parameter-name.yaml`)).toEqual([
      `${BAD}/shock-parameter-name.yaml:5:5: uncertainties.shocks.russia_dev: unknown equation 'russia_dev'; a shock attaches to one of: ${list} ('russia_dev' is a parameter: give it a distribution under parameters:, or shock an equation that reads it: russia_growth_dev)`,
      `${BAD}/shock-parameter-name.yaml:6:5: uncertainties.shocks.russia_grwth_dev: unknown equation 'russia_grwth_dev'; a shock attaches to one of: ${list} (did you mean 'russia_growth_dev'?)`,
    ]);
  });

  it('describe lists the equations a shock can attach to, in text and JSON', async () => {
    const text = await cli('describe');
    expect(text.stdout).toContain(
      'Shockable equations (uncertainties.shocks: a yearly random term added to one of these)',
    );
    expect(text.stdout).toMatch(/\n\s*russia_growth_dev\s+auxiliary\s+global\s+Deviation of Russia's economic growth/);
    const json = JSON.parse((await cli('describe', '--format', 'json')).stdout) as {
      shockable: { name: string; kind: string; scope: string; unit?: string }[];
    };
    expect(json.shockable.map((e) => e.name)).toContain('russia_growth_dev');
    expect(json.shockable.find((e) => e.name === 'gdp')).toEqual({
      name: 'gdp',
      kind: 'state',
      scope: 'regional',
      unit: '100m yuan',
    });
  });
});

describe('a regional parameter takes an aggregate, as levers, --set and sweep factors do', () => {
  it('northeast stands for its three provinces', () => {
    const s = loadScenario('tests/fixtures/scenarios/parameter-aggregate.yaml');
    const p = s.model.parameters.find((x) => x.name === 'gdp_growth')!;
    expect([...s.params.subarray(p.offset, p.offset + 3)]).toEqual([0.02, 0.02, 0.02]);
    expect(s.overrides).toEqual([{ name: 'gdp_growth', region: 'northeast', value: 0.02 }]);
  });

  it('a province set twice, and an unknown region with the aggregates among the suggestions', async () => {
    expect(await problems(`${BAD}/parameter-aggregate-twice.yaml`)).toEqual([
      `${BAD}/parameter-aggregate-twice.yaml:4:34: parameters.gdp_growth.jilin: region 'jilin' is already set for 'gdp_growth' at parameters.gdp_growth.northeast`,
      `${BAD}/parameter-aggregate-twice.yaml:4:47: parameters.gdp_growth.northest: unknown region 'northest' (did you mean 'northeast'?)`,
    ]);
  });
});

describe('many unknown keys', () => {
  it('20,000 unknown keys are each reported at their own line', () => {
    let text = 'name: x\ndescription: y\n';
    for (let i = 0; i < 20_000; i++) text += `k${i}: 1\n`;
    const { diagnostics } = checkSchema(ScenarioFileSchema, parseYamlText(text, 'many.yaml'));
    expect(diagnostics).toHaveLength(20_000);
    expect(diagnostics[19_999]!.location).toEqual({ file: 'many.yaml', line: 20_002, column: 1 });
    expect(diagnostics[19_999]!.path).toBe('k19999');
  });

  it('a duplicate key after 20,000 others is found at its place', () => {
    let text = 'name: x\ndescription: y\n';
    for (let i = 0; i < 20_000; i++) text += `k${i}: 1\n`;
    text += 'k7: 2\n';
    expect(() => parseYamlText(text, 'dup.yaml')).toThrow('dup.yaml:20003:1: invalid YAML: Map keys must be unique');
  });
});

describe('a shape problem does not hide the problems of meaning', () => {
  it('a scenario: missing description, backwards horizon, misspelt lever, unknown keys, bad values, and its uncertainties', async () => {
    const f = `${BAD}/every-kind-of-mistake.yaml`;
    expect(await problems(f)).toEqual([
      `${f}:1:1: description: missing required field (expected a string)`,
      `${f}:4:30: horizon.end: horizon end (2020) must be after its start (2030)`,
      `${f}:6:3: levers.ftzz: unknown lever 'ftzz' (did you mean 'ftz'?)`,
      `${f}:7:37: levers.openness.rmp: unknown key 'rmp'; expected one of: value, from, ramp, regions, path (did you mean 'ramp'?)`,
      `${f}:8:1: colour: unknown key 'colour'; expected one of: name, description, model, horizon, seed, levers, parameters, targets, uncertainties, observed`,
      `${f}:10:99: targets[0].direction: expected one of at_least, at_most, got the string "atleast" (did you mean 'at_least'?)`,
      `${f}:11:18: targets[1].indicator: unknown indicator 'trade_dependance' (did you mean 'trade_dependence'?)`,
      `${f}:14:24: uncertainties.parameters.ftz_trade.dist: expected one of normal, truncnormal, lognormal, uniform, triangular, beta, choice, empirical, got the string "gauss" (did you mean 'normal'?)`,
      `${f}:15:66: uncertainties.parameters.openness_trade.apply: expected one of replace, scale, shift, got the string "add" (did you mean 'shift'?)`,
      `${f}:16:5: uncertainties.parameters.gdp_growht: unknown parameter 'gdp_growht' (did you mean 'gdp_growth'?)`,
      expect.stringMatching(
        new RegExp(
          `^${f}:18:5: uncertainties\\.shocks\\.russia_dev: unknown equation 'russia_dev'; a shock attaches to one of: `,
        ),
      ),
      `${f}:19:24: uncertainties.correlation.kind: expected one of gaussian, rank, got the string "pearson" (did you mean 'gaussian'?)`,
    ]);
  });

  it("a scenario, its uncertainties include and its observed file: each file's problems together, in that order", async () => {
    // The problems used to be sorted by line across files (the include's lines 2 and 3 before the
    // scenario's line 9), and the observed file was checked only once the scenario was right.
    const f = `${BAD}/three-files.yaml`;
    const u = `${BAD}/three-files-uncertainties.yaml`;
    expect(await problems(f)).toEqual([
      `${f}:9:3: levers.ftzz: unknown lever 'ftzz' (did you mean 'ftz'?)`,
      `${u}:2:3: parameters.gdp_growht: unknown parameter 'gdp_growht' (did you mean 'gdp_growth'?)`,
      `${u}:3:22: parameters.ftz_trade.dist: expected one of normal, truncnormal, lognormal, uniform, triangular, beta, choice, empirical, got the string "gauss" (did you mean 'normal'?)`,
      `${BAD}/three-files-observed.csv:2:1: indicator: unknown indicator "trade_dependance" (did you mean 'trade_dependence'?)`,
    ]);
  });

  it('sortDiagnostics groups by file in the order the files first appear, then by line and column', () => {
    const d = (file: string | undefined, line?: number, column?: number) => ({
      ...(file ? { location: { file, ...(line ? { line } : {}), ...(column ? { column } : {}) } } : {}),
      path: `${file}:${line}:${column}`,
      message: 'x',
    });
    const sorted = sortDiagnostics([d('b', 9), d(undefined), d('a', 2, 5), d('b', 1), d('a', 2, 1), d('a'), d('b', 3)]);
    expect(sorted.map((x) => x.path)).toEqual([
      'b:1:undefined',
      'b:3:undefined',
      'b:9:undefined',
      'a:2:1',
      'a:2:5',
      'a:undefined:undefined',
      'undefined:undefined:undefined',
    ]);
  });

  it('mc reports the same problems at once', async () => {
    const r = await cli('mc', `${BAD}/every-kind-of-mistake.yaml`, '--runs', '10');
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('policysim: error: '))).toHaveLength(12);
  });

  it('a sweep: missing description, a design by another name, misspelt factor, bad apply, unknown target and keys', async () => {
    const f = `${BAD}/sweep-every-mistake.yaml`;
    expect(await problems(f)).toEqual([
      `${f}:1:1: description: missing required field (expected a string)`,
      `${f}:5:9: design: expected one of grid, oat, lhs, morris, sobol, policy-grid, got the string "tornado" (did you mean 'oat'?)`,
      `${f}:7:3: factors.ftzz: unknown factor 'ftzz': not a lever or parameter of the model (did you mean 'ftz'?)`,
      `${f}:8:42: factors.openness.colour: unknown key 'colour'; expected one of: range, levels, dist, base, apply, from, regions`,
      `${f}:9:46: factors.gdp_growth.apply: expected one of replace, scale, shift, got the string "add" (did you mean 'shift'?)`,
      `${f}:11:15: outputs[0].target: unknown output: the scenario has no target 9 (it has 3)`,
      `${f}:12:67: outputs[1].nmae: unknown key 'nmae'; expected one of: indicator, region, year, name, target, metric (did you mean 'name'?)`,
    ]);
  });
});

describe('a model or scenario reference that is not a file is located at its value', () => {
  it('a sweep whose scenario does not exist does not validate, and its other problems are reported too', async () => {
    const f = `${BAD}/sweep-scenario-missing.yaml`;
    expect(await problems(f)).toEqual([
      `${f}:3:11: scenario: scenario file no-such-scenario.yaml cannot be read: no such file`,
      `${f}:6:25: factors.ftz.rnage: unknown key 'rnage'; expected one of: range, levels, dist, base, apply, from, regions (did you mean 'range'?)`,
    ]);
  });

  it("a sweep's scenario, and a scenario's model, that are directories", async () => {
    expect(await problems(`${BAD}/sweep-scenario-directory.yaml`)).toEqual([
      `${BAD}/sweep-scenario-directory.yaml:3:11: scenario: scenario file . is a directory, expected a scenario file`,
    ]);
    expect(await problems(`${BAD}/model-directory.yaml`)).toEqual([
      `${BAD}/model-directory.yaml:3:8: model: model file ../models is a directory, expected a model file`,
    ]);
  });
});

describe('validate tells the kinds of file apart by their content', () => {
  const shipped = [
    ...readdirSync('scenarios', { recursive: true, encoding: 'utf8' }).map((f) => join('scenarios', f)),
    ...readdirSync('src/models').map((f) => join('src/models', f)),
  ]
    .filter((f) => f.endsWith('.yaml'))
    .sort();

  it('every shipped YAML file passes, each recognised as what it is', async () => {
    expect(shipped.length).toBeGreaterThanOrEqual(16);
    const r = await cli('validate', ...shipped);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const kinds = Object.fromEntries(
      r.stdout
        .trim()
        .split('\n')
        .map((l) => /^(.*): ok \(([a-z]+)/.exec(l)!.slice(1, 3) as [string, string]),
    );
    expect(Object.keys(kinds)).toEqual(shipped);
    expect(kinds['scenarios/uncertainties/northeast.yaml']).toBe('uncertainties');
    expect(kinds['scenarios/sweeps/sobol-trade-gap.yaml']).toBe('sweep');
    expect(kinds['scenarios/sweeps/trade-question.yaml']).toBe('scenario');
    expect(kinds['src/models/northeast.yaml']).toBe('model');
    expect(kinds['scenarios/baseline.yaml']).toBe('scenario');
  });

  it('the shared uncertainties file is checked against the model, and its problems are located in it', async () => {
    const r = await cli('validate', 'scenarios/uncertainties/northeast.yaml');
    expect(r.stdout).toBe('scenarios/uncertainties/northeast.yaml: ok (uncertainties, against builtin:northeast)\n');
    const bad = await problems('tests/fixtures/bad/uncertainties-file.yaml');
    expect(bad).toEqual([
      "tests/fixtures/bad/uncertainties-file.yaml:3:3: parameters.gdp_growht: unknown parameter 'gdp_growht' (did you mean 'gdp_growth'?)",
      "tests/fixtures/bad/uncertainties-file.yaml: checked against the built-in model; if the file is for another model (a scenario's model: file), give it with --model FILE",
    ]);
  });

  it('a file that is none of them says what was expected', async () => {
    expect(await problems(`${BAD}/not-a-policysim-file.yaml`)).toEqual([
      `${BAD}/not-a-policysim-file.yaml: cannot tell what kind of file this is: expected a scenario (name, description, levers, targets), a sweep (scenario, design, factors, outputs), a model (base_year, regions, states, indicators) or an uncertainties file (parameters, shocks, correlation)`,
    ]);
  });
});

describe('enumerated values get "did you mean", including names from other tools', () => {
  it('--format', async () => {
    const r = await cli('run', '--format', 'txt');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `Argument: format, Given: "txt", Choices: "table", "csv", "json", "html" (did you mean 'table'?)`,
    );
  });
});

describe('shifted and scaled values are checked against the range, as plain overrides are', () => {
  it('uncertainties: bounded distributions over their support, unbounded between their 0.1% and 99.9% points', async () => {
    const f = `${BAD}/shift-out-of-range.yaml`;
    expect(await problems(f)).toEqual([
      `${f}:5:17: uncertainties.parameters.gdp_growth: the values span [-1.9736, 2.0264] (the scenario's value 0.0264 for liaoning shifted by [-2, 2]), outside the range of 'gdp_growth' [-0.03, 0.09] (fraction / year)`,
      // Φ⁻¹(0.999) = 3.0902: ±0.5 × 3.0902 = ±1.54512 around the scenario's −0.042869
      `${f}:6:15: uncertainties.parameters.td_trend: the draws' 0.1%-99.9% range gives values that span [-1.58799, 1.50225] (the scenario's value -0.042869 shifted by [-1.54512, 1.54512]), outside the range of 'td_trend' [-0.08, 0.02] (fraction / year)`,
      `${f}:7:16: uncertainties.parameters.ftz_trade: the values span [0.02, 1.2] (the scenario's value 0.04 scaled by [0.5, 30]), outside the range of 'ftz_trade' [0.01, 0.08] (fraction / year at full intensity)`,
    ]);
  });

  it('sweep factors: over their range or levels', async () => {
    const f = `${BAD}/sweep-shift-out-of-range.yaml`;
    expect(await problems(f)).toEqual([
      `${f}:6:3: factors.gdp_growth: the values span [-1.9736, 2.0264] (the scenario's value 0.0264 for liaoning shifted by [-2, 2]), outside the range of 'gdp_growth' [-0.03, 0.09] (fraction / year)`,
      `${f}:7:3: factors.ftz_trade: the values span [0.02, 1.6] (the scenario's value 0.04 scaled by [0.5, 40]), outside the range of 'ftz_trade' [0.01, 0.08] (fraction / year at full intensity)`,
    ]);
  });
});

describe('a model file with shape problems is still compiled and checked', () => {
  it('shape problems and problems of meaning together; a broken declaration is not "unknown" elsewhere', async () => {
    const f = 'tests/fixtures/bad/model-shape-and-meaning.yaml';
    const abs = resolve(f);
    // g (bad range) and indicator x (no label) are left out, yet `x * (1 + g)` and acts_on [x] raise nothing.
    expect(await problems(f)).toEqual([
      `${abs}:9:40: parameters.g.range: must be at most 2 entries (got 3)`,
      `${abs}:12:74: levers.push.acts_on[2]: unknown indicator 'zz' (did you mean 'y'?)`,
      `${abs}:14:35: states.x.next: unknown symbol 'kk' in "x * (1 + g) + kk" (did you mean 'k'?)`,
      `${abs}:14:72: states.x.colour: unknown key 'colour'; expected one of: unit, initial, next, source, description, min, max`,
      `${abs}:17:6: indicators.x.label: missing required field (expected a string)`,
    ]);
  });
});
