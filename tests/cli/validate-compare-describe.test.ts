/**
 * `validate`, `compare` and `describe`.
 */
import { readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadModel } from '../../src/model/load-model.js';
import { cli } from './harness.js';

describe('validate', () => {
  it('every shipped scenario (scenarios/*.yaml) is valid: exit 0, one "ok" line each', async () => {
    const files = readdirSync('scenarios')
      .filter((f) => f.endsWith('.yaml'))
      .sort()
      .map((f) => `scenarios/${f}`);
    expect(files.length).toBeGreaterThanOrEqual(9);
    const r = await cli('validate', ...files);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(files.map((f) => `${f}: ok (scenario)\n`).join(''));
  });

  it('the built-in model file validates as a model', async () => {
    const r = await cli('validate', 'src/models/northeast.yaml');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('src/models/northeast.yaml: ok (model)\n');
  });

  it('reports the problems of each bad file, counts them, and exits 2; good files still say ok', async () => {
    const r = await cli(
      'validate',
      'scenarios/baseline.yaml',
      'tests/fixtures/bad/misspelt-lever.yaml',
      'tests/fixtures/bad/three-mistakes.yaml',
    );
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('scenarios/baseline.yaml: ok (scenario)\n');
    expect(r.stderr.split('\n')).toEqual([
      "tests/fixtures/bad/misspelt-lever.yaml:4:3: levers.opennes: unknown lever 'opennes' (did you mean 'openness'?)",
      "tests/fixtures/bad/three-mistakes.yaml:4:3: levers.ftzz: unknown lever 'ftzz' (did you mean 'ftz'?)",
      "tests/fixtures/bad/three-mistakes.yaml:5:13: levers.corridor: value 3 is outside the range of lever 'corridor' [0, 1] (capacity index (0 = as in 2015, 1 = the full China-Russia-Mongolia rail and sea corridor programme))",
      "tests/fixtures/bad/three-mistakes.yaml:7:3: parameters.gdp_growht: unknown parameter 'gdp_growht' (did you mean 'gdp_growth'?)",
      '2 of 3 files had problems',
      '',
    ]);
  });
});

describe('compare', () => {
  const A = 'scenarios/baseline.yaml';
  const B = 'scenarios/ftz.yaml';
  const C = 'scenarios/rd-push.yaml';

  it('JSON: each row has the values side by side and the differences against the first', async () => {
    const r = await cli('compare', A, B, C, '--format', 'json');
    expect(r.code).toBe(0);
    const doc = JSON.parse(r.stdout) as {
      schema: string;
      scenarios: string[];
      rows: { indicator: string; region: string; year: number; values: number[]; differences: number[] }[];
      runs: unknown[];
    };
    expect(doc.schema).toBe('policysim.compare/2');
    expect(doc.scenarios).toEqual(['baseline', 'free-trade-zone', 'rd-push']);
    expect(doc.runs).toHaveLength(3);
    // default: 4 indicators × 1 region (northeast) × 4 years (2020, 2025, 2030, 2035)
    expect(doc.rows).toHaveLength(16);
    for (const row of doc.rows) {
      expect(row.differences).toEqual(row.values.map((v) => v - row.values[0]!));
      expect(row.differences[0]).toBe(0);
    }
    // the free trade zone raises trade dependence; the R&D push leaves it exactly alone
    const td2020 = doc.rows.find((x) => x.indicator === 'trade_dependence' && x.year === 2020)!;
    expect(td2020.differences[1]).toBeGreaterThan(0);
    expect(td2020.differences[2]).toBe(0);
    // and it raises R&D intensity
    const rd2030 = doc.rows.find((x) => x.indicator === 'rd_intensity' && x.year === 2030)!;
    expect(rd2030.differences[2]).toBeGreaterThan(0);
  });

  it('table: "Δ vs <first>" columns whose cells are the rounded differences, then each scenario\'s verdicts', async () => {
    const [t, j] = await Promise.all([
      cli('compare', A, B, '--indicators', 'trade_dependence', '--years', '2020', '2030'),
      cli('compare', A, B, '--indicators', 'trade_dependence', '--years', '2020', '2030', '--format', 'json'),
    ]);
    expect(t.code).toBe(0);
    const lines = t.stdout.split('\n');
    expect(lines[0]!.trim().split(/\s{2,}/)).toEqual([
      'indicator',
      'region',
      'year',
      'baseline',
      'free-trade-zone',
      'Δ vs baseline',
    ]);
    const rows = (JSON.parse(j.stdout) as { rows: { year: number; values: number[] }[] }).rows;
    for (const row of rows) {
      const line = lines.find((l) => l.startsWith('trade_dependence') && l.includes(` ${row.year} `))!;
      const cells = line.trim().split(/\s{2,}/);
      expect(cells.slice(0, 3)).toEqual(['trade_dependence', 'Northeast', String(row.year)]);
      const d = row.values[1]! - row.values[0]!;
      expect(cells.slice(3)).toEqual([row.values[0]!.toFixed(2), row.values[1]!.toFixed(2), `+${d.toFixed(2)}`]);
    }
    expect(t.stdout).toContain('\nTargets — baseline\n');
    expect(t.stdout).toContain('\nTargets — free-trade-zone\n');
  });

  it('table: a difference that rounds to zero is printed the same way whatever its sign', async () => {
    // soe_share in the Northeast is a GDP-weighted mean of three equal provincial values; the free
    // trade zone changes only the weights, so the difference is ±1e-14: it must not print as "+0.0"
    // in one row and "0.0" in another.
    const r = await cli('compare', A, B, '--indicators', 'soe_share');
    const deltas = r.stdout
      .split('\n')
      .filter((l) => l.startsWith('soe_share'))
      .map((l) => l.trim().split(/\s{2,}/)[5]);
    expect(deltas).toHaveLength(4);
    expect(new Set(deltas).size).toBe(1);
  });

  it('needs at least two scenarios', async () => {
    const r = await cli('compare', A);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('policysim: error: compare: needs at least two scenarios (got 1)\n');
  });

  it("a year outside a scenario's horizon is named", async () => {
    const r = await cli('compare', A, B, '--years', '2040');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("policysim: error: --years: year 2040 is outside the horizon of 'baseline' (2015-2035)\n");
  });
});

