/**
 * Charts of a deterministic run (policysim.run/2): per indicator, one line per province and
 * aggregate, the national reference dashed, and each target of that indicator marked at its year
 * and reference with its verdict written beside it.
 */
import type { TargetVerdict } from '../../project/targets.js';
import type { IndicatorLegend, RunDoc } from './result-docs.js';
import {
  type Chart,
  type ChartOptions,
  fmt,
  HEIGHT,
  observedLayer,
  REFERENCE_COLOUR,
  REFERENCE_DASH,
  topLevel,
  valueY,
  WIDTH,
  yearX,
} from './theme.js';

/** The verdict as one line: `NOT REACHED: 12.17 vs 30.16 (2020)`. */
export function verdictLabel(v: TargetVerdict, decimals: number): string {
  return `${v.reached ? 'REACHED' : 'NOT REACHED'}: ${fmt(v.value, decimals)} vs ${fmt(v.reference, decimals)} (${v.year})`;
}

/** The region names of a result in reading order, with the colour order for the lines. */
export function regionNames(doc: Pick<RunDoc, 'regions'>): Map<string, string> {
  return new Map(doc.regions.map((r) => [r.id, r.name]));
}

/** One row per series and year: the data of a run chart's lines. */
export function runLineRows(
  doc: RunDoc,
  indicator: string,
): { year: number; value: number; region: string; kind: string }[] {
  const names = regionNames(doc);
  return doc.series
    .filter((s) => s.indicator === indicator)
    .flatMap((s) =>
      doc.years.map((year, i) => ({
        year,
        value: s.values[i]!,
        region: names.get(s.region) ?? s.region,
        kind: s.kind,
      })),
    );
}

/** Marks for targets: a rule at the target year, a diamond at the reference, the verdict beside it. */
export function targetLayers(
  targets: readonly { year: number; reference: number; label: string }[],
  yField = 'value',
  suffix = '',
): Record<string, unknown>[] {
  if (targets.length === 0) return [];
  const data = { values: targets.map((t) => ({ year: t.year, [yField]: t.reference, label: t.label })) };
  const x = { field: 'year', type: 'quantitative' };
  const y = { field: yField, type: 'quantitative' };
  return [
    {
      name: `target_rule${suffix}`,
      data,
      mark: { type: 'rule', color: '#777777', strokeDash: [2, 2] },
      encoding: { x },
    },
    {
      name: `target_mark${suffix}`,
      data,
      mark: { type: 'point', shape: 'diamond', filled: true, size: 70, color: '#D55E00' },
      encoding: { x, y },
    },
    {
      name: `target_label${suffix}`,
      data,
      mark: { type: 'text', align: 'left', dx: 6, dy: -8, fontSize: 10, fontWeight: 'bold', color: '#D55E00' },
      encoding: { x, y, text: { field: 'label' } },
    },
  ];
}

function lineChart(doc: RunDoc, ind: IndicatorLegend, id: string, o: ChartOptions): Chart {
  const rows = runLineRows(doc, ind.name);
  const order = doc.regions.map((r) => r.name).filter((n) => rows.some((r) => r.region === n));
  const reference = doc.regions.find((r) => r.kind === 'reference')?.name;
  // The reference is black and dashed; every other line takes the palette in reading order.
  const colours = order.map((n, i) => (n === reference ? REFERENCE_COLOUR : paletteAt(i)));
  const targets = doc.targets
    .filter((t) => t.indicator === ind.name)
    .map((t) => ({ year: t.year, reference: t.reference, label: verdictLabel(t, ind.decimals) }));
  return {
    id,
    title: `${ind.label} (${ind.unit})`,
    spec: topLevel({
      width: WIDTH,
      height: HEIGHT,
      title: ind.label,
      layer: [
        {
          name: 'lines',
          data: { values: rows },
          mark: { type: 'line', strokeWidth: 2 },
          encoding: {
            x: yearX(),
            // The label is the chart's title; a long axis title would overflow the plot's height.
            y: valueY('value', ind.unit || null, ind.decimals),
            color: {
              field: 'region',
              type: 'nominal',
              title: null,
              scale: { domain: order, range: colours },
              legend: { labelLimit: 260 },
            },
            strokeDash: {
              field: 'kind',
              type: 'nominal',
              scale: { domain: ['aggregate', 'region', 'reference'], range: [[1, 0], [1, 0], REFERENCE_DASH] },
              legend: null,
            },
            strokeWidth: {
              field: 'kind',
              type: 'ordinal',
              sort: ['aggregate', 'region', 'reference'],
              scale: { domain: ['aggregate', 'region', 'reference'], range: [3, 1.5, 2] },
              legend: null,
            },
          },
        },
        ...targetLayers(targets),
        ...observedLayer(o, ind.name, undefined),
      ],
    }),
  };
  function paletteAt(i: number): string {
    // Skip black: it is the reference's.
    const palette = ['#0072B2', '#E69F00', '#009E73', '#D55E00', '#CC79A7', '#56B4E9', '#F0E442'];
    return palette[i % palette.length]!;
  }
}

/** One chart per indicator of the run, in the model's order. */
export function runCharts(doc: RunDoc, prefix: string, o: ChartOptions = {}): Chart[] {
  return doc.indicators
    .filter((ind) => doc.series.some((s) => s.indicator === ind.name))
    .map((ind) => lineChart(doc, ind, `${prefix}-${ind.name}`, o));
}
