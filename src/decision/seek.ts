/**
 * "What would it take": the cheapest setting of one knob at which a target is met, by bracketing on a
 * coarse grid from the cheap end and bisecting the first bracket to the knob's resolution. Pure: the
 * knob's meaning (a lever value, a start year, a ramp, a package factor) and the evaluation (one
 * projection, or a Monte Carlo on common random numbers) are passed in.
 */

export interface Domain {
  readonly lo: number;
  readonly hi: number;
  /** Which end costs least: the smallest value, or the latest start / longest ramp. */
  readonly cheap: 'low' | 'high';
  /** Bisection stops when the met and not-met settings are at most this far apart. */
  readonly resolution: number;
  /** Whole numbers only (years). */
  readonly integer: boolean;
}

/** One setting tried. `score` is oriented so that larger is better (for "best gap" when nothing meets). */
export interface Probe {
  readonly x: number;
  readonly met: boolean;
  readonly score: number;
}

export interface SeekOutcome<P extends Probe> {
  /** met: the cheapest setting within resolution; metAtCheapest: already met at the cheap end; notReachable. */
  readonly status: 'met' | 'metAtCheapest' | 'notReachable';
  readonly answer: P | undefined;
  /** The not-met setting next to the answer (within resolution), when there is one. */
  readonly notMet: P | undefined;
  /** The best score of all settings tried (the one to report when nothing meets). */
  readonly best: P;
  /** Every setting tried, in the order tried. */
  readonly probes: P[];
}

/** Grid intervals for the bracketing pass. */
export const BRACKET_INTERVALS = 8;

export async function seekThreshold<P extends Probe>(
  evaluate: (x: number) => Promise<P> | P,
  d: Domain,
): Promise<SeekOutcome<P>> {
  const probes: P[] = [];
  const cache = new Map<number, P>();
  const at = async (x: number): Promise<P> => {
    const hit = cache.get(x);
    if (hit) return hit;
    const p = await evaluate(x);
    cache.set(x, p);
    probes.push(p);
    return p;
  };
  const span = d.hi - d.lo;
  const fromCheap = (t: number): number => {
    const x = d.cheap === 'low' ? d.lo + t * span : d.hi - t * span;
    return d.integer ? Math.round(x) : t === 1 ? (d.cheap === 'low' ? d.hi : d.lo) : x;
  };
  const done = (status: SeekOutcome<P>['status'], answer?: P, notMet?: P): SeekOutcome<P> => ({
    status,
    answer,
    notMet,
    best: probes.reduce((b, p) => (p.score > b.score ? p : b)),
    probes,
  });
  const first = await at(fromCheap(0));
  if (first.met) return done('metAtCheapest', first);
  let prev = first;
  const G = d.integer ? Math.max(1, Math.min(BRACKET_INTERVALS, span)) : BRACKET_INTERVALS;
  for (let i = 1; i <= G; i++) {
    const p = await at(fromCheap(i / G));
    if (!p.met) {
      prev = p;
      continue;
    }
    // Bracket [prev (not met), p (met)]: bisect towards the cheapest met setting.
    let a = prev;
    let b = p;
    while (Math.abs(b.x - a.x) > d.resolution) {
      const mid = d.integer ? a.x + Math.trunc((b.x - a.x) / 2) : (a.x + b.x) / 2;
      if (mid === a.x || mid === b.x) break;
      const m = await at(mid);
      if (m.met) b = m;
      else a = m;
    }
    return done('met', b, a);
  }
  return done('notReachable');
}
