import { type KernelImage, kernelImage } from '../model/kernel-image.js';
import type { Scenario, Target } from '../scenario/scenario.js';

/**
 * What a worker thread needs of a scenario to project it, as plain data: the kernel image, the
 * parameter and lever arrays, the targets and the horizon. Monte Carlo and sweep images extend it.
 */
export interface ScenarioImage {
  /** Identifies the image in a worker's cache. */
  readonly id: string;
  readonly kernel: KernelImage;
  readonly params: Float64Array;
  readonly levers: Float64Array;
  readonly targets: readonly Target[];
  readonly horizon: { readonly start: number; readonly end: number };
}

export function scenarioImage(scenario: Scenario, id: string): ScenarioImage {
  return {
    id,
    kernel: kernelImage(scenario.model),
    params: scenario.params,
    levers: scenario.levers,
    targets: scenario.targets,
    horizon: { ...scenario.horizon },
  };
}
