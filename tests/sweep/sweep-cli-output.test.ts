/**
 * What `policysim sweep` prints: the Sobol table (factors ranked by ST with S1, ST and their intervals),
 * the 2-D matrix of a two-factor grid, and the CSV (one row per model evaluation: factor columns, then
 * outputs). The CLI runs in-process with --workers 0.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SweepResult } from '../../src/sweep/run-sweep.js';
import { wilsonOrNull } from '../../src/util/wilson.js';
import { cli } from '../cli/harness.js';
import type { SweepAnalysisJson } from '../fixtures/report/results.js';
import { designCsv, FIX, sweepInProcess, xRow, yAt } from '../fixtures/sweep/helpers.js';
import { G_A } from './test-functions.js';

/** The table lines under `Output: <label>` (header, rule, rows), cells split on the two-space gutter. */
function tableUnder(text: string, label: string): string[][] {
  const lines = text.split('\n');
  const at = lines.indexOf(`Output: ${label}`);
  if (at < 0) throw new Error(`no 'Output: ${label}' in:\n${text}`);
  const out: string[][] = [];
  for (let i = at + 1; i < lines.length && lines[i] !== '' && !lines[i]!.startsWith('Output:'); i++) {
    if (lines[i]!.startsWith('base case:')) continue;
    out.push(lines[i]!.trim().split(/ {2,}/));
  }
  return out;
}

const f4 = (v: number): string => {
  const s = v.toFixed(4);
  return s === '-0.0000' ? '0.0000' : s;
};

type SobolJson = Pick<SweepAnalysisJson, 'names' | 'S1' | 'S1Low' | 'S1High' | 'ST' | 'STLow' | 'STHigh' | 'ranking'>;

describe('Sobol table', () => {
  let table: string;
  let doc: { outputs: { label: string; analysis: SobolJson }[] };
  beforeAll(async () => {
    const file = `${FIX}/det-sobol.yaml`;
    const [t, j] = await Promise.all([
      cli('sweep', file, '--workers', '0'),
      cli('sweep', file, '--workers', '0', '--format', 'json'),
    ]);
    expect(t.code, t.stderr).toBe(0);
    expect(j.code, j.stderr).toBe(0);
    table = t.stdout;
    doc = JSON.parse(j.stdout) as typeof doc;
  });

  it('opens with the sweep, the design and the number of evaluations', () => {
    expect(table.split('\n')[0]).toBe('Sweep: det-sobol — sobol, 384 model evaluations');
    expect(table.split('\n')[1]).toBe('Saltelli design, N = 64, four trade factors, two target gaps.');
  });

  it.each(['gap 2020', 'gap 2030'])(
    'output %s: every factor, ranked by ST, with S1, ST and 95%% intervals',
    (label) => {
      const rows = tableUnder(table, label);
      const s = doc.outputs.find((o) => o.label === label)!.analysis;
      expect(rows[0]).toEqual(['factor', 'S1', 'S1 95% CI', 'ST', 'ST 95% CI']);
      expect(rows[1]!.every((c) => /^-+$/.test(c))).toBe(true);
      const body = rows.slice(2);
      expect(body.map((r) => r[0])).toEqual(s.ranking.map((i) => s.names[i]));
      expect(new Set(body.map((r) => r[0]))).toEqual(new Set(['ftz', 'openness', 'td_trend', 'national_td_floor']));
      const st = body.map((r) => Number(r[3]));
      expect([...st].sort((a, b) => b - a)).toEqual(st);
      for (const r of body) {
        const i = s.names.indexOf(r[0]!);
        expect(r).toEqual([
          s.names[i],
          f4(s.S1[i]!),
          `[${f4(s.S1Low[i]!)}, ${f4(s.S1High[i]!)}]`,
          f4(s.ST[i]!),
          `[${f4(s.STLow[i]!)}, ${f4(s.STHigh[i]!)}]`,
        ]);
      }
    },
  );
});

