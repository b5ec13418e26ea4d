import {
  chooseBox,
  DEFAULT_ALPHA,
  DEFAULT_MIN_MASS,
  fullBox,
  type PrimBox,
  type PrimData,
  paste,
  peel,
  prune,
  quasiPValue,
} from './prim.js';

export interface DiscoverOptions {
  readonly alpha?: number;
  readonly minMass?: number;
  /** Report the densest box with at least this coverage (default 0.5)... */
  readonly minCoverage?: number;
  /** ...or this box of the trade-off curve (0: all runs). */
  readonly box?: number;
  /** Restrictions with a larger quasi-p-value are dropped from the reported box (default 0.05). */
  readonly maxP?: number;
}

export const DEFAULT_MAX_P = 0.05;

export const DEFAULT_MIN_COVERAGE = 0.5;

export interface BoxLimit {
  readonly parameter: string;
  /** The range of the runs' draws. */
  readonly min: number;
  readonly max: number;
  /** The box's ends; null where it does not restrict this input. */
  readonly lower: number | null;
  readonly upper: number | null;
  /** Quasi-p-value of the restriction (null where unrestricted). */
  readonly qpValue: number | null;
}

export interface Discovery {
  readonly runs: number;
  readonly runsReached: number;
  readonly alpha: number;
  readonly minMass: number;
  readonly minCoverage: number;
  readonly maxP: number;
  /** The peeling trajectory (box 0: all runs). */
  readonly curve: PrimBox[];
  /** Index on the curve of the box chosen, before pasting. */
  readonly chosen: number;
  /** The chosen box after pasting and dropping restrictions that chance explains as well. */
  readonly box: PrimBox;
  readonly limits: BoxLimit[];
}

/** PRIM over runs' draws (labels: one per column) for one target's outcomes. */
export function discover(data: PrimData, labels: readonly string[], o: DiscoverOptions = {}): Discovery {
  const alpha = o.alpha ?? DEFAULT_ALPHA;
  const minMass = o.minMass ?? DEFAULT_MIN_MASS;
  const minCoverage = o.minCoverage ?? DEFAULT_MIN_COVERAGE;
  const curve = peel(data, { alpha, minMass });
  const chosen = o.box !== undefined ? Math.min(o.box, curve.length - 1) : chooseBox(curve, minCoverage);
  const maxP = o.maxP ?? DEFAULT_MAX_P;
  const box = chosen === 0 ? curve[0]! : prune(data, paste(data, curve[chosen]!, { alpha }), maxP);
  const full = fullBox(data);
  const limits = labels.map((parameter, j) => {
    const lower = box.lo[j]! > full.lo[j]! ? box.lo[j]! : null;
    const upper = box.hi[j]! < full.hi[j]! ? box.hi[j]! : null;
    return {
      parameter,
      min: full.lo[j]!,
      max: full.hi[j]!,
      lower,
      upper,
      qpValue: lower !== null || upper !== null ? quasiPValue(data, box, j) : null,
    };
  });
  return { runs: data.n, runsReached: curve[0]!.hits, alpha, minMass, minCoverage, maxP, curve, chosen, box, limits };
}

const num = (v: number): string => {
  const s = Number(v.toPrecision(3));
  return String(s);
};

/** "… is reached in 71% of futures where ftz_trade >= 0.05 and russia_corridor_factor >= 0.9 (…)". */
export function discoverySentence(d: Discovery, targetName: string): string {
  const pct = (x: number): string => `${(100 * x).toFixed(0)}%`;
  if (d.runsReached === 0) return `${targetName}: reached in none of the ${d.runs} futures; nothing to discover`;
  if (d.runsReached === d.runs) return `${targetName}: reached in all ${d.runs} futures; nothing to discover`;
  const conds = d.limits
    .filter((l) => l.lower !== null || l.upper !== null)
    .map((l) =>
      l.lower !== null && l.upper !== null
        ? `${l.parameter} in [${num(l.lower)}, ${num(l.upper)}]`
        : l.lower !== null
          ? `${l.parameter} >= ${num(l.lower)}`
          : `${l.parameter} <= ${num(l.upper!)}`,
    );
  const overall = `overall ${pct(d.runsReached / d.runs)} of ${d.runs} futures`;
  if (conds.length === 0) return `${targetName}: no box does better than all futures (${overall})`;
  return `${targetName}: reached in ${pct(d.box.density)} of futures where ${conds.join(' and ')} (${overall}; these futures are ${pct(d.box.mass)} of all and hold ${pct(d.box.coverage)} of those that reach it)`;
}
