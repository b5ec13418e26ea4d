/**
 * For every chart of the report, the data in its Vega-Lite specification are the numbers of the JSON
 * result it came from: each test reads the JSON (as `--format json` prints it) and the chart's spec,
 * and rebuilds the expected rows from the JSON's own fields.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { mcCharts } from '../../../src/report/html/mc-charts.js';
import { chartsOf } from '../../../src/report/html/report.js';
import type { CompareDoc, McDoc, RunDoc, SweepDoc } from '../../../src/report/html/result-docs.js';
import { parseResultDocs } from '../../../src/report/html/result-docs.js';
import { runCharts } from '../../../src/report/html/run-charts.js';
import type { Chart } from '../../../src/report/html/theme.js';
import { type SweepAnalysisJson as Analysis, type ResultKind, resultJson } from '../../fixtures/report/results.js';
import { layerData, layerNames } from './spec-data.js';

const docs: Partial<Record<ResultKind, unknown>> = {};
const charts: Partial<Record<ResultKind, Chart[]>> = {};

beforeAll(async () => {
  for (const kind of ['run', 'compare', 'mc', 'sobol', 'oat', 'morris', 'lhs', 'grid', 'policyGrid'] as const) {
    const text = await resultJson(kind);
    docs[kind] = JSON.parse(text);
    charts[kind] = chartsOf(parseResultDocs(text, `${kind}.json`)[0]!, 'r1');
  }
}, 120_000);

const sortRows = <T>(rows: T[]): T[] => [...rows].sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1));
const chart = (kind: ResultKind, id: string): Chart => {
  const c = charts[kind]!.find((x) => x.id === id);
  if (!c) throw new Error(`no chart ${id}; have ${charts[kind]!.map((x) => x.id).join(', ')}`);
  return c;
};

describe('run: one line chart per indicator', () => {
  it('a chart for each of the eight indicators', () => {
    const doc = docs.run as RunDoc;
    expect(charts.run!.map((c) => c.id)).toEqual(doc.indicators.map((i) => `r1-${i.name}`));
  });

  it("each chart's lines are the JSON series of its indicator, every region and year", () => {
    const doc = docs.run as RunDoc;
    const names = new Map(doc.regions.map((r) => [r.id, r.name]));
    for (const ind of doc.indicators) {
      const want = doc.series
        .filter((s) => s.indicator === ind.name)
        .flatMap((s) =>
          s.values.map((value, i) => ({ year: doc.years[i], value, region: names.get(s.region), kind: s.kind })),
        );
      expect(want.length).toBeGreaterThanOrEqual(4 * 21);
      expect(sortRows(layerData(chart('run', `r1-${ind.name}`).spec, 'lines'))).toEqual(sortRows(want));
    }
  });

  it('each target is marked at its year and reference, with its verdict', () => {
    const doc = docs.run as RunDoc;
    const td = layerData(chart('run', 'r1-trade_dependence').spec, 'target_mark');
    const targets = doc.targets.filter((t) => t.indicator === 'trade_dependence');
    expect(targets).toHaveLength(2);
    expect(td).toEqual(
      targets.map((t) => ({
        year: t.year,
        value: t.reference,
        label: `NOT REACHED: ${t.value.toFixed(2)} vs ${t.reference.toFixed(2)} (${t.year})`,
      })),
    );
    expect(td[0]!.label).toBe('NOT REACHED: 13.96 vs 30.16 (2020)');
  });
});

describe('compare: overlay and differences per compared indicator and region', () => {
  it('one chart per (indicator, region) of the rows', () => {
    const doc = docs.compare as CompareDoc;
    const pairs = [...new Set(doc.rows.map((r) => `r1-${r.indicator}-${r.region}`))];
    expect(pairs).toHaveLength(4);
    expect(charts.compare!.map((c) => c.id)).toEqual(pairs);
  });

  it('the overlay is each run’s series; the differences are against the first; the dots are the rows’ differences', () => {
    const doc = docs.compare as CompareDoc;
    for (const c of charts.compare!) {
      const [, indicator, region] = /^r1-(\w+)-(\w+)$/.exec(c.id)!;
      const series = doc.runs.map((run) => run.series.find((s) => s.indicator === indicator && s.region === region)!);
      const years = doc.runs[0]!.years;
      expect(layerData(c.spec, 'overlay')).toEqual(
        series.flatMap((s, k) => s.values.map((value, i) => ({ scenario: doc.scenarios[k], year: years[i], value }))),
      );
      expect(layerData(c.spec, 'differences')).toEqual(
        series.slice(1).flatMap((s, k) =>
          s.values.map((v, i) => ({
            scenario: doc.scenarios[k + 1],
            year: years[i],
            difference: v - series[0]!.values[i]!,
          })),
        ),
      );
      const rows = doc.rows.filter((r) => r.indicator === indicator && r.region === region);
      expect(rows.map((r) => r.year)).toEqual([2020, 2025, 2030, 2035]);
      expect(layerData(c.spec, 'compared')).toEqual(
        rows.flatMap((r) =>
          r.differences.slice(1).map((difference, k) => ({ scenario: doc.scenarios[k + 1], year: r.year, difference })),
        ),
      );
    }
  });
});

describe('mc: fan charts, probabilities, first year reached', () => {
  it('a fan panel per indicator and aggregate or province: bands, median and deterministic path from the JSON', () => {
    const doc = docs.mc as McDoc;
    let panels = 0;
    for (const ind of doc.indicators) {
      const c = chart('mc', `r1-fan-${ind.name}`);
      // Panels in the reading order of the result's regions: the aggregate first.
      const order = doc.regions.map((r) => r.id);
      const series = doc.series
        .filter((s) => s.indicator === ind.name && s.kind !== 'reference')
        .sort((a, b) => order.indexOf(a.region) - order.indexOf(b.region));
      expect(series.map((s) => s.region)).toEqual(['northeast', 'liaoning', 'jilin', 'heilongjiang']);
      series.forEach((s, n) => {
        const want = doc.years.map((year, i) => ({
          year,
          p5: s.p5[i],
          p25: s.p25[i],
          p50: s.p50[i],
          p75: s.p75[i],
          p95: s.p95[i],
          deterministic: s.deterministic[i],
        }));
        for (const layer of ['band90', 'band50', 'median', 'deterministic'])
          expect(layerData(c.spec, `${layer}_${n}`)).toEqual(want);
        const ref = doc.series.find((r) => r.indicator === ind.name && r.kind === 'reference');
        if (ref)
          expect(layerData(c.spec, `reference_${n}`)).toEqual(
            doc.years.map((year, i) => ({ year, value: ref.p50[i] })),
          );
        panels++;
      });
    }
    expect(panels).toBe(32);
  });

  it('the deterministic path is the run of the same scenario', async () => {
    const doc = docs.mc as McDoc;
    const run = docs.run as RunDoc;
    for (const s of doc.series) {
      const r = run.series.find((x) => x.indicator === s.indicator && x.region === s.region)!;
      expect(s.deterministic).toEqual(r.values);
    }
  });

  it('target probabilities with their Wilson interval', () => {
    const doc = docs.mc as McDoc;
    const rows = layerData(chart('mc', 'r1-probabilities').spec, 'probability');
    expect(rows.map((r) => [r.probability, r.low, r.high])).toEqual(
      doc.targets.map((t) => [t.probability, t.probabilityLow, t.probabilityHigh]),
    );
    expect(rows.map((r) => r.target)).toEqual(doc.targets.map((t, k) => `${k + 1}. ${t.name}`));
    expect(doc.targets.every((t) => t.probabilityLow! <= t.probability! && t.probability! <= t.probabilityHigh!)).toBe(
      true,
    );
  });

  it('the first year reached: one bar per horizon year and one for never, shares of the runs', () => {
    const doc = docs.mc as McDoc;
    doc.targets.forEach((t, k) => {
      const rows = layerData(chart('mc', `r1-first-year-${k + 1}`).spec, 'bars');
      const f = t.firstYearReached;
      expect(rows).toEqual([
        ...f.years.map((y, i) => ({ year: String(y), runs: f.counts[i], share: f.counts[i]! / doc.runs })),
        { year: 'never', runs: f.never, share: f.never / doc.runs },
      ]);
      expect(rows.reduce((a, r) => a + (r.runs as number), 0)).toBe(doc.runs);
    });
  });
});

const outputs = (kind: ResultKind) =>
  (docs[kind] as SweepDoc).outputs as unknown as { label: string; analysis: Analysis }[];

describe('sweep charts: one per output', () => {
  it('oat: the tornado bars are each factor’s output at its low and high end, ranked by swing', () => {
    const outs = outputs('oat');
    expect(charts.oat).toHaveLength(outs.length);
    outs.forEach((o, k) => {
      const a = o.analysis;
      const rows = layerData(chart('oat', `r1-oat-${k + 1}`).spec, 'bars');
      expect(rows).toEqual(
        a.ranking.flatMap((i) => [
          { factor: a.names[i], end: 'low', value: a.low[i], base: a.baseOutput, swing: a.swing[i] },
          { factor: a.names[i], end: 'high', value: a.high[i], base: a.baseOutput, swing: a.swing[i] },
        ]),
      );
      const swings = rows.filter((_, j) => j % 2 === 0).map((r) => r.swing as number);
      expect([...swings].sort((x, y) => y - x)).toEqual(swings);
    });
  });

  it('sobol: S1 and ST bars with their interval ends, ranked by ST', () => {
    outputs('sobol').forEach((o, k) => {
      const a = o.analysis;
      const rows = layerData(chart('sobol', `r1-sobol-${k + 1}`).spec, 'bars');
      expect(rows).toEqual(
        a.ranking.flatMap((i) => [
          { factor: a.names[i], index: 'S1', value: a.S1[i], low: a.S1Low[i], high: a.S1High[i] },
          { factor: a.names[i], index: 'ST', value: a.ST[i], low: a.STLow[i], high: a.STHigh[i] },
        ]),
      );
      expect(rows).toHaveLength(8);
    });
  });

  it('morris: μ* against σ, every factor labelled', () => {
    const [o] = outputs('morris');
    const a = o!.analysis;
    const c = chart('morris', 'r1-morris-1');
    expect(layerData(c.spec, 'points')).toEqual(
      a.ranking.map((i) => ({
        factor: a.names[i],
        muStar: a.muStar[i],
        sigma: a.sigma[i],
        low: a.muStarLow[i],
        high: a.muStarHigh[i],
      })),
    );
    const labelled = layerData(c.spec, 'labels').flatMap((l) => (l.text as string).split(', '));
    expect(labelled.sort()).toEqual([...a.names].sort());
  });

  it('lhs: each factor against each output, one point per sampled row', () => {
    const doc = docs.lhs as SweepDoc;
    expect(doc.sample!.of).toBe(60);
    expect(doc.sample!.X).toHaveLength(60);
    doc.outputs.forEach((_, k) => {
      const c = chart('lhs', `r1-lhs-${k + 1}`);
      doc.factors.forEach((_, j) => {
        expect(layerData(c.spec, `scatter_${j}`)).toEqual(
          doc.sample!.X.map((x, i) => ({ x: x[j], y: doc.sample!.Y[i]![k] })),
        );
      });
    });
  });

  it('grid: a heatmap cell per combination, with its value', () => {
    const [o] = outputs('grid');
    const t = o!.analysis.table as unknown as { rowLevels: number[]; colLevels: number[]; values: number[][] };
    const rows = layerData(chart('grid', 'r1-grid-1').spec, 'cells');
    expect(rows.map((r) => [r.row, r.col, r.value, r.low, r.high])).toEqual(
      t.rowLevels.flatMap((rv, i) => t.colLevels.map((cv, j) => [rv, cv, t.values[i]![j], null, null])),
    );
    expect(rows).toHaveLength(12);
  });

  it('policy-grid: each cell’s probability and its 95% Wilson interval, written in the cell', () => {
    const outs = outputs('policyGrid');
    outs.forEach((o, k) => {
      const t = o.analysis.table as unknown as {
        rowLevels: number[];
        colLevels: number[];
        values: number[][];
        low?: number[][];
        high?: number[][];
      };
      const rows = layerData(chart('policyGrid', `r1-policy-grid-${k + 1}`).spec, 'cells');
      expect(rows.map((r) => [r.row, r.col, r.value, r.low, r.high])).toEqual(
        t.rowLevels.flatMap((rv, i) =>
          t.colLevels.map((cv, j) => [rv, cv, t.values[i]![j], t.low?.[i]?.[j] ?? null, t.high?.[i]?.[j] ?? null]),
        ),
      );
      if (k < 2) {
        expect(rows[0]!.label).toBe(
          `${t.values[0]![0]!.toFixed(3)}\n[${t.low![0]![0]!.toFixed(2)}, ${t.high![0]![0]!.toFixed(2)}]`,
        );
      }
    });
  });
});

describe('observed points (evidence), when given', () => {
  const observed = [
    { indicator: 'trade_dependence', region: 'northeast', year: 2016, value: 13.9, source: 'yearbook' },
    { indicator: 'trade_dependence', region: 'jilin', year: 2017, value: 8.1 },
    { indicator: 'rd_intensity', region: 'northeast', year: 2016, value: 1.2 },
  ];

  it('join the run chart of their indicator as their own layer', () => {
    const c = runCharts(docs.run as RunDoc, 'r1', { observed });
    expect(layerData(c[0]!.spec, 'observed')).toEqual([
      { year: 2016, value: 13.9, region: 'northeast', source: 'yearbook' },
      { year: 2017, value: 8.1, region: 'jilin', source: '' },
    ]);
    expect(layerNames(runCharts(docs.run as RunDoc, 'r1')[0]!.spec)).not.toContain('observed');
  });

  it('join the fan panel of their indicator and region', () => {
    const fan = mcCharts(docs.mc as McDoc, 'r1', { observed }).find((c) => c.id === 'r1-fan-trade_dependence')!;
    expect(layerData(fan.spec, 'observed_0')).toEqual([
      { year: 2016, value: 13.9, region: 'northeast', source: 'yearbook' },
    ]);
    expect(layerData(fan.spec, 'observed_2')).toEqual([{ year: 2017, value: 8.1, region: 'jilin', source: '' }]);
    expect(layerNames(fan.spec)).not.toContain('observed_1');
  });
});
