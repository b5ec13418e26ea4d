import type { Projection } from '../project/project-scenario.js';
import { evaluateTarget, type SeriesTable } from '../project/targets.js';
import type { Overrides } from '../scenario/overrides.js';
import { prepareMc } from './prepare-mc.js';
import { RANDOM_STREAM } from './rng.js';
import { RunBlockEvaluator } from './run-block.js';

/** Monte Carlo run k of a scenario, recomputed on its own: the same values as inside the batch. */
export function replayRun(
  scenarioFile: string,
  run: number,
  seed: number | undefined,
  overrides: Overrides | undefined,
): Projection {
  // The CLI checks its flags (src/cli/options.ts wholeFlags); here a bad number is a caller's bug.
  if (!Number.isSafeInteger(run) || run < 0) throw new RangeError(`a run index is a whole number >= 0 (got ${run})`);
  if (seed !== undefined && (!Number.isSafeInteger(seed) || seed < 0))
    throw new RangeError(`a seed is a whole number >= 0 (got ${seed})`);
  const ctx = prepareMc({ scenarioFile, ...(overrides ? { overrides } : {}) });
  const ev = new RunBlockEvaluator(ctx.image);
  const s = seed ?? ctx.scenario.seed;
  const values = ev.replay(s, run);
  const table: SeriesTable = {
    values,
    baseYear: ctx.scenario.model.baseYear,
    seriesCount: ctx.scenario.model.seriesCount,
  };
  const scenario = { ...ctx.scenario, name: `${ctx.scenario.name} (Monte Carlo run ${run}, seed ${s})` };
  return {
    ...table,
    scenario,
    randomStream: RANDOM_STREAM,
    verdicts: scenario.targets.map((t) => evaluateTarget(table, t, scenario.horizon)),
  };
}
