import { withUncertainties } from '../model/compile.js';
import { scenarioImage } from '../project/scenario-image.js';
import { overrideOrigin } from '../scenario/overrides.js';
import type { Scenario } from '../scenario/scenario.js';
import { UserError } from '../util/diagnostics.js';
import type { McSetup } from './messages.js';
import type { RunBlockImage } from './run-block.js';
import { loadScenarioWithUncertainties, type UncertaintySpec } from './uncertainty-spec.js';

/** A scenario ready for Monte Carlo: checked, compiled with its shock slots, and its image for the workers. */
export interface McContext {
  readonly setup: McSetup;
  readonly scenario: Scenario;
  readonly spec: UncertaintySpec;
  readonly image: RunBlockImage;
}

/**
 * Main thread only: reads and checks the files, once (`also`: further checks of the scenario, whose
 * problems are reported with the uncertainties'). The checked model's kernel is then generated again
 * for what the uncertainties move, without reading or checking anything a second time.
 */
export function prepareMc(setup: McSetup, also?: (scenario: Scenario) => void): McContext {
  const { scenario: plain, spec } = loadScenarioWithUncertainties(
    setup.scenarioFile,
    { overrides: setup.overrides },
    also,
  );
  for (const o of plain.overrides) {
    const drawn = spec.parameters.find((p) => p.name === o.name && p.apply === 'replace');
    if (drawn) {
      const where = o.fromCli
        ? { path: overrideOrigin(o) }
        : { location: plain.source.locateKey(['parameters', o.name]), path: `parameters.${o.name}` };
      throw new UserError({
        ...where,
        message: `'${o.name}' is drawn by the scenario's uncertainties (apply: replace), which would overwrite this value in every run`,
        hint: 'remove the uncertainty, or use apply: shift / scale there',
      });
    }
  }
  // Shocks need slots, and the optimised kernel computes what no draw changes once per scenario and
  // year (see src/model/passes/optimise.ts). The layout, series and parameters stay as checked.
  const model = withUncertainties(plain.model, {
    shocked: spec.shocks.map((s) => s.equation),
    drawn: spec.parameters.map((p) => p.name),
    pairKernel: true,
  });
  const scenario: Scenario = { ...plain, model };
  return { setup, scenario, spec, image: imageOf(scenario, spec, imageId(setup.scenarioFile, plain)) };
}

/** What tells a worker's cached image apart: the file and every override applied to it. */
function imageId(file: string, s: Scenario): string {
  return JSON.stringify({ scenarioFile: file, overrides: s.overrides });
}

export function imageOf(scenario: Scenario, spec: UncertaintySpec, id: string): RunBlockImage {
  return { ...scenarioImage(scenario, id), spec };
}
