import type { CompiledModel } from '../model/compiled-model.js';
import type { YamlSource } from '../util/yaml-source.js';
import type { ScenarioFile } from './scenario-file.js';

/**
 * A checked scenario, ready to project: the model it runs on, the parameter vector with its
 * overrides applied, and every lever's value for every year and region.
 */
export interface Scenario {
  readonly name: string;
  readonly description: string;
  readonly file: string;
  readonly model: CompiledModel;
  /** Years reported; the projection itself always starts at the model's base year. */
  readonly horizon: { readonly start: number; readonly end: number };
  readonly seed: number;
  /** The model's parameter vector with the scenario's overrides. */
  readonly params: Float64Array;
  /** Lever values: (year − base year) × model.leverBlock + lever × regions + region. */
  readonly levers: Float64Array;
  readonly targets: readonly Target[];
  readonly overrides: readonly Override[];
  /** The validated file, for the parts other stages own (uncertainties). */
  readonly raw: ScenarioFile;
  readonly source: YamlSource;
}

export interface Override {
  readonly name: string;
  readonly region?: string;
  readonly value: number;
  readonly lever?: boolean;
  /** Applied after the file (the CLI's --set), not set by it. */
  readonly fromCli?: boolean;
  /** How the user gave an override applied after the file, for messages (src/scenario/overrides.ts). */
  readonly origin?: string;
}

/** A metric (M): an indicator for a region that should reach a reference by a year. */
export interface Target {
  readonly name: string;
  readonly indicator: string;
  readonly region: string;
  readonly year: number;
  readonly series: number;
  readonly reference:
    | { readonly kind: 'value'; readonly value: number }
    | { readonly kind: 'series'; readonly indicator: string; readonly region: string; readonly series: number };
  readonly direction: 'at_least' | 'at_most';
}
