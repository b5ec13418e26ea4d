import { projectionGrid, seriesOfCell } from '../model/layout.js';
import { RANDOM_STREAM } from '../montecarlo/rng.js';
import type { SweepOutput } from '../sweep/load-sweep.js';
import type { Analysis, SweepResult } from '../sweep/run-sweep.js';
import { wilsonOrNull } from '../util/wilson.js';
import { fixed, jsonText, renderTable, shown } from './format.js';
import { NO_META, provenance, type ResultMeta } from './result-meta.js';
import { csvCell } from './run-report.js';

/** Design rows (and their outputs) an LHS result carries in its JSON for the scatter plots. */
export const LHS_SAMPLE_ROWS = 2000;

const g = (v: number, d = 4): string => (Number.isFinite(v) ? fixed(v, d) : String(v));

/** Human-readable: a ranked table per output for Morris/Sobol/OAT/LHS, values (and a matrix) for grids. */
export function renderSweepTable(r: SweepResult): string {
  const { sweep } = r;
  const parts = [
    `Sweep: ${shown(sweep.raw.name)} — ${sweep.raw.design}, ${r.X.rows} model evaluations${sweep.mc ? ` × ${sweep.mc.runs} Monte Carlo futures` : ''}`,
    shown(sweep.raw.description.trim()),
  ];
  for (const note of r.notes) parts.push(`note: ${note}`);
  sweep.outputs.forEach((out, k) => {
    const a = r.analyses[k]!;
    parts.push(`\nOutput: ${shown(out.label)}`);
    switch (a.method) {
      case 'sobol': {
        const s = a.result;
        const rows = s.ranking.map((i) => [
          s.names[i]!,
          g(s.S1[i]!),
          `[${g(s.S1Low[i]!)}, ${g(s.S1High[i]!)}]`,
          g(s.ST[i]!),
          `[${g(s.STLow[i]!)}, ${g(s.STHigh[i]!)}]`,
        ]);
        parts.push(
          renderTable(
            [
              [
                'factor',
                'S1',
                `S1 ${Math.round(s.confLevel * 100)}% CI`,
                'ST',
                `ST ${Math.round(s.confLevel * 100)}% CI`,
              ],
            ],
            rows,
          ),
        );
        break;
      }
      case 'morris': {
        const m = a.result;
        const rows = m.ranking.map((i) => [
          m.names[i]!,
          g(m.mu[i]!),
          g(m.muStar[i]!),
          `[${g(m.muStarLow[i]!)}, ${g(m.muStarHigh[i]!)}]`,
          g(m.sigma[i]!),
        ]);
        parts.push(renderTable([['factor', 'mu', 'mu*', `mu* ${Math.round(m.confLevel * 100)}% CI`, 'sigma']], rows));
        break;
      }
      case 'oat': {
        const o = a.result;
        parts.push(`base case: ${g(o.baseOutput)}`);
        const rows = o.ranking.map((i) => [o.names[i]!, g(o.low[i]!), g(o.high[i]!), g(o.swing[i]!)]);
        parts.push(renderTable([['factor (low → high)', 'output at low', 'output at high', 'swing']], rows));
        break;
      }
      case 'lhs': {
        const l = a.result;
        parts.push(`mean ${g(l.mean)}, sd ${g(l.sd)}, min ${g(l.min)}, max ${g(l.max)}`);
        parts.push(
          renderTable(
            [['factor', 'Pearson r', 'Spearman rho']],
            l.ranking.map((i) => [l.names[i]!, g(l.pearson[i]!, 3), g(l.spearman[i]!, 3)]),
          ),
        );
        break;
      }
      case 'grid':
      case 'policy-grid': {
        if (a.table) {
          const t = a.table;
          const header = [[`${t.rowFactor} \\ ${t.colFactor}`, ...t.colLevels.map((v) => g(v, 2))]];
          const runs = isProbability(sweep.outputs[k]!) ? r.sweep.mc?.runs : undefined;
          const cell = (v: number): string => {
            const ci = runs === undefined ? null : wilsonOrNull(Math.round(v * runs), runs);
            return ci ? `${g(v, 3)} [${g(ci.low, 3)}, ${g(ci.high, 3)}]` : g(v, 3);
          };
          const rows = t.rowLevels.map((rv, i) => [
            g(rv, 2),
            ...t.colLevels.map((_, j) => cell(t.values.data[i * t.colLevels.length + j]!)),
          ]);
          parts.push(renderTable(header, rows));
          if (runs !== undefined) parts.push(`probability [95% Wilson interval] over ${runs} futures per cell`);
        } else {
          const names = a.result.names;
          const rows: string[][] = [];
          for (let i = 0; i < a.result.X.rows; i++)
            rows.push([...names.map((_, j) => g(a.result.X.data[i * names.length + j]!, 3)), g(a.result.Y[i]!)]);
          parts.push(renderTable([[...names, 'output']], rows));
        }
        break;
      }
    }
    // The analysis' own notes (e.g. an output whose every value is the same), under its output.
    for (const note of resultNotes(a)) parts.push(`note: ${note}`);
  });
  return `${parts.join('\n')}\n`;
}

