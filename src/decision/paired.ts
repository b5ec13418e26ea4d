import { cellIndex, projectionGrid } from '../model/layout.js';
import type { McContext } from '../montecarlo/prepare-mc.js';
import { meets } from '../project/targets.js';
import type { Scenario, Target } from '../scenario/scenario.js';
import { type Diagnostic, UserError } from '../util/diagnostics.js';
import { regret, type Summary, satisficing, summarize } from './robustness.js';

/**
 * Paired Monte Carlo: several scenarios on the same futures (common random numbers). Run k of every
 * scenario draws from the same stream (seed, k) in the same order, so the same uncertain parameters
 * and shocks get the same uniforms; the differences between scenarios in a run are then the levers'
 * alone, and their spread across runs is far smaller than that of two independent samples.
 */

/** Scenarios can be paired only if their draws line up: same model, same uncertainties in the same order. */
export function checkPairable(ctxs: readonly McContext[]): void {
  const diags: Diagnostic[] = [];
  const first = ctxs[0]!;
  const a = first.scenario;
  const describe = (c: McContext) => ({
    model: c.scenario.model.origin,
    modelText: `${c.scenario.model.name} (${c.scenario.raw.model})`,
    horizon: `${c.scenario.horizon.start}-${c.scenario.horizon.end}`,
    parameters: c.spec.parameters.map((p) => (p.slotGroups.length > 1 ? `${p.name} (per region)` : p.name)),
    shocks: c.spec.shocks.map((s) => (s.common ? `${s.equation} (common)` : s.equation)),
    correlated: c.spec.correlation?.variables ?? [],
  });
  const da = describe(first);
  for (const c of ctxs.slice(1)) {
    const b = c.scenario;
    const db = describe(c);
    const at = (path: string) => ({ location: b.source.locateKey([path]), path });
    const vs = `the first scenario '${a.name}' (${a.file})`;
    if (db.model !== da.model) {
      // Nothing else can line up on another model; its other differences would be noise.
      diags.push({ ...at('model'), message: `runs on model ${db.modelText}, but ${vs} on ${da.modelText}` });
      continue;
    }
    if (db.horizon !== da.horizon)
      diags.push({ ...at('horizon'), message: `horizon ${db.horizon} differs from ${da.horizon} of ${vs}` });
    const list = (k: 'parameters' | 'shocks' | 'correlated', what: string): void => {
      const x = da[k];
      const y = db[k];
      if (x.join('\n') === y.join('\n')) return;
      const missing = x.filter((n) => !y.includes(n));
      const extra = y.filter((n) => !x.includes(n));
      const parts = [
        ...(missing.length ? [`lacks ${missing.join(', ')}`] : []),
        ...(extra.length ? [`adds ${extra.join(', ')}`] : []),
        ...(!missing.length && !extra.length ? [`declares them in a different order (${y.join(', ')})`] : []),
      ];
      diags.push({
        location: b.source.locateKey(['uncertainties']),
        path: `uncertainties.${k === 'correlated' ? 'correlation.variables' : k}`,
        message: `its uncertain ${what} differ from those of ${vs}: ${parts.join('; ')}`,
        hint: 'paired scenarios draw the same uncertainties in the same order: share one include: file',
      });
    };
    list('parameters', 'parameters');
    list('shocks', 'shocks');
    list('correlated', 'correlated variables');
  }
  if (diags.length > 0) throw new UserError(diags);
}

/** A target judged on every scenario: the union of the scenarios' targets, the same definition once. */
export interface PairedTarget {
  readonly target: Target;
  /** For each scenario: whether it declares this target (satisficing counts only its own). */
  readonly declaredBy: readonly boolean[];
}

export function unionTargets(scenarios: readonly Scenario[]): PairedTarget[] {
  const key = (t: Target): string =>
    JSON.stringify([
      t.indicator,
      t.region,
      t.year,
      t.direction,
      t.reference.kind === 'value' ? t.reference.value : t.reference.series,
    ]);
  const out: { target: Target; declaredBy: boolean[] }[] = [];
  scenarios.forEach((s, i) => {
    for (const t of s.targets) {
      let e = out.find((x) => key(x.target) === key(t));
      if (!e) {
        e = { target: t, declaredBy: scenarios.map(() => false) };
        out.push(e);
      }
      e.declaredBy[i] = true;
    }
  });
  return out;
}

/** An indicator, region and year whose difference from the first scenario is reported. */
export interface DifferenceCell {
  readonly indicator: string;
  readonly region: string;
  readonly year: number;
  readonly series: number;
}

/**
 * Which cells of each run's projection the paired statistics need: each target's value and (series)
 * reference in its year, then the difference cells. Returns the cell list and where each need sits in it.
 */
export function pairedCells(
  model: Scenario['model'],
  targets: readonly PairedTarget[],
  diffs: readonly DifferenceCell[],
): { cells: Int32Array; valueAt: number[]; refAt: number[]; diffAt: number[] } {
  const list: number[] = [];
  const add = (cell: number): number => {
    const i = list.indexOf(cell);
    if (i >= 0) return i;
    list.push(cell);
    return list.length - 1;
  };
  const grid = projectionGrid(model);
  const cell = (series: number, year: number): number => cellIndex(grid, year, series);
  const valueAt = targets.map(({ target: t }) => add(cell(t.series, t.year)));
  const refAt = targets.map(({ target: t }) =>
    t.reference.kind === 'series' ? add(cell(t.reference.series, t.year)) : -1,
  );
  const diffAt = diffs.map((d) => add(cell(d.series, d.year)));
  return { cells: Int32Array.from(list), valueAt, refAt, diffAt };
}