describe('describe', () => {
  const model = loadModel();

  it('lists every lever with its range, paper section and acts-on list', async () => {
    const r = await cli('describe');
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    for (const l of model.levers) {
      const i = lines.findIndex((x) => x.startsWith(`  ${l.name} [`));
      expect(i, l.name).toBeGreaterThanOrEqual(0);
      expect(lines[i]).toBe(
        `  ${l.name} [${l.range[0]}..${l.range[1]}, off = ${l.default}] (${l.paper}): ${l.description}`,
      );
      expect(lines[i + 1]).toBe(`      unit: ${l.unit}`);
      expect(lines[i + 2]).toBe(`      acts on: ${l.actsOn.join(', ')}`);
    }
  });

  it('lists every parameter with its value, range and source', async () => {
    const r = await cli('describe');
    const lines = r.stdout.split('\n');
    for (const p of model.parameters) {
      const at = lines.findIndex((x) => x.startsWith(`  ${p.name} = `));
      expect(at, p.name).toBeGreaterThan(0);
      expect(lines[at]).toContain(`[range ${p.range[0]}..${p.range[1]}]`);
      expect(lines[at + 1]).toBe(`      source: ${p.source}`);
    }
    expect(lines.find((x) => x.startsWith('  national_td_speed = '))).toMatch(/^ {2}national_td_speed = 0\.50877 /);
    expect(lines.find((x) => x.startsWith('  gdp_2015 = '))).toMatch(
      /^ {2}gdp_2015 = liaoning 28669, jilin 14063\.1, heilongjiang 15083\.7 /,
    );
  });

  it('--format json carries every lever and parameter with its source', async () => {
    const r = await cli('describe', '--format', 'json');
    const doc = JSON.parse(r.stdout) as {
      schema: string;
      levers: { name: string }[];
      parameters: { name: string; source: string }[];
    };
    expect(doc.schema).toBe('policysim.model/2');
    expect(doc.levers.map((l) => l.name)).toEqual(model.levers.map((l) => l.name));
    expect(doc.parameters.map((p) => [p.name, p.source])).toEqual(model.parameters.map((p) => [p.name, p.source]));
  });

  it('describes a model file given with --model', async () => {
    const r = await cli('describe', '--model', 'tests/fixtures/models/growth.yaml');
    expect(r.code).toBe(0);
    expect(r.stdout.split('\n')[0]).toMatch(
      /^Hand-computable growth model \(.*tests\/fixtures\/models\/growth\.yaml\), base year 2020$/,
    );
    expect(r.stdout).toContain('  x_growth = 0.1 fraction / year  [range -0.5..0.5]\n      source: fixture\n');
  });
});
