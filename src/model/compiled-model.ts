import type { SourceLocation } from '../util/diagnostics.js';
import type { CheckedModel } from './compile/checked-model.js';
import type { KernelImage, RunnableModel } from './kernel-image.js';
import type { ModelFile } from './model-file.js';

/**
 * A model after checking and code generation: names resolved to slots in flat typed arrays, and a
 * kernel generated from checked expression trees. This is what projections, Monte Carlo workers and
 * sweeps hold on to; it never changes after compilation.
 */

export interface RegionInfo {
  readonly id: string;
  readonly name: string;
}

export interface AggregateInfo extends RegionInfo {
  readonly members: readonly number[];
}

export interface ParameterInfo {
  readonly name: string;
  readonly scope: 'global' | 'region';
  /** First slot in the parameter vector; a regional parameter has one slot per region from here. */
  readonly offset: number;
  readonly unit: string;
  readonly range: readonly [number, number];
  readonly source: string;
  readonly description?: string;
  /** The model's own values: one for a global parameter, one per region for a regional one. */
  readonly defaults: readonly number[];
}

export interface LeverInfo {
  readonly name: string;
  readonly index: number;
  readonly unit: string;
  readonly range: readonly [number, number];
  readonly default: number;
  readonly perRegion: boolean;
  readonly actsOn: readonly string[];
  readonly description: string;
  readonly paper?: string;
}

export interface IndicatorInfo {
  readonly name: string;
  readonly label: string;
  readonly unit: string;
  readonly decimals: number;
  readonly hasReference: boolean;
  readonly description?: string;
  /** Declared domain of each province's value. */
  readonly min?: number;
  readonly max?: number;
}

/** One output series: an indicator for a province, an aggregate, or the national reference. */
export interface SeriesInfo {
  readonly index: number;
  readonly indicator: string;
  readonly region: string;
  readonly kind: 'region' | 'aggregate' | 'reference';
}

/** An equation a Monte Carlo shock may add a yearly random term to. */
export interface ShockSlot {
  readonly equation: string;
  /** Region index, or -1 for a global equation. */
  readonly region: number;
  readonly slot: number;
}

/** Where an equation lives, for error messages. */
export interface EquationRef {
  readonly label: string;
  readonly regional: boolean;
  /** Where it is written in the model file, when known. */
  readonly location?: SourceLocation;
  /** The declared domain of the value it computes (`min:`/`max:` of a state or indicator). */
  readonly domain?: readonly [number, number];
}

export type StepFn = (
  P: Float64Array,
  L: Float64Array,
  X: Float64Array,
  S: Float64Array,
  OUT: Float64Array,
  yi: number,
  year: number,
  /** The optimised kernel's per-year table (see OptimisedKernel); unused by the straightforward one. */
  H?: Float64Array,
) => void;
export type InitFn = (P: Float64Array, S: Float64Array, OUT: Float64Array) => void;

/**
 * The layout and kernel (RunnableModel: base year, regions, slot counts, shock slots, equations, and
 * the init/step functions) plus what reports and loaders need: names, parameters, levers,
 * indicators, series, the file itself.
 */
export interface CompiledModel extends RunnableModel {
  readonly name: string;
  readonly title: string;
  readonly description: string;
  readonly file: ModelFile;
  readonly aggregates: readonly AggregateInfo[];
  readonly reference: RegionInfo | undefined;
  readonly parameters: readonly ParameterInfo[];
  readonly levers: readonly LeverInfo[];
  readonly indicators: readonly IndicatorInfo[];
  /** Indicators shown by default in `compare` and `mc` tables (the model's `headline:`, else all). */
  readonly headline: readonly string[];
  /** Regions shown by default: the aggregates, or the regions when there are none. */
  defaultRegions(): readonly string[];
  readonly series: readonly SeriesInfo[];
  /** Series index by `indicator/region`. */
  seriesIndex(indicator: string, region: string): number | undefined;
  defaultParams(): Float64Array;
  /** The generated source of the fast kernel, for inspection and tests (never user text). */
  readonly source: { readonly init: string; readonly step: string };
  /** All four generated sources, for shipping the kernel to worker threads (see kernel-image.ts). */
  readonly sources: KernelImage['sources'];
  /** What code generation reads (plain data): Monte Carlo regenerates the kernel from it (compile.ts). */
  readonly checkedModel: CheckedModel;
}

/**
 * Thrown by the checked kernel when an equation gives NaN or ±Infinity, or a finite value outside
 * its declared domain; the projection turns it into a user-facing error.
 */
export class NonFiniteValue extends Error {
  constructor(
    readonly equation: number,
    readonly region: number,
    readonly year: number,
    readonly value: number,
  ) {
    super('non-finite value');
  }
}
