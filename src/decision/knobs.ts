import { leverOfSlot } from '../model/layout.js';
import { defaultLevers, writeLeverPath } from '../scenario/lever-path.js';
import { regionMembers, settableRegionIds } from '../scenario/regions.js';
import type { Scenario, Target } from '../scenario/scenario.js';
import type { StepSetting } from '../scenario/scenario-file.js';
import { UserError } from '../util/diagnostics.js';
import { didYouMean } from '../util/suggest.js';
import type { Domain } from './seek.js';

/**
 * The knob `policysim seek` turns: a range of settings (a Domain) and, for each, the scenario's lever
 * array with that setting applied. Either one lever (its value, start year or ramp, in chosen
 * provinces) or the scenario's whole lever set scaled by one factor (a "package").
 */
export interface Knob {
  readonly kind: 'lever' | 'package';
  readonly domain: Domain;
  /** The lever array (years × leverBlock) with setting x. */
  levers(x: number): Float64Array;
  /** What setting x means, for reports: the lever setting, or the package factor. */
  describe(x: number): Record<string, unknown>;
  readonly summary: Record<string, unknown>;
}

/** Relative resolution of a continuous knob: 1/1000 of its range. Years and ramps resolve to 1 year. */
export const RELATIVE_RESOLUTION = 1e-3;

export type Vary = 'value' | 'from' | 'ramp';

export interface LeverKnobOptions {
  readonly lever: string;
  readonly regions?: readonly string[];
  readonly vary: Vary;
  readonly value?: number;
  readonly from?: number;
  readonly ramp?: number;
}

/** The scenario's own step setting of a lever for a province, if it sets one that way. */
function ownStep(scenario: Scenario, lever: string, region: string): StepSetting | undefined {
  const entry = scenario.raw.levers[lever];
  if (entry === undefined) return undefined;
  const list = Array.isArray(entry) ? entry : [entry];
  for (const s of list) {
    if (typeof s === 'number') return { value: s, ramp: 0 };
    if ('path' in s) continue;
    if (!s.regions) return s;
    if (
      s.regions.some((id) =>
        regionMembers(scenario.model, id)?.includes(scenario.model.regions.findIndex((r) => r.id === region)),
      )
    )
      return s;
  }
  return undefined;
}

export function leverKnob(scenario: Scenario, target: Target, o: LeverKnobOptions): Knob {
  const { model, horizon } = scenario;
  const lever = model.levers.find((l) => l.name === o.lever);
  if (!lever)
    throw new UserError({
      path: '--lever',
      message: `unknown lever '${o.lever}'`,
      hint:
        didYouMean(
          o.lever,
          model.levers.map((l) => l.name),
        ) ?? `levers: ${model.levers.map((l) => l.name).join(', ')}`,
    });
  let regions = model.regions.map((_, i) => i);
  if (o.regions && o.regions.length > 0) {
    if (!lever.perRegion)
      throw new UserError({ path: '--regions', message: `lever '${lever.name}' applies to all regions alike` });
    regions = [];
    for (const id of o.regions) {
      const m = regionMembers(model, id);
      if (!m)
        throw new UserError({
          path: '--regions',
          message: `unknown region '${id}'`,
          hint: didYouMean(id, settableRegionIds(model)) ?? `known: ${settableRegionIds(model).join(', ')}`,
        });
      regions.push(...m.filter((r) => !regions.includes(r)));
    }
  }
  const firstActive = Math.max(horizon.start, model.baseYear + 1);
  const own = ownStep(scenario, lever.name, model.regions[regions[0]!]!.id);
  const base = {
    value: o.value ?? own?.value ?? lever.range[1],
    from: o.from ?? own?.from ?? firstActive,
    ramp: o.ramp ?? own?.ramp ?? 0,
  };
  const check = (flag: string, v: number, lo: number, hi: number, whole: boolean): void => {
    if (!Number.isFinite(v) || v < lo || v > hi || (whole && !Number.isInteger(v)))
      throw new UserError({
        path: `--${flag}`,
        message: `must be ${whole ? 'a whole number ' : ''}from ${lo} to ${hi} (got ${v})`,
      });
  };
  if (o.vary !== 'value') check('value', base.value, lever.range[0], lever.range[1], false);
  if (o.vary !== 'from') check('from', base.from, firstActive, horizon.end, true);
  if (o.vary !== 'ramp') check('ramp', base.ramp, 0, 200, true);
  const lastUseful = Math.min(target.year, horizon.end);
  let domain: Domain;
  if (o.vary === 'value') {
    const [lo, hi] = lever.range;
    domain = { lo, hi, cheap: 'low', resolution: RELATIVE_RESOLUTION * (hi - lo), integer: false };
  } else if (o.vary === 'from') {
    if (lastUseful < firstActive)
      throw new UserError({
        path: '--vary',
        message: `no start year between ${firstActive} and the target year ${target.year}`,
      });
    domain = { lo: firstActive, hi: lastUseful, cheap: 'high', resolution: 1, integer: true };
  } else {
    domain = { lo: 1, hi: Math.max(1, horizon.end - base.from + 1), cheap: 'high', resolution: 1, integer: true };
  }
  const setting = (x: number): StepSetting => ({ ...base, [o.vary]: x });
  return {
    kind: 'lever',
    domain,
    levers(x) {
      const out = scenario.levers.slice();
      const s = setting(x);
      for (const r of regions) writeLeverPath(out, model, lever, r, s, firstActive);
      return out;
    },
    describe: (x) => ({ ...setting(x) }),
    summary: {
      lever: lever.name,
      unit: lever.unit,
      regions: regions.map((r) => model.regions[r]!.id),
      vary: o.vary,
      fixed: Object.fromEntries(Object.entries(base).filter(([k]) => k !== o.vary)),
    },
  };
}

/**
 * Every lever the scenario moves, scaled by one factor s: default + s × (setting − default), for
 * every year and province. s runs from 0 (no levers) to the largest factor that keeps every lever
 * within its range (1 when some lever is already at an end of its range).
 */
export function packageKnob(scenario: Scenario): Knob {
  const { model } = scenario;
  const L = scenario.levers;
  let smax = Infinity;
  let moved = 0;
  const defaults = defaultLevers(model, L.length / model.leverBlock);
  for (let i = 0; i < L.length; i++) {
    const index = leverOfSlot(model, i);
    const lever = model.levers.find((l) => l.index === index)!;
    const dev = L[i]! - lever.default;
    if (dev === 0) continue;
    moved++;
    const room = dev > 0 ? lever.range[1] - lever.default : lever.range[0] - lever.default;
    smax = Math.min(smax, room / dev);
  }
  if (moved === 0)
    throw new UserError({
      location: scenario.source.locateKey(['levers']),
      path: 'levers',
      message: `--package scales the scenario's levers, but '${scenario.name}' sets none`,
      hint: 'use --lever NAME instead',
    });
  return {
    kind: 'package',
    domain: { lo: 0, hi: smax, cheap: 'low', resolution: RELATIVE_RESOLUTION * smax, integer: false },
    levers(s) {
      const out = new Float64Array(L.length);
      for (let i = 0; i < L.length; i++) out[i] = defaults[i]! + s * (L[i]! - defaults[i]!);
      return out;
    },
    describe: (s) => ({ factor: s }),
    summary: {
      package: scenario.raw.levers ? Object.keys(scenario.raw.levers) : [],
      maxFactor: smax,
    },
  };
}
