import type { Projection } from '../../src/project/project-scenario.js';

/** One projected value, by indicator, region (province, aggregate or reference) and year. */
export function valueAt(p: Projection, indicator: string, region: string, year: number): number {
  const s = p.scenario.model.seriesIndex(indicator, region);
  if (s === undefined) throw new Error(`test bug: no series ${indicator}/${region}`);
  const v = p.values[(year - p.baseYear) * p.seriesCount + s];
  if (v === undefined) throw new Error(`test bug: year ${year} outside the projection`);
  return v;
}

/** Every year of the projection, base year first. */
export function projectedYears(p: Projection): number[] {
  const years: number[] = [];
  for (let y = p.baseYear; y <= p.scenario.horizon.end; y++) years.push(y);
  return years;
}
