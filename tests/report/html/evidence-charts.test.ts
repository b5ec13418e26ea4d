/**
 * The backtest and calibrate sections (issue 12): the data of every chart equal the numbers of the
 * JSON result they come from (each test reads both); `--out x.html` writes the bytes `policysim
 * report x.json` writes, one self-contained page; the verdict and the collapse warning are in it.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chartsOf } from '../../../src/report/html/report.js';
import type { BacktestDoc, CalibrateDoc } from '../../../src/report/html/result-docs.js';
import { parseResultDocs } from '../../../src/report/html/result-docs.js';
import type { Chart } from '../../../src/report/html/theme.js';
import { cli } from '../../cli/harness.js';
import { RESULTS, resultJson } from '../../fixtures/report/results.js';
import { layerData } from './spec-data.js';

let bt: BacktestDoc;
let cal: CalibrateDoc;
let btCharts: Chart[];
let calCharts: Chart[];
const texts: Record<string, string> = {};
const dir = mkdtempSync(join(tmpdir(), 'policysim-evidence-report-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

beforeAll(async () => {
  texts.backtest = await resultJson('backtest');
  texts.calibrate = await resultJson('calibrate');
  bt = JSON.parse(texts.backtest);
  cal = JSON.parse(texts.calibrate);
  btCharts = chartsOf(parseResultDocs(texts.backtest, 'bt.json')[0]!, 'r1');
  calCharts = chartsOf(parseResultDocs(texts.calibrate, 'cal.json')[0]!, 'r1');
}, 120_000);

const find = (charts: Chart[], id: string): Chart => {
  const c = charts.find((x) => x.id === id);
  if (!c) throw new Error(`no chart ${id}; have ${charts.map((x) => x.id).join(', ')}`);
  return c;
};

describe('backtest', () => {
  it('a coverage chart, a PIT histogram and one chart per observed indicator', () => {
    const inds = bt.indicators.filter((i) => bt.observations.some((o) => o.indicator === i.name)).map((i) => i.name);
    expect(inds).toEqual(['trade_dependence', 'gdp', 'rd_intensity']);
    expect(btCharts.map((c) => c.id)).toEqual([
      'r1-backtest-coverage',
      'r1-backtest-pit',
      ...inds.map((i) => `r1-backtest-${i}`),
    ]);
  });

  it('coverage: each series and all observations, the 50% and 90% band, with the JSON’s intervals', () => {
    const spec = find(btCharts, 'r1-backtest-coverage').spec;
    const want = [...bt.series, bt.overall].flatMap((s) => [
      { band: '50% band', nominal: 0.5, coverage: s.coverage50, low: s.interval50[0], high: s.interval50[1] },
      { band: '90% band', nominal: 0.9, coverage: s.coverage90, low: s.interval90[0], high: s.interval90[1] },
    ]);
    const got = layerData(spec, 'coverage').map((r) => ({
      band: r.band,
      nominal: r.nominal,
      coverage: r.coverage,
      low: r.low,
      high: r.high,
    }));
    expect(got).toEqual(want);
    expect(layerData(spec, 'interval')).toEqual(layerData(spec, 'coverage'));
    // The counts behind each share.
    const rows = layerData(spec, 'coverage');
    expect(rows.at(-1)).toMatchObject({ group: 'all observations', held: bt.overall.inside90, n: bt.overall.n });
    expect(rows.at(-2)).toMatchObject({ held: bt.overall.inside50, n: bt.overall.n });
    expect(rows[0]).toMatchObject({ group: 'Trade dependence, Northeast' });
    expect(layerData(spec, 'nominal').map((r) => r.nominal)).toEqual([0.5, 0.9]);
  });

  it('PIT: the five bins of the overall histogram, against the uniform n / 5', () => {
    const spec = find(btCharts, 'r1-backtest-pit').spec;
    expect(layerData(spec, 'bars')).toEqual(
      ['0.0–0.2', '0.2–0.4', '0.4–0.6', '0.6–0.8', '0.8–1.0'].map((bin, i) => ({
        bin,
        count: bt.overall.pitHistogram[i],
      })),
    );
    expect(layerData(spec, 'bars').reduce((a, r) => a + (r.count as number), 0)).toBe(bt.overall.n);
    // The histogram summarises the observations' own PIT values.
    const bins = [0, 0, 0, 0, 0];
    for (const o of bt.observations) bins[Math.min(4, Math.floor(o.pit * 5))]!++;
    expect(bt.overall.pitHistogram).toEqual(bins);
    expect(layerData(spec, 'uniform')).toEqual([{ expected: bt.overall.n / 5 }]);
  });

  it('each observation against the percentiles of its runs, misses outside the 90% band marked', () => {
    const names = new Map(bt.regions.map((r) => [r.id, r.name]));
    for (const ind of ['trade_dependence', 'gdp', 'rd_intensity']) {
      const spec = find(btCharts, `r1-backtest-${ind}`).spec;
      const want = bt.observations
        .filter((o) => o.indicator === ind)
        .map((o) => ({
          row: `${names.get(o.region)} ${o.year}`,
          p5: o.p5,
          p25: o.p25,
          p50: o.p50,
          p75: o.p75,
          p95: o.p95,
          observed: o.observed,
          outside: o.band === 'below90' || o.band === 'above90',
        }));
      for (const layer of ['band90', 'band50', 'median', 'observed']) expect(layerData(spec, layer)).toEqual(want);
    }
  });
});

describe('calibrate', () => {
  it('fitted values, residuals, prior against posterior, and the posterior predictive bands per indicator', () => {
    const banded = cal.indicators.filter((i) => cal.posterior!.bands.some((b) => b.indicator === i.name));
    expect(calCharts.map((c) => c.id)).toEqual([
      'r1-calibrate-fit',
      'r1-calibrate-residuals',
      'r1-calibrate-posterior',
      ...banded.map((i) => `r1-calibrate-bands-${i.name}`),
    ]);
  });

  it('fit: each parameter’s range, start and estimate, ±2 standard errors inside the range, its identification', () => {
    const rows = layerData(find(calCharts, 'r1-calibrate-fit').spec, 'estimate');
    expect(rows).toHaveLength(4);
    expect(rows).toEqual(
      cal.fit.parameters.map((p) => ({
        parameter: p.label,
        low: p.range[0],
        high: p.range[1],
        start: p.start,
        value: p.value,
        seLow: Math.max(p.range[0], p.value - 2 * p.standardError!),
        seHigh: Math.min(p.range[1], p.value + 2 * p.standardError!),
        label: `${Number(p.value.toPrecision(4))} ± ${Number(p.standardError!.toPrecision(4))}: ${p.identification}`,
      })),
    );
    expect(rows[0]!.label).toBe('-0.04287 ± 0.001595: well identified');
  });

  it('residuals: each observation’s standardised residual', () => {
    const rows = layerData(find(calCharts, 'r1-calibrate-residuals').spec, 'residuals');
    expect(rows.map((r) => [r.standardized, r.residual])).toEqual(
      cal.fit.residuals.map((r) => [r.standardized, r.residual]),
    );
    expect(rows.map((r) => r.standardized)).toEqual(cal.fit.residuals.map((r) => (r.fitted - r.observed) / r.sd));
  });

  it('posterior: each draw’s prior and posterior mean and 90% interval', () => {
    const rows = layerData(find(calCharts, 'r1-calibrate-posterior').spec, 'mean');
    expect(rows).toEqual(
      cal.posterior!.parameters.flatMap((p) => [
        { parameter: p.label, which: 'prior', mean: p.priorMean, low: p.priorLow, high: p.priorHigh },
        { parameter: p.label, which: 'posterior', mean: p.mean, low: p.low, high: p.high },
      ]),
    );
  });

  it('bands: a panel per observed series, prior and posterior 5/50/95% every year, the observations on it', () => {
    let panels = 0;
    for (const ind of cal.indicators) {
      const bands = cal.posterior!.bands.filter((b) => b.indicator === ind.name);
      if (bands.length === 0) continue;
      const spec = find(calCharts, `r1-calibrate-bands-${ind.name}`).spec;
      bands.forEach((b, n) => {
        const want = b.years.map((year, i) => ({
          year,
          priorP5: b.priorP5[i],
          priorP50: b.priorP50[i],
          priorP95: b.priorP95[i],
          p5: b.p5[i],
          p50: b.p50[i],
          p95: b.p95[i],
        }));
        for (const layer of ['prior', 'posterior', 'median']) expect(layerData(spec, `${layer}_${n}`)).toEqual(want);
        expect(layerData(spec, `observed_${n}`)).toEqual(
          cal.fit.residuals
            .filter((r) => r.indicator === b.indicator && r.region === b.region)
            .map((r) => ({ year: r.year, value: r.observed })),
        );
        panels++;
      });
    }
    expect(panels).toBe(cal.posterior!.bands.length);
  });
});

describe('the page', () => {
  it.each(['backtest', 'calibrate'] as const)(
    '%s --out x.html writes the bytes `policysim report x.json` writes, self-contained',
    async (kind) => {
      const json = join(dir, `${kind}.json`);
      writeFileSync(json, texts[kind]!);
      const direct = join(dir, `${kind}.html`);
      const viaReport = join(dir, `${kind}-report.html`);
      const env = process.env.SOURCE_DATE_EPOCH;
      process.env.SOURCE_DATE_EPOCH = '1767225600';
      try {
        expect((await cli(...RESULTS[kind], '--out', direct)).code).toBe(0);
        expect((await cli('report', json, '--out', viaReport)).code).toBe(0);
      } finally {
        if (env === undefined) delete process.env.SOURCE_DATE_EPOCH;
        else process.env.SOURCE_DATE_EPOCH = env;
      }
      const html = readFileSync(direct, 'utf8');
      expect(html === readFileSync(viaReport, 'utf8')).toBe(true);
      // Nothing to fetch: no script, no link, no image, no url(); only the SVG namespaces name a host.
      expect(/<script|<link|<img|url\(/i.test(html)).toBe(false);
      expect(
        [...html.matchAll(/https?:\/\/[^"' )]+/g)].every((m) =>
          /^http:\/\/www\.w3\.org\/(2000\/svg|1999\/xlink)$/.test(m[0]),
        ),
      ).toBe(true);
      if (kind === 'backtest') {
        expect(html.includes(`Verdict: bands ${bt.overall.verdict} (${bt.overall.n} observations)`)).toBe(true);
      } else {
        // 600 prior runs against precise observations: the effective sample size collapses, and the page says so.
        expect(cal.posterior!.effectiveSampleSize).toBeLessThan(100);
        expect(
          html.includes(
            `<p class="warning">warning: effective sample size ${cal.posterior!.effectiveSampleSize.toFixed(1)} of 600 runs`,
          ),
        ).toBe(true);
      }
    },
    120_000,
  );
});