function resultNotes(a: Analysis): readonly string[] {
  const r: object = a.result;
  return 'notes' in r && Array.isArray(r.notes) ? (r.notes as string[]) : [];
}

/** Whether an output is a share of Monte Carlo futures (its cells carry a Wilson interval). */
export function isProbability(o: SweepOutput): boolean {
  return o.kind === 'target' && o.metric === 'probability';
}

/** The unit of an output's values, for table headings and chart axes. */
export function outputUnit(r: SweepResult, o: SweepOutput): string {
  const model = r.sweep.scenario.model;
  const unitOf = (indicator: string): string => model.indicators.find((i) => i.name === indicator)?.unit ?? '';
  if (o.kind === 'series') return unitOf(model.series[seriesOfCell(projectionGrid(model), o.at)]!.indicator);
  switch (o.metric) {
    case 'probability':
      return 'probability';
    case 'reached':
      return '1 = reached';
    case 'first_year':
      return 'year';
    case 'gap': {
      // A difference of two percentages is in percentage points.
      const u = unitOf(r.sweep.scenario.targets[o.target]!.indicator);
      return u === '%' ? 'points' : u;
    }
    default:
      return unitOf(r.sweep.scenario.targets[o.target]!.indicator);
  }
}

/** Decimals to show an output's values with: the indicator's, or 3 for probabilities. */
export function outputDecimals(r: SweepResult, o: SweepOutput): number {
  const model = r.sweep.scenario.model;
  const dec = (indicator: string): number => model.indicators.find((i) => i.name === indicator)?.decimals ?? 2;
  if (o.kind === 'series') return dec(model.series[seriesOfCell(projectionGrid(model), o.at)]!.indicator);
  if (o.metric === 'probability') return 3;
  if (o.metric === 'reached' || o.metric === 'first_year') return 0;
  return dec(r.sweep.scenario.targets[o.target]!.indicator);
}

/**
 * The analyses as CSV, one row per output × factor, ranked within each output (rank 1 = most
 * influential); for grid designs, one row per output × design row (factor values, the value, and for
 * probabilities the 95% Wilson interval). The raw design is `renderSweepDesignCsv` (--design-out).
 */
export function renderSweepCsv(r: SweepResult): string {
  const method = r.analyses[0]?.method ?? r.sweep.raw.design;
  const names = r.sweep.factors.map((f) => f.name);
  const header: Record<string, string[]> = {
    sobol: ['S1', 'S1_low', 'S1_high', 'ST', 'ST_low', 'ST_high'],
    morris: ['mu', 'mu_star', 'mu_star_low', 'mu_star_high', 'sigma'],
    oat: ['factor_low', 'factor_high', 'base_output', 'output_at_low', 'output_at_high', 'swing'],
    lhs: ['pearson', 'spearman'],
  };
  const grid = method === 'grid' || method === 'policy-grid';
  const lines = [
    (grid
      ? ['output', 'row', ...names, 'value', 'probability_low', 'probability_high']
      : ['output', 'factor', 'rank', ...header[method]!]
    )
      .map(csvCell)
      .join(','),
  ];
  r.sweep.outputs.forEach((out, k) => {
    const a = r.analyses[k]!;
    const label = csvCell(out.label);
    if (a.method === 'grid' || a.method === 'policy-grid') {
      const runs = isProbability(out) ? r.sweep.mc?.runs : undefined;
      const D = a.result.X.cols;
      for (let i = 0; i < a.result.X.rows; i++) {
        const v = a.result.Y[i]!;
        const ci = runs === undefined ? null : wilsonOrNull(Math.round(v * runs), runs);
        const x = Array.from(a.result.X.data.subarray(i * D, (i + 1) * D), String);
        lines.push([label, i, ...x, v, ci?.low ?? '', ci?.high ?? ''].join(','));
      }
      return;
    }
    // Per factor, in ranked order: the columns of the design's header.
    const statsOf = (i: number): (number | string)[] => {
      switch (a.method) {
        case 'sobol': {
          const x = a.result;
          return [x.S1[i]!, x.S1Low[i]!, x.S1High[i]!, x.ST[i]!, x.STLow[i]!, x.STHigh[i]!];
        }
        case 'morris': {
          const x = a.result;
          return [x.mu[i]!, x.muStar[i]!, x.muStarLow[i]!, x.muStarHigh[i]!, x.sigma[i]!];
        }
        case 'oat': {
          const x = a.result;
          const f = r.sweep.factors[i]!;
          return [f.lo, f.hi, x.baseOutput, x.low[i]!, x.high[i]!, x.swing[i]!];
        }
        case 'lhs':
          return [a.result.pearson[i]!, a.result.spearman[i]!];
        default:
          return [];
      }
    };
    const ranked = a.result as Exclude<Analysis, { method: 'grid' | 'policy-grid' }>['result'];
    ranked.ranking.forEach((i, rank) => {
      lines.push([label, csvCell(ranked.names[i]!), rank + 1, ...statsOf(i)].join(','));
    });
  });
  return `${lines.join('\n')}\n`;
}

