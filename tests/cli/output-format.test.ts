/**
 * The format of a command's output follows `--out`'s extension (.json, .csv, .html; .txt or none: the
 * table); a `--format` that contradicts it is a usage error (exit 2) that says so; without `--out`,
 * `--format` decides (default: the table).
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { outputFormat } from '../../src/cli/options.js';
import { UserError } from '../../src/util/diagnostics.js';
import { cli } from './harness.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'policysim-format-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('outputFormat', () => {
  it.each([
    ['r.json', 'json'],
    ['r.JSON', 'json'],
    ['r.csv', 'csv'],
    ['r.html', 'html'],
    ['r.htm', 'html'],
    ['r.txt', 'table'],
    ['results', 'table'],
    ['dir.d/results', 'table'],
  ] as const)('--out %s is %s', (out, format) => {
    expect(outputFormat({ out })).toBe(format);
    expect(outputFormat({ out, format })).toBe(format);
  });

  it('without --out: --format, else the table', () => {
    expect(outputFormat({})).toBe('table');
    expect(outputFormat({ format: 'html' })).toBe('html');
  });

  it('an extension with no meaning needs --format', () => {
    expect(outputFormat({ out: 'r.dat', format: 'csv' })).toBe('csv');
    expect(() => outputFormat({ out: 'r.dat' })).toThrow(UserError);
  });
});

describe('the commands', () => {
  it('run --out x.json writes JSON (not a table), without --format', async () => {
    const out = join(dir, 'run.json');
    const r = await cli('run', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(readFileSync(out, 'utf8')) as { schema: string }).schema).toBe('policysim.run/2');
  });

  it('run --out x.txt and --out x write the table', async () => {
    const table = (await cli('run')).stdout;
    await cli('run', '--out', join(dir, 'run.txt'));
    await cli('run', '--out', join(dir, 'run-table'));
    expect(readFileSync(join(dir, 'run.txt'), 'utf8')).toBe(table);
    expect(readFileSync(join(dir, 'run-table'), 'utf8')).toBe(table);
  });

  it.each([
    ['run', ['--format', 'csv', '--out', 'report.html'], 'csv', 'report.html', 'html'],
    ['run', ['--format', 'json', '--out', 'r.csv'], 'json', 'r.csv', 'csv'],
    ['run', ['--format', 'table', '--out', 'r.json'], 'table', 'r.json', 'json'],
    [
      'compare',
      ['scenarios/baseline.yaml', 'scenarios/ftz.yaml', '--format', 'html', '--out', 'r.txt'],
      'html',
      'r.txt',
      'table',
    ],
    ['mc', ['--runs', '10', '--workers', '0', '--format', 'json', '--out', 'mc.html'], 'json', 'mc.html', 'html'],
    [
      'sweep',
      ['tests/fixtures/sweep/g-grid.yaml', '--workers', '0', '--format', 'csv', '--out', 's.json'],
      'csv',
      's.json',
      'json',
    ],
  ])('%s %j: exit 2, the contradiction named, nothing written', async (command, args, format, out, implied) => {
    const path = join(dir, 'refused', out);
    const r = await cli(command, ...args.map((a) => (a === out ? path : a)));
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `policysim: error: --format: ${format} contradicts --out ${path}, which is written as ${implied} (drop --format, or give the file the extension of ${format})\n`,
    );
    expect(() => readdirSync(join(dir, 'refused'))).toThrow();
  });

  it('an unknown extension without --format: exit 2, with the extensions that work', async () => {
    const r = await cli('run', '--out', join(dir, 'r.dat'));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `policysim: error: --out: cannot tell the format from the extension '.dat' of ${join(dir, 'r.dat')} (use .json, .csv, .html or .txt, or give --format)\n`,
    );
  });

  it('report --out must be .html; a missing or foreign file is a clean error, every one at once', async () => {
    const bad = join(dir, 'not-a-result.json');
    await cli('describe', '--format', 'json', '--out', bad);
    const r = await cli('report', 'no-such.json', bad, '--out', join(dir, 'r.html'));
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      [
        'policysim: error: no-such.json: cannot be read: no such file',
        `policysim: error: ${bad}: schema: not a policysim result (schema "policysim.model/2") (expected one of policysim.run/2, policysim.compare/2, policysim.mc/2, policysim.sweep/2, policysim.discover/2, policysim.seek/2, policysim.paired/2, policysim.backtest/2, policysim.calibrate/2: the JSON of run, compare, mc, sweep, seek, discover, backtest or calibrate)`,
        '',
      ].join('\n'),
    );
    // A version-1 result: refused with the reason, not as a foreign file.
    const old = join(dir, 'old-mc.json');
    writeFileSync(old, JSON.stringify({ schema: 'policysim.mc/1', runs_requested: 10 }));
    const r1 = await cli('report', old, '--out', join(dir, 'r.html'));
    expect(r1.code).toBe(2);
    expect(r1.stderr).toBe(
      `policysim: error: ${old}: schema: written by an older policysim (schema policysim.mc/1); version 2 renamed its snake_case fields (compute it again with this version; the README lists the renames under "Output formats")\n`,
    );
    const r2 = await cli('report', bad, '--out', join(dir, 'r.pdf'));
    expect(r2.code).toBe(2);
    expect(r2.stderr).toBe(`policysim: error: --out: a report is HTML: ${join(dir, 'r.pdf')} must end in .html\n`);
  });
});
