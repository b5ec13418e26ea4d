import type { Scenario } from '../scenario/scenario.js';
import { Projector } from './projector.js';
import { evaluateTarget, type SeriesTable, type TargetVerdict } from './targets.js';

/** One deterministic projection of a scenario, with its target verdicts. */
export interface Projection extends SeriesTable {
  readonly scenario: Scenario;
  readonly verdicts: readonly TargetVerdict[];
  /** For a replayed Monte Carlo run: the random stream version its draws came from. */
  readonly randomStream?: string;
}

export function projectScenario(
  scenario: Scenario,
  params: Float64Array = scenario.params,
  shocks?: Float64Array,
): Projection {
  const projector = new Projector(scenario.model, scenario.horizon.end);
  const values = projector.run(params, scenario.levers, shocks).slice();
  const table: SeriesTable = { values, baseYear: scenario.model.baseYear, seriesCount: scenario.model.seriesCount };
  return { ...table, scenario, verdicts: scenario.targets.map((t) => evaluateTarget(table, t, scenario.horizon)) };
}
