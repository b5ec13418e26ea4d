import { type Diagnostic, UserError } from '../../util/diagnostics.js';
import { type Problems, pathString } from '../../util/problems.js';
import { didYouMean } from '../../util/suggest.js';
import type { PathKey } from '../../util/yaml-source.js';
import { orderByDependency } from '../dependencies.js';
import { type Expr, ExpressionError, parseExpression, symbolsOf } from '../expression.js';
import type { AuxiliaryDecl, ModelFile } from '../model-file.js';
import type { Declared, Locate, SymbolKind } from './declare.js';

/**
 * The second stage of the compiler: every equation parsed into a checked tree (mathjs syntax, the
 * whitelist of src/model/expression.ts), every name it reads resolved against the symbol table and
 * allowed where it is used, the references outside equations (headline, acts_on) checked, and the
 * auxiliaries put in dependency order. Problems go to `problems` with the declaration stage's.
 */

/** The checked trees of a model, in declaration order; plain data (the build-time image holds them). */
export interface CheckedTrees {
  readonly globalAuxiliaries: readonly Expr[];
  readonly globalNext: readonly Expr[];
  readonly globalInitial: readonly Expr[];
  readonly auxiliaries: readonly Expr[];
  readonly next: readonly Expr[];
  /** Per regional state, one initial value per region. */
  readonly initial: readonly (readonly Expr[])[];
  readonly indicators: readonly {
    readonly expr: Expr;
    readonly weight: Expr | 'sum';
    readonly reference?: Expr;
  }[];
  /** Auxiliaries in the order the kernel computes them (each after the ones it reads). */
  readonly globalAuxiliaryOrder: readonly number[];
  readonly auxiliaryOrder: readonly number[];
}

/** Which symbols an equation may read, by where it sits. */
type Context = 'global' | 'regional' | 'initial' | 'observe-regional' | 'observe-global';
const ALLOWED: Record<Context, ReadonlySet<SymbolKind>> = {
  global: new Set<SymbolKind>(['gparam', 'gstate', 'gaux', 'builtin']),
  regional: new Set<SymbolKind>(['gparam', 'rparam', 'lever', 'gstate', 'gaux', 'rstate', 'raux', 'builtin']),
  initial: new Set<SymbolKind>(['gparam', 'rparam', 'builtin']),
  'observe-regional': new Set<SymbolKind>(['gparam', 'rparam', 'gstate', 'rstate', 'builtin']),
  'observe-global': new Set<SymbolKind>(['gparam', 'gstate', 'builtin']),
};
const WHY_NOT: Record<Context, string> = {
  global: 'a global equation may read only global parameters, global states and global auxiliaries',
  regional: '',
  initial: 'an initial value may read only parameters',
  'observe-regional': 'an indicator may read states and parameters (not auxiliaries or levers)',
  'observe-global': 'a reference series may read only global states and parameters',
};

/**
 * Check every equation of a declared model. The trees are complete only when no problem was found
 * (a tree that does not check is left out); the caller throws the problems before generating code.
 */
