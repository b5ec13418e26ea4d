/**
 * Charts of a sweep (policysim.sweep/2), one per output, by design: a tornado of the swings (oat);
 * S1 and ST bars with their bootstrap intervals, ranked by ST (sobol); μ* against σ with each factor
 * labelled (morris); each factor against the output (lhs); a heatmap with the value in each cell for
 * a two-factor grid, with the 95% Wilson interval of each probability (grid, policy-grid).
 */
import { extent } from '../../util/extent.js';
import type { SweepAnalysis, SweepDoc } from './result-docs.js';
import {
  type Chart,
  fmt,
  OKABE_ITO,
  PANEL_HEIGHT,
  PANEL_WIDTH,
  topLevel,
  valueFormat,
  valueY,
  WIDTH,
  withUnit,
} from './theme.js';

type Output = SweepDoc['outputs'][number];

const num = (a: SweepAnalysis, key: string): number[] => a[key] as number[];

/** Tornado rows: per factor (ranked by swing) the output at its low and at its high end. */
export function tornadoRows(
  out: Output,
): { factor: string; end: 'low' | 'high'; value: number; base: number; swing: number }[] {
  const a = out.analysis;
  const base = a.baseOutput as number;
  return num(a, 'ranking').flatMap((i) => [
    { factor: a.names[i]!, end: 'low' as const, value: num(a, 'low')[i]!, base, swing: num(a, 'swing')[i]! },
    { factor: a.names[i]!, end: 'high' as const, value: num(a, 'high')[i]!, base, swing: num(a, 'swing')[i]! },
  ]);
}

function tornado(out: Output, axisTitle: string): Record<string, unknown> {
  const a = out.analysis;
  const order = num(a, 'ranking').map((i) => a.names[i]!);
  const y = { field: 'factor', type: 'nominal', sort: order, title: null };
  const x = {
    type: 'quantitative',
    title: axisTitle,
    axis: { format: valueFormat(out.decimals) },
    scale: { zero: false },
  };
  return {
    width: WIDTH - 140,
    height: { step: 22 },
    data: { values: tornadoRows(out) },
    layer: [
      {
        name: 'bars',
        mark: { type: 'bar', height: { band: 0.7 } },
        encoding: {
          y,
          x: { field: 'base', ...x },
          x2: { field: 'value' },
          color: {
            field: 'end',
            type: 'nominal',
            title: 'factor at',
            scale: { domain: ['low', 'high'], range: [OKABE_ITO[1], OKABE_ITO[0]] },
          },
        },
      },
      {
        name: 'base',
        mark: { type: 'rule', color: '#000000' },
        encoding: { x: { datum: a.baseOutput as number, ...x } },
      },
    ],
  };
}

/** Sobol rows: per factor (ranked by ST) its S1 and ST with their interval ends. */
export function sobolRows(
  out: Output,
): { factor: string; index: 'S1' | 'ST'; value: number; low: number; high: number }[] {
  const a = out.analysis;
  return num(a, 'ranking').flatMap((i) => [
    {
      factor: a.names[i]!,
      index: 'S1' as const,
      value: num(a, 'S1')[i]!,
      low: num(a, 'S1Low')[i]!,
      high: num(a, 'S1High')[i]!,
    },
    {
      factor: a.names[i]!,
      index: 'ST' as const,
      value: num(a, 'ST')[i]!,
      low: num(a, 'STLow')[i]!,
      high: num(a, 'STHigh')[i]!,
    },
  ]);
}

function sobolBars(out: Output): Record<string, unknown> {
  const a = out.analysis;
  const order = num(a, 'ranking').map((i) => a.names[i]!);
  const y = { field: 'factor', type: 'nominal', sort: order, title: null };
  const yOffset = { field: 'index', type: 'nominal', sort: ['S1', 'ST'] };
  const colour = {
    field: 'index',
    type: 'nominal',
    title: 'index',
    scale: { domain: ['S1', 'ST'], range: [OKABE_ITO[1], OKABE_ITO[0]] },
  };
  const level = Math.round(100 * ((a.confLevel as number) ?? 0.95));
  const x = {
    type: 'quantitative',
    title: `share of output variance (whiskers: ${level}% bootstrap interval)`,
    axis: { format: '.2~f' },
  };
  return {
    width: WIDTH - 140,
    height: { step: 13 },
    data: { values: sobolRows(out) },
    layer: [
      { name: 'bars', mark: { type: 'bar' }, encoding: { y, yOffset, x: { field: 'value', ...x }, color: colour } },
      {
        name: 'whiskers',
        mark: { type: 'rule', color: '#000000' },
        encoding: { y, yOffset, x: { field: 'low', ...x }, x2: { field: 'high' } },
      },
    ],
  };
}

