/**
 * What every chart shares: the colour-blind-safe palette (Okabe & Ito 2008, yellow last: it is faint
 * on white), fonts available everywhere (no web fonts: the report makes no network request), sizes
 * that fit a laptop screen and an A4 page, and the number formats.
 */
import type { TopLevelSpec } from 'vega-lite';

export const OKABE_ITO = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#000000', '#F0E442'];
/** The reference (national) path: black, dashed. */
export const REFERENCE_COLOUR = '#000000';
export const REFERENCE_DASH = [6, 4];
/** Fan chart bands: one hue, two strengths. */
export const BAND_COLOUR = '#6aaed6';
export const BAND_LIGHT = '#c6dbef';

/** Widths in CSS pixels: a full-width chart fits an A4 page (about 700 px inside the margins). */
export const WIDTH = 560;
export const HEIGHT = 240;
export const PANEL_WIDTH = 270;
export const PANEL_HEIGHT = 150;

export const CONFIG = {
  font: 'Helvetica, Arial, sans-serif',
  background: 'white',
  padding: 6,
  view: { stroke: null },
  range: { category: OKABE_ITO },
  axis: { labelFontSize: 11, titleFontSize: 11, titleFontWeight: 'normal', gridColor: '#e6e6e6' },
  legend: {
    labelFontSize: 11,
    titleFontSize: 11,
    orient: 'bottom',
    direction: 'horizontal',
    columns: 3,
    labelLimit: 260,
    symbolOpacity: 1,
  },
  title: { fontSize: 13, anchor: 'start', fontWeight: 'bold' },
  header: { labelFontSize: 11, titleFontSize: 11 },
} as const;

/** An axis of years: whole years, printed as 2020 (never "2,020" or 2017.5), ticks every five years. */
export const YEAR_AXIS = {
  format: 'd',
  tickMinStep: 1,
  title: null,
  labelFlush: true,
  values: Array.from({ length: 41 }, (_, i) => 2000 + 5 * i),
} as const;

/** A d3 format for an indicator's values: at most its decimals, trailing zeros dropped. */
export const valueFormat = (decimals: number): string => `.${Math.max(0, Math.min(10, decimals))}~f`;

/** A probability axis or label: a percentage. */
export const PERCENT = '.0%';

/** An axis title with its unit: `Trade dependence (%)`. */
export function withUnit(title: string, unit: string): string {
  return unit ? `${title} (${unit})` : title;
}

/** One chart of the report: its Vega-Lite specification (data inline) and where it goes. */
export interface Chart {
  /** Unique in the page; the figure's id (`data-chart`), used by the browser test. */
  readonly id: string;
  readonly title: string;
  readonly spec: TopLevelSpec;
}

/** A Vega-Lite specification with the shared configuration. */
export function topLevel(spec: Record<string, unknown>): TopLevelSpec {
  return { $schema: 'https://vega.github.io/schema/vega-lite/v6.json', config: CONFIG, ...spec } as TopLevelSpec;
}

/** A number as the tables print it: the given decimals, no "-0". */
export function fmt(v: number | null | undefined, decimals: number): string {
  if (v === null || v === undefined) return 'n/a';
  if (!Number.isFinite(v)) return String(v);
  const s = v.toFixed(decimals);
  return /^-0(\.0*)?$/.test(s) ? s.slice(1) : s;
}

/** A probability as a percentage with one decimal. */
export const pct = (p: number | null | undefined): string =>
  p === null || p === undefined ? 'n/a' : `${fmt(100 * p, 1)}%`;

/**
 * Points an analyst observed (issue 12, evidence): the charts of run and mc results draw them when
 * given, as black circles on the same axes.
 */
export interface ObservedPoint {
  readonly indicator: string;
  readonly region: string;
  readonly year: number;
  readonly value: number;
  readonly source?: string;
}

export interface ChartOptions {
  readonly observed?: readonly ObservedPoint[];
}

/** The layer of observed points for one indicator and region, or nothing. */
export function observedLayer(
  o: ChartOptions,
  indicator: string,
  region: string | undefined,
  yField = 'value',
  suffix = '',
): Record<string, unknown>[] {
  const points = (o.observed ?? []).filter(
    (p) => p.indicator === indicator && (region === undefined || p.region === region),
  );
  if (points.length === 0) return [];
  return [
    {
      name: `observed${suffix}`,
      data: {
        values: points.map((p) => ({ year: p.year, [yField]: p.value, region: p.region, source: p.source ?? '' })),
      },
      mark: { type: 'point', filled: true, color: '#000000', size: 30 },
      encoding: { x: { field: 'year', type: 'quantitative' }, y: { field: yField, type: 'quantitative' } },
    },
  ];
}

/** The x encoding of a chart over the years: every year a tick, no rounding of the domain. */
export function yearX() {
  return { field: 'year', type: 'quantitative', axis: YEAR_AXIS, scale: { nice: false } };
}

/** The y encoding of an indicator's values (or a sweep output's): its decimals, not forced to start at zero. */
export function valueY(field: string, title: string | null, decimals: number) {
  return { field, type: 'quantitative', title, axis: { format: valueFormat(decimals) }, scale: { zero: false } };
}

/**
 * Rows of a chart over the years from a result's columns: row i is `{ year: years[i], c: columns[c][i], ... }`,
 * the columns `names` in order (a fan's percentiles, a band's prior and posterior).
 */
export function yearRows<K extends string>(
  years: readonly number[],
  columns: { readonly [k in K]: readonly number[] },
  names: readonly K[],
): ({ year: number } & Record<K, number>)[] {
  return years.map((year, i) => {
    const row: Record<string, number> = { year };
    for (const c of names) row[c] = columns[c][i]!;
    return row as { year: number } & Record<K, number>;
  });
}

/** A colour legend: its entries and their colours, in order. */
export interface Legend {
  readonly domain: readonly string[];
  readonly range: readonly string[];
}

/**
 * The layers of a panel of bands and lines over the years (the Monte Carlo fan, the calibration's
 * predictive bands): one year axis, one value axis in the indicator's decimals, one colour legend
 * whose entries the layers name by position.
 */
export function yearBands(decimals: number, legend: Legend) {
  const x = yearX();
  const y = (field: string, title: string | null = null) => valueY(field, title, decimals);
  const color = (entry: number) => ({ datum: legend.domain[entry], scale: legend, title: null });
  return {
    x,
    y,
    color,
    /** A filled band from field `low` to `high` (the first band of a panel titles the value axis). */
    band: (name: string, low: string, high: string, entry: number, opacity = 1, title: string | null = null) => ({
      name,
      mark: { type: 'area', opacity },
      encoding: { x, y: y(low, title), y2: { field: high }, color: color(entry) },
    }),
    /** A line through `field`; `mark` adds to or overrides the 2-pixel stroke. */
    line: (name: string, field: string, entry: number, mark: Record<string, unknown> = {}) => ({
      name,
      mark: { type: 'line', strokeWidth: 2, ...mark },
      encoding: { x, y: y(field), color: color(entry) },
    }),
  };
}