export function checkModel(
  d: Declared,
  problems: Problems,
  broken: readonly string[] = [],
): { trees: CheckedTrees; headline: readonly string[] } {
  const { file, symbols, regionIds, regionIndex, reference } = d;
  const knownNames = [...symbols.keys()];
  const parse = (text: string, path: readonly PathKey[], ctx: Context): Expr | undefined => {
    try {
      const e = parseExpression(
        text,
        (name) => symbols.has(name),
        (name) => didYouMean(name, knownNames),
      );
      for (const name of symbolsOf(e)) {
        const s = symbols.get(name);
        if (s && s.kind !== 'broken' && !ALLOWED[ctx].has(s.kind)) {
          problems.at(path, `'${name}' cannot be used here: ${WHY_NOT[ctx] || 'not allowed'}`);
          return undefined;
        }
      }
      return e;
    } catch (err) {
      if (err instanceof ExpressionError) {
        problems.at(path, `${err.message} in "${excerpt(text)}"`, err.hint);
        return undefined;
      }
      throw err;
    }
  };
  const auxText = (a: AuxiliaryDecl): string => (typeof a === 'string' ? a : a.expr);
  const auxPath = (base: PathKey[], a: AuxiliaryDecl): PathKey[] => (typeof a === 'string' ? base : [...base, 'expr']);

  const gAux = d.globalAuxiliaries;
  const rAux = d.auxiliaries;
  const gAuxExpr = gAux.map(([n, a]) => parse(auxText(a), auxPath(['globals', 'auxiliaries', n], a), 'global'));
  const gNextExpr = d.globalStates.map(([n, s]) => parse(s.next, ['globals', 'states', n, 'next'], 'global'));
  const rAuxExpr = rAux.map(([n, a]) => parse(auxText(a), auxPath(['auxiliaries', n], a), 'regional'));
  const rNextExpr = d.states.map(([n, s]) => parse(s.next, ['states', n, 'next'], 'regional'));

  // Initial values: global states take one value; regional ones one per region (shared if scalar).
  const gInitExpr: (Expr | undefined)[] = d.globalStates.map(([n, s]) => {
    const path = ['globals', 'states', n, 'initial'];
    if (typeof s.initial === 'object') {
      problems.at(path, 'a global state takes one initial value, not one per region');
      return undefined;
    }
    return typeof s.initial === 'number' ? { kind: 'num', value: s.initial } : parse(s.initial, path, 'initial');
  });
  const rInitExpr: (Expr | undefined)[][] = d.states.map(([n, s]) => {
    const path = ['states', n, 'initial'];
    const one = (v: number | string, p: PathKey[]): Expr | undefined =>
      typeof v === 'number' ? { kind: 'num', value: v } : parse(v, p, 'initial');
    if (typeof s.initial !== 'object') {
      const e = one(s.initial, path);
      return regionIds.map(() => e);
    }
    const map = s.initial;
    for (const key of Object.keys(map)) {
      if (!regionIndex.has(key)) problems.at([...path, key], `unknown region '${key}'`, didYouMean(key, regionIds));
    }
    return regionIds.map((rid) => {
      const v = Object.hasOwn(map, rid) ? map[rid] : undefined;
      if (v === undefined) {
        problems.at(path, `missing initial value for region '${rid}'`);
        return undefined;
      }
      return one(v, [...path, rid]);
    });
  });

  // Indicators: each region's value, the weight of an aggregate, the reference series.
  const indicators = Object.entries(file.indicators).map(([name, ind]) => {
    const path = ['indicators', name];
    const expr = parse(ind.expr, [...path, 'expr'], 'observe-regional');
    const weight =
      ind.aggregate === 'sum'
        ? 'sum'
        : parse(ind.aggregate.weight, [...path, 'aggregate', 'weight'], 'observe-regional');
    if (ind.reference !== undefined && !reference)
      problems.at([...path, 'reference'], 'the model declares no reference region (add reference: {id, name})');
    const ref =
      ind.reference !== undefined ? parse(ind.reference, [...path, 'reference'], 'observe-global') : undefined;
    return { expr, weight, ...(ref ? { reference: ref } : {}) };
  });

  (file.headline ?? []).forEach((ind, k) => {
    if (!Object.hasOwn(file.indicators, ind))
      problems.at(['headline', k], `unknown indicator '${ind}'`, didYouMean(ind, Object.keys(file.indicators)));
  });
  const headline = file.headline ?? d.indicators.map((i) => i.name);

  for (const lever of d.levers) {
    lever.actsOn.forEach((ind, k) => {
      if (!Object.hasOwn(file.indicators, ind) && !broken.includes(ind))
        problems.at(
          ['levers', lever.name, 'acts_on', k],
          `unknown indicator '${ind}'`,
          didYouMean(ind, Object.keys(file.indicators)),
        );
    });
  }

  // Auxiliary order ------------------------------------------------------------------------
  const orderOf = (
    entries: readonly (readonly [string, AuxiliaryDecl])[],
    exprs: (Expr | undefined)[],
    kind: 'gaux' | 'raux',
    base: PathKey[],
  ): number[] => {
    const deps = exprs.map((e) =>
      e
        ? symbolsOf(e)
            .filter((s) => symbols.get(s)?.kind === kind)
            .map((s) => symbols.get(s)!.index)
        : [],
    );
    const res = orderByDependency(
      entries.map(([n]) => n),
      deps,
    );
    if (res.cycle) {
      const names = res.cycle.map((i) => entries[i]![0]);
      const shown =
        names.length <= 12 ? names : [...names.slice(0, 10), `… ${(names.length - 10).toLocaleString('en-US')} more`];
      problems.at([...base, names[0]!], `auxiliaries form a cycle: ${[...shown, names[0]].join(' → ')}`);
      return [];
    }
    return res.order;
  };
  const globalAuxiliaryOrder = orderOf(gAux, gAuxExpr, 'gaux', ['globals', 'auxiliaries']);
  const auxiliaryOrder = orderOf(rAux, rAuxExpr, 'raux', ['auxiliaries']);

  // With problems some trees are missing; the caller reports them and never generates from these.
  const trees = {
    globalAuxiliaries: gAuxExpr,
    globalNext: gNextExpr,
    globalInitial: gInitExpr,
    auxiliaries: rAuxExpr,
    next: rNextExpr,
    initial: rInitExpr,
    indicators,
    globalAuxiliaryOrder,
    auxiliaryOrder,
  } as CheckedTrees;
  return { trees, headline };
}

