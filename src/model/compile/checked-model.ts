import { pathString } from '../../util/problems.js';
import type { PathKey } from '../../util/yaml-source.js';
import type { EquationRef } from '../compiled-model.js';
import type { CheckedTrees } from './check.js';
import type { Declared, Domain, Locate, SymbolKind } from './declare.js';

/**
 * A model after declaration and checking, reduced to what code generation reads: slots, names, the
 * checked trees and each equation's number in the equation table. Plain data, kept on the compiled
 * model (and in the built-in model's image), so that Monte Carlo regenerates the kernel with its
 * shock slots and drawn parameters from it, without reading or checking the model file again.
 */
export interface CheckedModel {
  readonly baseYear: number;
  readonly regionCount: number;
  /** Every name an equation may read, with its kind and index (builtins included). */
  readonly symbols: readonly (readonly [name: string, kind: Exclude<SymbolKind, 'broken'>, index: number])[];
  /** Per parameter: its first slot, and whether it has one slot per region. */
  readonly parameterSlots: readonly (readonly [offset: number, regional: boolean])[];
  readonly leverCount: number;
  readonly stateCount: number;
  readonly domainFlag: number;
  readonly hasDomain: boolean;
  readonly seriesCount: number;
  /** Members (region indices) of each aggregate. */
  readonly aggregates: readonly (readonly number[])[];
  readonly names: {
    readonly globalStates: readonly string[];
    readonly globalAuxiliaries: readonly string[];
    readonly states: readonly string[];
    readonly auxiliaries: readonly string[];
  };
  readonly trees: CheckedTrees;
  readonly equations: EquationNumbers;
}

/** Where each equation sits in the equation table (the index the checked kernel's failures name). */
export interface EquationNumbers {
  readonly globalAuxiliaries: readonly number[];
  readonly globalNext: readonly number[];
  readonly auxiliaries: readonly number[];
  readonly next: readonly number[];
  readonly indicators: readonly {
    readonly value: number;
    readonly weight?: number;
    readonly aggregates: readonly number[];
    readonly reference?: number;
  }[];
  readonly globalInitial: readonly number[];
  readonly initial: readonly number[];
}

/** The checked model and its equation table (labels, locations and domains, for error messages). */
export function checkedModel(
  d: Declared,
  trees: CheckedTrees,
  locate: Locate,
): { checked: CheckedModel; equations: EquationRef[] } {
  const equations: EquationRef[] = [];
  // The label is the equation's path in the one format (src/util/problems.ts); `at` where it is shown.
  const eqId = (
    path: readonly PathKey[],
    regional: boolean,
    domain?: Domain,
    at: readonly PathKey[] = path,
    suffix = '',
  ): number => {
    const label = pathString(path) + suffix;
    const location = locate(at);
    equations.push({ label, regional, ...(location ? { location } : {}), ...(domain ? { domain } : {}) });
    return equations.length - 1;
  };
  // Numbered in the order the kernel was always generated in: the step's equations, the
  // indicators, then the initial values.
  const gAux: number[] = [];
  for (const i of trees.globalAuxiliaryOrder)
    gAux[i] = eqId(['globals', 'auxiliaries', d.globalAuxiliaries[i]![0]], false);
  const gNext = d.globalStates.map(([name], i) =>
    eqId(['globals', 'states', name, 'next'], false, d.domains.globalStates[i]),
  );
  const rAux = d.auxiliaries.map(([name]) => eqId(['auxiliaries', name], true));
  const rNext = d.states.map(([name], k) => eqId(['states', name, 'next'], true, d.domains.states[k]));
  const indicators = d.indicators.map((ind, i) => {
    const value = eqId(['indicators', ind.name], true, d.domains.indicators[i], ['indicators', ind.name, 'expr']);
    const weight =
      trees.indicators[i]!.weight !== 'sum' ? eqId(['indicators', ind.name, 'aggregate', 'weight'], true) : -1;
    const aggregates = d.aggregates.map((a) =>
      eqId(['indicators', ind.name], false, undefined, ['indicators', ind.name, 'aggregate'], ` (aggregate ${a.id})`),
    );
    const reference = trees.indicators[i]!.reference ? eqId(['indicators', ind.name, 'reference'], false) : -1;
    return { value, ...(weight >= 0 ? { weight } : {}), aggregates, ...(reference >= 0 ? { reference } : {}) };
  });
  const gInit = d.globalStates.map(([name], i) =>
    eqId(['globals', 'states', name, 'initial'], false, d.domains.globalStates[i]),
  );
  const rInit = d.states.map(([name], k) => eqId(['states', name, 'initial'], true, d.domains.states[k]));

  const symbols: CheckedModel['symbols'][number][] = [];
  for (const [name, s] of d.symbols) if (s.kind !== 'broken') symbols.push([name, s.kind, s.index]);
  const checked: CheckedModel = {
    baseYear: d.file.base_year,
    regionCount: d.regions.length,
    symbols,
    parameterSlots: d.parameters.map((p) => [p.offset, p.scope === 'region'] as const),
    leverCount: d.levers.length,
    stateCount: d.stateCount,
    domainFlag: d.domainFlag,
    hasDomain: d.hasDomain,
    seriesCount: d.series.length,
    aggregates: d.aggregates.map((a) => a.members),
    names: {
      globalStates: d.globalStates.map(([n]) => n),
      globalAuxiliaries: d.globalAuxiliaries.map(([n]) => n),
      states: d.states.map(([n]) => n),
      auxiliaries: d.auxiliaries.map(([n]) => n),
    },
    trees,
    equations: {
      globalAuxiliaries: gAux,
      globalNext: gNext,
      auxiliaries: rAux,
      next: rNext,
      indicators,
      globalInitial: gInit,
      initial: rInit,
    },
  };
  return { checked, equations };
}
