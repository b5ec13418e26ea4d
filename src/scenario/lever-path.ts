import type { LeverInfo } from '../model/compiled-model.js';
import { type Layout, leverSlot } from '../model/layout.js';
import type { PathSetting, StepSetting } from './scenario-file.js';

/**
 * A lever's value in a given year, from its setting. Pure, so that the scenario loader, the
 * reports and the tests agree on what "from 2017 with a 3-year ramp" means.
 *
 * - constant c: c from the horizon start on;
 * - {value, from, ramp}: off before `from`; in year from+k (k = 0, 1, ...) the fraction
 *   min(1, (k+1)/ramp) of the way from the lever's default to `value` (ramp 0 or 1: all at once);
 * - {path}: off before the first year, linear between given years, the last value after.
 */
export function leverValueAt(
  setting: number | StepSetting | PathSetting,
  yearValue: number,
  horizonStart: number,
  off: number,
): number {
  if (typeof setting === 'number') return yearValue >= horizonStart ? setting : off;
  if ('path' in setting) {
    const points = Object.entries(setting.path)
      .map(([y, v]) => [Number(y), v] as const)
      .sort((a, b) => a[0] - b[0]);
    const first = points[0];
    if (!first || yearValue < first[0]) return off;
    for (let i = points.length - 1; i >= 0; i--) {
      const [y0, v0] = points[i]!;
      if (yearValue >= y0) {
        const next = points[i + 1];
        if (!next) return v0;
        const [y1, v1] = next;
        return v0 + ((v1 - v0) * (yearValue - y0)) / (y1 - y0);
      }
    }
    return off;
  }
  const from = setting.from ?? horizonStart;
  if (yearValue < from) return off;
  const ramp = setting.ramp ?? 0;
  const frac = ramp <= 1 ? 1 : Math.min(1, (yearValue - from + 1) / ramp);
  return off + (setting.value - off) * frac;
}

/** The lever array of `years` simulated years with every lever at its model default. */
export function defaultLevers(
  model: Layout & { readonly levers: readonly Pick<LeverInfo, 'index' | 'default'>[] },
  years: number,
): Float64Array {
  const levers = new Float64Array(years * model.leverBlock);
  for (const l of model.levers)
    for (let yi = 0; yi < years; yi++)
      for (let r = 0; r < model.regions.length; r++)
        levers[leverSlot(model, model.baseYear + yi, l.index, r)] = l.default;
  return levers;
}

/**
 * Writes one region's path of a lever into a lever array, in every simulated year after the base year
 * (the base year is the data, never a policy year).
 */
export function writeLeverPath(
  levers: Float64Array,
  model: Layout,
  lever: Pick<LeverInfo, 'index' | 'default'>,
  region: number,
  setting: number | StepSetting | PathSetting,
  horizonStart: number,
): void {
  const years = levers.length / model.leverBlock;
  for (let yi = 1; yi < years; yi++) {
    const year = model.baseYear + yi;
    levers[leverSlot(model, year, lever.index, region)] = leverValueAt(setting, year, horizonStart, lever.default);
  }
}
