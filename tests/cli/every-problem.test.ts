/**
 * Every problem at once, each at its place: what `policysim validate` prints for files with several
 * mistakes of different kinds (shape and meaning), and the precision of each line.
 * Fixtures in tests/fixtures/bad/.
 */
import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/scenario/load-scenario.js';
import { ScenarioFileSchema } from '../../src/scenario/scenario-file.js';
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
