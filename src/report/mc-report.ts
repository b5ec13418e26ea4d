import { cellIndex, horizonGrid, projectionGrid, seriesValues } from '../model/layout.js';
import { RANDOM_STREAM } from '../montecarlo/rng.js';
import type { McResult } from '../montecarlo/simulate.js';
import { projectScenario } from '../project/project-scenario.js';
import { wilsonOrNull } from '../util/wilson.js';
import { fixed, jsonText, percent, renderTable, shown } from './format.js';
import { type ObservedView, observedHeaderJson } from './observed-view.js';
import { modelLegend, NO_META, provenance, type ResultMeta } from './result-meta.js';
import { csvCell, regionName, shownYears } from './run-report.js';

const PCTS = ['p5', 'p25', 'p50', 'p75', 'p95'] as const;

/**
 * The stable JSON of a Monte Carlo run (README: "Monte Carlo JSON"). Deterministic: the same
 * scenario, seed and run count give the same bytes whatever the workers or chunk size.
 */
export function mcResultJson(r: McResult, meta: ResultMeta = NO_META, observed?: ObservedView): object {
  const { scenario, spec } = r;
  // The scenario without any draw (every shock term 0): the path the fan chart compares the bands with.
  const { model: m } = scenario;
  const det = projectScenario(
    scenario,
    scenario.params,
    new Float64Array((scenario.horizon.end - m.baseYear + 1) * m.shockBlock),
  );
  const detAt = (s: number): number[] => seriesValues(det.values, projectionGrid(det), s, years);
  const { model, horizon, targets } = scenario;
  const years = shownYears(horizon.start, horizon.end);
  const units = new Map(model.indicators.map((i) => [i.name, i.unit]));
  const span = years.length;
  // Statistics rows start at the horizon start, the projection's at the base year: each grid says so.
  const pick = (arr: ArrayLike<number>, s: number): number[] =>
    seriesValues(arr, horizonGrid(model, horizon), s, years);
  return {
    schema: 'policysim.mc/2',
    scenario: {
      name: scenario.name,
      file: scenario.file,
      model: model.origin,
      horizon: { ...horizon },
      description: scenario.description,
    },
    seed: r.seed,
    randomStream: RANDOM_STREAM,
    runsRequested: r.runsRequested,
    runs: r.runsCompleted,
    partial: r.partial,
    percentileMethod: {
      kind: 'fixed-bin histogram',
      bins: r.binning.bins,
      bound: 'an unclamped percentile is within one bin width (series[].resolution) of the exact order statistic',
    },
    uncertainties: {
      parameters: spec.parameters.map((p) => ({
        name: p.name,
        distribution: p.dist,
        apply: p.apply,
        draws: p.slotGroups.length,
      })),
      shocks: spec.shocks,
      correlation: spec.correlation ?? null,
    },
    years,
    series: model.series.map((s) => {
      const pct = Object.fromEntries(PCTS.map((name, i) => [name, pick(r.stats.percentiles[i]!.value, s.index)]));
      return {
        indicator: s.indicator,
        region: s.region,
        kind: s.kind,
        unit: units.get(s.indicator) ?? '',
        mean: pick(r.stats.mean, s.index),
        sd: pick(r.stats.sd, s.index),
        min: pick(r.stats.min, s.index),
        max: pick(r.stats.max, s.index),
        ...pct,
        resolution: pick(r.stats.resolution, s.index),
        deterministic: detAt(s.index),
        ...(observed ? { observed: observed.seriesJson(s.index) } : {}),
      };
    }),
    targets: targets.map((t, k) => {
      const counts = years.map((_, y) => r.firstYear.get(k * (span + 1) + y));
      const never = r.firstYear.get(k * (span + 1) + span);
      const ci = wilsonOrNull(r.reached.get(k), r.runsCompleted);
      return {
        name: t.name,
        indicator: t.indicator,
        region: t.region,
        year: t.year,
        direction: t.direction,
        probability: r.runsCompleted > 0 ? r.reached.get(k) / r.runsCompleted : null,
        runsReached: r.reached.get(k),
        firstYearReached: {
          years,
          counts,
          never,
          median: medianYear(years, counts, never),
        },
        probabilityLow: ci?.low ?? null,
        probabilityHigh: ci?.high ?? null,
        deterministic: det.verdicts[k]!,
      };
    }),
    ...observedHeaderJson(observed),
    ...modelLegend(model),
    probabilityInterval: 'Wilson score interval, 95%',
    ...provenance(meta),
    stopping: r.stop
      ? {
          rule: 'every target probability: 95% Wilson interval half-width <= precision',
          precision: r.stop.precision,
          maxRuns: r.stop.maxRuns,
          reason: r.stop.reason,
          runs: r.stop.runs,
          checkedAt: r.stop.checkedAt,
          intervals: r.stop.intervals.map((iv, k) => ({ target: targets[k]!.name, ...iv })),
        }
      : null,
    manifest: r.manifest ?? null,
  };
}