/** The design and its outputs, one row per model evaluation (for any design): `--design-out`. */
export function renderSweepDesignCsv(r: SweepResult): string {
  const names = r.sweep.factors.map((f) => f.name);
  const outs = r.sweep.outputs.map((o) => o.label);
  const O = outs.length;
  const lines = [['row', ...names, ...outs].map(csvCell).join(',')];
  for (let i = 0; i < r.X.rows; i++) {
    const x = Array.from(r.X.data.subarray(i * r.X.cols, (i + 1) * r.X.cols), String);
    const y = Array.from(r.Y.subarray(i * O, (i + 1) * O), String);
    lines.push([String(i), ...x, ...y].join(','));
  }
  return `${lines.join('\n')}\n`;
}

export function renderSweepJson(r: SweepResult, meta: ResultMeta = NO_META): string {
  return jsonText(sweepResultJson(r, meta));
}

export function sweepResultJson(r: SweepResult, meta: ResultMeta = NO_META): object {
  const plain = (v: unknown): unknown => {
    if (v instanceof Float64Array) return Array.from(v);
    if (Array.isArray(v)) return v.map(plain);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
    return v;
  };
  const doc = {
    schema: 'policysim.sweep/2',
    name: r.sweep.raw.name,
    design: r.sweep.raw.design,
    scenario: r.sweep.scenario.file,
    seed: r.sweep.raw.seed,
    randomStream: RANDOM_STREAM,
    evaluations: r.X.rows,
    monteCarlo: r.sweep.mc ?? null,
    factors: r.sweep.factors.map((f) => ({
      name: f.name,
      kind: f.kind,
      low: f.lo,
      high: f.hi,
      levels: f.levels ?? null,
      base: f.base,
    })),
    outputs: r.sweep.outputs.map((o, k) => ({
      label: o.label,
      analysis: plain(analysisJson(r.analyses[k]!, isProbability(o) ? r.sweep.mc?.runs : undefined)),
      unit: outputUnit(r, o),
      decimals: outputDecimals(r, o),
    })),
    notes: r.notes,
    description: r.sweep.raw.description,
    ...(r.sweep.raw.design === 'lhs' ? { sample: lhsSample(r) } : {}),
    ...provenance(meta),
    manifest: r.manifest ?? null,
  };
  return doc;
}

/**
 * The first LHS_SAMPLE_ROWS design rows and their outputs (each row is a random point of the
 * hypercube, so the first rows are a fair sample): what the report's scatter plots draw.
 */
function lhsSample(r: SweepResult): { of: number; X: number[][]; Y: number[][] } {
  const n = Math.min(LHS_SAMPLE_ROWS, r.X.rows);
  const O = r.sweep.outputs.length;
  const X: number[][] = [];
  const Y: number[][] = [];
  for (let i = 0; i < n; i++) {
    X.push(Array.from(r.X.data.subarray(i * r.X.cols, (i + 1) * r.X.cols)));
    Y.push(Array.from(r.Y.subarray(i * O, (i + 1) * O)));
  }
  return { of: r.X.rows, X, Y };
}

/**
 * One output's analysis as written to JSON: the result's fields less the design matrix X (the CSV has
 * it) and Morris' per-trajectory `effects`. A grid has no estimates, so its outputs are the result:
 * `values`, one per design row in the CSV's row order, and for two factors the same values as a
 * `table` (rows: levels of the first factor, columns: levels of the second).
 */
function analysisJson(a: Analysis, runs: number | undefined): object {
  switch (a.method) {
    case 'grid':
    case 'policy-grid': {
      const { names, levels, Y } = a.result;
      // A probability over `runs` futures: its 95% Wilson interval, cell by cell.
      const ci = runs === undefined ? undefined : Array.from(Y, (v) => wilsonOrNull(Math.round(v * runs), runs)!);
      const interval = ci && {
        probabilityLow: ci.map((c) => c.low),
        probabilityHigh: ci.map((c) => c.high),
      };
      const t = a.table;
      const rowsOf = (v: readonly number[]): number[][] =>
        t ? t.rowLevels.map((_, i) => v.slice(i * t.values.cols, (i + 1) * t.values.cols)) : [];
      const table = t && {
        rowFactor: t.rowFactor,
        colFactor: t.colFactor,
        rowLevels: t.rowLevels,
        colLevels: t.colLevels,
        values: rowsOf(Array.from(t.values.data)),
        ...(interval ? { low: rowsOf(interval.probabilityLow), high: rowsOf(interval.probabilityHigh) } : {}),
      };
      return { names, levels, values: Array.from(Y), ...(interval ?? {}), ...(table ? { table } : {}) };
    }
    case 'morris':
      return { ...a.result, X: undefined, effects: undefined };
    default:
      return { ...a.result, X: undefined };
  }
}
