/**
 * The JSON results as the HTML report reads them (README: "Output formats" and "Decisions"): only the fields the
 * report uses. A report is made from the JSON alone, so `policysim report` can read files written
 * by an earlier run, or by another machine.
 */

import type { BoxLimit } from '../../decision/discover.js';
import type { PosteriorParameter, PredictiveBand } from '../../evidence/importance.js';
import type { TargetVerdict } from '../../project/targets.js';
import { UserError } from '../../util/diagnostics.js';
import { parseJsonText } from '../../util/json-text.js';
import type { ObservedPointJson } from '../observed-view.js';
import type { RunResultJson, ScenarioHeaderJson } from '../run-result.js';

export interface IndicatorLegend {
  readonly name: string;
  readonly label: string;
  readonly unit: string;
  readonly decimals: number;
}
export interface RegionLegend {
  readonly id: string;
  readonly name: string;
  readonly kind: 'aggregate' | 'region' | 'reference';
}
interface Provenance {
  readonly command?: string | null;
  readonly policysimVersion?: string;
}
interface Legend {
  readonly indicators: readonly IndicatorLegend[];
  readonly regions: readonly RegionLegend[];
}

/** As `run` writes it (src/report/run-result.ts); the report reads no other fields. */
export interface RunDoc
  extends Provenance,
    Legend,
    Pick<RunResultJson, 'schema' | 'scenario' | 'years' | 'series' | 'targets' | 'observedFile'> {}

/** One observed value as run and mc JSON carry it (src/report/observed-view.ts). */
export type ObservedJson = Pick<ObservedPointJson, 'year' | 'value' | 'note'>;

export interface CompareDoc extends Provenance {
  readonly schema: 'policysim.compare/2';
  readonly scenarios: readonly string[];
  readonly rows: readonly {
    readonly indicator: string;
    readonly region: string;
    readonly year: number;
    readonly values: readonly number[];
    readonly differences: readonly number[];
  }[];
  readonly runs: readonly RunDoc[];
}

export interface McSeries {
  readonly indicator: string;
  readonly region: string;
  readonly kind: 'region' | 'aggregate' | 'reference';
  readonly unit: string;
  readonly p5: readonly number[];
  readonly p25: readonly number[];
  readonly p50: readonly number[];
  readonly p75: readonly number[];
  readonly p95: readonly number[];
  readonly deterministic: readonly number[];
  readonly observed?: readonly ObservedJson[];
}

export interface McTarget {
  readonly name: string;
  readonly indicator: string;
  readonly region: string;
  readonly year: number;
  readonly direction: 'at_least' | 'at_most';
  readonly probability: number | null;
  readonly probabilityLow: number | null;
  readonly probabilityHigh: number | null;
  readonly runsReached: number;
  readonly firstYearReached: {
    readonly years: readonly number[];
    readonly counts: readonly number[];
    readonly never: number;
    readonly median: number | null;
  };
  readonly deterministic: TargetVerdict;
}

export interface McDoc extends Provenance, Legend {
  readonly schema: 'policysim.mc/2';
  readonly scenario: ScenarioHeaderJson;
  readonly seed: number;
  readonly runsRequested: number;
  readonly runs: number;
  readonly partial: boolean;
  readonly years: readonly number[];
  readonly series: readonly McSeries[];
  readonly targets: readonly McTarget[];
  readonly observedFile?: string;
}

export interface SweepFactor {
  readonly name: string;
  readonly kind: string;
  readonly low: number;
  readonly high: number;
  readonly levels: readonly number[] | null;
  readonly base: number;
}

/** Each design's analysis fields (src/sweep/design/*.ts), as written to JSON. */
export type SweepAnalysis = Record<string, unknown> & { readonly names: readonly string[] };

