import type { SourceLocation } from '../../util/diagnostics.js';
import { type Problems, pathString } from '../../util/problems.js';
import { didYouMean } from '../../util/suggest.js';
import type { PathKey } from '../../util/yaml-source.js';
import type {
  AggregateInfo,
  IndicatorInfo,
  LeverInfo,
  ParameterInfo,
  RegionInfo,
  SeriesInfo,
} from '../compiled-model.js';
import { BUILTIN_SYMBOLS, FORBIDDEN_NAMES, FUNCTIONS } from '../expression.js';
import type { AuxiliaryDecl, ModelFile, StateDecl } from '../model-file.js';

/**
 * The first stage of the compiler: what a model declares, before any equation is read. Names go
 * into one symbol table, and every value gets its slot: regions, aggregates and the reference;
 * parameters (one slot, or one per region), levers, states (and the domain flag), auxiliaries,
 * indicators and their output series. Problems go to `problems` (src/util/problems.ts), never thrown, so the check
 * stage can add its own and the user sees them all at once.
 */

export type Locate = (path: readonly PathKey[]) => SourceLocation | undefined;
export type SymbolKind = 'gparam' | 'rparam' | 'lever' | 'gstate' | 'gaux' | 'rstate' | 'raux' | 'builtin' | 'broken';
export interface SymbolEntry {
  readonly kind: SymbolKind;
  readonly index: number;
  readonly path: readonly PathKey[];
}

/** A declared domain (`min:`/`max:`), an open side being ±Infinity. */
export type Domain = readonly [number, number];

