/**
 * Charts of a backtest (policysim.backtest/2): the coverage of the 50% and 90% bands per series and
 * overall against nominal, with their 95% binomial intervals; the PIT histogram of all scored
 * observations against the uniform a calibrated model gives; and, per indicator, each observation
 * against the Monte Carlo band it was scored in.
 */
import type { BacktestDoc, IndicatorLegend } from './result-docs.js';
import { regionNames } from './run-charts.js';
import { type Chart, OKABE_ITO, PERCENT, topLevel, valueFormat, WIDTH, withUnit } from './theme.js';

/** The bands graded, their nominal coverage and colour. */
const BANDS = [
  { band: '50% band', nominal: 0.5, colour: OKABE_ITO[0]!, width: '50' },
  { band: '90% band', nominal: 0.9, colour: OKABE_ITO[1]!, width: '90' },
] as const;

/** Outside the 90% band: the misses a reader looks for first. */
const MISS_COLOUR = '#D55E00';

/** The name of a series as the charts write it: `Trade dependence, Northeast`. */
export function seriesName(doc: BacktestDoc, indicator: string, region: string): string {
  const label = doc.indicators.find((i) => i.name === indicator)?.label ?? indicator;
  return `${label.replace(/ \(.*\)$/, '')}, ${regionNames(doc).get(region) ?? region}`;
}

/** The name of the overall row. */
export const OVERALL = 'all observations';

/**
 * Two rows per series (and for all observations): each band's coverage, its interval, the counts.
 * Series without a coverage (no scored observation) have no rows.
 */
export function coverageRows(doc: BacktestDoc): {
  group: string;
  band: string;
  nominal: number;
  coverage: number;
  low: number;
  high: number;
  held: number;
  n: number;
}[] {
  const groups = [
    ...doc.series.map((s) => ({ group: seriesName(doc, s.indicator, s.region), s })),
    { group: OVERALL, s: doc.overall },
  ];
  return groups.flatMap(({ group, s }) =>
    s.coverage50 === null || s.coverage90 === null
      ? []
      : BANDS.map(({ band, nominal, width: w }) => ({
          group,
          band,
          nominal,
          coverage: s[`coverage${w}`]!,
          low: s[`interval${w}`][0],
          high: s[`interval${w}`][1],
          held: s[`inside${w}`],
          n: s.n,
        })),
  );
}

function coverageChart(doc: BacktestDoc, prefix: string): Chart {
  const colour = {
    field: 'band',
    type: 'nominal',
    title: null,
    scale: { domain: BANDS.map((b) => b.band), range: BANDS.map((b) => b.colour) },
  };
  const y = { field: 'group', type: 'nominal', title: null, sort: null, axis: { labelLimit: 260 } };
  const yOffset = { field: 'band', type: 'nominal', sort: BANDS.map((b) => b.band) };
  const x = { type: 'quantitative', scale: { domain: [0, 1] }, axis: { format: PERCENT } };
  return {
    id: `${prefix}-backtest-coverage`,
    title: 'Coverage of the bands',
    spec: topLevel({
      title: 'Share of observations inside each band, against nominal (dashed)',
      width: WIDTH - 260,
      height: { step: 13, for: 'offset' },
      layer: [
        {
          name: 'nominal',
          data: { values: BANDS.map((b) => ({ band: b.band, nominal: b.nominal })) },
          mark: { type: 'rule', strokeDash: [4, 3], strokeWidth: 1.5 },
          encoding: { x: { field: 'nominal', ...x }, color: colour },
        },
        {
          name: 'interval',
          data: { values: coverageRows(doc) },
          mark: { type: 'rule', strokeWidth: 2 },
          encoding: {
            y,
            yOffset,
            x: { field: 'low', ...x, title: 'share of observations inside the band (whiskers: 95% interval)' },
            x2: { field: 'high' },
            color: colour,
          },
        },
        {
          name: 'coverage',
          data: { values: coverageRows(doc) },
          mark: { type: 'point', filled: true, size: 50, opacity: 1 },
          encoding: { y, yOffset, x: { field: 'coverage', ...x }, color: colour },
        },
      ],
    }),
  };
}