export interface SweepDoc extends Provenance {
  readonly schema: 'policysim.sweep/2';
  readonly name: string;
  readonly description: string;
  readonly design: 'grid' | 'oat' | 'lhs' | 'morris' | 'sobol' | 'policy-grid';
  readonly scenario: string;
  readonly seed: number;
  readonly evaluations: number;
  readonly monteCarlo: { readonly runs: number; readonly seed: number } | null;
  readonly factors: readonly SweepFactor[];
  readonly outputs: readonly {
    readonly label: string;
    readonly unit: string;
    readonly decimals: number;
    readonly analysis: SweepAnalysis;
  }[];
  readonly notes: readonly string[];
  /** The job's inputs (src/manifest/): the header names the model from it. */
  readonly manifest?: { readonly inputs?: { readonly model?: { readonly path: string } } };
  readonly sample?: {
    readonly of: number;
    readonly X: readonly (readonly number[])[];
    readonly Y: readonly (readonly number[])[];
  };
}

/** One box of PRIM's peeling trajectory (the coverage–density trade-off curve). */
export interface DiscoverCurveBox {
  readonly box: number;
  readonly coverage: number;
  readonly density: number;
  readonly mass: number;
  readonly runs: number;
  readonly runsReached: number;
  readonly restricted: readonly string[];
}

/** One input's restriction of the chosen box, as src/decision/discover.ts reports it. */
export type DiscoverLimit = BoxLimit;

export interface DiscoverDoc extends Provenance {
  readonly schema: 'policysim.discover/2';
  readonly source:
    | { readonly kind: 'monteCarlo'; readonly scenario: string; readonly file: string; readonly seed: number }
    | { readonly kind: 'runsFile'; readonly file: string };
  readonly target: { readonly index: number; readonly name: string };
  readonly runs: number;
  readonly runsReached: number;
  readonly baseRate: number | null;
  readonly method: {
    readonly kind: string;
    readonly peelingAlpha: number;
    readonly pastingAlpha: number;
    readonly minMass: number;
    readonly minCoverage: number;
    readonly maxP: number;
  };
  readonly curve: readonly DiscoverCurveBox[];
  readonly chosenBox: number;
  readonly box: {
    readonly coverage: number;
    readonly density: number;
    readonly mass: number;
    readonly runs: number;
    readonly runsReached: number;
    readonly limits: readonly DiscoverLimit[];
  };
  readonly sentence: string;
}

/** One setting tried by seek: deterministic (value, reference, gap) or Monte Carlo (probability, low, high). */
export interface SeekProbe {
  readonly x: number;
  readonly setting: Readonly<Record<string, number>>;
  readonly met: boolean;
  readonly value?: number;
  readonly reference?: number;
  readonly gap?: number;
  readonly runsReached?: number;
  readonly runs?: number;
  readonly probability?: number;
  readonly low?: number;
  readonly high?: number;
}

export interface SeekDoc extends Provenance, Partial<Legend> {
  readonly schema: 'policysim.seek/2';
  readonly scenario: { readonly name: string; readonly file: string };
  readonly target: {
    readonly name: string;
    readonly indicator: string;
    readonly region: string;
    readonly year: number;
    readonly direction: 'at_least' | 'at_most';
  };
  readonly mode: 'deterministic' | 'probability';
  readonly probability: number | null;
  readonly runs: number | null;
  readonly seed: number | null;
  readonly knob: {
    readonly kind: 'lever' | 'package';
    readonly lever?: string;
    readonly unit?: string;
    readonly regions?: readonly string[];
    readonly vary?: 'value' | 'from' | 'ramp';
    readonly package?: readonly string[];
    readonly range: readonly [number, number];
    readonly cheapest: 'low' | 'high';
    readonly resolution: number;
  };
  readonly status: 'met' | 'metAtCheapest' | 'notReachable';
  readonly answer: SeekProbe | null;
  readonly best: SeekProbe;
  readonly probes: readonly SeekProbe[];
  readonly sentence: string;
}

export interface PairedStats {
  readonly mean: number;
  readonly sd: number;
  readonly p5: number;
  readonly p25: number;
  readonly p50: number;
  readonly p75: number;
  readonly p95: number;
}

