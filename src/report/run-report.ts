import type { CompiledModel } from '../model/compiled-model.js';
import { cellIndex, projectionGrid } from '../model/layout.js';
import type { Projection } from '../project/project-scenario.js';
import type { TargetVerdict } from '../project/targets.js';
import { fixed, jsonText, percent, renderTable, shown } from './format.js';
import type { ObservedView } from './observed-view.js';
import { NO_META, type ResultMeta } from './result-meta.js';
import { runResultJson } from './run-result.js';

export type Format = 'table' | 'csv' | 'json';

export interface TableOptions {
  /** Indicators to show (default: all). */
  readonly indicators?: readonly string[];
  /** Show every `step` years (the first and last year are always shown). */
  readonly step?: number;
  /** Observed values, shown in an `observed` column beside each indicator that has them. */
  readonly observed?: ObservedView;
}

/** Regions in reading order: the aggregates, each province, then the national reference. */
export function regionOrder(model: CompiledModel): { id: string; name: string }[] {
  return [...model.aggregates, ...model.regions, ...(model.reference ? [model.reference] : [])];
}

export function shownYears(start: number, end: number, step = 1): number[] {
  const years: number[] = [];
  for (let y = start; y <= end; y += step) years.push(y);
  if (years[years.length - 1] !== end) years.push(end);
  return years;
}

export function renderRunTable(p: Projection, opts: TableOptions = {}): string {
  const { model, horizon } = p.scenario;
  const indicators = model.indicators.filter((i) => !opts.indicators || opts.indicators.includes(i.name));
  const obs = opts.observed;
  // With observations, every observed year is shown too, whatever the step.
  const years = obs
    ? [
        ...new Set([...shownYears(horizon.start, horizon.end, opts.step), ...obs.set.observations.map((o) => o.year)]),
      ].sort((a, b) => a - b)
    : shownYears(horizon.start, horizon.end, opts.step);
  const parts: string[] = [`Scenario: ${shown(p.scenario.name)} — ${shown(p.scenario.description.trim())}`];
  if (p.scenario.overrides.length > 0) {
    parts.push(
      `Overrides: ${p.scenario.overrides.map((o) => `${o.name}${o.region ? `.${o.region}` : ''}=${o.value}`).join(', ')}`,
    );
  }
  for (const region of regionOrder(model)) {
    const cols = indicators.filter((i) => model.seriesIndex(i.name, region.id) !== undefined);
    if (cols.length === 0) continue;
    // Column titles wrap onto stacked header lines so twenty years of eight indicators fit a terminal.
    const observedCol = cols.map((i) => obs?.hasSeries(model.seriesIndex(i.name, region.id)!) ?? false);
    const titles = cols.flatMap((i, k) => [
      [...wrapWords(i.name.replace(/_/g, ' '), 12), `(${i.unit})`],
      ...(observedCol[k] ? [['observed']] : []),
    ]);
    const depth = titles.reduce((m, t) => Math.max(m, t.length), 0);
    const header = Array.from({ length: depth }, (_, k) => [
      k === depth - 1 ? 'year' : '',
      ...titles.map((t) => t[k - (depth - t.length)] ?? ''),
    ]);
    const rows = years.map((y) => [
      String(y),
      ...cols.flatMap((i, k) => {
        const s = model.seriesIndex(i.name, region.id)!;
        const v = fixed(p.values[cellIndex(projectionGrid(p), y, s)]!, i.decimals);
        return observedCol[k] ? [v, obs!.cell(s, y, i.decimals)] : [v];
      }),
    ]);
    parts.push(`\n${shown(region.name)}\n${renderTable(header, rows)}`);
  }
  if (obs) {
    parts.push(`\nObserved values from ${obs.fileText}`);
    for (const line of obs.breakLines()) parts.push(`  ${line}`);
  }
  if (p.verdicts.length > 0) parts.push(`\nTargets\n${renderVerdicts(p.verdicts, model, horizon)}`);
  return `${parts.join('\n')}\n`;
}

