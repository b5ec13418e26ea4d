import type { KernelImage } from './kernel-image.js';

/**
 * Where a value lives in the flat typed arrays that projections, levers and statistics use. The index
 * arithmetic is written here once; everything else asks for a cell or a slot by name and year.
 */

/** The parts of a model's layout that addressing needs. */
export type Layout = Pick<KernelImage, 'baseYear' | 'seriesCount' | 'leverBlock' | 'regions'>;

/**
 * A year × series table stored row by row in one flat array, its first row being `firstYear`. A
 * projection's table starts at the model's base year; Monte Carlo statistics start at the horizon
 * start: the grid carries its origin, so the two cannot be confused.
 */
export interface YearSeriesGrid {
  readonly firstYear: number;
  readonly seriesCount: number;
}

/** The grid of a projection's outputs: every simulated year from the base year. */
export function projectionGrid(m: Pick<Layout, 'baseYear' | 'seriesCount'>): YearSeriesGrid {
  return { firstYear: m.baseYear, seriesCount: m.seriesCount };
}

/** The grid of per-horizon-year results (Monte Carlo statistics): rows from the horizon start. */
export function horizonGrid(m: Pick<Layout, 'seriesCount'>, horizon: { readonly start: number }): YearSeriesGrid {
  return { firstYear: horizon.start, seriesCount: m.seriesCount };
}

/** Index of the (year, series) cell. */
export function cellIndex(g: YearSeriesGrid, year: number, series: number): number {
  return (year - g.firstYear) * g.seriesCount + series;
}

/** Index of the first cell of a year's row; a row holds `seriesCount` cells. */
export function rowStart(g: YearSeriesGrid, year: number): number {
  return (year - g.firstYear) * g.seriesCount;
}

/** The value of series `series` in `year`, one per year of `years`. */
export function seriesValues(
  values: ArrayLike<number>,
  g: YearSeriesGrid,
  series: number,
  years: readonly number[],
): number[] {
  return years.map((y) => values[cellIndex(g, y, series)]!);
}

/** Index of a lever's slot in a region in a year: the lever array is year × lever × region. */
export function leverSlot(m: Layout, year: number, lever: number, region: number): number {
  return (year - m.baseYear) * m.leverBlock + lever * m.regions.length + region;
}

/** The lever index a lever slot belongs to (the inverse of leverSlot, for the lever part). */
export function leverOfSlot(m: Layout, slot: number): number {
  return Math.floor((slot % m.leverBlock) / m.regions.length);
}

/** The series a cell belongs to (the inverse of cellIndex, for the series part). */
export function seriesOfCell(g: YearSeriesGrid, cell: number): number {
  return cell % g.seriesCount;
}
