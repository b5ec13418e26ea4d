/**
 * Results a spreadsheet can take: the mc targets table (probability and 95% Wilson interval) as the
 * second CSV table, the same interval in the text table and the JSON, and the sweep analyses as CSV,
 * one row per output × factor.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { McDoc, SweepDoc } from '../../src/report/html/result-docs.js';
import { wilsonOrNull } from '../../src/util/wilson.js';
import { cli } from '../cli/harness.js';
import type { SweepAnalysisJson as A } from '../fixtures/report/results.js';

const MC = ['mc', 'scenarios/paper-proposals.yaml', '--runs', '500', '--workers', '0'];

describe('mc: target probabilities with their Wilson interval', () => {
  let doc: McDoc;
  let csv: string;
  let table: string;
  let dir: string;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'policysim-mc-csv-'));
    const [j, c, t] = await Promise.all([cli(...MC, '--format', 'json'), cli(...MC, '--format', 'csv'), cli(...MC)]);
    doc = JSON.parse(j.stdout) as McDoc;
    csv = c.stdout;
    table = t.stdout;
  }, 120_000);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('JSON: probabilityLow and probabilityHigh are the Wilson interval of runsReached of runs', () => {
    expect(doc.targets).toHaveLength(4);
    for (const t of doc.targets) {
      const ci = wilsonOrNull(t.runsReached, doc.runs)!;
      expect([t.probabilityLow, t.probabilityHigh]).toEqual([ci.low, ci.high]);
      expect(t.probability).toBe(t.runsReached / 500);
    }
    expect((doc as unknown as { probabilityInterval: string }).probabilityInterval).toBe('Wilson score interval, 95%');
  });

  it('CSV: the statistics, a blank line, then one row per target', () => {
    const [stats, targets, ...rest] = csv.split('\n\n');
    expect(rest).toEqual([]);
    expect(stats!.split('\n')[0]).toBe('indicator,region,kind,year,mean,sd,min,max,p5,p25,p50,p75,p95,resolution');
    const lines = targets!.trimEnd().split('\n');
    expect(lines[0]).toBe(
      'target,indicator,region,year,direction,runs,runs_reached,probability,probability_low,probability_high,first_year_median,runs_never',
    );
    expect(lines.slice(1)).toEqual(
      doc.targets.map((t) =>
        [
          t.name.includes(',') ? `"${t.name}"` : t.name,
          t.indicator,
          t.region,
          t.year,
          t.direction,
          500,
          t.runsReached,
          t.probability,
          t.probabilityLow,
          t.probabilityHigh,
          t.firstYearReached.median ?? '',
          t.firstYearReached.never,
        ].join(','),
      ),
    );
  });

  it('--out NAME.csv: the statistics in NAME.csv, the targets in NAME.targets.csv', async () => {
    const out = join(dir, 'mc.csv');
    const r = await cli(...MC, '--out', out);
    expect(r.stderr).toBe(`wrote ${out}\nwrote ${join(dir, 'mc.targets.csv')}\n`);
    const [stats, targets] = csv.split('\n\n');
    expect(readFileSync(out, 'utf8')).toBe(`${stats}\n`);
    expect(readFileSync(join(dir, 'mc.targets.csv'), 'utf8')).toBe(targets);
  });

  it('table: each probability with its interval', () => {
    const t = doc.targets[1]!;
    const pc = (p: number): string => `${(100 * p).toFixed(1)}%`;
    expect(table).toContain(
      `  ${t.name}: probability ${pc(t.probability!)}, 95% interval ${pc(t.probabilityLow!)} to ${pc(t.probabilityHigh!)} (${t.runsReached} of 500 runs)`,
    );
  });
});

describe('sweep --format csv: the analysis, one row per output × factor', () => {
  const sweepDoc = async (file: string): Promise<{ doc: SweepDoc; csv: string[][] }> => {
    const [j, c] = await Promise.all([
      cli('sweep', file, '--workers', '0', '--format', 'json'),
      cli('sweep', file, '--workers', '0', '--format', 'csv'),
    ]);
    expect(c.code, c.stderr).toBe(0);
    return {
      doc: JSON.parse(j.stdout) as SweepDoc,
      csv: c.stdout
        .trimEnd()
        .split('\n')
        .map((l) => l.split(',')),
    };
  };

  it('sobol: S1, its interval, ST, its interval; ranked by ST within each output', async () => {
    const { doc, csv } = await sweepDoc('tests/fixtures/sweep/det-sobol.yaml');
    expect(csv[0]).toEqual(['output', 'factor', 'rank', 'S1', 'S1_low', 'S1_high', 'ST', 'ST_low', 'ST_high']);
    expect(csv.slice(1)).toEqual(
      doc.outputs.flatMap((o) => {
        const a = o.analysis as unknown as A;
        return a.ranking.map((i, r) =>
          [o.label, a.names[i], r + 1, a.S1[i], a.S1Low[i], a.S1High[i], a.ST[i], a.STLow[i], a.STHigh[i]].map(String),
        );
      }),
    );
    expect(csv).toHaveLength(1 + 2 * 4);
  });

  it('morris: μ, μ*, its interval, σ', async () => {
    const { doc, csv } = await sweepDoc('tests/fixtures/sweep/g-morris.yaml');
    expect(csv[0]).toEqual(['output', 'factor', 'rank', 'mu', 'mu_star', 'mu_star_low', 'mu_star_high', 'sigma']);
    const a = doc.outputs[0]!.analysis as unknown as A;
    expect(csv.slice(1)).toEqual(
      a.ranking.map((i, r) =>
        [
          doc.outputs[0]!.label,
          a.names[i],
          r + 1,
          a.mu[i],
          a.muStar[i],
          a.muStarLow[i],
          a.muStarHigh[i],
          a.sigma[i],
        ].map(String),
      ),
    );
  });

  it('oat: the factor’s low and high, the base output, the output at each end, the swing', async () => {
    const { doc, csv } = await sweepDoc('tests/fixtures/sweep/oat-levers.yaml');
    expect(csv[0]).toEqual([
      'output',
      'factor',
      'rank',
      'factor_low',
      'factor_high',
      'base_output',
      'output_at_low',
      'output_at_high',
      'swing',
    ]);
    expect(csv).toHaveLength(1 + 8 * 8);
    const a = doc.outputs[0]!.analysis as unknown as A;
    const f = (i: number) => doc.factors[i]!;
    expect(csv.slice(1, 9)).toEqual(
      a.ranking.map((i, r) =>
        [
          doc.outputs[0]!.label,
          a.names[i],
          r + 1,
          f(i).low,
          f(i).high,
          a.baseOutput,
          a.low[i],
          a.high[i],
          a.swing[i],
        ].map(String),
      ),
    );
  });

  it('policy-grid: one row per output × design row, with the Wilson interval of each probability', async () => {
    const { doc, csv } = await sweepDoc('tests/fixtures/sweep/det-policy-grid.yaml');
    expect(csv[0]).toEqual(['output', 'row', 'ftz', 'openness', 'value', 'probability_low', 'probability_high']);
    expect(csv).toHaveLength(1 + 3 * 9);
    doc.outputs.forEach((o, k) => {
      const values = o.analysis.values as number[];
      values.forEach((v, i) => {
        const row = csv[1 + k * 9 + i]!;
        const ci = k < 2 ? wilsonOrNull(Math.round(v * 40), 40)! : undefined;
        expect(row.slice(1)).toEqual(
          [i, Math.floor(i / 3) * 0.5, (i % 3) * 0.5, v, ci?.low ?? '', ci?.high ?? ''].map(String),
        );
      });
    });
  });
});
