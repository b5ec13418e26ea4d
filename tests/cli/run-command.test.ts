/**
 * `policysim run`: the table, the JSON and CSV documents, --out, and byte-for-byte determinism.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadModel } from '../../src/model/load-model.js';
import type { TargetVerdict } from '../../src/project/targets.js';
import { DEFAULT_SCENARIO } from '../../src/scenario/load-scenario.js';
import { type CliResult, cli, ROOT, STACK_LINE, spawnCli } from './harness.js';

let table: CliResult;
let json: CliResult;
beforeAll(async () => {
  table = await cli('run');
  json = await cli('run', '--format', 'json');
});

/** The rows of one region's block of the run table (after its header rule), by year, split into cells. */
function block(text: string, title: string): Map<string, string[]> {
  const lines = text.split('\n');
  const start = lines.indexOf(title);
  expect(start, `no block "${title}"`).toBeGreaterThanOrEqual(0);
  const rule = lines.findIndex((l, i) => i > start && /^-{4} {2}/.test(l));
  expect(rule, `no header rule after "${title}"`).toBeGreaterThan(start);
  const rows = new Map<string, string[]>();
  for (const line of lines.slice(rule + 1)) {
    if (!/^\d{4} /.test(line)) break;
    const cells = line.trim().split(/\s+/);
    rows.set(cells[0]!, cells.slice(1));
  }
  return rows;
}

describe('run with no argument: the built-in baseline', () => {
  it('exits 0 with nothing on stderr', () => {
    expect(table.code).toBe(0);
    expect(table.stderr).toBe('');
  });

  it('prints the Northeast first, then each province, then the national reference', () => {
    const titles = table.stdout
      .split('\n')
      .filter((l) => /^(Northeast|Liaoning|Jilin|Heilongjiang|China \(national average\))$/.test(l));
    expect(titles).toEqual(['Northeast', 'Liaoning', 'Jilin', 'Heilongjiang', 'China (national average)']);
  });

  it('the Northeast 2015 row: 14.60%, trade 8441, GDP 57816, 0.0, 60.0, R&D 1.15, SOE 52.1, high-tech 9.2', () => {
    // trade = 14.6% of 57815.8 = 8441.1; R&D = (28669·1.27 + 14063.1·1.01 + 15083.7·1.05) / 57815.8 = 1.149;
    // high-tech is trade-weighted, trade split 96:19:21 → (96·9.6 + 19·10.9 + 21·6.0) / 136 = 9.226
    const ne = block(table.stdout, 'Northeast');
    expect(ne.get('2015')).toEqual(['14.60', '8441', '57816', '0.0', '60.0', '1.15', '52.1', '9.2']);
    expect([...ne.keys()]).toEqual(Array.from({ length: 21 }, (_, i) => String(2015 + i)));
    // 2016: private investment -24.4% and a private share 2.2 points lower (§4.2)
    expect(ne.get('2016')![3]).toBe('-24.4');
    expect(ne.get('2016')![4]).toBe('57.8');
  });

  it('the national 2015 and 2016 trade dependence: 35.70 and 32.80', () => {
    const cn = block(table.stdout, 'China (national average)');
    expect(cn.get('2015')![0]).toBe('35.70');
    expect(cn.get('2016')![0]).toBe('32.80');
  });

  it('gives the 2020 verdict: NOT REACHED, with the gap and the growth needed', () => {
    // 12.17 and 30.16 are pinned by hand in tests/project/baseline-calibration.test.ts; gap 12.166 - 30.163;
    // growth needed (30.163 / 14.6)^(1/5) - 1 = 15.6%
    const lines = table.stdout.split('\n');
    const at = lines.indexOf('  Trade dependence reaches the national average by 2020: NOT REACHED');
    expect(at).toBeGreaterThan(0);
    expect(lines.slice(at, at + 4)).toEqual([
      '  Trade dependence reaches the national average by 2020: NOT REACHED',
      '    2020: Northeast 12.17 vs reference 30.16; gap -18.00 points (-59.7%)',
      '    first reached: not within the horizon (2015-2035)',
      '    growth needed: 15.6% a year from 2015 (constant growth of trade_dependence)',
    ]);
  });
});