/** One line on why a stopping rule stopped where it did. */
export function stopSentence(r: McResult): string | undefined {
  const s = r.stop;
  if (!s) return undefined;
  const why =
    s.reason === 'precision'
      ? `every target probability's 95% interval is within ±${s.precision}`
      : `--max-runs ${s.maxRuns} reached before every 95% interval was within ±${s.precision}`;
  return `Stopped after ${s.runs} runs: ${why} (looked at ${s.checkedAt.join(', ')} runs)`;
}

/** The median first year reached, or null when more than half the runs never reach it. */
function medianYear(years: number[], counts: number[], never: number): number | null {
  const total = counts.reduce((a, b) => a + b, 0) + never;
  let cum = 0;
  for (let i = 0; i < years.length; i++) {
    cum += counts[i]!;
    if (cum * 2 >= total && total > 0) return years[i]!;
  }
  return null;
}

export function renderMcJson(r: McResult, meta: ResultMeta = NO_META, observed?: ObservedView): string {
  return jsonText(mcResultJson(r, meta, observed));
}

export function renderMcTable(
  r: McResult,
  opts: { indicators?: readonly string[]; regions?: readonly string[]; step?: number; observed?: ObservedView } = {},
): string {
  const { scenario } = r;
  const { model, horizon, targets } = scenario;
  const obs = opts.observed;
  // With observations, every observed year is shown too, whatever the step.
  const years = obs
    ? [
        ...new Set([
          ...shownYears(horizon.start, horizon.end, opts.step ?? 5),
          ...obs.set.observations.map((o) => o.year),
        ]),
      ].sort((a, b) => a - b)
    : shownYears(horizon.start, horizon.end, opts.step ?? 5);
  const indicators = opts.indicators ?? model.headline;
  const regions = opts.regions ?? [...model.defaultRegions(), ...(model.reference ? [model.reference.id] : [])];
  const parts = [
    `Monte Carlo: ${shown(scenario.name)} — ${r.runsCompleted} runs${r.partial ? ` (PARTIAL: ${r.runsCompleted} of ${r.runsRequested})` : ''}, seed ${r.seed}`,
  ];
  for (const ind of indicators) {
    const info = model.indicators.find((i) => i.name === ind);
    if (!info) continue;
    const rows: string[][] = [];
    for (const reg of regions) {
      const s = model.seriesIndex(ind, reg);
      if (s === undefined) continue;
      for (const y of years) {
        const c = cellIndex(horizonGrid(model, horizon), y, s);
        const d = info.decimals;
        rows.push([
          regionName(model, reg),
          String(y),
          fixed(r.stats.mean[c]!, d),
          fixed(r.stats.sd[c]!, d),
          ...r.stats.percentiles.map((p) => fixed(p.value[c]!, d)),
          ...(obs ? [obs.cell(s, y, d)] : []),
        ]);
      }
    }
    if (rows.length === 0) continue;
    parts.push(
      `\n${shown(info.label)} (${shown(info.unit)})\n${renderTable([['region', 'year', 'mean', 'sd', ...PCTS, ...(obs ? ['observed'] : [])]], rows)}`,
    );
  }
  if (targets.length > 0) {
    const span = horizon.end - horizon.start + 1;
    parts.push('\nTargets');
    targets.forEach((t, k) => {
      const p = r.runsCompleted > 0 ? r.reached.get(k) / r.runsCompleted : NaN;
      const counts: number[] = [];
      for (let y = 0; y < span; y++) counts.push(r.firstYear.get(k * (span + 1) + y));
      const never = r.firstYear.get(k * (span + 1) + span);
      const allYears = shownYears(horizon.start, horizon.end);
      const med = medianYear(allYears, counts, never);
      const ci = wilsonOrNull(r.reached.get(k), r.runsCompleted);
      const interval = ci ? `, 95% interval ${percent(ci.low)} to ${percent(ci.high)}` : '';
      parts.push(
        `  ${shown(t.name)}: probability ${fixed(100 * p, 1)}%${interval} (${r.reached.get(k)} of ${r.runsCompleted} runs)`,
      );
      parts.push(
        `    median first year reached: ${med ?? `not within the horizon (${horizon.start}-${horizon.end})`}; never within the horizon in ${fixed((100 * never) / Math.max(1, r.runsCompleted), 1)}% of runs`,
      );
    });
  }
  if (obs) {
    parts.push(`\nObserved values from ${obs.fileText}`);
    for (const line of obs.breakLines()) parts.push(`  ${line}`);
  }
  const stop = stopSentence(r);
  if (stop) parts.push(`\n${stop}.`);
  parts.push(
    `\nPercentiles from a ${r.binning.bins}-bin histogram per cell; each is within one bin width of the exact value (see --format json, resolution).`,
  );
  return `${parts.join('\n')}\n`;
}