export interface PairedDoc extends Provenance {
  readonly schema: 'policysim.paired/2';
  readonly seed: number;
  readonly runsRequested: number;
  readonly runs: number;
  readonly partial: boolean;
  readonly scenarios: readonly { readonly name: string; readonly file: string; readonly satisficing: number | null }[];
  readonly targets: readonly {
    readonly name: string;
    readonly indicator: string;
    readonly region: string;
    readonly year: number;
    readonly direction: 'at_least' | 'at_most';
    readonly scenarios: readonly {
      readonly scenario: string;
      readonly declared: boolean;
      readonly probability: number | null;
      readonly runsReached: number;
      readonly probabilityBetterThanFirst: number | null;
      readonly regretMean: number | null;
      readonly regretP90: number | null;
    }[];
  }[];
  readonly differences: readonly {
    readonly indicator: string;
    readonly region: string;
    readonly year: number;
    readonly scenarios: readonly ({ readonly scenario: string } & PairedStats)[];
  }[];
  /** Each scenario's own Monte Carlo (its legend gives units, decimals and region names). */
  readonly monteCarlo: readonly McDoc[];
}

/** Coverage, PIT and scores of a set of observations (a series, or all of them), as backtest JSON writes them. */
export interface BacktestSummary {
  readonly n: number;
  readonly inside50: number;
  readonly inside90: number;
  readonly coverage50: number | null;
  readonly coverage90: number | null;
  /** 95% Clopper–Pearson intervals of the true coverage rate. */
  readonly interval50: readonly [number, number];
  readonly interval90: readonly [number, number];
  /** PIT counts in five bins of width 0.2. */
  readonly pitHistogram: readonly number[];
  readonly meanCrps: number | null;
  readonly bias: number | null;
  readonly biasPercent: number | null;
  readonly medianAbsError: number | null;
  readonly medianAbsErrorPercent: number | null;
  readonly verdict: 'too narrow' | 'about right' | 'too wide';
}

export interface BasisBreakJson {
  readonly indicator: string;
  readonly region: string;
  readonly year: number;
  readonly from: string;
  readonly to: string;
}

export interface BacktestDoc extends Provenance, Legend {
  readonly schema: 'policysim.backtest/2';
  readonly scenario: {
    readonly name: string;
    readonly file: string;
    readonly horizon: { readonly start: number; readonly end: number };
  };
  readonly observedFile: string;
  readonly runs: number;
  readonly seed: number;
  readonly observations: readonly {
    readonly indicator: string;
    readonly region: string;
    readonly year: number;
    readonly observed: number;
    readonly sd?: number;
    readonly basis?: string;
    readonly p5: number;
    readonly p25: number;
    readonly p50: number;
    readonly p75: number;
    readonly p95: number;
    readonly band: 'below90' | 'below50' | 'inside50' | 'above50' | 'above90';
    readonly pit: number;
    readonly crps: number;
    readonly error: number;
    readonly errorPercent: number | null;
  }[];
  readonly skipped: readonly {
    readonly indicator: string;
    readonly region: string;
    readonly year: number;
    readonly reason: string;
  }[];
  readonly series: readonly (BacktestSummary & {
    readonly indicator: string;
    readonly region: string;
    readonly breaks: readonly BasisBreakJson[];
  })[];
  readonly overall: BacktestSummary;
  readonly breaks: readonly BasisBreakJson[];
  readonly manifest?: { readonly inputs?: { readonly model?: { readonly path: string } } };
}

export interface CalibrateDoc extends Provenance, Legend {
  readonly schema: 'policysim.calibrate/2';
  readonly scenario: { readonly name: string; readonly file: string };
  readonly observedFile: string;
  readonly fit: {
    readonly relativeError: number;
    readonly parameters: readonly {
      readonly label: string;
      readonly unit: string;
      readonly range: readonly [number, number];
      readonly start: number;
      readonly value: number;
      readonly standardError: number | null;
      readonly atBound: boolean;
      readonly identification: string;
    }[];
    readonly chiSquare: number;
    readonly degreesOfFreedom: number;
    readonly informativeObservations: number;
    readonly conditionNumber: number | null;
    readonly iterations: number;
    readonly residuals: readonly {
      readonly indicator: string;
      readonly region: string;
      readonly year: number;
      readonly observed: number;
      readonly sd: number;
      readonly fitted: number;
      readonly residual: number;
      readonly standardized: number;
    }[];
    readonly warnings: readonly string[];
  };
  readonly posterior?: {
    readonly runs: number;
    readonly seed: number;
    readonly effectiveSampleSize: number;
    readonly maxWeight: number;
    readonly parameters: readonly PosteriorParameter[];
    readonly bands: readonly PredictiveBand[];
    readonly targets: readonly { readonly name: string; readonly prior: number; readonly posterior: number }[];
    readonly sampleRows: number;
    readonly file?: string;
    readonly warnings: readonly string[];
  };
  readonly manifest?: { readonly inputs?: { readonly model?: { readonly path: string } } };
}