describe('--format json', () => {
  it('follows the documented shape', () => {
    expect(json.code).toBe(0);
    const doc = JSON.parse(json.stdout) as Record<string, unknown>;
    expect(Object.keys(doc)).toEqual([
      'schema',
      'scenario',
      'years',
      'series',
      'targets',
      'indicators',
      'regions',
      'command',
      'policysimVersion',
      'manifest',
    ]);
    // The command that computes it again, without the output options (--format, --out).
    expect(doc['command']).toBe('policysim run');
    expect(doc['policysimVersion']).toBe(
      (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version,
    );
    expect((doc['indicators'] as { name: string }[]).map((i) => i.name)).toEqual(
      loadModel().indicators.map((i) => i.name),
    );
    expect((doc['regions'] as { id: string; name: string }[])[0]).toEqual({
      id: 'northeast',
      name: 'Northeast',
      kind: 'aggregate',
    });
    expect(doc['schema']).toBe('policysim.run/2');
    expect(doc['scenario']).toMatchObject({
      name: 'baseline',
      file: DEFAULT_SCENARIO,
      model: 'builtin:northeast',
      horizon: { start: 2015, end: 2035 },
      overrides: [],
    });
    expect(doc['years']).toEqual(Array.from({ length: 21 }, (_, i) => 2015 + i));
    const series = doc['series'] as {
      indicator: string;
      region: string;
      kind: string;
      unit: string;
      values: number[];
    }[];
    const model = loadModel();
    expect(series.map((s) => `${s.indicator}/${s.region}/${s.kind}`)).toEqual(
      model.series.map((s) => `${s.indicator}/${s.region}/${s.kind}`),
    );
    for (const s of series) {
      expect(Object.keys(s)).toEqual(['indicator', 'region', 'kind', 'unit', 'values']);
      expect(s.values).toHaveLength(21);
      expect(s.unit).toBe(model.indicators.find((i) => i.name === s.indicator)!.unit);
    }
    const td = series.find((s) => s.indicator === 'trade_dependence' && s.region === 'northeast')!;
    expect(td.kind).toBe('aggregate');
    expect(td.values[0]).toBeCloseTo(14.6, 12);
    const national = series.find((s) => s.indicator === 'trade_dependence' && s.region === 'national')!;
    expect(national.kind).toBe('reference');
    expect(national.values[1]).toBeCloseTo(32.8, 3);
  });

  it('has one verdict per target with the documented fields', () => {
    const doc = JSON.parse(json.stdout) as { targets: Record<string, unknown>[] };
    expect(doc.targets.map((t) => t['name'])).toEqual([
      'Trade dependence reaches the national average by 2020',
      'R&D intensity reaches the national average by 2020',
      'State-owned asset share down to the national average by 2020',
    ]);
    for (const t of doc.targets) {
      expect(Object.keys(t).sort()).toEqual(
        [
          'direction',
          'firstYearReached',
          'gap',
          'gapPercent',
          'indicator',
          'name',
          'reached',
          'reference',
          'region',
          'requiredGrowth',
          'value',
          'year',
        ].sort(),
      );
    }
    expect(doc.targets[0]).toMatchObject({
      indicator: 'trade_dependence',
      region: 'northeast',
      year: 2020,
      direction: 'at_least',
      reached: false,
      firstYearReached: null,
    });
    expect(doc.targets[2]).toMatchObject({ indicator: 'soe_share', direction: 'at_most', reached: false });
  });

  it('several scenarios give a JSON array, in the order given', async () => {
    const r = await cli('run', 'scenarios/baseline.yaml', 'scenarios/ftz.yaml', '--format', 'json');
    const docs = JSON.parse(r.stdout) as { scenario: { name: string } }[];
    expect(docs.map((d) => d.scenario.name)).toEqual(['baseline', 'free-trade-zone']);
  });

  it('records --set overrides', async () => {
    const r = await cli('run', '--format', 'json', '--set', 'ftz.jilin=1');
    expect((JSON.parse(r.stdout) as { scenario: { overrides: unknown } }).scenario.overrides).toEqual([
      { name: 'ftz', region: 'jilin', value: 1 },
    ]);
  });
});

describe('--format csv', () => {
  it('one header and one row per series and year, full precision; then, after a blank line, the verdicts', async () => {
    const r = await cli('run', '--format', 'csv');
    expect(r.code).toBe(0);
    const [series, verdicts, ...more] = r.stdout.split('\n\n');
    expect(more).toEqual([]);
    expect(verdicts!.trimEnd().split('\n')).toEqual([
      'scenario,target,indicator,region,year,direction,value,reference,gap,gap_percent,reached,first_year_reached,required_growth',
      ...(JSON.parse(json.stdout) as { targets: TargetVerdict[] }).targets.map((v) =>
        [
          'baseline',
          v.name,
          v.indicator,
          v.region,
          v.year,
          v.direction,
          v.value,
          v.reference,
          v.gap,
          v.gapPercent,
          v.reached ? 1 : 0,
          v.firstYearReached ?? '',
          v.requiredGrowth ?? '',
        ].join(','),
      ),
    ]);
    const lines = series!.trimEnd().split('\n');
    expect(lines[0]).toBe('scenario,indicator,region,kind,year,value');
    expect(lines).toHaveLength(1 + loadModel().series.length * 21);
    expect(lines).toContain('baseline,trade_dependence,national,reference,2015,35.7');
    expect(lines).toContain('baseline,gdp,liaoning,region,2015,28669');
  });
});

describe('--out', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'policysim-out-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the file (creating its directory), says so on stderr, prints nothing, leaves no temporary file', async () => {
    const target = join(dir, 'nested', 'baseline.json');
    const r = await cli('run', '--format', 'json', '--out', target);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`wrote ${target}\n`);
    expect(readFileSync(target, 'utf8')).toBe(json.stdout);
    expect(readdirSync(join(dir, 'nested'))).toEqual(['baseline.json']);
  });

  it('overwrites an existing file whole; a CSV goes to two files, the verdicts to NAME.targets.csv', async () => {
    const target = join(dir, 'over.csv');
    await cli('run', 'scenarios/baseline.yaml', 'scenarios/ftz.yaml', '--out', target);
    const r = await cli('run', '--out', target);
    expect(r.stderr).toBe(`wrote ${target}\nwrote ${join(dir, 'over.targets.csv')}\n`);
    const [series, verdicts] = (await cli('run', '--format', 'csv')).stdout.split('\n\n');
    expect(readFileSync(target, 'utf8')).toBe(`${series}\n`);
    expect(readFileSync(join(dir, 'over.targets.csv'), 'utf8')).toBe(verdicts);
    expect(readdirSync(dir).sort()).toEqual(['nested', 'over.csv', 'over.targets.csv']);
  });
});

