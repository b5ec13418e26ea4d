/**
 * Charts of a scenario discovery (policysim.discover/2): PRIM's coverage–density trade-off curve (the
 * peeling trajectory, each box coloured by how many inputs it restricts, the chosen box and the
 * reported one marked), and the reported box's limits on every uncertain input against the range of
 * the runs' draws (inputs on their own scales, so each is drawn from its minimum, 0, to its maximum, 1).
 */
import { extent } from '../../util/extent.js';
import type { DiscoverDoc, DiscoverLimit } from './result-docs.js';
import { type Chart, PERCENT, pct, topLevel, WIDTH } from './theme.js';

/** The curve's rows: one per box of the peeling trajectory, in peeling order. */
export function tradeoffRows(doc: DiscoverDoc): {
  box: number;
  coverage: number;
  density: number;
  mass: number;
  restricted: number;
  chosen: boolean;
}[] {
  return doc.curve.map((b) => ({
    box: b.box,
    coverage: b.coverage,
    density: b.density,
    mass: b.mass,
    restricted: b.restricted.length,
    chosen: b.box === doc.chosenBox,
  }));
}

/** The reported box (after pasting and dropping restrictions): one point, with the number it restricts. */
export function reportedBoxRow(doc: DiscoverDoc): {
  coverage: number;
  density: number;
  restricted: number;
  label: string;
} {
  const restricted = doc.box.limits.filter(isRestricted).length;
  return {
    coverage: doc.box.coverage,
    density: doc.box.density,
    restricted,
    label: `reported box (${restricted} inputs restricted)`,
  };
}

export const isRestricted = (l: DiscoverLimit): boolean => l.lower !== null || l.upper !== null;

/** A limit as the table prints it: four significant digits, as the terminal table does. */
export const limitText = (v: number): string => String(Number(v.toPrecision(4)));

export function tradeoffChart(doc: DiscoverDoc, prefix: string): Chart {
  const rows = tradeoffRows(doc);
  // A label where the number of restricted inputs changes along the curve (the colour's legend in
  // place), except where it would sit on the previous label; the last change is always labelled.
  const top = Math.max(extent(rows.map((r) => r.density))[1], 1e-9);
  const changes = rows.filter((r, i) => i === 0 || r.restricted !== rows[i - 1]!.restricted);
  const labelled = changes.filter((r, i) => {
    if (i === 0 || i === changes.length - 1) return true;
    const prev = changes[i - 1]!;
    const next = changes.at(-1)!;
    const near = (a: typeof r) =>
      Math.abs(a.coverage - r.coverage) < 0.04 && Math.abs(a.density - r.density) / top < 0.04;
    return !near(prev) && !near(next);
  });
  const chosen = rows.find((r) => r.chosen)!;
  const x = {
    field: 'coverage',
    type: 'quantitative',
    title: 'coverage: share of the runs reaching the target that are in the box',
    scale: { domain: [0, 1] },
    axis: { format: PERCENT },
  };
  // From 0 to the densest box (not to 100%): a rare target's curve would be a flat line at the bottom.
  const y = {
    field: 'density',
    type: 'quantitative',
    title: 'density: share of the box’s runs reaching it',
    scale: { zero: true, nice: true },
    axis: { format: PERCENT },
  };
  return {
    id: `${prefix}-discover-tradeoff`,
    title: 'Coverage–density trade-off',
    spec: topLevel({
      title: `Coverage–density trade-off (PRIM peeling, ${doc.curve.length} boxes)`,
      width: WIDTH,
      height: 280,
      data: { values: rows },
      layer: [
        {
          name: 'trajectory',
          mark: { type: 'line', color: '#999999', strokeWidth: 1 },
          encoding: { x, y, order: { field: 'box', type: 'quantitative' } },
        },
        {
          name: 'peels',
          mark: { type: 'point', filled: true, size: 36, opacity: 1 },
          encoding: {
            x,
            y,
            // Ordinal, not a gradient: a gradient legend gets an id from a counter of Vega's (not reproducible).
            color: {
              field: 'restricted',
              type: 'ordinal',
              title: 'inputs restricted',
              scale: { scheme: 'viridis', reverse: true },
              legend: { orient: 'right', direction: 'vertical', columns: 1 },
            },
          },
        },
        {
          name: 'restricted_labels',
          data: { values: labelled },
          mark: { type: 'text', align: 'left', dx: 6, dy: -8, fontSize: 10, color: '#444444' },
          encoding: { x, y, text: { field: 'restricted', type: 'quantitative', format: 'd' } },
        },
        {
          name: 'chosen',
          data: {
            values: [
              {
                ...chosen,
                label: `box ${chosen.box} chosen`,
              },
            ],
          },
          layer: [
            {
              name: 'chosen_mark',
              mark: { type: 'point', shape: 'circle', size: 220, strokeWidth: 2, color: '#D55E00', filled: false },
              encoding: { x, y },
            },
            {
              name: 'chosen_label',
              mark: { type: 'text', align: 'right', dx: -14, dy: 30, fontSize: 11, color: '#D55E00' },
              encoding: { x, y, text: { field: 'label' } },
            },
          ],
        },
        {
          name: 'reported',
          data: { values: [reportedBoxRow(doc)] },
          layer: [
            {
              name: 'reported_mark',
              mark: { type: 'point', shape: 'diamond', size: 140, filled: true, color: '#000000' },
              encoding: { x, y },
            },
            {
              name: 'reported_label',
              mark: { type: 'text', align: 'right', dx: -14, dy: 14, fontSize: 11, fontWeight: 'bold' },
              encoding: { x, y, text: { field: 'label' } },
            },
          ],
        },
      ],
    }),
  };
}

