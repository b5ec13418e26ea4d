import type { CompiledModel } from '../model/compiled-model.js';
import { didYouMean } from '../util/suggest.js';
import type { PathKey } from '../util/yaml-source.js';

/** Reports one problem at a path of the file being loaded (each loader's collector). */
export type ReportProblem = (path: PathKey[], message: string, hint?: string) => void;

/** Every region id a series can belong to: provinces, aggregates and the national reference. */
export function seriesRegionIds(model: Pick<CompiledModel, 'regions' | 'aggregates' | 'reference'>): string[] {
  return [
    ...model.regions.map((r) => r.id),
    ...model.aggregates.map((a) => a.id),
    ...(model.reference ? [model.reference.id] : []),
  ];
}

/** Where each part of a series reference is written, for located messages. */
export interface SeriesRefPaths {
  readonly indicator: PathKey[];
  readonly region: PathKey[];
  readonly year: PathKey[];
  /** Where "indicator X has no series for Y" is reported. */
  readonly series: PathKey[];
}

/**
 * The one check of "an indicator for a region (in a year)": unknown indicator or region (with a
 * did-you-mean), a year outside the horizon, an indicator with no series for that region. Every
 * problem is reported; returns the series index when the reference is good.
 */
export function checkSeriesRef(
  model: Pick<CompiledModel, 'regions' | 'aggregates' | 'reference' | 'indicators' | 'seriesIndex'>,
  ref: { readonly indicator: string; readonly region: string; readonly year?: number },
  at: SeriesRefPaths,
  horizon: { readonly start: number; readonly end: number } | undefined,
  report: ReportProblem,
  /** What the indicator names, in "unknown …": an output of a sweep says so. */
  noun = 'indicator',
): number | undefined {
  const indicators = model.indicators.map((x) => x.name);
  const regions = seriesRegionIds(model);
  let ok = true;
  if (!indicators.includes(ref.indicator)) {
    report(at.indicator, `unknown ${noun} '${ref.indicator}'`, didYouMean(ref.indicator, indicators));
    ok = false;
  }
  if (!regions.includes(ref.region)) {
    report(at.region, `unknown region '${ref.region}'`, didYouMean(ref.region, regions));
    ok = false;
  }
  if (ref.year !== undefined && horizon && (ref.year < horizon.start || ref.year > horizon.end)) {
    report(at.year, `year ${ref.year} is outside the horizon ${horizon.start}-${horizon.end}`);
    ok = false;
  }
  if (!ok) return undefined;
  const s = model.seriesIndex(ref.indicator, ref.region);
  if (s === undefined) report(at.series, `indicator '${ref.indicator}' has no series for '${ref.region}'`);
  return s;
}