/** Morris rows: per factor μ*, its interval, and σ. */
/**
 * Labels of the Morris plot: factors whose points lie within 3% of the axes' spans of each other
 * share one label ("a, b, c"), so that the unimportant factors piled up at the origin stay legible.
 */
export function morrisLabels(out: Output): { muStar: number; sigma: number; text: string }[] {
  const rows = morrisRows(out);
  const spanX = Math.max(extent(rows.map((r) => r.muStar))[1], 0) || 1;
  const spanY = Math.max(extent(rows.map((r) => r.sigma))[1], 0) || 1;
  const groups: { muStar: number; sigma: number; names: string[] }[] = [];
  for (const r of rows) {
    const near = groups.find(
      (g) => Math.abs(g.muStar - r.muStar) <= 0.03 * spanX && Math.abs(g.sigma - r.sigma) <= 0.03 * spanY,
    );
    if (near) near.names.push(r.factor);
    else groups.push({ muStar: r.muStar, sigma: r.sigma, names: [r.factor] });
  }
  return groups.map((g) => ({ muStar: g.muStar, sigma: g.sigma, text: g.names.join(', ') }));
}

export function morrisRows(
  out: Output,
): { factor: string; muStar: number; sigma: number; low: number; high: number }[] {
  const a = out.analysis;
  return num(a, 'ranking').map((i) => ({
    factor: a.names[i]!,
    muStar: num(a, 'muStar')[i]!,
    sigma: num(a, 'sigma')[i]!,
    low: num(a, 'muStarLow')[i]!,
    high: num(a, 'muStarHigh')[i]!,
  }));
}

function morrisScatter(out: Output, unit: string): Record<string, unknown> {
  const x = {
    field: 'muStar',
    type: 'quantitative',
    title: withUnit('μ* (overall influence)', unit),
    axis: { format: valueFormat(out.decimals + 1) },
  };
  const y = {
    field: 'sigma',
    type: 'quantitative',
    title: withUnit('σ (interactions, non-linearity)', unit),
    axis: { format: valueFormat(out.decimals + 1) },
  };
  return {
    width: WIDTH - 60,
    height: HEIGHT_MORRIS,
    data: { values: morrisRows(out) },
    layer: [
      {
        name: 'interval',
        mark: { type: 'rule', color: '#999999' },
        encoding: { x: { ...x, field: 'low' }, x2: { field: 'high' }, y },
      },
      { name: 'points', mark: { type: 'point', filled: true, size: 50, color: OKABE_ITO[0] }, encoding: { x, y } },
      {
        name: 'labels',
        data: { values: morrisLabels(out) },
        mark: { type: 'text', align: 'left', dx: 6, dy: -6, fontSize: 10 },
        encoding: { x, y, text: { field: 'text' } },
      },
    ],
  };
}
const HEIGHT_MORRIS = 260;

/** LHS rows for factor j and output k: one point per sampled design row. */
export function lhsRows(doc: SweepDoc, j: number, k: number): { x: number; y: number }[] {
  const s = doc.sample;
  if (!s) return [];
  return s.X.map((row, i) => ({ x: row[j]!, y: s.Y[i]![k]! }));
}

