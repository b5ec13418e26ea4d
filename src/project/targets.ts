import { cellIndex, projectionGrid, rowStart, type YearSeriesGrid } from '../model/layout.js';
import type { Scenario, Target } from '../scenario/scenario.js';

type Horizon = Scenario['horizon'];

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

/** Values by (year − base year) × seriesCount + series: a projection's outputs with their layout. */
export interface SeriesTable {
  readonly values: Float64Array;
  readonly baseYear: number;
  readonly seriesCount: number;
}

/**
 * "Not reached within the horizon", everywhere inside policysim: the year after the horizon ends. It
 * stays a number, so it sorts after every year reached and every design can analyse it as an output;
 * only the edges turn it into something else (null in JSON, an empty CSV cell, a "never" column).
 */
export function neverReached(horizon: Horizon): number {
  return horizon.end + 1;
}

export function meets(target: Pick<Target, 'direction'>, value: number, reference: number): boolean {
  return target.direction === 'at_least' ? value >= reference : value <= reference;
}

/** TargetMeasure.layout: where a target's cells are in a projection's outputs. */
export interface MeasureLayout {
  /** The indicator's cell in the target year. */
  readonly valueAt: number;
  /** The reference's cell in the target year, or undefined: the reference is refValue. */
  readonly refAt: number | undefined;
  readonly refValue: number;
  /** The indicator's cell in the horizon's first year; each later year is rowStep cells on. */
  readonly firstCell: number;
  readonly years: number;
  readonly rowStep: number;
  /** Cells from the indicator's cell to its reference's in the same year, or undefined (refValue). */
  readonly toRef: number | undefined;
  /** 1 for "at least", −1 for "at most": met when sign·value >= sign·reference. */
  readonly sign: number;
  readonly atLeast: boolean;
}

/**
 * The one place a target is measured on a projection: its value, reference, gap, whether it is met
 * and the first year it is met. Built once per target and grid (the offsets are worked out here), then
 * applied to every run, so the Monte Carlo loop, the sweep rows and a single projection agree by
 * construction.
 */
export class TargetMeasure {
  private readonly valueAt: number;
  /** Cell of the reference in the target year, or −1: a fixed reference value. */
  private readonly refAt: number;
  private readonly refValue: number;
  private readonly refSeries: number;
  private readonly startRow: number;
  private readonly years: number;
  private readonly rowStep: number;
  private readonly series: number;
  private readonly atLeast: boolean;
  /** 1 for "at least", −1 for "at most": met when sign·value >= sign·reference. */
  private readonly sign: number;

  constructor(
    readonly target: Target,
    grid: YearSeriesGrid,
    readonly horizon: Horizon,
  ) {
    const ref = target.reference;
    this.valueAt = cellIndex(grid, target.year, target.series);
    this.refSeries = ref.kind === 'series' ? ref.series : -1;
    this.refAt = ref.kind === 'series' ? cellIndex(grid, target.year, ref.series) : -1;
    this.refValue = ref.kind === 'value' ? ref.value : NaN;
    this.startRow = rowStart(grid, horizon.start);
    this.years = horizon.end - horizon.start + 1;
    this.rowStep = grid.seriesCount;
    this.series = target.series;
    this.atLeast = target.direction === 'at_least';
    this.sign = this.atLeast ? 1 : -1;
  }

  /** The indicator's value in the target year. */
  value(out: ArrayLike<number>): number {
    return out[this.valueAt]!;
  }

  /** The reference in the target year. */
  reference(out: ArrayLike<number>): number {
    return this.refAt >= 0 ? out[this.refAt]! : this.refValue;
  }

  /**
   * Met in the target year. This and firstYear() compare in place, as meets() does, without passing
   * doubles to a call: a call that V8 does not inline boxes each double it is given or returns, and
   * the Monte Carlo measured ~1.1 KB of such garbage per run (4 targets) before.
   */
  reached(out: ArrayLike<number>): boolean {
    const v = out[this.valueAt]!;
    const ref = this.refAt >= 0 ? out[this.refAt]! : this.refValue;
    return this.atLeast ? v >= ref : v <= ref;
  }

  /**
   * The first horizon year in which the target is met, or neverReached(horizon). One loop per kind of
   * reference: `series >= 0 ? out[i] : refValue` in the loop made V8 box every value read from `out`
   * (a tagged phi of an array element and a field). "At most" is tested as −v >= −ref (negation is
   * exact and keeps NaN unmet), so the loop has one comparison and no branch on the direction: with
   * its cell positions as the only loop variables, ~30% faster on paper-proposals' four targets.
   */
  firstYear(out: ArrayLike<number>): number {
    const { rowStep, sign } = this;
    const first = this.startRow + this.series;
    const end = first + this.years * rowStep;
    let at = first;
    if (this.refSeries >= 0) {
      const toRef = this.refSeries - this.series;
      for (; at < end; at += rowStep) if (sign * out[at]! >= sign * out[at + toRef]!) break;
    } else {
      const ref = sign * this.refValue;
      for (; at < end; at += rowStep) if (sign * out[at]! >= ref) break;
    }
    return at < end ? this.horizon.start + (at - first) / rowStep : neverReached(this.horizon);
  }

  /**
   * The cells and constants reached() and firstYear() read, for a copy of them that works elsewhere
   * (the Monte Carlo's TargetMeter, in WebAssembly): offsets in a projection's outputs.
   */
  get layout(): MeasureLayout {
    const { valueAt, refAt, refValue, startRow, years, rowStep, series, refSeries, sign, atLeast } = this;
    return {
      valueAt,
      refAt: refAt >= 0 ? refAt : undefined,
      refValue,
      firstCell: startRow + series,
      years,
      rowStep,
      toRef: refSeries >= 0 ? refSeries - series : undefined,
      sign,
      atLeast,
    };
  }

  /** What firstYear() depends on besides `out`: measures with the same key give the same first year. */
  get firstYearKey(): string {
    const { startRow, years, rowStep, series, refSeries, refValue, sign } = this;
    return JSON.stringify([startRow, years, rowStep, series, refSeries, refValue, sign, this.horizon.start]);
  }

  /** The full verdict, for reports: "never" becomes null here, at the edge. */
  verdict(out: ArrayLike<number>): TargetVerdict {
    const { target, horizon } = this;
    const value = this.value(out);
    const reference = this.reference(out);
    const gap = value - reference;
    const startValue = out[this.startRow + target.series]!;
    const span = target.year - horizon.start;
    const first = this.firstYear(out);
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
      firstYearReached: first > horizon.end ? null : first,
      requiredGrowth: span > 0 && startValue > 0 && reference > 0 ? (reference / startValue) ** (1 / span) - 1 : null,
    };
  }
}

export function evaluateTarget(t: SeriesTable, target: Target, horizon: Horizon): TargetVerdict {
  return new TargetMeasure(target, projectionGrid(t), horizon).verdict(t.values);
}
