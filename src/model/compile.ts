import { type Diagnostic, type SourceLocation, sortDiagnostics, UserError } from '../util/diagnostics.js';
import { pathString } from '../util/schema-check.js';
import { didYouMean } from '../util/suggest.js';
import type { PathKey } from '../util/yaml-source.js';
import { emit, numberLiteral } from './codegen.js';
import type {
  AggregateInfo,
  CompiledModel,
  EquationRef,
  IndicatorInfo,
  LeverInfo,
  ParameterInfo,
  RegionInfo,
  SeriesInfo,
  ShockSlot,
} from './compiled-model.js';
import { orderByDependency } from './dependencies.js';
import {
  BUILTIN_SYMBOLS,
  type Expr,
  ExpressionError,
  FORBIDDEN_NAMES,
  FUNCTIONS,
  parseExpression,
  symbolsOf,
} from './expression.js';
import type { AuxiliaryDecl, ModelFile } from './model-file.js';
import { modelFromData } from './model-image.js';
import { DRAW, KernelOptimiser, levelOfExpr, STATE, YEAR } from './passes/optimise.js';

export interface CompileOptions {
  /** Equations (auxiliary or state names) that get an additive yearly term for Monte Carlo shocks. */
  readonly shocked?: readonly string[];
  /**
   * Parameters that change from run to run (drawn by uncertainties). The optimised kernel computes
   * what depends only on the other parameters, the levers and the year once per scenario and year.
   */
  readonly drawn?: readonly string[];
  /**
   * A model file with shape problems, checked for the rest: the problems already found, and the names
   * of declarations left out for not being well-formed (equations may still read them without an
   * "unknown symbol"). Such a model always ends in a UserError, never in a kernel.
   */
  readonly partial?: { readonly earlier: readonly Diagnostic[]; readonly broken: readonly string[] };
}

type Locate = (path: readonly PathKey[]) => SourceLocation | undefined;

