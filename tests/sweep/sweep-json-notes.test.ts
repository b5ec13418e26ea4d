/**
 * `--format json` for grid and policy-grid designs carries the outputs: `values` (one per design row,
 * in the CSV's row order) and, for two factors, the same values as a `table` (rows: levels of the
 * first factor, columns: levels of the second). Only the design matrix X (and Morris' per-trajectory
 * effects) are left out of an analysis. The table format prints each analysis' own notes under its
 * output.
 */
import { describe, expect, it } from 'vitest';
import { wilsonOrNull } from '../../src/util/wilson.js';
import { cli } from '../cli/harness.js';
import { designCsv, FIX } from '../fixtures/sweep/helpers.js';

interface GridJson {
  outputs: {
    label: string;
    analysis: {
      names: string[];
      levels: number[][];
      values: number[];
      probabilityLow?: number[];
      probabilityHigh?: number[];
      table?: { rowFactor: string; colFactor: string; rowLevels: number[]; colLevels: number[]; values: number[][] };
    };
  }[];
}

const csvColumns = (csv: string): number[][] =>
  csv
    .trim()
    .split('\n')
    .slice(1)
    .map((l) => l.split(',').map(Number));

describe('grid JSON: the outputs and the two-factor table', () => {
  it('policy grid × Monte Carlo (det-policy-grid.yaml): values are the CSV column, table the same values row by row', async () => {
    const file = `${FIX}/det-policy-grid.yaml`;
    const [j, c] = await Promise.all([cli('sweep', file, '--workers', '0', '--format', 'json'), designCsv(file)]);
    expect(j.code, j.stderr).toBe(0);
    const doc = JSON.parse(j.stdout) as GridJson;
    const rows = csvColumns(c.stdout);
    expect(doc.outputs.map((o) => o.label)).toEqual(['P(12.5% in 2020)', 'P(14.6% by 2025)', 'gap to national 2030']);
    doc.outputs.forEach((o, k) => {
      const a = o.analysis;
      // Probability outputs (the first two) carry their 95% Wilson interval cell by cell.
      const probability = k < 2;
      expect(Object.keys(a)).toEqual(
        probability
          ? ['names', 'levels', 'values', 'probabilityLow', 'probabilityHigh', 'table']
          : ['names', 'levels', 'values', 'table'],
      );
      expect(a.names).toEqual(['ftz', 'openness']);
      expect(a.levels).toEqual([
        [0, 0.5, 1],
        [0, 0.5, 1],
      ]);
      // Exactly the numbers of the CSV (which round-trip), in its row order: openness fastest.
      expect(a.values).toEqual(rows.map((r) => r[3 + k]));
      const cell = (i: number, jj: number): number => rows[i * 3 + jj]![3 + k]!;
      const ci = (i: number, jj: number) => wilsonOrNull(Math.round(cell(i, jj) * 40), 40)!;
      expect(a.table).toEqual({
        rowFactor: 'ftz',
        colFactor: 'openness',
        rowLevels: [0, 0.5, 1],
        colLevels: [0, 0.5, 1],
        values: [0, 1, 2].map((i) => [0, 1, 2].map((jj) => cell(i, jj))),
        ...(probability
          ? {
              low: [0, 1, 2].map((i) => [0, 1, 2].map((jj) => ci(i, jj).low)),
              high: [0, 1, 2].map((i) => [0, 1, 2].map((jj) => ci(i, jj).high)),
            }
          : {}),
      });
      if (probability) {
        expect(a.probabilityLow).toEqual(rows.map((r) => wilsonOrNull(Math.round(r[3 + k]! * 40), 40)!.low));
        expect(a.probabilityHigh).toEqual(rows.map((r) => wilsonOrNull(Math.round(r[3 + k]! * 40), 40)!.high));
      }
    });
    // Not vacuous: the probabilities are there and differ across the grid.
    expect(new Set(doc.outputs[1]!.analysis.values).size).toBeGreaterThan(4);
  });

  it('a one-factor grid: values, no table', async () => {
    const file = `${FIX}/regional/mc-scale.yaml`;
    const [j, c] = await Promise.all([cli('sweep', file, '--workers', '0', '--format', 'json'), designCsv(file)]);
    const doc = JSON.parse(j.stdout) as GridJson;
    const rows = csvColumns(c.stdout);
    doc.outputs.forEach((o, k) => {
      expect(Object.keys(o.analysis)).toEqual(
        k === 0 ? ['names', 'levels', 'values', 'probabilityLow', 'probabilityHigh'] : ['names', 'levels', 'values'],
      );
      expect(o.analysis.values).toEqual(rows.map((r) => r[2 + k]));
    });
    expect(doc.outputs[0]!.analysis.values).toEqual([0, 0.815]);
  });

  it('scenarios/sweeps/ftz-openness-grid.yaml (2 workers): 5 × 5 probabilities for each output', async () => {
    const r = await cli('sweep', 'scenarios/sweeps/ftz-openness-grid.yaml', '--workers', '2', '--format', 'json');
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout) as GridJson;
    expect(doc.outputs.map((o) => o.label)).toEqual(['P(reached by 2020)', 'P(reached by 2025)']);
    for (const o of doc.outputs) {
      expect(o.analysis.values.length).toBe(25);
      expect(o.analysis.values.every((p) => p >= 0 && p <= 1)).toBe(true);
      expect(o.analysis.table!.values.flat()).toEqual(o.analysis.values);
      expect(o.analysis.table!.values.map((row) => row.length)).toEqual([5, 5, 5, 5, 5]);
    }
    // Full free trade zone and full opening from 2017 give the 2025 target a chance; none gives 2020 one.
    expect(doc.outputs[1]!.analysis.table!.values[4]![4]).toBeGreaterThan(0);
  });

  it('other designs: everything but X (and Morris effects)', async () => {
    const [morris, oat] = await Promise.all([
      cli('sweep', `${FIX}/g-morris.yaml`, '--workers', '0', '--format', 'json'),
      cli('sweep', `${FIX}/oat-levers.yaml`, '--workers', '0', '--format', 'json'),
    ]);
    const m = (JSON.parse(morris.stdout) as { outputs: { analysis: Record<string, unknown> }[] }).outputs[0]!.analysis;
    expect(Object.keys(m)).toEqual([
      'names',
      'mu',
      'muStar',
      'sigma',
      'muStarLow',
      'muStarHigh',
      'muStarConf',
      'ranking',
      'resamples',
      'confLevel',
    ]);
    const o = (JSON.parse(oat.stdout) as { outputs: { analysis: Record<string, unknown> }[] }).outputs[0]!.analysis;
    expect(o).not.toHaveProperty('X');
    expect(o).toHaveProperty('swing');
  });
});

describe('table format: an analysis note under its output', () => {
  it('a Sobol output that never varies: the indices, then the note', async () => {
    const r = await cli('sweep', `${FIX}/regional/constant-sobol.yaml`, '--workers', '0');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(
      [
        'Sweep: constant-sobol — sobol, 64 model evaluations',
        'Sobol over b and x3 of an output that stays 0.',
        '',
        'Output: f (constant)',
        'factor      S1         S1 95% CI      ST         ST 95% CI',
        '------  ------  ----------------  ------  ----------------',
        'b       0.0000  [0.0000, 0.0000]  0.0000  [0.0000, 0.0000]',
        'x3      0.0000  [0.0000, 0.0000]  0.0000  [0.0000, 0.0000]',
        'note: outputs: every value is the same; all indices are 0',
        '',
      ].join('\n'),
    );
  });
});
