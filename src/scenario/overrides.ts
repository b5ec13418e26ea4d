import type { CompiledModel } from '../model/compiled-model.js';
import { writeLeverPath } from './lever-path.js';
import { regionMembers } from './regions.js';
import type { Override } from './scenario.js';

/**
 * A what-if applied after a scenario file: a lever (then held constant from the horizon start) or a
 * parameter, in every region or in one region or aggregate (its provinces). Typed and already checked
 * against the model: the core never sees `--set` text, which src/cli/set-overrides.ts parses and checks.
 */
export interface ScenarioOverride {
  readonly kind: 'lever' | 'parameter';
  readonly name: string;
  /** A region or an aggregate id; every region when absent. */
  readonly region?: string;
  readonly value: number;
  /** How the user gave it, for messages about it (the CLI: `--set NAME.REGION`); `override NAME` when absent. */
  readonly origin?: string;
}

/** What a message about an override calls it. */
export function overrideOrigin(o: {
  readonly name: string;
  readonly region?: string;
  readonly origin?: string;
}): string {
  return o.origin ?? `override ${o.name}${o.region !== undefined ? `.${o.region}` : ''}`;
}

/**
 * The overrides of a scenario, or how to get them from its model: called once the scenario file is
 * checked, so that the file's problems come first and the overrides are checked against its model.
 */
export type Overrides = readonly ScenarioOverride[] | ((model: CompiledModel) => readonly ScenarioOverride[]);

export function resolveOverrides(overrides: Overrides | undefined, model: CompiledModel): readonly ScenarioOverride[] {
  if (overrides === undefined) return [];
  return typeof overrides === 'function' ? overrides(model) : overrides;
}

/**
 * Apply one override to the parameter vector and the lever values (a lever from `start`, the horizon
 * start, on), returning what the scenario records of it. An override that does not fit the model is a
 * caller's bug (the CLI checks them first), not a user's mistake.
 */
export function applyOverride(
  model: CompiledModel,
  o: ScenarioOverride,
  params: Float64Array,
  levers: Float64Array,
  start: number,
): Override {
  const regions = o.region === undefined ? model.regions.map((_, i) => i) : regionMembers(model, o.region);
  if (!regions) throw new Error(`override of '${o.name}': unknown region '${o.region}'`);
  const region = o.region !== undefined ? { region: o.region } : {};
  const origin = o.origin !== undefined ? { origin: o.origin } : {};
  if (o.kind === 'lever') {
    const lever = model.levers.find((l) => l.name === o.name);
    if (!lever) throw new Error(`override: unknown lever '${o.name}'`);
    for (const r of regions) writeLeverPath(levers, model, lever, r, o.value, start);
    return { name: o.name, ...region, value: o.value, lever: true, fromCli: true, ...origin };
  }
  const p = model.parameters.find((q) => q.name === o.name);
  if (!p) throw new Error(`override: unknown parameter '${o.name}'`);
  if (p.scope === 'global') params[p.offset] = o.value;
  else for (const r of regions) params[p.offset + r] = o.value;
  return { name: o.name, ...region, value: o.value, fromCli: true, ...origin };
}