export function renderMcCsv(r: McResult, observed?: ObservedView): string {
  const { model, horizon } = r.scenario;
  const lines = [
    `indicator,region,kind,year,mean,sd,min,max,p5,p25,p50,p75,p95,resolution${observed ? ',observed' : ''}`,
  ];
  for (const s of model.series) {
    for (let y = horizon.start; y <= horizon.end; y++) {
      const c = cellIndex(horizonGrid(model, horizon), y, s.index);
      lines.push(
        [
          csvCell(s.indicator),
          s.region,
          s.kind,
          y,
          r.stats.mean[c],
          r.stats.sd[c],
          r.stats.min[c],
          r.stats.max[c],
          ...r.stats.percentiles.map((p) => p.value[c]),
          r.stats.resolution[c],
          ...(observed ? [observed.get(s.index, y)?.value ?? ''] : []),
        ].join(','),
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The targets as CSV, one row per target: the probability with its 95% Wilson interval, and the
 * median first year reached (empty: more than half the runs never reach it). The second table of
 * the CSV of `mc`.
 */
export function renderMcTargetsCsv(r: McResult): string | undefined {
  const { horizon, targets } = r.scenario;
  if (targets.length === 0) return undefined;
  const span = horizon.end - horizon.start + 1;
  const years = shownYears(horizon.start, horizon.end);
  const n = r.runsCompleted;
  const lines = [
    'target,indicator,region,year,direction,runs,runs_reached,probability,probability_low,probability_high,first_year_median,runs_never',
  ];
  targets.forEach((t, k) => {
    const hits = r.reached.get(k);
    const ci = wilsonOrNull(hits, n);
    const counts = years.map((_, y) => r.firstYear.get(k * (span + 1) + y));
    const never = r.firstYear.get(k * (span + 1) + span);
    lines.push(
      [
        csvCell(t.name),
        t.indicator,
        t.region,
        t.year,
        t.direction,
        n,
        hits,
        n > 0 ? hits / n : '',
        ci?.low ?? '',
        ci?.high ?? '',
        medianYear(years, counts, never) ?? '',
        never,
      ].join(','),
    );
  });
  return `${lines.join('\n')}\n`;
}
