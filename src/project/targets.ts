import type { Target } from '../scenario/scenario.js';

/** The verdict on one target for one projection. */
export interface TargetVerdict {
  readonly name: string;
  readonly indicator: string;
  readonly region: string;
  readonly year: number;
  readonly direction: 'at_least' | 'at_most';
  readonly value: number;
  readonly reference: number;
  /** value − reference. */
  readonly gap: number;
  /** gap as a percentage of |reference|; null when the reference is 0. */
  readonly gapPercent: number | null;
  readonly reached: boolean;
  /** First year in the horizon in which the target is met, or null: not within the horizon. */
  readonly firstYearReached: number | null;
  /**
   * The constant annual growth of the indicator, from the horizon start, that would have met the
   * reference in the target year; null when undefined (target year = start, or a non-positive start).
   */
  readonly requiredGrowth: number | null;
}

/** Values by (year − base year) × seriesCount + series. */
export interface SeriesTable {
  readonly values: Float64Array;
  readonly baseYear: number;
  readonly seriesCount: number;
}

const at = (t: SeriesTable, series: number, year: number): number =>
  t.values[(year - t.baseYear) * t.seriesCount + series]!;

export function referenceAt(t: SeriesTable, target: Target, year: number): number {
  return target.reference.kind === 'value' ? target.reference.value : at(t, target.reference.series, year);
}

export function meets(target: Target, value: number, reference: number): boolean {
  return target.direction === 'at_least' ? value >= reference : value <= reference;
}

/** First year in [start, end] in which the target is met, or null. */
export function firstYearMet(t: SeriesTable, target: Target, start: number, end: number): number | null {
  for (let y = start; y <= end; y++) if (meets(target, at(t, target.series, y), referenceAt(t, target, y))) return y;
  return null;
}

export function evaluateTarget(t: SeriesTable, target: Target, horizon: { start: number; end: number }): TargetVerdict {
  const value = at(t, target.series, target.year);
  const reference = referenceAt(t, target, target.year);
  const gap = value - reference;
  const startValue = at(t, target.series, horizon.start);
  const span = target.year - horizon.start;
  const requiredGrowth =
    span > 0 && startValue > 0 && reference > 0 ? (reference / startValue) ** (1 / span) - 1 : null;
  return {
    name: target.name,
    indicator: target.indicator,
    region: target.region,
    year: target.year,
    direction: target.direction,
    value,
    reference,
    gap,
    gapPercent: reference === 0 ? null : (100 * gap) / Math.abs(reference),
    reached: meets(target, value, reference),
    firstYearReached: firstYearMet(t, target, horizon.start, horizon.end),
    requiredGrowth,
  };
}
