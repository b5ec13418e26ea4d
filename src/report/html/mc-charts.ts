/**
 * Charts of a Monte Carlo result (policysim.mc/2): per indicator, a fan chart for each aggregate and
 * province (the p5–p95 and p25–p75 bands, the median, the deterministic path dashed, the reference's
 * median dotted, the targets marked); the probability of each target with its 95% Wilson interval;
 * and, per target, the distribution of the first year it is reached, "never" included.
 */
import type { IndicatorLegend, McDoc, McSeries } from './result-docs.js';
import { regionNames, targetLayers } from './run-charts.js';
import {
  BAND_COLOUR,
  BAND_LIGHT,
  type Chart,
  type ChartOptions,
  observedLayer,
  PANEL_HEIGHT,
  PANEL_WIDTH,
  PERCENT,
  pct,
  REFERENCE_COLOUR,
  REFERENCE_DASH,
  topLevel,
  WIDTH,
  yearBands,
  yearRows,
} from './theme.js';

/** The legend entries of a fan chart, in order, and their colours. */
export const FAN_LEGEND = {
  domain: ['p5–p95 (90% of runs)', 'p25–p75 (50% of runs)', 'median', 'deterministic path', 'reference (median)'],
  range: [BAND_LIGHT, BAND_COLOUR, '#08306b', '#D55E00', REFERENCE_COLOUR],
};

/** A fan chart's data: one row per year with the five percentiles and the deterministic value. */
export function fanRows(
  doc: McDoc,
  s: McSeries,
): { year: number; p5: number; p25: number; p50: number; p75: number; p95: number; deterministic: number }[] {
  return yearRows(doc.years, s, ['p5', 'p25', 'p50', 'p75', 'p95', 'deterministic']);
}

/**
 * One region's fan chart. Its layers are named `band90_N`, `band50_N`, `median_N`, ... (N: the
 * panel's place in the chart): Vega needs mark names unique within a chart.
 */
function fanPanel(doc: McDoc, ind: IndicatorLegend, s: McSeries, o: ChartOptions, n: number): Record<string, unknown> {
  const names = regionNames(doc);
  const { x, y, color, band, line } = yearBands(ind.decimals, FAN_LEGEND);
  const reference = doc.series.find((r) => r.indicator === ind.name && r.kind === 'reference');
  const targets = doc.targets
    .filter((t) => t.indicator === ind.name && t.region === s.region)
    .map((t) => ({
      year: t.year,
      reference: t.deterministic.reference,
      label: `P = ${pct(t.probability)}`,
    }));
  return {
    title: names.get(s.region) ?? s.region,
    width: PANEL_WIDTH,
    height: PANEL_HEIGHT,
    data: { values: fanRows(doc, s) },
    layer: [
      band(`band90_${n}`, 'p5', 'p95', 0, 1, ind.unit || null),
      band(`band50_${n}`, 'p25', 'p75', 1),
      line(`median_${n}`, 'p50', 2),
      line(`deterministic_${n}`, 'deterministic', 3, { strokeWidth: 1.5, strokeDash: REFERENCE_DASH }),
      ...(reference
        ? [
            {
              name: `reference_${n}`,
              data: { values: doc.years.map((year, i) => ({ year, value: reference.p50[i]! })) },
              mark: { type: 'line', strokeWidth: 1.5, strokeDash: [2, 3] },
              encoding: { x, y: y('value'), color: color(4) },
            },
          ]
        : []),
      ...targetLayers(targets, 'value', `_${n}`),
      ...observedLayer(o, ind.name, s.region, 'value', `_${n}`),
    ],
  };
}

/** Per indicator: the fan charts of its aggregates and provinces, two to a row. */
export function fanCharts(doc: McDoc, prefix: string, o: ChartOptions = {}): Chart[] {
  return doc.indicators.flatMap((ind) => {
    const order = doc.regions.map((r) => r.id);
    const series = doc.series
      .filter((s) => s.indicator === ind.name && s.kind !== 'reference')
      .sort((a, b) => order.indexOf(a.region) - order.indexOf(b.region));
    if (series.length === 0) return [];
    return [
      {
        id: `${prefix}-fan-${ind.name}`,
        title: `${ind.label} (${ind.unit})`,
        spec: topLevel({
          title: ind.label,
          columns: 2,
          concat: series.map((s, n) => fanPanel(doc, ind, s, o, n)),
          resolve: { scale: { color: 'shared' } },
        }),
      },
    ];
  });
}