type SymbolKind = 'gparam' | 'rparam' | 'lever' | 'gstate' | 'gaux' | 'rstate' | 'raux' | 'builtin' | 'broken';
interface SymbolEntry {
  readonly kind: SymbolKind;
  readonly index: number;
  readonly path: readonly PathKey[];
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

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** A model declares at most this many equations: states, auxiliaries and indicators together. */
export const MAX_MODEL_EQUATIONS = 5_000;
/**
 * and its kernel computes at most this many values a year (a regional equation once per region, an
 * indicator once per region and aggregate): one generated function holds them all.
 */
export const MAX_KERNEL_EQUATIONS = 50_000;

/**
 * Check a model file and generate its kernel. Every problem is collected and thrown at once as a
 * UserError; a model that compiles cannot produce a kernel with an unresolved name.
 */
export function compileModel(
  file: ModelFile,
  origin: string,
  locate: Locate = () => undefined,
  options: CompileOptions = {},
): CompiledModel {
  const diags: Diagnostic[] = [...(options.partial?.earlier ?? [])];
  const problem = (path: readonly PathKey[], message: string, hint?: string): void => {
    const location = locate(path) ?? { file: origin };
    diags.push({ location, path: pathString(path), message, ...(hint ? { hint } : {}) });
  };
  checkModelSize(file, origin, locate);

  // Regions, aggregates, reference -------------------------------------------------------------
  const regions: RegionInfo[] = Object.entries(file.regions).map(([id, r]) => ({ id, name: r.name }));
  // Ids become JSON keys, CSV cells and lookup keys: plain names only, none an Object.prototype member.
  const checkId = (id: string, path: PathKey[]): void => {
    if (!IDENT.test(id))
      problem(path, `'${id}' is not a valid id: use letters, digits and _, not starting with a digit`);
    else if (FORBIDDEN_NAMES.has(id) || id in Object.prototype) problem(path, `'${id}' is a reserved name`);
  };
  for (const r of regions) checkId(r.id, ['regions', r.id]);
  for (const id of Object.keys(file.aggregates)) checkId(id, ['aggregates', id]);
  if (file.reference) checkId(file.reference.id, ['reference', 'id']);
  const R = regions.length;
  if (R === 0) problem(['regions'], 'a model needs at least one region');
  const regionIndex = new Map(regions.map((r, i) => [r.id, i]));
  const regionIds = regions.map((r) => r.id);
  const aggregates: AggregateInfo[] = [];
  for (const [id, a] of Object.entries(file.aggregates)) {
    if (regionIndex.has(id)) problem(['aggregates', id], `aggregate '${id}' has the same id as a region`);
    const members: number[] = [];
    a.regions.forEach((m, k) => {
      const i = regionIndex.get(m);
      if (i === undefined) problem(['aggregates', id, 'regions', k], `unknown region '${m}'`, didYouMean(m, regionIds));
      else if (members.includes(i)) problem(['aggregates', id, 'regions', k], `region '${m}' is listed twice`);
      else members.push(i);
    });
    aggregates.push({ id, name: a.name, members });
  }
  const reference = file.reference ? { id: file.reference.id, name: file.reference.name } : undefined;
  if (reference && (regionIndex.has(reference.id) || Object.hasOwn(file.aggregates, reference.id))) {
    problem(['reference', 'id'], `reference id '${reference.id}' is already used by a region or aggregate`);
  }

  // Symbol table -----------------------------------------------------------------------------
  const symbols = new Map<string, SymbolEntry>();
  const declare = (name: string, entry: SymbolEntry): void => {
    if (!IDENT.test(name)) {
      problem(entry.path, `'${name}' is not a valid name: use letters, digits and _, not starting with a digit`);
      return;
    }
    if (
      FORBIDDEN_NAMES.has(name) ||
      name in Object.prototype ||
      Object.hasOwn(FUNCTIONS, name) ||
      (BUILTIN_SYMBOLS as readonly string[]).includes(name)
    ) {
      problem(entry.path, `'${name}' is a reserved name`);
      return;
    }
    const prior = symbols.get(name);
    if (prior) {
      problem(entry.path, `'${name}' is already declared at ${pathString(prior.path)}`);
      return;
    }
    symbols.set(name, entry);
  };
  BUILTIN_SYMBOLS.forEach((b, i) => symbols.set(b, { kind: 'builtin', index: i, path: [] }));

  // Parameters
  const parameters: ParameterInfo[] = [];
  let paramCount = 0;
  for (const [name, p] of Object.entries(file.parameters)) {
    const path = ['parameters', name];
    const [lo, hi] = p.range;
    if (lo > hi) problem([...path, 'range'], `range low (${lo}) is above range high (${hi})`);
    let defaults: number[] = [];
    let scope: 'global' | 'region' = 'global';
    if (p.value !== undefined && p.values !== undefined)
      problem(path, 'give either value (one for all regions) or values (one per region), not both');
    else if (p.value !== undefined) defaults = [p.value];
    else if (p.values !== undefined) {
      scope = 'region';
      defaults = regionIds.map((rid) => {
        const v = p.values && Object.hasOwn(p.values, rid) ? p.values[rid] : undefined;
        if (v === undefined) problem([...path, 'values'], `missing value for region '${rid}'`);
        return v ?? NaN;
      });
      for (const key of Object.keys(p.values)) {
        if (!regionIndex.has(key))
          problem([...path, 'values', key], `unknown region '${key}'`, didYouMean(key, regionIds));
      }
    } else problem(path, 'missing value: give value (one for all regions) or values (one per region)');
    defaults.forEach((v) => {
      if (Number.isFinite(v) && (v < lo || v > hi)) problem(path, `value ${v} is outside its range [${lo}, ${hi}]`);
    });
    const info: ParameterInfo = {
      name,
      scope,
      offset: paramCount,
      unit: p.unit,
      range: [lo, hi],
      source: p.source,
      defaults,
      ...(p.description ? { description: p.description } : {}),
    };
    declare(name, { kind: scope === 'global' ? 'gparam' : 'rparam', index: parameters.length, path });
    parameters.push(info);
    paramCount += scope === 'global' ? 1 : R;
  }

  // Levers
  const levers: LeverInfo[] = [];
  for (const [name, l] of Object.entries(file.levers)) {
    const path = ['levers', name];
    const [lo, hi] = l.range;
    if (lo > hi) problem([...path, 'range'], `range low (${lo}) is above range high (${hi})`);
    if (l.default < lo || l.default > hi)
      problem([...path, 'default'], `default ${l.default} is outside the range [${lo}, ${hi}]`);
    declare(name, { kind: 'lever', index: levers.length, path });
    levers.push({
      name,
      index: levers.length,
      unit: l.unit,
      range: [lo, hi],
      default: l.default,
      perRegion: l.per_region,
      actsOn: l.acts_on,
      description: l.description,
      ...(l.paper ? { paper: l.paper } : {}),
    });
  }

  const gStates = Object.entries(file.globals.states);
  const gAux = Object.entries(file.globals.auxiliaries);
  const rStates = Object.entries(file.states);
  const rAux = Object.entries(file.auxiliaries);
  gStates.forEach(([n], i) => declare(n, { kind: 'gstate', index: i, path: ['globals', 'states', n] }));
  gAux.forEach(([n], i) => declare(n, { kind: 'gaux', index: i, path: ['globals', 'auxiliaries', n] }));
  rStates.forEach(([n], i) => declare(n, { kind: 'rstate', index: i, path: ['states', n] }));
  rAux.forEach(([n], i) => declare(n, { kind: 'raux', index: i, path: ['auxiliaries', n] }));
  // Declarations left out of a partial model (not well-formed, reported already) may still be read.
  for (const n of options.partial?.broken ?? [])
    if (!symbols.has(n)) symbols.set(n, { kind: 'broken', index: -1, path: [] });

  // Declared domains (`min:`/`max:`) of states and indicators.
  const domainOf = (d: { min?: number; max?: number }, path: PathKey[]): [number, number] | undefined => {
    if (d.min === undefined && d.max === undefined) return undefined;
    const lo = d.min ?? -Infinity;
    const hi = d.max ?? Infinity;
    if (lo > hi) problem([...path, 'min'], `min (${lo}) is above max (${hi})`);
    return [lo, hi];
  };
  const gStateDomain = gStates.map(([n, st]) => domainOf(st, ['globals', 'states', n]));
  const rStateDomain = rStates.map(([n, st]) => domainOf(st, ['states', n]));
  const indDomain = Object.entries(file.indicators).map(([n, ind]) => domainOf(ind, ['indicators', n]));
  const hasDomain = [...gStateDomain, ...rStateDomain, ...indDomain].some((d) => d !== undefined);

  const G = gStates.length;
  // With domains, one more slot: the fast kernel marks a value outside its domain by making it NaN,
  // which the projection's one finiteness pass over the final state already catches.
  const domainFlag = G + rStates.length * R;
  const stateCount = domainFlag + (hasDomain ? 1 : 0);
  const stateSlot = (k: number, r: number): number => G + k * R + r;

  // Expressions ----------------------------------------------------------------------------
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
          problem(path, `'${name}' cannot be used here: ${WHY_NOT[ctx] || 'not allowed'}`);
          return undefined;
        }
      }
      return e;
    } catch (err) {
      if (err instanceof ExpressionError) {
        problem(path, `${err.message} in "${excerpt(text)}"`, err.hint);
        return undefined;
      }
      throw err;
    }
  };
  const auxText = (a: AuxiliaryDecl): string => (typeof a === 'string' ? a : a.expr);
  const auxPath = (base: PathKey[], a: AuxiliaryDecl): PathKey[] => (typeof a === 'string' ? base : [...base, 'expr']);

  const gAuxExpr = gAux.map(([n, a]) => parse(auxText(a), auxPath(['globals', 'auxiliaries', n], a), 'global'));
  const gNextExpr = gStates.map(([n, s]) => parse(s.next, ['globals', 'states', n, 'next'], 'global'));
  const rAuxExpr = rAux.map(([n, a]) => parse(auxText(a), auxPath(['auxiliaries', n], a), 'regional'));
  const rNextExpr = rStates.map(([n, s]) => parse(s.next, ['states', n, 'next'], 'regional'));

  // Initial values: global states take one value; regional ones one per region (shared if scalar).
  const gInitExpr: (Expr | undefined)[] = gStates.map(([n, s]) => {
    const path = ['globals', 'states', n, 'initial'];
    if (typeof s.initial === 'object') {
      problem(path, 'a global state takes one initial value, not one per region');
      return undefined;
    }
    return typeof s.initial === 'number' ? { kind: 'num', value: s.initial } : parse(s.initial, path, 'initial');
  });
  const rInitExpr: (Expr | undefined)[][] = rStates.map(([n, s]) => {
    const path = ['states', n, 'initial'];
    const one = (v: number | string, p: PathKey[]): Expr | undefined =>
      typeof v === 'number' ? { kind: 'num', value: v } : parse(v, p, 'initial');
    if (typeof s.initial !== 'object') {
      const e = one(s.initial, path);
      return regionIds.map(() => e);
    }
    const map = s.initial;
    for (const key of Object.keys(map)) {
      if (!regionIndex.has(key)) problem([...path, key], `unknown region '${key}'`, didYouMean(key, regionIds));
    }
    return regionIds.map((rid) => {
      const v = Object.hasOwn(map, rid) ? map[rid] : undefined;
      if (v === undefined) {
        problem(path, `missing initial value for region '${rid}'`);
        return undefined;
      }
      return one(v, [...path, rid]);
    });
  });

  // Indicators and series
  const indicators: IndicatorInfo[] = [];
  const series: SeriesInfo[] = [];
  const indExpr: (Expr | undefined)[] = [];
  const indWeight: (Expr | 'sum' | undefined)[] = [];
  const indRef: (Expr | undefined)[] = [];
  for (const [name, ind] of Object.entries(file.indicators)) {
    const path = ['indicators', name];
    if (!IDENT.test(name)) problem(path, `'${name}' is not a valid indicator name`);
    else if (name in Object.prototype) problem(path, `'${name}' is a reserved name`);
    indExpr.push(parse(ind.expr, [...path, 'expr'], 'observe-regional'));
    indWeight.push(
      ind.aggregate === 'sum'
        ? 'sum'
        : parse(ind.aggregate.weight, [...path, 'aggregate', 'weight'], 'observe-regional'),
    );
    if (ind.reference !== undefined && !reference)
      problem([...path, 'reference'], 'the model declares no reference region (add reference: {id, name})');
    indRef.push(
      ind.reference !== undefined ? parse(ind.reference, [...path, 'reference'], 'observe-global') : undefined,
    );
    indicators.push({
      name,
      label: ind.label,
      unit: ind.unit,
      decimals: ind.decimals,
      hasReference: ind.reference !== undefined,
      ...(ind.description ? { description: ind.description } : {}),
      ...(ind.min !== undefined ? { min: ind.min } : {}),
      ...(ind.max !== undefined ? { max: ind.max } : {}),
    });
    for (const r of regions) series.push({ index: series.length, indicator: name, region: r.id, kind: 'region' });
    for (const a of aggregates) series.push({ index: series.length, indicator: name, region: a.id, kind: 'aggregate' });
    if (ind.reference !== undefined && reference)
      series.push({ index: series.length, indicator: name, region: reference.id, kind: 'reference' });
  }

  (file.headline ?? []).forEach((ind, k) => {
    if (!Object.hasOwn(file.indicators, ind))
      problem(['headline', k], `unknown indicator '${ind}'`, didYouMean(ind, Object.keys(file.indicators)));
  });
  const headline = file.headline ?? indicators.map((i) => i.name);

  for (const lever of levers) {
    lever.actsOn.forEach((ind, k) => {
      if (!Object.hasOwn(file.indicators, ind) && !options.partial?.broken.includes(ind))
        problem(
          ['levers', lever.name, 'acts_on', k],
          `unknown indicator '${ind}'`,
          didYouMean(ind, Object.keys(file.indicators)),
        );
    });
  }

  // Auxiliary order ------------------------------------------------------------------------
  const orderOf = (
    entries: [string, AuxiliaryDecl][],
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
      problem([...base, names[0]!], `auxiliaries form a cycle: ${[...shown, names[0]].join(' → ')}`);
      return [];
    }
    return res.order;
  };
  const gAuxOrder = orderOf(gAux, gAuxExpr, 'gaux', ['globals', 'auxiliaries']);
  const rAuxOrder = orderOf(rAux, rAuxExpr, 'raux', ['auxiliaries']);

  // Shock slots ----------------------------------------------------------------------------
  const shockSlots: ShockSlot[] = [];
  const shockOf = new Map<string, number>(); // `${equation}/${region}` → slot
  for (const eq of options.shocked ?? []) {
    const s = symbols.get(eq);
    if (!s || !['gaux', 'raux', 'gstate', 'rstate'].includes(s.kind)) {
      const eqNames = [...gAux, ...gStates, ...rAux, ...rStates].map(([n]) => n);
      throw new UserError({
        path: 'shocks',
        message: `unknown equation '${eq}' (expected an auxiliary or state of the model)`,
        hint: didYouMean(eq, eqNames) ?? '',
      });
    }
    const regional = s.kind === 'raux' || s.kind === 'rstate';
    for (let r = regional ? 0 : -1; r < (regional ? R : 0); r++) {
      if (shockOf.has(`${eq}/${r}`)) continue;
      shockOf.set(`${eq}/${r}`, shockSlots.length);
      shockSlots.push({ equation: eq, region: r, slot: shockSlots.length });
    }
  }

  if (diags.length > 0 || options.partial) throw new UserError(sortDiagnostics(diags));

  // Code generation --------------------------------------------------------------------------
  // Only compiler-made names and numbers go into the source: symbols resolve to slots and locals.
  const paramSlot = (idx: number, r: number): number =>
    parameters[idx]!.offset + (parameters[idx]!.scope === 'global' ? 0 : r);
  const LB = levers.length * R;
  const refFor =
    (r: number) =>
    (name: string): string => {
      const s = symbols.get(name)!;
      switch (s.kind) {
        case 'builtin':
          return name === 'pi' ? numberLiteral(Math.PI) : name;
        case 'gparam':
          return `P[${paramSlot(s.index, 0)}]`;
        case 'rparam':
          return `P[${paramSlot(s.index, r)}]`;
        case 'lever':
          return `L[lb + ${s.index * R + r}]`;
        case 'gstate':
          return `S[${s.index}]`;
        case 'rstate':
          return `S[${stateSlot(s.index, r)}]`;
        case 'gaux':
          return `g${s.index}`;
        case 'raux':
          return `a${s.index}_${r}`;
        case 'broken':
          throw new Error(`internal error: '${name}' was left out of a partial model`);
      }
    };
  const equations: EquationRef[] = [];
  const eqId = (
    label: string,
    regional: boolean,
    at: PathKey[] = label.split(' ')[0]!.split('.'),
    domain?: readonly [number, number],
  ): number => {
    const location = locate(at);
    equations.push({ label, regional, ...(location ? { location } : {}), ...(domain ? { domain } : {}) });
    return equations.length - 1;
  };
  /** The test that a value is outside its equation's domain (empty without one). */
  const outsideDomain = (v: string, eq: number): string => {
    const d = equations[eq]!.domain;
    if (!d) return '';
    const sides: string[] = [];
    if (Number.isFinite(d[0])) sides.push(`${v} < ${numberLiteral(d[0])}`);
    if (Number.isFinite(d[1])) sides.push(`${v} > ${numberLiteral(d[1])}`);
    return sides.join(' || ');
  };
  const shockTerm = (name: string, r: number): string => {
    const slot = shockOf.get(`${name}/${r}`);
    return slot === undefined ? '' : ` + X[xb + ${slot}]`;
  };

  // Levels for the optimising pass (see passes/optimise.ts): how each symbol varies.
  const drawn = new Set(options.drawn ?? []);
  const auxLevel = new Map<string, number>();
  const levelOf = (name: string): number => {
    const s = symbols.get(name)!;
    switch (s.kind) {
      case 'builtin':
        return name === 'pi' ? 0 : YEAR;
      case 'gparam':
      case 'rparam':
        return drawn.has(name) ? DRAW : 0;
      case 'lever':
        return YEAR;
      case 'gstate':
      case 'rstate':
        return STATE;
      case 'gaux':
      case 'raux':
        return auxLevel.get(name)!;
      case 'broken':
        throw new Error(`internal error: '${name}' was left out of a partial model`);
    }
  };
  for (const i of gAuxOrder) {
    const name = gAux[i]![0];
    auxLevel.set(name, shockOf.has(`${name}/-1`) ? STATE : levelOfExpr(gAuxExpr[i]!, levelOf));
  }
  for (const i of rAuxOrder) {
    const name = rAux[i]![0];
    auxLevel.set(name, shockOf.has(`${name}/0`) ? STATE : levelOfExpr(rAuxExpr[i]!, levelOf));
  }
  const hiddenBase = stateCount;

  const build = (checked: boolean, opt?: KernelOptimiser): { init: string; step: string; prepare: string } => {
    const guard = (v: string, eq: number, r: number, yearExpr: string): string => {
      const outside = outsideDomain(v, eq);
      if (checked)
        return `\n  if (!Number.isFinite(${v})${outside ? ` || ${outside}` : ''}) fail(${eq}, ${r}, ${yearExpr}, ${v});`;
      // Fast and optimised: one comparison; the checked kernel, re-run on failure, names the equation.
      return outside ? `\n  if (${outside}) S[${domainFlag}] = NaN;` : '';
    };
    equations.length = 0;
    let step: string[] = ['const t = year - BASE;', 'const lb = yi * LB;', 'const xb = yi * XB;'];
    // Powers and calls that read only t, year and global parameters are the same for every region
    // and equation in a year: compute each once (Math.pow dominated the step before this).
    const hoisted = new Map<string, string>();
    const hoistLines: string[] = [];
    const hoist = (e: Expr, code: string): string => {
      if (
        !symbolsOf(e).every((n) => {
          const k = symbols.get(n)?.kind;
          return k === 'builtin' || k === 'gparam';
        })
      )
        return code;
      let name = hoisted.get(code);
      if (!name) {
        name = `h${hoisted.size}`;
        hoisted.set(code, name);
        hoistLines.push(`const ${name} = ${code};`);
      }
      return name;
    };
    const emitS = opt
      ? (e: Expr, r: number): string => {
          const base = refFor(r);
          const ref = (name: string): string => opt.ref(name, hiddenBase) ?? base(name);
          return emit(
            opt.rewrite(e, (x) => emit(x, base)),
            ref,
          );
        }
      : (e: Expr, r: number): string => emit(e, refFor(r), hoist);
    for (const i of gAuxOrder) {
      const name = gAux[i]![0];
      const eq = eqId(`globals.auxiliaries.${name}`, false);
      step.push(`const g${i} = ${emitS(gAuxExpr[i]!, 0)}${shockTerm(name, -1)};${guard(`g${i}`, eq, -1, 'year')}`);
    }
    gStates.forEach(([name], i) => {
      const eq = eqId(`globals.states.${name}.next`, false, undefined, gStateDomain[i]);
      step.push(`const gn${i} = ${emitS(gNextExpr[i]!, 0)}${shockTerm(name, -1)};${guard(`gn${i}`, eq, -1, 'year')}`);
    });
    const rAuxEq = rAux.map(([name]) => eqId(`auxiliaries.${name}`, true));
    const rNextEq = rStates.map(([name], k) => eqId(`states.${name}.next`, true, undefined, rStateDomain[k]));
    for (let r = 0; r < R; r++) {
      for (const i of rAuxOrder) {
        step.push(
          `const a${i}_${r} = ${emitS(rAuxExpr[i]!, r)}${shockTerm(rAux[i]![0], r)};${guard(`a${i}_${r}`, rAuxEq[i]!, r, 'year')}`,
        );
      }
      rStates.forEach(([name], k) => {
        step.push(
          `const n${k}_${r} = ${emitS(rNextExpr[k]!, r)}${shockTerm(name, r)};${guard(`n${k}_${r}`, rNextEq[k]!, r, 'year')}`,
        );
      });
    }
    // Not splice(3, 0, ...hoistLines): an equation may hoist more names than a call takes arguments.
    step = [...step.slice(0, 3), ...hoistLines, ...(opt ? ['const hb = yi * HB;'] : []), ...step.slice(3)];
    // States advance only after every next value is computed from last year's states.
    gStates.forEach((_, i) => step.push(`S[${i}] = gn${i};`));
    for (let r = 0; r < R; r++) rStates.forEach((_, k) => step.push(`S[${stateSlot(k, r)}] = n${k}_${r};`));
    if (opt) step.push(...opt.advanceLines(hiddenBase));

    const observe: string[] = ['const o = yi * NS;'];
    let col = 0;
    indicators.forEach((ind, i) => {
      const eq = eqId(`indicators.${ind.name}`, true, ['indicators', ind.name, 'expr'], indDomain[i]);
      const cols: number[] = [];
      for (let r = 0; r < R; r++) {
        observe.push(`const v${i}_${r} = ${emit(indExpr[i]!, refFor(r))};${guard(`v${i}_${r}`, eq, r, 'year')}`);
        observe.push(`OUT[o + ${col}] = v${i}_${r};`);
        cols.push(col++);
      }
      const w = indWeight[i]!;
      if (w !== 'sum') {
        const weq = eqId(`indicators.${ind.name}.aggregate.weight`, true);
        for (let r = 0; r < R; r++)
          observe.push(`const w${i}_${r} = ${emit(w, refFor(r))};${guard(`w${i}_${r}`, weq, r, 'year')}`);
      }
      aggregates.forEach((a, ai) => {
        const aeq = eqId(`indicators.${ind.name} (aggregate ${a.id})`, false, ['indicators', ind.name, 'aggregate']);
        const v =
          w === 'sum'
            ? a.members.map((r) => `v${i}_${r}`).join(' + ')
            : `(${a.members.map((r) => `w${i}_${r} * v${i}_${r}`).join(' + ')}) / (${a.members.map((r) => `w${i}_${r}`).join(' + ')})`;
        observe.push(`const ag${i}_${ai} = ${v};${guard(`ag${i}_${ai}`, aeq, -1, 'year')}`);
        observe.push(`OUT[o + ${col++}] = ag${i}_${ai};`);
      });
      const ref = indRef[i];
      if (ref) {
        const req = eqId(`indicators.${ind.name}.reference`, false);
        observe.push(`const rf${i} = ${emit(ref, refFor(0))};${guard(`rf${i}`, req, -1, 'year')}`);
        observe.push(`OUT[o + ${col++}] = rf${i};`);
      }
    });

    const init: string[] = ['const year = BASE;', 'const t = 0;', 'const yi = 0;'];
    if (hasDomain) init.push(`S[${domainFlag}] = 0;`);
    gStates.forEach(([name], i) => {
      const eq = eqId(`globals.states.${name}.initial`, false, undefined, gStateDomain[i]);
      init.push(`S[${i}] = ${emit(gInitExpr[i]!, refFor(0))};${guard(`S[${i}]`, eq, -1, 'year')}`);
    });
    rStates.forEach(([name], k) => {
      const eq = eqId(`states.${name}.initial`, true, undefined, rStateDomain[k]);
      for (let r = 0; r < R; r++)
        init.push(
          `S[${stateSlot(k, r)}] = ${emit(rInitExpr[k]![r]!, refFor(r))};${guard(`S[${stateSlot(k, r)}]`, eq, r, 'year')}`,
        );
    });
    if (opt) {
      // Per-run slots and running powers may read auxiliaries that no lever, year or state moves.
      for (const i of gAuxOrder) {
        const l = auxLevel.get(gAux[i]![0])!;
        if ((l & (YEAR | STATE)) === 0) init.push(`const g${i} = ${emit(gAuxExpr[i]!, refFor(0))};`);
      }
      for (let r = 0; r < R; r++)
        for (const i of rAuxOrder) {
          const l = auxLevel.get(rAux[i]![0])!;
          if ((l & (YEAR | STATE)) === 0) init.push(`const a${i}_${r} = ${emit(rAuxExpr[i]!, refFor(r))};`);
        }
      init.push(...opt.initLines(hiddenBase));
    }

    // prepare: the per-year table of the optimised kernel. Auxiliaries that read only levers, the
    // year and undrawn parameters are defined first, because hoisted expressions may read them.
    const prepare: string[] = [];
    if (opt) {
      for (const i of gAuxOrder) {
        const l = auxLevel.get(gAux[i]![0])!;
        if ((l & (DRAW | STATE)) === 0) prepare.push(`const g${i} = ${emit(gAuxExpr[i]!, refFor(0))};`);
      }
      for (let r = 0; r < R; r++)
        for (const i of rAuxOrder) {
          const l = auxLevel.get(rAux[i]![0])!;
          if ((l & (DRAW | STATE)) === 0) prepare.push(`const a${i}_${r} = ${emit(rAuxExpr[i]!, refFor(r))};`);
        }
      opt.yearSlots.forEach((code, k) => prepare.push(`H[hb + ${k}] = ${code};`));
    }

    const consts = `const BASE = ${file.base_year}, LB = ${LB}, XB = ${shockSlots.length}, NS = ${series.length}${opt ? `, HB = ${opt.yearSlots.length}` : ''};`;
    return {
      init: `${consts}\nreturn function init(P, S, OUT) {\n  ${[...init, ...observe].join('\n  ')}\n};`,
      step: `${consts}\nreturn function step(P, L, X, S, OUT, yi, year${opt ? ', H' : ''}) {\n  ${[...step, ...observe].join('\n  ')}\n};`,
      prepare: `${consts}\nreturn function prepare(P, L, H, years) {\n  for (let yi = 1; yi < years; yi++) {\n    const t = yi, year = BASE + yi, lb = yi * LB, hb = yi * HB;\n    ${prepare.join('\n    ')}\n  }\n};`,
    };
  };

  // The sources are assembled above from compiler templates, slot numbers and numeric literals only.
  const fast = build(false);
  const checked = build(true);
  const optimiser = new KernelOptimiser(levelOf, file.base_year);
  const opt = build(false, optimiser);
  const optimisedLayout = {
    yearBlock: optimiser.yearSlots.length,
    hiddenStates: optimiser.hiddenStates,
    // Parameter slots the per-year table reads: a run whose parameters differ there needs a new table.
    preparedParams: [...new Set([...opt.prepare.matchAll(/P\[(\d+)\]/g)].map((m) => Number(m[1])))].sort(
      (a, b) => a - b,
    ),
  };

  return modelFromData({
    name: file.name,
    title: file.title,
    description: file.description ?? '',
    origin,
    file,
    baseYear: file.base_year,
    regions,
    aggregates,
    reference,
    parameters,
    levers,
    indicators,
    headline,
    series,
    shockSlots,
    paramCount,
    stateCount,
    leverBlock: LB,
    shockBlock: shockSlots.length,
    seriesCount: series.length,
    sources: {
      init: fast.init,
      step: fast.step,
      checkedInit: checked.init,
      checkedStep: checked.step,
      optimised: { ...optimisedLayout, prepare: opt.prepare, init: opt.init, step: opt.step },
    },
    equations: [...equations],
  });
}

/** Refuse a model too large to compile, before any of its equations is parsed. */
function checkModelSize(file: ModelFile, origin: string, locate: Locate): void {
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
