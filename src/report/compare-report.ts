import { cliOverrides, makeManifest, scenariosInputs } from '../manifest/manifest.js';
import { cellIndex, projectionGrid } from '../model/layout.js';
import type { Projection } from '../project/project-scenario.js';
import { fixed, jsonText, renderTable, shown } from './format.js';
import { type ObservedView, observedHeaderJson } from './observed-view.js';
import { NO_META, provenance, type ResultMeta } from './result-meta.js';
import { csvCell, regionName, renderVerdicts } from './run-report.js';
import { runResultJson } from './run-result.js';

export interface CompareOptions {
  readonly indicators: readonly string[];
  readonly regions: readonly string[];
  readonly years: readonly number[];
  /** Observed values (of the first scenario's observed file, or --observed), in a column after the year. */
  readonly observed?: ObservedView;
}

interface Cell {
  indicator: string;
  region: string;
  year: number;
  values: number[];
  observed: number | undefined;
}

function cells(ps: readonly Projection[], o: CompareOptions): Cell[] {
  const out: Cell[] = [];
  for (const indicator of o.indicators) {
    for (const region of o.regions) {
      for (const year of o.years) {
        const s0 = ps[0]!.scenario.model.seriesIndex(indicator, region);
        out.push({
          indicator,
          region,
          year,
          observed: s0 === undefined ? undefined : o.observed?.get(s0, year)?.value,
          values: ps.map((p) => {
            const s = p.scenario.model.seriesIndex(indicator, region);
            return s === undefined ? NaN : p.values[cellIndex(projectionGrid(p), year, s)]!;
          }),
        });
      }
    }
  }
  return out;
}

/** Scenarios side by side, with each one's difference against the first. */
export function renderCompareTable(ps: readonly Projection[], o: CompareOptions): string {
  const model = ps[0]!.scenario.model;
  const names = ps.map((p) => p.scenario.name);
  const header = [
    [
      'indicator',
      'region',
      'year',
      ...(o.observed ? ['observed'] : []),
      names[0]!,
      ...names.slice(1).flatMap((n) => [n, `Δ vs ${names[0]}`]),
    ],
  ];
  const rows = cells(ps, o).map((c) => {
    const d = model.indicators.find((i) => i.name === c.indicator)?.decimals ?? 2;
    const base = c.values[0]!;
    return [
      c.indicator,
      regionName(model, c.region),
      String(c.year),
      ...(o.observed ? [c.observed === undefined ? '' : fixed(c.observed, d)] : []),
      fixed(base, d),
      ...c.values.slice(1).flatMap((v) => [fixed(v, d), signed(v - base, d)]),
    ];
  });
  const parts = [renderTable(header, rows)];
  if (o.observed) {
    parts.push(`Observed values from ${o.observed.fileText}`);
    for (const line of o.observed.breakLines()) parts.push(`  ${line}`);
  }
  for (const p of ps) {
    if (p.verdicts.length === 0) continue;
    parts.push(
      `\nTargets — ${shown(p.scenario.name)}\n${renderVerdicts(p.verdicts, p.scenario.model, p.scenario.horizon)}`,
    );
  }
  return `${parts.join('\n')}\n`;
}

export function renderCompareCsv(ps: readonly Projection[], o: CompareOptions): string {
  const names = ps.map((p) => p.scenario.name);
  const lines = [
    [
      'indicator',
      'region',
      'year',
      ...names.map(csvCell),
      ...names.slice(1).map((n) => csvCell(`diff ${n}`)),
      ...(o.observed ? ['observed'] : []),
    ].join(','),
  ];
  for (const c of cells(ps, o)) {
    lines.push(
      [
        c.indicator,
        c.region,
        c.year,
        ...c.values.map(String),
        ...c.values.slice(1).map((v) => String(v - c.values[0]!)),
        ...(o.observed ? [c.observed ?? ''] : []),
      ].join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

export function compareResultJson(ps: readonly Projection[], o: CompareOptions, meta: ResultMeta = NO_META): object {
  return {
    schema: 'policysim.compare/2',
    scenarios: ps.map((p) => p.scenario.name),
    rows: cells(ps, o).map((c) => ({
      indicator: c.indicator,
      region: c.region,
      year: c.year,
      values: c.values,
      differences: c.values.map((v) => v - c.values[0]!),
      ...(o.observed ? { observed: c.observed ?? null } : {}),
    })),
    runs: ps.map((p) => runResultJson(p, meta)),
    ...observedHeaderJson(o.observed),
    ...provenance(meta),
    manifest: makeManifest({
      command: 'compare',
      inputs: scenariosInputs(ps.map((p) => p.scenario)),
      overrides: ps[0] ? cliOverrides(ps[0].scenario) : [],
    }),
  };
}

export function renderCompareJson(ps: readonly Projection[], o: CompareOptions, meta: ResultMeta = NO_META): string {
  return jsonText(compareResultJson(ps, o, meta));
}

/** A difference with an explicit sign, decided after rounding so that a zero never shows as "+0.0". */
function signed(v: number, d: number): string {
  const text = fixed(v, d);
  return Number(text) > 0 ? `+${text}` : text;
}