describe('two-factor grid: a 2-D matrix', () => {
  it('G-function over x1 × x2: rows x1 levels, columns x2 levels, entries computed by hand', async () => {
    const r = await cli('sweep', `${FIX}/g-grid.yaml`, '--workers', '0');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout.split('\n')[0]).toBe('Sweep: g-grid — grid, 12 model evaluations');
    const rows = tableUnder(r.stdout, 'g(x1, x2)');
    expect(rows[0]).toEqual(['x1 \\ x2', '0.00', '0.25', '0.75', '1.00']);
    // g = Π (|4x_i − 2| + a_i)/(1 + a_i) with x3..x8 at their value 0.5: those factors give a_i/(1 + a_i).
    const rest = G_A.slice(2).reduce((p, a) => p * (a / (1 + a)), 1);
    const g = (x1: number, x2: number): number =>
      ((Math.abs(4 * x1 - 2) + G_A[0]!) / (1 + G_A[0]!)) * ((Math.abs(4 * x2 - 2) + G_A[1]!) / (1 + G_A[1]!)) * rest;
    const x1s = [0, 0.5, 1];
    const x2s = [0, 0.25, 0.75, 1];
    expect(rows.slice(2)).toEqual(x1s.map((x1) => [x1.toFixed(2), ...x2s.map((x2) => g(x1, x2).toFixed(3))]));
    expect(rows.slice(2)[0]).toEqual(['0.00', '2.122', '1.415', '1.415', '2.122']);
  });

  it('policy grid × Monte Carlo: one matrix per output, the cells are the CSV values', async () => {
    const file = `${FIX}/det-policy-grid.yaml`;
    const [t, c] = await Promise.all([cli('sweep', file, '--workers', '0'), designCsv(file)]);
    expect(t.stdout.split('\n')[0]).toBe(
      'Sweep: det-policy-grid — policy-grid, 9 model evaluations × 40 Monte Carlo futures',
    );
    const csv = c.stdout
      .trim()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',').map(Number));
    ['P(12.5% in 2020)', 'P(14.6% by 2025)'].forEach((label, k) => {
      const rows = tableUnder(t.stdout, label);
      expect(rows[0]).toEqual(['ftz \\ openness', '0.00', '0.50', '1.00']);
      expect(rows.length).toBe(2 + 3 + 1);
      rows.slice(2, 5).forEach((row, i) => {
        expect(row.length).toBe(4);
        // Each cell: the probability and its 95% Wilson interval over the 40 futures.
        row.slice(1).forEach((cell, j) => {
          const p = csv[i * 3 + j]![3 + k]!;
          const ci = wilsonOrNull(Math.round(p * 40), 40)!;
          expect(cell).toBe(`${p.toFixed(3)} [${ci.low.toFixed(3)}, ${ci.high.toFixed(3)}]`);
        });
      });
      expect(rows[5]).toEqual(['probability [95% Wilson interval] over 40 futures per cell']);
    });
  });
});

describe('--design-out: one row per model evaluation', () => {
  let r: SweepResult;
  let text: string;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'policysim-sweep-csv-'));
    const file = `${FIX}/det-sobol.yaml`;
    const [res, c] = await Promise.all([sweepInProcess(file), designCsv(file)]);
    expect(c.code, c.stderr).toBe(0);
    r = res;
    text = c.stdout;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('header: row, the factors, the output labels; N·(D+2) = 384 data rows', () => {
    const lines = text.split('\n');
    expect(lines[0]).toBe('row,ftz,openness,td_trend,national_td_floor,gap 2020,gap 2030');
    expect(lines.at(-1)).toBe('');
    expect(lines.length - 2).toBe(384);
  });

  it('each row is the design row and its outputs, exactly (numbers round-trip)', () => {
    const lines = text.trim().split('\n').slice(1);
    lines.forEach((line, i) => {
      const cells = line.split(',').map(Number);
      expect(cells.length).toBe(1 + 4 + 2);
      expect(cells[0]).toBe(i);
      expect(cells.slice(1, 5)).toEqual(Array.from(xRow(r, i)));
      expect(cells.slice(5)).toEqual([yAt(r, i, 0), yAt(r, i, 1)]);
    });
  });

  it('quotes an output label with a comma; --design-out writes the file, says so, and the table still goes to stdout', async () => {
    const path = join(dir, 'grid.csv');
    const toFile = await cli('sweep', `${FIX}/g-grid.yaml`, '--workers', '0', '--design-out', path);
    expect(toFile.code).toBe(0);
    expect(toFile.stdout.startsWith('Sweep: ')).toBe(true);
    expect(toFile.stderr).toBe(`wrote ${path}\n`);
    const lines = readFileSync(path, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('row,x1,x2,"g(x1, x2)"');
    expect(lines.length).toBe(1 + 12);
    expect(lines[1]!.startsWith('0,0,0,')).toBe(true);
    expect(lines[12]!.startsWith('11,1,1,')).toBe(true);
  });
});
