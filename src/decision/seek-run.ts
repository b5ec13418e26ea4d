import type { Workers } from '../execution/workers.js';
import type { McContext } from '../montecarlo/prepare-mc.js';
import { RunBlockEvaluator } from '../montecarlo/run-block.js';
import { runMonteCarlo } from '../montecarlo/simulate.js';
import { Projector } from '../project/projector.js';
import { evaluateTarget } from '../project/targets.js';
import type { Scenario } from '../scenario/scenario.js';
import { wilsonInterval } from '../util/wilson.js';
import type { Knob } from './knobs.js';
import type { Probe } from './seek.js';

/** A deterministic setting tried: the target's value, reference and gap in its year. */
export interface ProjectionProbe extends Probe {
  readonly value: number;
  readonly reference: number;
  readonly gap: number;
}

/** One projection per setting, judged as `policysim run` judges the target. */
export function projectionProbe(scenario: Scenario, targetIndex: number, knob: Knob): (x: number) => ProjectionProbe {
  const projector = new Projector(scenario.model, scenario.horizon.end);
  const target = scenario.targets[targetIndex]!;
  const { model } = scenario;
  return (x) => {
    const values = projector.run(scenario.params, knob.levers(x));
    const v = evaluateTarget(
      { values, baseYear: model.baseYear, seriesCount: model.seriesCount },
      target,
      scenario.horizon,
    );
    return {
      x,
      met: v.reached,
      score: target.direction === 'at_least' ? v.gap : -v.gap,
      value: v.value,
      reference: v.reference,
      gap: v.gap,
    };
  };
}

/** A Monte Carlo setting tried: runs reaching the target, its probability and Wilson interval. */
export interface ProbabilityProbe extends Probe {
  readonly runsReached: number;
  readonly runs: number;
  readonly probability: number;
  readonly low: number;
  readonly high: number;
}

/**
 * The ordinary Monte Carlo (runMonteCarlo) per setting, with the same seed: run k is the same future at
 * every setting (common random numbers), so each run's outcome changes only with the lever and the
 * probability is monotone in it whenever the model is.
 */
export function probabilityProbe(
  ctx: McContext,
  targetIndex: number,
  knob: Knob,
  o: {
    runs: number;
    seed: number;
    probability: number;
    /** Worker threads of each setting's Monte Carlo. */
    workers: Workers;
    signal?: AbortSignal;
  },
): (x: number) => Promise<ProbabilityProbe> {
  return async (x) => {
    const image = { ...ctx.image, id: `${ctx.image.id}#${x}`, levers: knob.levers(x) };
    const c: McContext = { ...ctx, image };
    const local = new RunBlockEvaluator(image);
    const r = await runMonteCarlo(c, local, {
      workers: o.workers,
      runs: o.runs,
      seed: o.seed,
      ...(o.signal ? { signal: o.signal } : {}),
    });
    if (r.partial) throw new SeekInterrupted();
    const hits = r.reached.get(targetIndex);
    const p = hits / o.runs;
    const w = wilsonInterval(hits, o.runs);
    return {
      x,
      met: p >= o.probability,
      score: p - o.probability,
      runsReached: hits,
      runs: o.runs,
      probability: p,
      ...w,
    };
  };
}

export class SeekInterrupted extends Error {
  constructor() {
    super('interrupted');
  }
}