/** The limits' rows: each input's box on the scale of its runs' range (0: minimum, 1: maximum). */
export function limitRows(doc: DiscoverDoc): {
  parameter: string;
  min: number;
  max: number;
  lower: number | null;
  upper: number | null;
  from: number;
  to: number;
  restricted: boolean;
  label: string;
}[] {
  return doc.box.limits.map((l) => {
    const span = l.max - l.min;
    const at = (v: number | null, end: number): number => (v === null || !(span > 0) ? end : (v - l.min) / span);
    const restricted = isRestricted(l);
    const label = !restricted
      ? `unrestricted (${limitText(l.min)} to ${limitText(l.max)})`
      : l.lower !== null && l.upper !== null
        ? `${limitText(l.lower)} to ${limitText(l.upper)}`
        : l.lower !== null
          ? `≥ ${limitText(l.lower)} (max ${limitText(l.max)})`
          : `≤ ${limitText(l.upper!)} (min ${limitText(l.min)})`;
    return {
      parameter: l.parameter,
      min: l.min,
      max: l.max,
      lower: l.lower,
      upper: l.upper,
      from: at(l.lower, 0),
      to: at(l.upper, 1),
      restricted,
      label,
    };
  });
}

export function limitsChart(doc: DiscoverDoc, prefix: string): Chart {
  const rows = limitRows(doc);
  const y = { field: 'parameter', type: 'nominal', sort: null, title: null, axis: { labelLimit: 300 } };
  const x = {
    type: 'quantitative',
    scale: { domain: [0, 1.75] },
    axis: { values: [0, 0.5, 1], labelExpr: "datum.value === 0 ? 'min' : datum.value === 1 ? 'max' : ''" },
    title: 'each input from the smallest (min) to the largest (max) of its draws',
  };
  return {
    id: `${prefix}-discover-limits`,
    title: 'Box limits',
    spec: topLevel({
      title: `The box’s limits on each uncertain input (density ${pct(doc.box.density)}, coverage ${pct(doc.box.coverage)})`,
      width: WIDTH - 180,
      height: { step: 20 },
      data: { values: rows },
      layer: [
        {
          name: 'range',
          mark: { type: 'bar', color: '#e3e3e3', height: { band: 0.7 } },
          encoding: { y, x: { datum: 0, ...x }, x2: { datum: 1 } },
        },
        {
          name: 'box',
          transform: [{ filter: 'datum.restricted' }],
          mark: { type: 'bar', color: '#0072B2', height: { band: 0.7 } },
          encoding: { y, x: { field: 'from', ...x }, x2: { field: 'to' } },
        },
        {
          name: 'limit_labels',
          mark: { type: 'text', align: 'left', dx: 6, fontSize: 10.5 },
          encoding: {
            y,
            x: { datum: 1, ...x },
            text: { field: 'label' },
            color: { condition: { test: 'datum.restricted', value: '#0072B2' }, value: '#777777' },
          },
        },
      ],
    }),
  };
}

export function discoverCharts(doc: DiscoverDoc, prefix: string): Chart[] {
  if (doc.curve.length === 0) return [];
  return [tradeoffChart(doc, prefix), limitsChart(doc, prefix)];
}
