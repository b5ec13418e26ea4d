/**
 * Charts of a paired Monte Carlo (policysim.paired/2): per target, each scenario's probability of
 * reaching it with its 95% Wilson interval (every scenario on the same futures), and per indicator
 * the distribution over futures of each scenario's difference from the first, run by run: the middle
 * 90% (p5–p95) as a thin bar, the middle 50% (p25–p75) as a thick one, the median as a tick and the
 * mean as a dot, for every compared region and year.
 */
import { wilsonInterval } from '../../util/wilson.js';
import type { IndicatorLegend, PairedDoc } from './result-docs.js';
import { type Chart, OKABE_ITO, PERCENT, pct, topLevel, valueFormat, WIDTH, withUnit } from './theme.js';

/** A target's rows: one per scenario, its probability and the Wilson interval of its runs reached. */
export function pairedTargetRows(
  doc: PairedDoc,
  k: number,
): {
  scenario: string;
  probability: number | null;
  low: number;
  high: number;
  better: number | null;
  label: string;
}[] {
  const t = doc.targets[k]!;
  return t.scenarios.map((s, i) => {
    const w = wilsonInterval(s.runsReached, doc.runs);
    const better = i === 0 ? null : s.probabilityBetterThanFirst;
    return {
      scenario: s.scenario,
      probability: s.probability,
      low: w.low,
      high: w.high,
      better,
      label: `${pct(s.probability)} [${pct(w.low)}, ${pct(w.high)}]${better === null ? '' : `; better than the first in ${pct(better)}`}`,
    };
  });
}

function targetChart(doc: PairedDoc, prefix: string, k: number): Chart {
  const t = doc.targets[k]!;
  const y = { field: 'scenario', type: 'nominal', title: null, sort: null, axis: { labelLimit: 300 } };
  const x = { type: 'quantitative', scale: { domain: [0, 1] }, axis: { format: PERCENT } };
  const colour = {
    field: 'scenario',
    type: 'nominal',
    legend: null,
    scale: { domain: doc.scenarios.map((s) => s.name), range: OKABE_ITO },
  };
  return {
    id: `${prefix}-paired-target-${k + 1}`,
    title: t.name,
    spec: topLevel({
      title: `${t.name}: probability on the same ${doc.runs} futures`,
      width: WIDTH - 200,
      height: { step: 30 },
      data: { values: pairedTargetRows(doc, k) },
      layer: [
        {
          name: 'interval',
          mark: { type: 'rule', strokeWidth: 2 },
          encoding: {
            y,
            x: { field: 'low', ...x, title: 'probability (whiskers: 95% Wilson interval)' },
            x2: { field: 'high' },
            color: colour,
          },
        },
        {
          name: 'probability',
          mark: { type: 'point', filled: true, size: 60, opacity: 1 },
          encoding: { y, x: { field: 'probability', ...x }, color: colour },
        },
        {
          name: 'probability_label',
          mark: { type: 'text', align: 'left', dx: 8, baseline: 'middle', fontSize: 10.5 },
          encoding: { y, x: { field: 'high', ...x }, text: { field: 'label' } },
        },
      ],
    }),
  };
}

/** An indicator's difference rows: per compared region and year, each scenario after the first. */
export function differenceRows(
  doc: PairedDoc,
  indicator: string,
): {
  row: string;
  scenario: string;
  region: string;
  year: number;
  mean: number;
  p5: number;
  p25: number;
  p50: number;
  p75: number;
  p95: number;
}[] {
  const names = new Map((doc.monteCarlo[0]?.regions ?? []).map((r) => [r.id, r.name]));
  return doc.differences
    .filter((d) => d.indicator === indicator)
    .flatMap((d) =>
      d.scenarios.slice(1).map((s) => ({
        row: `${names.get(d.region) ?? d.region} ${d.year}`,
        scenario: s.scenario,
        region: d.region,
        year: d.year,
        mean: s.mean,
        p5: s.p5,
        p25: s.p25,
        p50: s.p50,
        p75: s.p75,
        p95: s.p95,
      })),
    );
}

function differenceChart(doc: PairedDoc, prefix: string, ind: IndicatorLegend): Chart {
  const names = doc.scenarios.map((s) => s.name);
  const first = names[0]!;
  // A row per region and year; within it, a line per scenario after the first (yOffset).
  const y = { field: 'row', type: 'nominal', title: null, sort: null, scale: { paddingInner: 0.25 } };
  const yOffset = { field: 'scenario', type: 'nominal', sort: names.slice(1), scale: { domain: names.slice(1) } };
  const x = {
    type: 'quantitative',
    title: withUnit(`difference from ${first}, same future`, ind.unit),
    axis: { format: valueFormat(ind.decimals) },
  };
  const colour = {
    field: 'scenario',
    type: 'nominal',
    title: null,
    // The colours of the probability charts; the first scenario, always 0 here, out of the legend.
    scale: { domain: names, range: OKABE_ITO },
    legend: { values: names.slice(1) },
  };
  return {
    id: `${prefix}-paired-diff-${ind.name}`,
    title: `${ind.label}: difference from ${first}`,
    spec: topLevel({
      title: `${ind.label}: each scenario minus ${first}, run by run`,
      width: WIDTH - 160,
      // The step is each scenario's line within a row (the offset), so rows grow with the scenarios.
      height: { step: 16, for: 'offset' },
      data: { values: differenceRows(doc, ind.name) },
      layer: [
        {
          name: 'zero',
          mark: { type: 'rule', color: '#000000', strokeDash: [4, 3] },
          encoding: { x: { datum: 0, ...x } },
        },
        {
          name: 'spread90',
          mark: { type: 'rule', strokeWidth: 2 },
          encoding: { y, yOffset, x: { field: 'p5', ...x }, x2: { field: 'p95' }, color: colour },
        },
        {
          name: 'spread50',
          mark: { type: 'bar', height: 9, opacity: 0.55 },
          encoding: { y, yOffset, x: { field: 'p25', ...x }, x2: { field: 'p75' }, color: colour },
        },
        {
          name: 'median',
          mark: { type: 'tick', color: '#000000', thickness: 2, size: 12 },
          encoding: { y, yOffset, x: { field: 'p50', ...x } },
        },
        {
          name: 'mean',
          mark: { type: 'point', shape: 'circle', filled: true, size: 26, color: '#000000' },
          encoding: { y, yOffset, x: { field: 'mean', ...x } },
        },
      ],
    }),
  };
}

export function pairedCharts(doc: PairedDoc, prefix: string): Chart[] {
  const legend = doc.monteCarlo[0]?.indicators ?? [];
  const compared = [...new Set(doc.differences.map((d) => d.indicator))];
  const inds = compared.map(
    (name) => legend.find((i) => i.name === name) ?? { name, label: name, unit: '', decimals: 2 },
  );
  return [
    ...doc.targets.map((_, k) => targetChart(doc, prefix, k)),
    ...(doc.scenarios.length > 1
      ? inds.filter((i) => differenceRows(doc, i.name).length > 0).map((i) => differenceChart(doc, prefix, i))
      : []),
  ];
}