function lhsPanels(doc: SweepDoc, k: number): Record<string, unknown> {
  const out = doc.outputs[k]!;
  return {
    columns: 3,
    concat: doc.factors.map((f, j) => ({
      name: `scatter_${j}`,
      width: PANEL_WIDTH - 90,
      height: PANEL_HEIGHT - 20,
      data: { values: lhsRows(doc, j, k) },
      mark: { type: 'point', filled: true, size: 8, opacity: 0.5, color: OKABE_ITO[0] },
      encoding: {
        x: { field: 'x', type: 'quantitative', title: f.name, scale: { zero: false } },
        y: valueY('y', withUnit(out.label, out.unit === 'probability' ? '' : out.unit), out.decimals),
      },
    })),
  };
}

/** Heatmap rows of a two-factor grid: one per cell, with the 95% Wilson interval of a probability. */
export function heatmapRows(
  out: Output,
): { row: number; col: number; value: number; low: number | null; high: number | null; label: string }[] {
  const t = out.analysis.table as
    | { rowLevels: number[]; colLevels: number[]; values: number[][]; low?: number[][]; high?: number[][] }
    | undefined;
  if (!t) return [];
  const prob = t.low !== undefined;
  return t.rowLevels.flatMap((row, i) =>
    t.colLevels.map((col, j) => {
      const value = t.values[i]![j]!;
      const low = t.low?.[i]?.[j] ?? null;
      const high = t.high?.[i]?.[j] ?? null;
      const label = prob ? `${fmt(value, 3)}\n[${fmt(low, 2)}, ${fmt(high, 2)}]` : fmt(value, out.decimals);
      return { row, col, value, low, high, label };
    }),
  );
}

function heatmap(out: Output): Record<string, unknown> | undefined {
  const t = out.analysis.table as
    | { rowFactor: string; colFactor: string; rowLevels: number[]; colLevels: number[] }
    | undefined;
  if (!t) return undefined;
  const rows = heatmapRows(out);
  const prob = rows.some((r) => r.low !== null);
  const values = rows.map((r) => r.value);
  const [lo, hi] = extent(values);
  const mid = (lo + hi) / 2;
  const x = { field: 'col', type: 'ordinal', title: t.colFactor, sort: t.colLevels, axis: { labelAngle: 0 } };
  const y = { field: 'row', type: 'ordinal', title: t.rowFactor, sort: [...t.rowLevels].reverse() };
  return {
    width: Math.min(WIDTH - 100, 90 * t.colLevels.length),
    height: Math.min(360, (prob ? 44 : 30) * t.rowLevels.length),
    data: { values: rows },
    layer: [
      {
        name: 'cells',
        mark: { type: 'rect', stroke: 'white' },
        encoding: {
          x,
          y,
          color: {
            field: 'value',
            type: 'quantitative',
            title: prob ? 'probability' : withUnit(out.label, out.unit),
            scale: { scheme: 'viridis', ...(prob ? { domain: [0, 1] } : {}) },
            legend: { orient: 'right', direction: 'vertical', format: prob ? '.0%' : valueFormat(out.decimals) },
          },
        },
      },
      {
        name: 'values',
        mark: { type: 'text', fontSize: 10, lineBreak: '\n' },
        encoding: {
          x,
          y,
          text: { field: 'label' },
          // Light text on the dark end of viridis, dark on the light end.
          color: { condition: { test: `datum.value < ${prob ? 0.5 : mid}`, value: 'white' }, value: 'black' },
        },
      },
    ],
  };
}

/** One chart per output; a grid of other than two factors has its numbers in the table only. */
export function sweepCharts(doc: SweepDoc, prefix: string): Chart[] {
  return doc.outputs.flatMap((out, k) => {
    const axis = out.unit === 'probability' ? 'probability' : withUnit('output', out.unit);
    const body = ((): Record<string, unknown> | undefined => {
      switch (doc.design) {
        case 'oat':
          return tornado(out, axis);
        case 'sobol':
          return sobolBars(out);
        case 'morris':
          return morrisScatter(out, out.unit === 'probability' ? '' : out.unit);
        case 'lhs':
          return doc.sample ? lhsPanels(doc, k) : undefined;
        case 'grid':
        case 'policy-grid':
          return heatmap(out);
      }
    })();
    if (!body) return [];
    return [
      { id: `${prefix}-${doc.design}-${k + 1}`, title: out.label, spec: topLevel({ title: out.label, ...body }) },
    ];
  });
}