export interface Declared {
  readonly file: ModelFile;
  readonly regions: readonly RegionInfo[];
  readonly regionIds: readonly string[];
  readonly regionIndex: ReadonlyMap<string, number>;
  readonly aggregates: readonly AggregateInfo[];
  readonly reference: RegionInfo | undefined;
  readonly symbols: ReadonlyMap<string, SymbolEntry>;
  readonly parameters: readonly ParameterInfo[];
  readonly paramCount: number;
  readonly levers: readonly LeverInfo[];
  readonly globalStates: readonly (readonly [string, StateDecl])[];
  readonly globalAuxiliaries: readonly (readonly [string, AuxiliaryDecl])[];
  readonly states: readonly (readonly [string, StateDecl])[];
  readonly auxiliaries: readonly (readonly [string, AuxiliaryDecl])[];
  readonly domains: {
    readonly globalStates: readonly (Domain | undefined)[];
    readonly states: readonly (Domain | undefined)[];
    readonly indicators: readonly (Domain | undefined)[];
  };
  /** Global states, then each regional state for every region, then (with domains) the domain flag. */
  readonly stateCount: number;
  readonly domainFlag: number;
  readonly hasDomain: boolean;
  readonly indicators: readonly IndicatorInfo[];
  readonly series: readonly SeriesInfo[];
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Declare a model's names and lay out its slots. `broken` names declarations left out of a partial
 * model for not being well-formed (reported already): equations may still read them.
 */
export function declareModel(file: ModelFile, problems: Problems, broken: readonly string[] = []): Declared {
  // Regions, aggregates, reference -------------------------------------------------------------
  const regions: RegionInfo[] = Object.entries(file.regions).map(([id, r]) => ({ id, name: r.name }));
  // Ids become JSON keys, CSV cells and lookup keys: plain names only, none an Object.prototype member.
  const checkId = (id: string, path: PathKey[]): void => {
    if (!IDENT.test(id))
      problems.at(path, `'${id}' is not a valid id: use letters, digits and _, not starting with a digit`);
    else if (FORBIDDEN_NAMES.has(id) || id in Object.prototype) problems.at(path, `'${id}' is a reserved name`);
  };
  for (const r of regions) checkId(r.id, ['regions', r.id]);
  for (const id of Object.keys(file.aggregates)) checkId(id, ['aggregates', id]);
  if (file.reference) checkId(file.reference.id, ['reference', 'id']);
  const R = regions.length;
  if (R === 0) problems.at(['regions'], 'a model needs at least one region');
  const regionIndex = new Map(regions.map((r, i) => [r.id, i]));
  const regionIds = regions.map((r) => r.id);
  const aggregates: AggregateInfo[] = [];
  for (const [id, a] of Object.entries(file.aggregates)) {
    if (regionIndex.has(id)) problems.at(['aggregates', id], `aggregate '${id}' has the same id as a region`);
    const members: number[] = [];
    a.regions.forEach((m, k) => {
      const i = regionIndex.get(m);
      if (i === undefined)
        problems.at(['aggregates', id, 'regions', k], `unknown region '${m}'`, didYouMean(m, regionIds));
      else if (members.includes(i)) problems.at(['aggregates', id, 'regions', k], `region '${m}' is listed twice`);
      else members.push(i);
    });
    aggregates.push({ id, name: a.name, members });
  }
  const reference = file.reference ? { id: file.reference.id, name: file.reference.name } : undefined;
  if (reference && (regionIndex.has(reference.id) || Object.hasOwn(file.aggregates, reference.id))) {
    problems.at(['reference', 'id'], `reference id '${reference.id}' is already used by a region or aggregate`);
  }

  // Symbol table -----------------------------------------------------------------------------
  const symbols = new Map<string, SymbolEntry>();
  const declare = (name: string, entry: SymbolEntry): void => {
    if (!IDENT.test(name)) {
      problems.at(entry.path, `'${name}' is not a valid name: use letters, digits and _, not starting with a digit`);
      return;
    }
    if (
      FORBIDDEN_NAMES.has(name) ||
      name in Object.prototype ||
      Object.hasOwn(FUNCTIONS, name) ||
      (BUILTIN_SYMBOLS as readonly string[]).includes(name)
    ) {
      problems.at(entry.path, `'${name}' is a reserved name`);
      return;
    }
    const prior = symbols.get(name);
    if (prior) {
      problems.at(entry.path, `'${name}' is already declared at ${pathString(prior.path)}`);
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
    if (lo > hi) problems.at([...path, 'range'], `range low (${lo}) is above range high (${hi})`);
    let defaults: number[] = [];
    let scope: 'global' | 'region' = 'global';
    if (p.value !== undefined && p.values !== undefined)
      problems.at(path, 'give either value (one for all regions) or values (one per region), not both');
    else if (p.value !== undefined) defaults = [p.value];
    else if (p.values !== undefined) {
      scope = 'region';
      defaults = regionIds.map((rid) => {
        const v = p.values && Object.hasOwn(p.values, rid) ? p.values[rid] : undefined;
        if (v === undefined) problems.at([...path, 'values'], `missing value for region '${rid}'`);
        return v ?? NaN;
      });
      for (const key of Object.keys(p.values)) {
        if (!regionIndex.has(key))
          problems.at([...path, 'values', key], `unknown region '${key}'`, didYouMean(key, regionIds));
      }
    } else problems.at(path, 'missing value: give value (one for all regions) or values (one per region)');
    defaults.forEach((v) => {
      if (Number.isFinite(v) && (v < lo || v > hi)) problems.at(path, `value ${v} is outside its range [${lo}, ${hi}]`);
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
    if (lo > hi) problems.at([...path, 'range'], `range low (${lo}) is above range high (${hi})`);
    if (l.default < lo || l.default > hi)
      problems.at([...path, 'default'], `default ${l.default} is outside the range [${lo}, ${hi}]`);
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
  for (const n of broken) if (!symbols.has(n)) symbols.set(n, { kind: 'broken', index: -1, path: [] });

  // Declared domains (`min:`/`max:`) of states and indicators.
  const domainOf = (d: { min?: number; max?: number }, path: PathKey[]): Domain | undefined => {
    if (d.min === undefined && d.max === undefined) return undefined;
    const lo = d.min ?? -Infinity;
    const hi = d.max ?? Infinity;
    if (lo > hi) problems.at([...path, 'min'], `min (${lo}) is above max (${hi})`);
    return [lo, hi];
  };
  const gStateDomain = gStates.map(([n, st]) => domainOf(st, ['globals', 'states', n]));
  const rStateDomain = rStates.map(([n, st]) => domainOf(st, ['states', n]));
  const indDomain = Object.entries(file.indicators).map(([n, ind]) => domainOf(ind, ['indicators', n]));
  const hasDomain = [...gStateDomain, ...rStateDomain, ...indDomain].some((d) => d !== undefined);

  // With domains, one more slot: the fast kernel marks a value outside its domain by making it NaN,
  // which the projection's one finiteness pass over the final state already catches.
  const domainFlag = gStates.length + rStates.length * R;
  const stateCount = domainFlag + (hasDomain ? 1 : 0);

  // Indicators and their series: each region's value, each aggregate's, and the reference's.
  const indicators: IndicatorInfo[] = [];
  const series: SeriesInfo[] = [];
  for (const [name, ind] of Object.entries(file.indicators)) {
    const path = ['indicators', name];
    if (!IDENT.test(name)) problems.at(path, `'${name}' is not a valid indicator name`);
    else if (name in Object.prototype) problems.at(path, `'${name}' is a reserved name`);
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

  return {
    file,
    regions,
    regionIds,
    regionIndex,
    aggregates,
    reference,
    symbols,
    parameters,
    paramCount,
    levers,
    globalStates: gStates,
    globalAuxiliaries: gAux,
    states: rStates,
    auxiliaries: rAux,
    domains: { globalStates: gStateDomain, states: rStateDomain, indicators: indDomain },
    stateCount,
    domainFlag,
    hasDomain,
    indicators,
    series,
  };
}
