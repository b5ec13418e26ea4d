import type { CheckedModel } from '../compile/checked-model.js';
import { type Expr, symbolsOf } from '../expression.js';

/** Which parts of an indicator a use needs: its regions' values, its aggregates, its reference. */
export interface IndicatorParts {
  readonly any: boolean;
  readonly values: boolean;
  readonly aggregates: boolean;
  readonly reference: boolean;
}

/**
 * Output pruning (dead-code elimination on the model's dependency graph): the equations the
 * requested series read, directly or through auxiliaries and states (their next and initial values),
 * and the indicator parts that write them. Without requested series, everything is kept. What is
 * left out is never computed: its output columns keep whatever the buffer held, and a failure (a
 * non-finite value, a domain) in an equation outside the cone cannot be seen.
 */
export function dependencyCone(
  c: CheckedModel,
  series: readonly number[] | undefined,
): {
  keepName: (name: string) => boolean;
  keepIndicator: (i: number) => IndicatorParts;
  /** Every symbol the requested series read, directly or not (parameters and levers included). */
  names: ReadonlySet<string>;
} {
  const all = { any: true, values: true, aggregates: true, reference: true };
  if (series === undefined)
    return { keepName: () => true, keepIndicator: () => all, names: new Set(c.symbols.map(([n]) => n)) };
  const { trees, regionCount: R } = c;
  const wanted = new Set(series);
  const parts = trees.indicators.map(() => ({ any: false, values: false, aggregates: false, reference: false }));
  let col = 0;
  trees.indicators.forEach((ind, i) => {
    const p = parts[i]!;
    for (let r = 0; r < R; r++) if (wanted.has(col++)) p.values = true;
    for (let a = 0; a < c.aggregates.length; a++) if (wanted.has(col++)) p.aggregates = true;
    if (ind.reference && wanted.has(col++)) p.reference = true;
    // An aggregate is computed from the regions' values (and weights).
    if (p.aggregates) p.values = true;
    p.any = p.values || p.reference;
  });
  const symbols = new Map(c.symbols.map(([name, kind, index]) => [name, { kind, index }]));
  const needed = new Set<string>();
  const todo: string[] = [];
  const read = (e: Expr): void => {
    for (const n of symbolsOf(e))
      if (!needed.has(n)) {
        needed.add(n);
        todo.push(n);
      }
  };
  trees.indicators.forEach((ind, i) => {
    const p = parts[i]!;
    if (p.values) read(ind.expr);
    if (p.aggregates && ind.weight !== 'sum') read(ind.weight);
    if (p.reference && ind.reference) read(ind.reference);
  });
  while (todo.length > 0) {
    const s = symbols.get(todo.pop()!);
    if (!s) continue;
    switch (s.kind) {
      case 'gaux':
        read(trees.globalAuxiliaries[s.index]!);
        break;
      case 'raux':
        read(trees.auxiliaries[s.index]!);
        break;
      case 'gstate':
        read(trees.globalNext[s.index]!);
        read(trees.globalInitial[s.index]!);
        break;
      case 'rstate':
        read(trees.next[s.index]!);
        for (const e of trees.initial[s.index]!) read(e);
        break;
      default:
        break;
    }
  }
  return { keepName: (name) => needed.has(name), keepIndicator: (i) => parts[i]!, names: needed };
}

/** The series a kernel pruned to `series` writes (every series when not pruned). */
export function computedSeries(c: CheckedModel, series: readonly number[] | undefined): number[] {
  const { keepIndicator } = dependencyCone(c, series);
  const out: number[] = [];
  let col = 0;
  c.trees.indicators.forEach((ind, i) => {
    const k = keepIndicator(i);
    for (let r = 0; r < c.regionCount; r++, col++) if (k.values) out.push(col);
    for (let a = 0; a < c.aggregates.length; a++, col++) if (k.values && k.aggregates) out.push(col);
    if (ind.reference) {
      if (k.reference) out.push(col);
      col++;
    }
  });
  return out;
}

/**
 * Series that no run can move: their cone reads none of `moved` (drawn parameters and shocked
 * equations). Every run computes the same value in each of their cells, so Monte Carlo statistics
 * need not fold them run by run (see ChunkAccumulator).
 */
export function fixedSeries(c: CheckedModel, moved: readonly string[]): number[] {
  if (moved.length === 0) return Array.from({ length: c.seriesCount }, (_, i) => i);
  const m = new Set(moved);
  const fixed: number[] = [];
  for (let s = 0; s < c.seriesCount; s++) {
    const { names } = dependencyCone(c, [s]);
    if (![...names].some((n) => m.has(n))) fixed.push(s);
  }
  return fixed;
}

/** Longest run of years followed one by one before fixedSeriesByYear settles for a conservative tail. */
const MAX_TRACKED_YEARS = 256;

