import { instantiateKernel } from '../../src/model/kernel-image.js';
import type { McContext } from '../../src/montecarlo/prepare-mc.js';
import { RunBlockEvaluator } from '../../src/montecarlo/run-block.js';
import { type McResult, runMonteCarlo } from '../../src/montecarlo/simulate.js';
import { Projector } from '../../src/project/projector.js';
import type { PeerInput, PeerOutput } from './peer-input.js';

/** Deterministic path: every output of every year within this relative distance of the engine's. */
export const DETERMINISTIC_TOLERANCE = 1e-12;
/** Monte Carlo: differences allowed, in standard errors of the difference. */
export const SIGMAS = 5;

/** The engine's deterministic projection (no draws, no shocks) through the kernel `mc` runs. */
export function engineDeterministic(ctx: McContext): Float64Array {
  const model = instantiateKernel(ctx.image.kernel);
  const p = new Projector(model, ctx.image.horizon.end);
  return p.run(ctx.image.params, ctx.image.levers, new Float64Array(p.years * model.shockBlock)).slice();
}

/** The largest relative difference; NaN where one side is NaN and the other not. */
export function worstRelative(engine: ArrayLike<number>, peer: ArrayLike<number>): number {
  if (engine.length !== peer.length) throw new Error(`${peer.length} values, expected ${engine.length}`);
  let worst = 0;
  for (let i = 0; i < engine.length; i++) {
    const a = engine[i]!;
    const b = peer[i]!;
    if (a === b) continue;
    const r = Math.abs(a - b) / Math.max(Math.abs(a), Math.abs(b));
    if (!(r <= worst)) worst = r;
  }
  return worst;
}

/** `policysim mc` in this thread, as the CLI computes it. */
export async function engineMc(ctx: McContext, runs: number, seed: number): Promise<McResult> {
  const local = new RunBlockEvaluator(ctx.image);
  return runMonteCarlo(ctx, local, { workers: 0, runs, seed });
}

export interface Agreement {
  readonly checked: number;
  readonly failures: string[];
}

/**
 * The peer's Monte Carlo against the engine's, in distribution: per cell the mean within SIGMAS
 * standard errors of the difference; the 5th, 50th and 95th percentiles in probability space (the
 * share of the peer's runs below the engine's percentile, bounded by the histogram bin holding it,
 * within SIGMAS binomial standard errors of p); each target's probability within SIGMAS standard errors.
 */
export function agreeInDistribution(engine: McResult, peer: PeerOutput, input: PeerInput): Agreement {
  const failures: string[] = [];
  let checked = 0;
  const ne = engine.stats.runs;
  const np = peer.runs;
  const { cells, bins } = input;
  const stride = bins + 2;
  for (let c = 0; c < cells; c++) {
    const m = engine.stats.mean[c]!;
    const sd = engine.stats.sd[c]!;
    const tol = SIGMAS * sd * Math.sqrt(1 / ne + 1 / np) + 1e-12 * Math.abs(m);
    checked++;
    if (!(Math.abs(peer.mean[c]! - m) <= tol)) failures.push(`cell ${c}: mean ${peer.mean[c]} vs ${m} (±${tol})`);
    for (const pr of engine.stats.percentiles) {
      if (![5, 50, 95].includes(pr.p)) continue;
      const x = pr.value[c]!;
      const t = (x - input.lo[c]!) * input.invWidth[c]!;
      const b = t < 0 ? 0 : t < bins ? Math.floor(t) + 1 : bins + 1;
      let below = 0;
      for (let k = 0; k < b; k++) below += peer.hist[c * stride + k]!;
      const within = peer.hist[c * stride + b]!;
      const p = pr.p / 100;
      const se = Math.sqrt((p * (1 - p)) / np) + Math.sqrt((p * (1 - p)) / ne);
      checked++;
      if (!(below / np - SIGMAS * se <= p && p <= (below + within) / np + SIGMAS * se))
        failures.push(
          `cell ${c}: p${pr.p} ${x}: peer share below ${below / np}–${(below + within) / np}, expected ${p} ± ${SIGMAS * se}`,
        );
    }
  }
  input.targets.forEach((_, k) => {
    const pe = engine.reached.get(k) / ne;
    const pp = peer.reached[k]! / np;
    const se = Math.sqrt((pe * (1 - pe)) / ne + (pp * (1 - pp)) / np);
    checked++;
    if (!(Math.abs(pe - pp) <= SIGMAS * se + 1e-12))
      failures.push(`target ${k + 1}: probability ${pp} vs ${pe} (±${SIGMAS * se})`);
  });
  return { checked, failures };
}