/** A model declares at most this many equations: states, auxiliaries and indicators together. */
export const MAX_MODEL_EQUATIONS = 5_000;
/**
 * and its kernel computes at most this many values a year (a regional equation once per region, an
 * indicator once per region and aggregate): one generated function holds them all.
 */
export const MAX_KERNEL_EQUATIONS = 50_000;

/** Refuse a model too large to compile, before anything is declared or any of its equations parsed. */
export function checkModelSize(file: ModelFile, origin: string, locate: Locate): void {
  const sections: [PathKey[], number, boolean][] = [
    [['globals', 'states'], Object.keys(file.globals.states).length, false],
    [['globals', 'auxiliaries'], Object.keys(file.globals.auxiliaries).length, false],
    [['states'], Object.keys(file.states).length, true],
    [['auxiliaries'], Object.keys(file.auxiliaries).length, true],
    [['indicators'], Object.keys(file.indicators).length, true],
  ];
  const regions = Object.keys(file.regions).length;
  const aggregates = Object.keys(file.aggregates).length;
  let declared = 0;
  let perYear = 0;
  for (const [path, count, regional] of sections) {
    declared += count;
    const isIndicators = path[0] === 'indicators';
    perYear += regional ? count * (regions + (isIndicators ? aggregates + 1 : 0)) : count;
  }
  const largest = sections.reduce((a, b) => (b[1] > a[1] ? b : a));
  const at = (path: PathKey[]): Diagnostic['location'] => locate(path) ?? { file: origin };
  const fmt = (n: number): string => n.toLocaleString('en-US');
  if (declared > MAX_MODEL_EQUATIONS) {
    throw new UserError({
      location: at(largest[0]),
      path: pathString(largest[0]),
      message: `the model declares ${fmt(declared)} equations (states, auxiliaries and indicators); at most ${fmt(MAX_MODEL_EQUATIONS)} are allowed`,
    });
  }
  if (perYear > MAX_KERNEL_EQUATIONS) {
    throw new UserError({
      location: at(['regions']),
      path: 'regions',
      message: `the model computes ${fmt(perYear)} values a year (its regional equations and indicators for each of ${fmt(regions)} regions); at most ${fmt(MAX_KERNEL_EQUATIONS)} are allowed`,
    });
  }
}

/** An equation as quoted in a message: a long one by its start and end. */
function excerpt(text: string): string {
  return text.length <= 200 ? text : `${text.slice(0, 100)} … ${text.slice(-60)}`;
}
