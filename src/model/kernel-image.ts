import {
  type EquationRef,
  type InitFn,
  NonFiniteValue,
  type RegionInfo,
  type ShockSlot,
  type StepFn,
} from './compiled-model.js';

/**
 * A compiled model reduced to plain data: its layout and the generated kernel source. It crosses
 * the thread boundary so that worker threads run the kernel without loading the compiler, the YAML
 * parser or mathjs (together ~80 MB per thread). The source is what the compiler generated from
 * checked trees — compiler names, slot numbers and numeric literals — never user text.
 */
export interface KernelImage {
  /** The model file it came from, or `builtin:NAME`. */
  readonly origin: string;
  readonly baseYear: number;
  readonly regions: readonly RegionInfo[];
  readonly seriesCount: number;
  readonly stateCount: number;
  readonly paramCount: number;
  /** Lever slots per year: levers × regions. */
  readonly leverBlock: number;
  /** Shock slots per year. */
  readonly shockBlock: number;
  readonly shockSlots: readonly ShockSlot[];
  readonly equations: readonly EquationRef[];
  readonly sources: {
    readonly init: string;
    readonly step: string;
    readonly checkedInit: string;
    readonly checkedStep: string;
    readonly optimised: OptimisedLayout & {
      readonly prepare: string;
      readonly init: string;
      readonly step: string;
      readonly project: string;
      /** The two-run WebAssembly kernel's module (generate-pair.ts), when generated. */
      readonly pair?: Uint8Array;
    };
  };
}

/**
 * Layout of the optimised kernel (src/model/passes/optimise.ts): the same equations with work moved
 * out of the per-run, per-year step. `prepare` fills a per-year table (years × yearBlock) from the
 * levers and the parameters no uncertainty draws; init also fills `hiddenStates` slots after the
 * model's states (per-run values and running powers), so its state array is longer.
 */
export interface OptimisedLayout {
  readonly yearBlock: number;
  readonly hiddenStates: number;
  /** Parameter slots the per-year table reads. */
  readonly preparedParams: readonly number[];
  /** Lever columns (lever × regions + region, within a year's block) the per-year table reads. */
  readonly preparedLevers: readonly number[];
  /** Series the kernel writes: all of them unless pruned to some (Specialisation.series). */
  readonly computedSeries: readonly number[];
  /**
   * Years (indices from the base year) whose outputs the fused projection writes when it observes
   * only some (Specialisation.years): the base year and those. Absent: every year.
   */
  readonly computedYears?: readonly number[];
  /** Series no drawn parameter and no shock reaches: the same in every run (passes/cone.ts). */
  readonly fixedSeries: readonly number[];
  /**
   * Per year index (0: the base year), the series no run can move in that year, each a superset of
   * fixedSeries; the last entry holds for every later year too (passes/cone.ts fixedSeriesByYear).
   */
  readonly fixedSeriesByYear: readonly (readonly number[])[];
}

export type PrepareFn = (P: Float64Array, L: Float64Array, H: Float64Array, years: number) => void;

/** init, then step for years 1 … years − 1, in one call (the same statements, so the same numbers). */
export type ProjectFn = (
  P: Float64Array,
  L: Float64Array,
  X: Float64Array,
  S: Float64Array,
  OUT: Float64Array,
  H: Float64Array,
  years: number,
) => void;

export interface OptimisedKernel extends OptimisedLayout {
  readonly prepare: PrepareFn;
  readonly init: InitFn;
  readonly step: StepFn;
  readonly project: ProjectFn;
  /** The two-run WebAssembly kernel's module (see src/project/pair-projector.ts), when generated. */
  readonly pair?: Uint8Array;
}

/** What a projection needs of a model: the layout and the four kernel functions. */
export interface RunnableModel extends Omit<KernelImage, 'sources'> {
  /** Initial state from parameters, and the base-year outputs. */
  readonly init: InitFn;
  /** One year: states at year-1 → states at `year`, outputs written to row `yi`. */
  readonly step: StepFn;
  /** The same step, checking every equation; throws NonFiniteValue naming the first that fails. */
  readonly checkedStep: StepFn;
  readonly checkedInit: InitFn;
  /** The optimised kernel; agrees with init/step bit for bit except for running powers (see optimise.ts). */
  readonly optimised: OptimisedKernel;
}

const fail = (eq: number, r: number, year: number, value: number): never => {
  throw new NonFiniteValue(eq, r, year, value);
};

/** Turn generated kernel source into a function; the only place policysim calls `new Function`. */
export function kernelFunction<T>(source: string): T {
  return new Function('fail', source)(fail) as T;
}

export function kernelImage(m: KernelImage): KernelImage {
  return {
    origin: m.origin,
    baseYear: m.baseYear,
    regions: m.regions.map((r) => ({ id: r.id, name: r.name })),
    seriesCount: m.seriesCount,
    stateCount: m.stateCount,
    paramCount: m.paramCount,
    leverBlock: m.leverBlock,
    shockBlock: m.shockBlock,
    shockSlots: m.shockSlots,
    equations: m.equations,
    sources: m.sources,
  };
}

export function instantiateKernel(img: KernelImage): RunnableModel {
  const { sources, ...layout } = img;
  return {
    ...layout,
    init: kernelFunction<InitFn>(sources.init),
    step: kernelFunction<StepFn>(sources.step),
    checkedInit: kernelFunction<InitFn>(sources.checkedInit),
    checkedStep: kernelFunction<StepFn>(sources.checkedStep),
    optimised: {
      yearBlock: sources.optimised.yearBlock,
      hiddenStates: sources.optimised.hiddenStates,
      preparedParams: sources.optimised.preparedParams,
      preparedLevers: sources.optimised.preparedLevers,
      computedSeries: sources.optimised.computedSeries,
      ...(sources.optimised.computedYears ? { computedYears: sources.optimised.computedYears } : {}),
      fixedSeries: sources.optimised.fixedSeries,
      fixedSeriesByYear: sources.optimised.fixedSeriesByYear,
      prepare: kernelFunction<PrepareFn>(sources.optimised.prepare),
      init: kernelFunction<InitFn>(sources.optimised.init),
      step: kernelFunction<StepFn>(sources.optimised.step),
      project: kernelFunction<ProjectFn>(sources.optimised.project),
      ...(sources.optimised.pair ? { pair: sources.optimised.pair } : {}),
    },
  };
}
