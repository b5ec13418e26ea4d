import type { BasisBreak, Observation, ObservedSet } from '../evidence/observed-file.js';
import { printable } from '../util/printable.js';
import { fixed } from './format.js';

/**
 * Observed values beside projections: lookups by (series, year) for the tables, and the JSON fields
 * (`observed` per series, `observedFile`, `observedBreaks`) that run, compare and mc add when a
 * scenario has observations. Without observations nothing is added, so outputs stay as they were.
 */

export class ObservedView {
  private readonly byCell = new Map<string, Observation>();
  constructor(readonly set: ObservedSet) {
    for (const o of set.observations) this.byCell.set(`${o.series}:${o.year}`, o);
  }
  get(series: number, year: number): Observation | undefined {
    return this.byCell.get(`${series}:${year}`);
  }
  hasSeries(series: number): boolean {
    return this.set.observations.some((o) => o.series === series);
  }
  /** A table cell: the observed value, or empty. */
  cell(series: number, year: number, decimals: number): string {
    const o = this.get(series, year);
    return o ? fixed(o.value, decimals) : '';
  }
  /** The JSON of one series' observations, in year order. */
  seriesJson(series: number): ObservedPointJson[] {
    return this.set.observations.filter((o) => o.series === series).map(pointJson);
  }
  breaksFor(indicator: string, region: string): BasisBreak[] {
    return this.set.breaks.filter((b) => b.indicator === indicator && b.region === region);
  }
  /** Lines naming each declared statistical break, for the foot of a table. */
  /** The observed file's name for a table heading, control characters escaped. */
  get fileText(): string {
    return printable(this.set.file);
  }
  breakLines(): string[] {
    return this.set.breaks.map(
      (b) =>
        `statistical break: ${b.indicator} ${b.region} from ${b.year}, basis ${JSON.stringify(b.from)} -> ${JSON.stringify(b.to)}`,
    );
  }
}

export interface ObservedPointJson {
  readonly year: number;
  readonly value: number;
  readonly sd?: number;
  readonly basis?: string;
  readonly note?: string;
}

export function pointJson(o: Observation): ObservedPointJson {
  return {
    year: o.year,
    value: o.value,
    ...(o.sd !== undefined ? { sd: o.sd } : {}),
    ...(o.basis !== undefined ? { basis: o.basis } : {}),
    ...(o.note !== undefined ? { note: o.note } : {}),
  };
}

/** Top-level JSON fields for a document with observations. */
export function observedHeaderJson(v: ObservedView | undefined): object {
  return v ? { observedFile: v.set.file, observedBreaks: v.set.breaks } : {};
}