/**
 * The probability of each target: a point with its 95% Wilson interval as a whisker, the target's
 * name written above its row (names are long; an axis would cut them).
 */
export function probabilityChart(doc: McDoc, prefix: string): Chart | undefined {
  if (doc.targets.length === 0) return undefined;
  const rows = doc.targets.map((t, k) => ({
    target: `${k + 1}. ${t.name}`,
    probability: t.probability,
    low: t.probabilityLow,
    high: t.probabilityHigh,
    label: `${pct(t.probability)} [${pct(t.probabilityLow)}, ${pct(t.probabilityHigh)}]`,
  }));
  const y = { field: 'target', type: 'nominal', title: null, sort: null, axis: null, scale: { paddingOuter: 0.6 } };
  const x = { type: 'quantitative', scale: { domain: [0, 1] }, axis: { format: PERCENT } };
  return {
    id: `${prefix}-probabilities`,
    title: 'Probability of each target',
    spec: topLevel({
      title: 'Probability of each target, with its 95% interval',
      width: WIDTH,
      height: { step: 44 },
      data: { values: rows },
      layer: [
        {
          name: 'target_name',
          mark: { type: 'text', align: 'left', baseline: 'bottom', dy: -7, fontSize: 11, x: 0 },
          encoding: { y, text: { field: 'target' } },
        },
        {
          name: 'interval',
          mark: { type: 'rule', strokeWidth: 2, color: '#0072B2' },
          encoding: {
            y,
            x: { field: 'low', ...x, title: `probability (${doc.runs} runs; whiskers: 95% Wilson interval)` },
            x2: { field: 'high' },
          },
        },
        {
          name: 'probability',
          mark: { type: 'point', filled: true, size: 60, color: '#0072B2', opacity: 1 },
          encoding: { y, x: { field: 'probability', ...x } },
        },
        {
          name: 'probability_label',
          mark: { type: 'text', align: 'left', dx: 8, baseline: 'middle', fontSize: 11, fontWeight: 'bold' },
          encoding: { y, x: { field: 'high', ...x }, text: { field: 'label' } },
        },
      ],
    }),
  };
}

/** The label of the "never" bar: not reached within the horizon. */
export const NEVER = 'never';

/** A target's first-year-reached distribution: one bar per horizon year, then "never". */
export function firstYearRows(
  t: McDoc['targets'][number],
  runs: number,
): { year: string; runs: number; share: number }[] {
  const share = (k: number): number => (runs > 0 ? k / runs : 0);
  return [
    ...t.firstYearReached.years.map((y, i) => ({
      year: String(y),
      runs: t.firstYearReached.counts[i]!,
      share: share(t.firstYearReached.counts[i]!),
    })),
    { year: NEVER, runs: t.firstYearReached.never, share: share(t.firstYearReached.never) },
  ];
}

export function firstYearCharts(doc: McDoc, prefix: string): Chart[] {
  return doc.targets.map((t, k) => {
    const rows = firstYearRows(t, doc.runs);
    // Every fifth year and "never" (not the last year: its label would run into "never").
    const labelled = rows
      .map((r) => r.year)
      .filter((y, i) => y === NEVER || (Number(y) % 5 === 0 && i < rows.length - 2));
    return {
      id: `${prefix}-first-year-${k + 1}`,
      title: `First year reached: ${t.name}`,
      spec: topLevel({
        title: `First year reached: ${t.name}`,
        width: WIDTH,
        height: 140,
        data: { values: rows },
        layer: [
          {
            name: 'bars',
            mark: { type: 'bar', color: '#0072B2' },
            encoding: {
              x: { field: 'year', type: 'ordinal', sort: null, title: null, axis: { values: labelled, labelAngle: 0 } },
              y: { field: 'share', type: 'quantitative', title: 'share of runs', axis: { format: PERCENT } },
              color: {
                condition: { test: `datum.year === '${NEVER}'`, value: '#777777' },
                value: '#0072B2',
              },
            },
          },
        ],
      }),
    };
  });
}

export function mcCharts(doc: McDoc, prefix: string, o: ChartOptions = {}): Chart[] {
  const p = probabilityChart(doc, prefix);
  return [...(p ? [p] : []), ...firstYearCharts(doc, prefix), ...fanCharts(doc, prefix, o)];
}