export type ResultDoc =
  | RunDoc
  | CompareDoc
  | McDoc
  | SweepDoc
  | DiscoverDoc
  | SeekDoc
  | PairedDoc
  | BacktestDoc
  | CalibrateDoc;

/** Fields a result must have for its kind; a file without them was written by another tool or an older policysim. */
const REQUIRED: Readonly<Record<ResultDoc['schema'], readonly string[]>> = {
  'policysim.run/2': ['scenario', 'years', 'series', 'targets', 'indicators', 'regions'],
  'policysim.compare/2': ['scenarios', 'rows', 'runs'],
  'policysim.mc/2': ['scenario', 'years', 'series', 'targets', 'indicators', 'regions', 'runs', 'seed'],
  'policysim.sweep/2': ['design', 'factors', 'outputs', 'evaluations'],
  'policysim.discover/2': ['target', 'runs', 'runsReached', 'curve', 'chosenBox', 'box'],
  'policysim.seek/2': ['scenario', 'target', 'mode', 'probability', 'knob', 'status', 'answer', 'best', 'probes'],
  'policysim.paired/2': ['seed', 'runs', 'scenarios', 'targets', 'differences', 'monteCarlo'],
  'policysim.backtest/2': ['scenario', 'runs', 'seed', 'observations', 'series', 'overall', 'indicators', 'regions'],
  'policysim.calibrate/2': ['scenario', 'observedFile', 'fit', 'indicators', 'regions'],
};

/**
 * The results in a JSON file: one object, or an array of run results (`policysim run` of several
 * scenarios). Anything else is a user error naming the file.
 */
export function parseResultDocs(text: string, file: string): ResultDoc[] {
  const data = parseJsonText(text, file);
  const list = Array.isArray(data) ? data : [data];
  const problems: { path: string; message: string; hint?: string }[] = [];
  list.forEach((d, i) => {
    const at = Array.isArray(data) ? `[${i}]` : '';
    const schema = d && typeof d === 'object' ? (d as { schema?: unknown }).schema : undefined;
    const older = typeof schema === 'string' ? /^(policysim\.[a-z-]+)\/1$/.exec(schema) : null;
    if (older && Object.hasOwn(REQUIRED, `${older[1]}/2`)) {
      problems.push({
        path: `${at}schema`,
        message: `written by an older policysim (schema ${schema}); version 2 renamed its snake_case fields`,
        hint: 'compute it again with this version; the README lists the renames under "Output formats"',
      });
      return;
    }
    if (typeof schema !== 'string' || !Object.hasOwn(REQUIRED, schema)) {
      problems.push({
        path: `${at}schema`,
        message: `not a policysim result (schema ${JSON.stringify(schema ?? null)})`,
        hint: `expected one of ${Object.keys(REQUIRED).join(', ')}: the JSON of run, compare, mc, sweep, seek, discover, backtest or calibrate`,
      });
      return;
    }
    const missing = REQUIRED[schema as ResultDoc['schema']].filter((k) => !Object.hasOwn(d as object, k));
    if (missing.length > 0)
      problems.push({
        path: at || 'schema',
        message: `${schema} result without ${missing.join(', ')}`,
        hint: 'written by an older policysim? compute it again with this version',
      });
  });
  if (problems.length > 0) throw new UserError(problems.map((p) => ({ location: { file }, ...p })));
  return list as ResultDoc[];
}
