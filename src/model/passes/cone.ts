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

/**
 * Series that no run can move: their cone reads none of `moved` (drawn parameters and shocked
 * equations). Every run computes the same value in each of their cells, so Monte Carlo statistics
 * need not fold them run by run (see ChunkAccumulator).
 */
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