/** Per scenario: runs × cells values, filled block by block in run order (see simulate's onCells). */
export class PairedRecords {
  readonly values: Float64Array[];
  constructor(
    scenarios: number,
    readonly runs: number,
    readonly width: number,
  ) {
    this.values = Array.from({ length: scenarios }, () => new Float64Array(runs * width));
  }
  sink(scenario: number): (values: Float64Array, firstRun: number, runCount: number) => void {
    return (values, firstRun) => this.values[scenario]!.set(values, firstRun * this.width);
  }
}

export interface PairedTargetResult {
  readonly target: Target;
  readonly declaredBy: readonly boolean[];
  /** Per scenario. */
  readonly probability: number[];
  readonly runsReached: number[];
  /** Share of runs in which the scenario's oriented gap is strictly larger than the first scenario's. */
  readonly probabilityBetter: number[];
  /** Best oriented gap of any scenario in the run minus this scenario's: mean and p90 across runs. */
  readonly regretMean: number[];
  readonly regretP90: number[];
}

export interface PairedDifference extends DifferenceCell {
  /** Per scenario: the distribution over runs of (its value − the first scenario's value). */
  readonly difference: Summary[];
}

export interface PairedAnalysis {
  readonly runs: number;
  readonly targets: PairedTargetResult[];
  readonly differences: PairedDifference[];
  /** Per scenario: share of runs meeting all of its own targets (null: it has none). */
  readonly satisficing: (number | null)[];
}

/** Probabilities, pairwise comparisons, regret, satisficing and differences from the per-run cells. */
export function analyzePaired(
  records: PairedRecords,
  runs: number,
  targets: readonly PairedTarget[],
  diffs: readonly DifferenceCell[],
  layout: ReturnType<typeof pairedCells>,
): PairedAnalysis {
  const S = records.values.length;
  const W = records.width;
  const met: Uint8Array[][] = Array.from({ length: S }, () => []);
  const targetResults = targets.map((pt, ti) => {
    const t = pt.target;
    const scores: Float64Array[] = [];
    const runsReached: number[] = [];
    for (let s = 0; s < S; s++) {
      const v = records.values[s]!;
      const score = new Float64Array(runs);
      const m = new Uint8Array(runs);
      let hits = 0;
      for (let k = 0; k < runs; k++) {
        const value = v[k * W + layout.valueAt[ti]!]!;
        const ref = layout.refAt[ti]! >= 0 ? v[k * W + layout.refAt[ti]!]! : (t.reference as { value: number }).value;
        score[k] = t.direction === 'at_least' ? value - ref : ref - value;
        if (meets(t, value, ref)) {
          m[k] = 1;
          hits++;
        }
      }
      scores.push(score);
      runsReached.push(hits);
      if (pt.declaredBy[s]) met[s]!.push(m);
    }
    const better = scores.map((sc) => {
      let n = 0;
      for (let k = 0; k < runs; k++) if (sc[k]! > scores[0]![k]!) n++;
      return n / runs;
    });
    const reg = regret(scores).map(summarize);
    return {
      target: t,
      declaredBy: pt.declaredBy,
      probability: runsReached.map((h) => h / runs),
      runsReached,
      probabilityBetter: better,
      regretMean: reg.map((r) => r.mean),
      regretP90: reg.map((r) => r.p90),
    };
  });
  const differences = diffs.map((d, di) => {
    const c = layout.diffAt[di]!;
    const base = records.values[0]!;
    const difference = records.values.map((v) => {
      const x = new Float64Array(runs);
      for (let k = 0; k < runs; k++) x[k] = v[k * W + c]! - base[k * W + c]!;
      return summarize(x);
    });
    return { ...d, difference };
  });
  return {
    runs,
    targets: targetResults,
    differences,
    satisficing: met.map((m) => satisficing(m, runs)),
  };
}

/** The difference cells: every indicator × region × year asked for (default: those of the targets). */
export function differenceCells(
  model: Scenario['model'],
  targets: readonly PairedTarget[],
  o: { indicators?: readonly string[]; regions?: readonly string[]; years?: readonly number[] },
): DifferenceCell[] {
  const uniq = <T>(xs: T[]): T[] => [...new Set(xs)];
  const ts = targets.map((t) => t.target);
  const indicators = o.indicators ?? uniq(ts.map((t) => t.indicator));
  const regions = o.regions ?? uniq(ts.map((t) => t.region));
  const years = o.years ?? uniq(ts.map((t) => t.year)).sort((a, b) => a - b);
  const out: DifferenceCell[] = [];
  for (const indicator of indicators)
    for (const region of regions) {
      const series = model.seriesIndex(indicator, region);
      if (series === undefined) continue;
      for (const year of years) out.push({ indicator, region, year, series });
    }
  return out;
}
