/**
 * `validate` of what policysim writes (results and partial-state files, told apart by `schema`) and of
 * a file checked against the built-in model when it may be meant for another.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli } from './harness.js';

const SCENARIO = 'tests/fixtures/mc/closed-form.yaml';
let dir: string;
const at = (name: string): string => join(dir, name);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'policysim-validate-json-'));
  const writes = [
    ['run', '--format', 'json', '--out', at('run.json')],
    ['run', 'scenarios/baseline.yaml', 'scenarios/ftz.yaml', '--format', 'json', '--out', at('runs.json')],
    ['mc', SCENARIO, '--runs', '512', '--workers', '0', '--format', 'json', '--out', at('mc.json')],
    ['mc', SCENARIO, '--runs', '512', '--workers', '0', '--shard', '1/2', '--out', at('part.json')],
    [
      'sweep',
      'tests/fixtures/sweep/oat-levers.yaml',
      '--workers',
      '0',
      '--shard',
      '1/2',
      '--out',
      at('sweep-part.json'),
    ],
  ];
  for (const argv of writes) {
    const r = await cli(...argv);
    if (r.code !== 0) throw new Error(`${argv.join(' ')}: ${r.stderr}`);
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('validate of the JSON policysim writes', () => {
  it('results and partial-state files: one ok line each, saying what the file is', async () => {
    const r = await cli(
      'validate',
      at('run.json'),
      at('runs.json'),
      at('mc.json'),
      at('part.json'),
      at('sweep-part.json'),
    );
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      [
        `${at('run.json')}: ok (result, policysim.run/2)`,
        `${at('runs.json')}: ok (2 results, policysim.run/2)`,
        `${at('mc.json')}: ok (result, policysim.mc/2)`,
        `${at('part.json')}: ok (Monte Carlo partial-state file, policysim.mc-state/2)`,
        `${at('sweep-part.json')}: ok (sweep partial-state file, policysim.sweep-state/2)`,
        '',
      ].join('\n'),
    );
  });

  it('a damaged one: the problem the reader of that kind reports, at its line and column', async () => {
    const text = readFileSync(at('run.json'), 'utf8');
    writeFileSync(at('cut.json'), text.slice(0, text.indexOf('"series"')));
    const noYears = JSON.parse(text) as Record<string, unknown>;
    delete noYears.years;
    writeFileSync(at('no-years.json'), JSON.stringify(noYears));
    const r = await cli('validate', at('cut.json'), at('no-years.json'));
    expect(r.code).toBe(2);
    const cutLine = text.slice(0, text.indexOf('"series"')).split('\n').length;
    // Cut before a key: V8 stops at the end of the text, where a property name should start.
    expect(r.stderr.split('\n')[0]).toBe(
      `${at('cut.json')}:${cutLine}:3: not JSON: Expected double-quoted property name`,
    );
    expect(r.stderr).toContain(
      `${at('no-years.json')}: schema: policysim.run/2 result without years (written by an older policysim? compute it again with this version)\n`,
    );
    expect(r.stderr.endsWith('2 of 2 files had problems\n')).toBe(true);
  });

  it('JSON without a policysim schema is an input file like any YAML (JSON is YAML)', async () => {
    const { parse } = await import('yaml');
    const scenario = parse(readFileSync('scenarios/baseline.yaml', 'utf8')) as Record<string, unknown>;
    // Its uncertainties include a file relative to scenarios/: not there in the temporary folder.
    delete scenario.uncertainties;
    writeFileSync(at('scenario.json'), JSON.stringify(scenario));
    const r = await cli('validate', at('scenario.json'));
    expect(r.stdout).toBe(`${at('scenario.json')}: ok (scenario)\n`);
    expect(r.code).toBe(0);
  });
});

describe('a file checked against the built-in model', () => {
  it('an uncertainties file with problems says which model it met and how to name another', async () => {
    writeFileSync(
      at('u.yaml'),
      'parameters:\n  td_trend: { dist: uniform, min: -0.05, max: 0 }\n  national_td_trend: { dist: uniform, min: -0.1, max: -0.05 }\n',
    );
    const r = await cli('validate', at('u.yaml'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      `${at('u.yaml')}:3:3: parameters.national_td_trend: unknown parameter 'national_td_trend'`,
    );
    expect(r.stderr).toContain(
      `${at('u.yaml')}: checked against the built-in model; if the file is for another model (a scenario's model: file), give it with --model FILE\n`,
    );
    const other = await cli('validate', at('u.yaml'), '--model', 'scenarios/observed/hindcast-model.yaml');
    expect(other.stdout).toBe(`${at('u.yaml')}: ok (uncertainties, against scenarios/observed/hindcast-model.yaml)\n`);
    expect(other.code).toBe(0);
  });
});
