/**
 * Charts of a calibration (policysim.calibrate/2): each fitted value within its declared range with
 * ±2 standard errors and its identification; the standardised residual of each observation; and,
 * for the importance-reweighting part, each uncertain draw's prior against its posterior and the
 * posterior predictive bands of every observed series, the observations on them.
 */
import type { CalibrateDoc, IndicatorLegend } from './result-docs.js';
import { regionNames } from './run-charts.js';
import {
  BAND_COLOUR,
  BAND_LIGHT,
  type Chart,
  OKABE_ITO,
  PANEL_HEIGHT,
  PANEL_WIDTH,
  topLevel,
  WIDTH,
  yearBands,
  yearRows,
} from './theme.js';

/** A number as the labels write it: four significant digits, as the table does. */
const sig = (x: number): string => String(Number(x.toPrecision(4)));

/** One row per fitted parameter: its range, the estimate, ±2 standard errors kept inside the range. */
export function fitRows(doc: CalibrateDoc): {
  parameter: string;
  low: number;
  high: number;
  start: number;
  value: number;
  seLow: number | null;
  seHigh: number | null;
  label: string;
}[] {
  return doc.fit.parameters.map((p) => {
    const se = p.standardError;
    return {
      parameter: p.label,
      low: p.range[0],
      high: p.range[1],
      start: p.start,
      value: p.value,
      seLow: se === null ? null : Math.max(p.range[0], p.value - 2 * se),
      seHigh: se === null ? null : Math.min(p.range[1], p.value + 2 * se),
      label: `${sig(p.value)}${se === null ? '' : ` ± ${sig(se)}`}: ${p.identification}`,
    };
  });
}

/** The width of a facet's plot; the fit's labels take the room to its right. */
const FACET_WIDTH = WIDTH - 300;

/**
 * A row per item (in the result's order), each with its own x scale: parameters differ in unit and
 * range.
 */
function facetRows(
  rows: readonly Record<string, unknown>[],
  field: string,
  layer: Record<string, unknown>[],
  height = 26,
) {
  const order = [...new Set(rows.map((r) => String(r[field])))];
  return {
    data: { values: rows },
    facet: { row: { field, type: 'nominal', sort: order, title: null, header: { labelAngle: 0 } } },
    spec: { width: FACET_WIDTH, height, layer },
    resolve: { scale: { x: 'independent' } },
    spacing: 4,
  };
}

function fitChart(doc: CalibrateDoc, prefix: string): Chart {
  const x = { type: 'quantitative', title: null, scale: { zero: false, nice: false } };
  return {
    id: `${prefix}-calibrate-fit`,
    title: 'Fitted values',
    spec: topLevel({
      title: 'Fitted values within their ranges (whiskers: ±2 standard errors)',
      ...facetRows(fitRows(doc), 'parameter', [
        {
          name: 'range',
          mark: { type: 'rule', color: '#bbbbbb', strokeWidth: 6 },
          encoding: { x: { field: 'low', ...x }, x2: { field: 'high' } },
        },
        {
          name: 'se',
          transform: [{ filter: 'datum.seLow !== null' }],
          mark: { type: 'rule', color: OKABE_ITO[0], strokeWidth: 2 },
          encoding: { x: { field: 'seLow', ...x }, x2: { field: 'seHigh' } },
        },
        {
          name: 'start',
          mark: { type: 'tick', color: '#777777', thickness: 1.5, size: 14 },
          encoding: { x: { field: 'start', ...x } },
        },
        {
          name: 'estimate',
          mark: { type: 'point', filled: true, size: 50, color: OKABE_ITO[0], opacity: 1 },
          encoding: { x: { field: 'value', ...x } },
        },
        {
          name: 'identification',
          // In a column of its own right of the plot: a label at the estimate would leave the panel.
          mark: { type: 'text', align: 'left', baseline: 'middle', fontSize: 10, x: FACET_WIDTH + 10 },
          encoding: { text: { field: 'label' } },
        },
      ]),
    }),
  };
}

/** One row per observation of the fit: its standardised residual (fitted − observed, in sds). */
export function residualRows(doc: CalibrateDoc): { row: string; standardized: number; residual: number }[] {
  const names = regionNames(doc);
  return doc.fit.residuals.map((r) => ({
    row: `${r.indicator}, ${names.get(r.region) ?? r.region} ${r.year}`,
    standardized: r.standardized,
    residual: r.residual,
  }));
}

function residualChart(doc: CalibrateDoc, prefix: string): Chart {
  const y = { field: 'row', type: 'nominal', title: null, sort: null, axis: { labelLimit: 240 } };
  const x = { type: 'quantitative', title: 'residual / sd (fitted − observed)' };
  return {
    id: `${prefix}-calibrate-residuals`,
    title: 'Residuals',
    spec: topLevel({
      title: 'Standardised residual of each observation (dashed: ±2)',
      width: WIDTH - 240,
      height: { step: 14 },
      layer: [
        {
          name: 'limits',
          data: { values: [{ z: -2 }, { z: 0 }, { z: 2 }] },
          mark: { type: 'rule', color: '#777777', strokeDash: [4, 3] },
          encoding: { x: { field: 'z', ...x } },
        },
        {
          name: 'residuals',
          data: { values: residualRows(doc) },
          mark: { type: 'bar', height: 9 },
          encoding: {
            y,
            x: { field: 'standardized', ...x },
            color: { condition: { test: 'abs(datum.standardized) > 2', value: '#D55E00' }, value: OKABE_ITO[0] },
          },
        },
      ],
    }),
  };
}