/**
 * Per year, the series no run can move in that year: fixedSeries, year by year. In the base year the
 * states hold their initial values, which read only parameters, so only states whose initial value
 * reads a drawn parameter differ between runs; in each later year an auxiliary or a state's next
 * value differs when it is shocked (shocks start in the first step) or reads a drawn parameter or
 * something that differed (last year's states, this year's auxiliaries); an indicator's series
 * differs in a year when it reads a drawn parameter or a state that differs then. Names, not regions:
 * a state moved in one region counts as moved in all, as in fixedSeries.
 *
 * Entry y is for year index y (0: the base year); the last entry holds for every later year too.
 * The step from one year's moved states to the next is the same function every year, so the sets
 * repeat: at a fixed point the last entry is exact; a longer cycle (or more than MAX_TRACKED_YEARS
 * years) gets the series fixed in every year of it (or fixedSeries), which is conservative.
 */
export function fixedSeriesByYear(c: CheckedModel, drawn: readonly string[], shocked: readonly string[]): number[][] {
  const { trees, names } = c;
  const drawnSet = new Set(drawn);
  const shockedSet = new Set(shocked);
  const reads = (e: Expr, moved: ReadonlySet<string>): boolean => symbolsOf(e).some((n) => moved.has(n));
  let states = new Set<string>();
  names.globalStates.forEach((n, i) => reads(trees.globalInitial[i]!, drawnSet) && states.add(n));
  names.states.forEach((n, k) => trees.initial[k]!.some((e) => reads(e, drawnSet)) && states.add(n));
  const keyOf = (set: ReadonlySet<string>): string => [...set].sort().join('\n');
  const history: Set<string>[] = [];
  const seen = new Map<string, number>();
  for (let y = 0; y < MAX_TRACKED_YEARS; y++) {
    const key = keyOf(states);
    const first = seen.get(key);
    if (first !== undefined) {
      // Years first.. repeat from here on: each keeps what is fixed in all of them.
      const union = new Set(history.slice(first).flatMap((h) => [...h]));
      return [
        ...history.slice(0, first).map((h) => seriesNotReading(c, h, drawnSet)),
        seriesNotReading(c, union, drawnSet),
      ];
    }
    seen.set(key, y);
    history.push(states);
    states = nextMoved(c, states, drawnSet, shockedSet, reads);
  }
  return [...history.map((h) => seriesNotReading(c, h, drawnSet)), fixedSeries(c, [...drawn, ...shocked])];
}

/** The states that differ between runs a year after `states` did (see fixedSeriesByYear). */
function nextMoved(
  c: CheckedModel,
  states: ReadonlySet<string>,
  drawn: ReadonlySet<string>,
  shocked: ReadonlySet<string>,
  reads: (e: Expr, moved: ReadonlySet<string>) => boolean,
): Set<string> {
  const { trees, names } = c;
  const moved = new Set([...drawn, ...states]);
  // Auxiliaries read auxiliaries: add them until none is added (order-free).
  const aux: [string, Expr][] = [
    ...names.globalAuxiliaries.map((n, i): [string, Expr] => [n, trees.globalAuxiliaries[i]!]),
    ...names.auxiliaries.map((n, i): [string, Expr] => [n, trees.auxiliaries[i]!]),
  ];
  for (let added = true; added; ) {
    added = false;
    for (const [n, e] of aux)
      if (!moved.has(n) && (shocked.has(n) || reads(e, moved))) {
        moved.add(n);
        added = true;
      }
  }
  const next = new Set<string>();
  names.globalStates.forEach((n, i) => (shocked.has(n) || reads(trees.globalNext[i]!, moved)) && next.add(n));
  names.states.forEach((n, k) => (shocked.has(n) || reads(trees.next[k]!, moved)) && next.add(n));
  return next;
}

/** Series whose equations (values, weights, reference) read neither a drawn parameter nor a state of `states`. */
function seriesNotReading(c: CheckedModel, states: ReadonlySet<string>, drawn: ReadonlySet<string>): number[] {
  const moved = new Set([...drawn, ...states]);
  const reads = (e: Expr): boolean => symbolsOf(e).some((n) => moved.has(n));
  const out: number[] = [];
  let col = 0;
  for (const ind of c.trees.indicators) {
    const value = reads(ind.expr);
    for (let r = 0; r < c.regionCount; r++, col++) if (!value) out.push(col);
    const aggregate = value || (ind.weight !== 'sum' && reads(ind.weight));
    for (let a = 0; a < c.aggregates.length; a++, col++) if (!aggregate) out.push(col);
    if (ind.reference) {
      if (!reads(ind.reference)) out.push(col);
      col++;
    }
  }
  return out;
}
