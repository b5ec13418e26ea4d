import type { Analysis, SweepResult } from '../sweep/run-sweep.js';
import { fixed, jsonText, renderTable, shown } from './format.js';
import { csvCell } from './run-report.js';

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
          const rows = t.rowLevels.map((rv, i) => [
            g(rv, 2),
            ...t.colLevels.map((_, j) => g(t.values.data[i * t.colLevels.length + j]!, 3)),
          ]);
          parts.push(renderTable(header, rows));
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

/** The design and its outputs, one row per model evaluation (for any design). */
export function renderSweepCsv(r: SweepResult): string {
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

export function renderSweepJson(r: SweepResult): string {
  const plain = (v: unknown): unknown => {
    if (v instanceof Float64Array) return Array.from(v);
    if (Array.isArray(v)) return v.map(plain);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
    return v;
  };
  const doc = {
    schema: 'policysim.sweep/1',
    name: r.sweep.raw.name,
    design: r.sweep.raw.design,
    scenario: r.sweep.scenario.file,
    seed: r.sweep.raw.seed,
    evaluations: r.X.rows,
    monte_carlo: r.sweep.mc ?? null,
    factors: r.sweep.factors.map((f) => ({
      name: f.name,
      kind: f.kind,
      low: f.lo,
      high: f.hi,
      levels: f.levels ?? null,
      base: f.base,
    })),
    outputs: r.sweep.outputs.map((o, k) => ({ label: o.label, analysis: plain(analysisJson(r.analyses[k]!)) })),
    notes: r.notes,
    manifest: r.manifest ?? null,
  };
  return jsonText(doc);
}

/**
 * One output's analysis as written to JSON: the result's fields less the design matrix X (the CSV has
 * it) and Morris' per-trajectory `effects`. A grid has no estimates, so its outputs are the result:
 * `values`, one per design row in the CSV's row order, and for two factors the same values as a
 * `table` (rows: levels of the first factor, columns: levels of the second).
 */
function analysisJson(a: Analysis): object {
  switch (a.method) {
    case 'grid':
    case 'policy-grid': {
      const { names, levels, Y } = a.result;
      const t = a.table;
      const table = t && {
        rowFactor: t.rowFactor,
        colFactor: t.colFactor,
        rowLevels: t.rowLevels,
        colLevels: t.colLevels,
        values: t.rowLevels.map((_, i) =>
          Array.from(t.values.data.subarray(i * t.values.cols, (i + 1) * t.values.cols)),
        ),
      };
      return { names, levels, values: Array.from(Y), ...(table ? { table } : {}) };
    }
    case 'morris':
      return { ...a.result, X: undefined, effects: undefined };
    default:
      return { ...a.result, X: undefined };
  }
}