/** Two rows per uncertain draw: its prior and its posterior (mean and 90% interval). */
export function priorPosteriorRows(
  doc: CalibrateDoc,
): { parameter: string; which: 'prior' | 'posterior'; mean: number; low: number; high: number }[] {
  return (doc.posterior?.parameters ?? []).flatMap((p) => [
    { parameter: p.label, which: 'prior' as const, mean: p.priorMean, low: p.priorLow, high: p.priorHigh },
    { parameter: p.label, which: 'posterior' as const, mean: p.mean, low: p.low, high: p.high },
  ]);
}

function priorPosteriorChart(doc: CalibrateDoc, prefix: string): Chart {
  const x = { type: 'quantitative', title: null, scale: { zero: false } };
  const y = { field: 'which', type: 'nominal', title: null, sort: ['prior', 'posterior'], axis: null };
  const colour = {
    field: 'which',
    type: 'nominal',
    title: null,
    scale: { domain: ['prior', 'posterior'], range: ['#999999', OKABE_ITO[0]] },
  };
  return {
    id: `${prefix}-calibrate-posterior`,
    title: 'Prior and posterior',
    spec: topLevel({
      title: 'Each uncertain draw: prior (grey) and posterior (blue), mean and 90% interval',
      ...facetRows(
        priorPosteriorRows(doc),
        'parameter',
        [
          {
            name: 'interval',
            mark: { type: 'rule', strokeWidth: 2 },
            encoding: { y, x: { field: 'low', ...x }, x2: { field: 'high' }, color: colour },
          },
          {
            name: 'mean',
            mark: { type: 'point', filled: true, size: 40, opacity: 1 },
            encoding: { y, x: { field: 'mean', ...x }, color: colour },
          },
        ],
        30,
      ),
    }),
  };
}

/** A band's rows: each horizon year's prior and posterior 5/50/95% values. */
export function bandRows(band: NonNullable<CalibrateDoc['posterior']>['bands'][number]): {
  year: number;
  priorP5: number;
  priorP50: number;
  priorP95: number;
  p5: number;
  p50: number;
  p95: number;
}[] {
  return yearRows(band.years, band, ['priorP5', 'priorP50', 'priorP95', 'p5', 'p50', 'p95']);
}

/** The observations of a series, as the fit's residuals list them. */
export function observedRows(doc: CalibrateDoc, indicator: string, region: string): { year: number; value: number }[] {
  return doc.fit.residuals
    .filter((r) => r.indicator === indicator && r.region === region)
    .map((r) => ({ year: r.year, value: r.observed }));
}

const BAND_LEGEND = {
  domain: ['prior 90%', 'posterior 90%', 'posterior median', 'observed'],
  range: [BAND_LIGHT, BAND_COLOUR, '#08306b', '#000000'],
};

function bandChart(doc: CalibrateDoc, prefix: string, ind: IndicatorLegend): Chart | undefined {
  const names = regionNames(doc);
  const bands = (doc.posterior?.bands ?? []).filter((b) => b.indicator === ind.name);
  if (bands.length === 0) return undefined;
  const { x, y, color, band, line } = yearBands(ind.decimals, BAND_LEGEND);
  return {
    id: `${prefix}-calibrate-bands-${ind.name}`,
    title: `${ind.label}: posterior predictive bands`,
    spec: topLevel({
      title: `${ind.label}: prior and posterior predictive bands`,
      columns: 2,
      concat: bands.map((b, n) => ({
        title: names.get(b.region) ?? b.region,
        width: PANEL_WIDTH,
        height: PANEL_HEIGHT,
        data: { values: bandRows(b) },
        layer: [
          band(`prior_${n}`, 'priorP5', 'priorP95', 0, 1, ind.unit || null),
          band(`posterior_${n}`, 'p5', 'p95', 1, 0.9),
          line(`median_${n}`, 'p50', 2),
          {
            name: `observed_${n}`,
            data: { values: observedRows(doc, b.indicator, b.region) },
            mark: { type: 'point', filled: true, size: 30, opacity: 1 },
            encoding: { x, y: y('value'), color: color(3) },
          },
        ],
      })),
      resolve: { scale: { color: 'shared' } },
    }),
  };
}

export function calibrateCharts(doc: CalibrateDoc, prefix: string): Chart[] {
  const post = doc.posterior;
  return [
    ...(doc.fit.parameters.length > 0 ? [fitChart(doc, prefix)] : []),
    ...(doc.fit.residuals.length > 0 ? [residualChart(doc, prefix)] : []),
    ...(post && post.parameters.length > 0 ? [priorPosteriorChart(doc, prefix)] : []),
    ...doc.indicators.flatMap((i) => {
      const c = bandChart(doc, prefix, i);
      return c ? [c] : [];
    }),
  ];
}
