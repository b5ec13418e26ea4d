import type { CompiledModel } from '../model/compiled-model.js';

/**
 * The provinces a region id stands for in a setting: a province itself, or an aggregate's members.
 * Undefined for an unknown id. One rule for scenario levers, parameter overrides, `--set` and sweep
 * factors.
 */
export function regionMembers(
  model: Pick<CompiledModel, 'regions' | 'aggregates'>,
  id: string,
): readonly number[] | undefined {
  const agg = model.aggregates.find((a) => a.id === id);
  if (agg) return agg.members;
  const r = model.regions.findIndex((x) => x.id === id);
  return r >= 0 ? [r] : undefined;
}

/** The ids a setting may name, for "did you mean". */
export function settableRegionIds(model: Pick<CompiledModel, 'regions' | 'aggregates'>): string[] {
  return [...model.regions.map((r) => r.id), ...model.aggregates.map((a) => a.id)];
}