function wrapWords(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const word of text.split(' ')) {
    const last = lines[lines.length - 1];
    if (last !== undefined && last.length + 1 + word.length <= width) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines;
}

export function regionName(model: CompiledModel, id: string): string {
  return regionOrder(model).find((r) => r.id === id)?.name ?? id;
}

export function renderVerdicts(
  verdicts: readonly TargetVerdict[],
  model: CompiledModel,
  horizon: { start: number; end: number },
): string {
  return verdicts
    .map((v) => {
      const ind = model.indicators.find((i) => i.name === v.indicator)!;
      const d = ind.decimals;
      const unit = ind.unit === '%' ? ' points' : ` ${shown(ind.unit)}`;
      const status = v.reached ? 'REACHED' : 'NOT REACHED';
      const gapPct = v.gapPercent === null ? '' : ` (${v.gapPercent >= 0 ? '+' : ''}${fixed(v.gapPercent, 1)}%)`;
      const first =
        v.firstYearReached === null
          ? `not within the horizon (${horizon.start}-${horizon.end})`
          : String(v.firstYearReached);
      const need =
        v.requiredGrowth === null
          ? 'n/a'
          : `${percent(v.requiredGrowth)} a year from ${horizon.start} (constant growth of ${v.indicator})`;
      return [
        `  ${shown(v.name)}: ${status}`,
        `    ${v.year}: ${shown(regionName(model, v.region))} ${fixed(v.value, d)} vs reference ${fixed(v.reference, d)}; gap ${v.gap >= 0 ? '+' : ''}${fixed(v.gap, d)}${unit}${gapPct}`,
        `    first reached: ${first}`,
        `    growth needed: ${need}`,
      ].join('\n');
    })
    .join('\n');
}

/** Long CSV: one row per scenario, indicator, region and year. */
export function renderRunCsv(ps: readonly Projection[], observed?: readonly (ObservedView | undefined)[]): string {
  const withObserved = observed?.some((v) => v !== undefined) ?? false;
  const lines = [`scenario,indicator,region,kind,year,value${withObserved ? ',observed' : ''}`];
  for (const [pi, p] of ps.entries()) {
    const obs = observed?.[pi];
    const { model, horizon } = p.scenario;
    for (const s of model.series) {
      for (let y = horizon.start; y <= horizon.end; y++) {
        lines.push(
          [
            csvCell(p.scenario.name),
            s.indicator,
            s.region,
            s.kind,
            y,
            String(p.values[cellIndex(projectionGrid(p), y, s.index)]),
            ...(withObserved ? [obs?.get(s.index, y)?.value ?? ''] : []),
          ].join(','),
        );
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The target verdicts as CSV, one row per scenario and target: the second table of the CSV of `run`
 * and `compare` (README: "CSV").
 */
export function renderVerdictsCsv(ps: readonly Projection[]): string | undefined {
  if (ps.every((p) => p.verdicts.length === 0)) return undefined;
  const lines = [
    'scenario,target,indicator,region,year,direction,value,reference,gap,gap_percent,reached,first_year_reached,required_growth',
  ];
  for (const p of ps) {
    for (const v of p.verdicts) {
      lines.push(
        [
          csvCell(p.scenario.name),
          csvCell(v.name),
          v.indicator,
          v.region,
          v.year,
          v.direction,
          v.value,
          v.reference,
          v.gap,
          v.gapPercent ?? '',
          v.reached ? 1 : 0,
          v.firstYearReached ?? '',
          v.requiredGrowth ?? '',
        ].join(','),
      );
    }
  }
  return `${lines.join('\n')}\n`;
}

/** A CSV field; control characters from files are escaped as in the text reports (no raw line breaks). */
export function csvCell(text: string): string {
  const s = shown(text);
  return /[",]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function renderRunJson(
  ps: readonly Projection[],
  meta: ResultMeta = NO_META,
  observed?: readonly (ObservedView | undefined)[],
): string {
  const docs = ps.map((p, i) => runResultJson(p, meta, observed?.[i]));
  return jsonText(docs.length === 1 ? docs[0] : docs);
}