/** The PIT histogram of all scored observations: five bins of width 0.2. */
export function pitRows(doc: BacktestDoc): { bin: string; count: number }[] {
  return doc.overall.pitHistogram.map((count, i) => ({
    bin: `${(0.2 * i).toFixed(1)}–${(0.2 * (i + 1)).toFixed(1)}`,
    count,
  }));
}

function pitChart(doc: BacktestDoc, prefix: string): Chart {
  const rows = pitRows(doc);
  return {
    id: `${prefix}-backtest-pit`,
    title: 'PIT histogram',
    spec: topLevel({
      title: 'PIT: share of runs below each observation (all observations)',
      width: 300,
      height: 140,
      layer: [
        {
          name: 'bars',
          data: { values: rows },
          mark: { type: 'bar', color: '#0072B2' },
          encoding: {
            x: { field: 'bin', type: 'ordinal', sort: null, title: 'PIT', axis: { labelAngle: 0 } },
            y: { field: 'count', type: 'quantitative', title: 'observations', axis: { tickMinStep: 1, format: 'd' } },
          },
        },
        {
          name: 'uniform',
          data: { values: [{ expected: doc.overall.n / rows.length }] },
          mark: { type: 'rule', color: '#000000', strokeDash: [4, 3] },
          encoding: { y: { field: 'expected', type: 'quantitative' } },
        },
      ],
    }),
  };
}

/** One row per scored observation of `indicator`: its band and the observed value. */
export function observationRows(
  doc: BacktestDoc,
  indicator: string,
): {
  row: string;
  p5: number;
  p25: number;
  p50: number;
  p75: number;
  p95: number;
  observed: number;
  outside: boolean;
}[] {
  const names = regionNames(doc);
  return doc.observations
    .filter((o) => o.indicator === indicator)
    .map((o) => ({
      row: `${names.get(o.region) ?? o.region} ${o.year}`,
      p5: o.p5,
      p25: o.p25,
      p50: o.p50,
      p75: o.p75,
      p95: o.p95,
      observed: o.observed,
      outside: o.band === 'below90' || o.band === 'above90',
    }));
}

function observationChart(doc: BacktestDoc, prefix: string, ind: IndicatorLegend): Chart {
  const y = { field: 'row', type: 'nominal', title: null, sort: null, scale: { paddingInner: 0.3 } };
  const x = {
    type: 'quantitative',
    title: withUnit(ind.label.replace(/ \(.*\)$/, ''), ind.unit),
    axis: { format: valueFormat(ind.decimals) },
    scale: { zero: false },
  };
  return {
    id: `${prefix}-backtest-${ind.name}`,
    title: `${ind.label}: observed against the bands`,
    spec: topLevel({
      title: `${ind.label}: each observation against its Monte Carlo band`,
      width: WIDTH - 160,
      height: { step: 20 },
      data: { values: observationRows(doc, ind.name) },
      layer: [
        {
          name: 'band90',
          mark: { type: 'rule', strokeWidth: 2, color: '#6aaed6' },
          encoding: { y, x: { field: 'p5', ...x }, x2: { field: 'p95' } },
        },
        {
          name: 'band50',
          mark: { type: 'bar', height: 9, color: '#2171b5', opacity: 0.8 },
          encoding: { y, x: { field: 'p25', ...x }, x2: { field: 'p75' } },
        },
        {
          name: 'median',
          mark: { type: 'tick', color: '#08306b', thickness: 2, size: 14 },
          encoding: { y, x: { field: 'p50', ...x } },
        },
        {
          name: 'observed',
          mark: { type: 'point', filled: true, size: 40, opacity: 1 },
          encoding: {
            y,
            x: { field: 'observed', ...x },
            color: { condition: { test: 'datum.outside', value: MISS_COLOUR }, value: '#000000' },
          },
        },
      ],
    }),
  };
}

export function backtestCharts(doc: BacktestDoc, prefix: string): Chart[] {
  if (doc.observations.length === 0) return [];
  const scored = new Set(doc.observations.map((o) => o.indicator));
  return [
    coverageChart(doc, prefix),
    pitChart(doc, prefix),
    ...doc.indicators.filter((i) => scored.has(i.name)).map((i) => observationChart(doc, prefix, i)),
  ];
}