describe('determinism', () => {
  it('two in-process runs give byte-identical JSON', async () => {
    const again = await cli('run', '--format', 'json');
    expect(again.stdout).toBe(json.stdout);
  });

  // That a separate process (the built binary) prints the same bytes: tests/cli/spawned.test.ts.

  it('a different scenario gives different JSON (so the comparison above can fail)', async () => {
    const other = await cli('run', 'scenarios/ftz.yaml', '--format', 'json');
    expect(other.stdout).not.toBe(json.stdout);
  });
});

describe('--step', () => {
  it('shows every STEP years plus the last year', async () => {
    const r = await cli('run', '--step', '5');
    expect([...block(r.stdout, 'Northeast').keys()]).toEqual(['2015', '2020', '2025', '2030', '2035']);
    const r2 = await cli('run', '--step', '7');
    expect([...block(r2.stdout, 'Northeast').keys()]).toEqual(['2015', '2022', '2029', '2035']);
  });

  it('--step 0 is rejected (exit 2, one line about --step), not an endless loop', async () => {
    // In a child process with a small heap: a regression (the year list growing without end) ends
    // there, at the heap limit, instead of taking the test runner's memory.
    const r = await spawnCli(['run', '--step', '0'], { nodeArgs: ['--max-old-space-size=64'], timeout: 15_000 });
    expect(r.signal).toBeNull();
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^policysim: error: --step: .*\n$/);
    expect(r.stderr).not.toContain(STACK_LINE);
  });
});
