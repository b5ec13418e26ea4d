import { makeCopula } from '../../src/montecarlo/correlation.js';
import type { McContext } from '../../src/montecarlo/prepare-mc.js';
import { RunBlockEvaluator } from '../../src/montecarlo/run-block.js';
import { PILOT_RUNS } from '../../src/montecarlo/simulate.js';
import { makeBinning } from '../../src/montecarlo/stats.js';

/**
 * What a peer needs to compute the same Monte Carlo as `policysim mc`, as plain numbers: the
 * straightforward generated kernel (translated by translate.ts), the scenario's parameters and
 * levers, every draw group with its distribution and how it applies, the copula factor, the shock
 * groups, the targets and the histogram bins of the engine's pilot (so that the 798 cells of
 * statistics, sums, extremes and histograms, are the same work in every program).
 */
export interface PeerInput {
  readonly init: string;
  readonly step: string;
  readonly baseYear: number;
  readonly years: number;
  readonly seriesCount: number;
  readonly stateCount: number;
  readonly shockBlock: number;
  readonly leverBlock: number;
  readonly params: number[];
  readonly levers: number[];
  /** One per independent draw, in the engine's draw order. */
  readonly draws: {
    readonly kind: 'uniform' | 'triangular' | 'normal' | 'lognormal';
    /** uniform: min, span; triangular: min, max, split, left, right; normal: mean, sd; lognormal: median, sigma. */
    readonly q: number[];
    /** Index into the correlated uniforms, or −1 for a draw of its own. */
    readonly correlated: number;
    readonly apply: 'replace' | 'scale' | 'shift';
    readonly slots: number[];
  }[];
  /** Lower-triangular factor (row-major, size × size) of the Gaussian copula. */
  readonly copula: { readonly size: number; readonly factor: number[] };
  readonly shocks: {
    readonly sd: number;
    readonly rho: number;
    readonly innovation: number;
    readonly slots: number[];
  }[];
  readonly targets: {
    readonly series: number;
    /** Reference series, or −1 for the constant `refValue`. */
    readonly refSeries: number;
    readonly refValue: number;
    readonly atLeast: boolean;
    readonly yearOffset: number;
  }[];
  readonly horizonOffset: number;
  readonly span: number;
  readonly cells: number;
  readonly bins: number;
  readonly centre: number[];
  readonly lo: number[];
  readonly invWidth: number[];
}

export function peerInput(ctx: McContext, seed: number): PeerInput {
  const { image, spec } = ctx;
  const k = image.kernel;
  const local = new RunBlockEvaluator(image);
  const years = local.projector.years;
  const pilotRuns = PILOT_RUNS;
  const binning = makeBinning(local.pilot(seed, 0, pilotRuns), pilotRuns, local.cells);
  const corrIndex = (name: string): number => spec.correlation?.variables.indexOf(name) ?? -1;
  const draws = spec.parameters.flatMap((p) => {
    const d = p.dist;
    let kind: PeerInput['draws'][number]['kind'];
    let q: number[];
    switch (d.kind) {
      case 'uniform':
        kind = 'uniform';
        q = [d.min, d.max - d.min];
        break;
      case 'triangular': {
        const span = d.max - d.min;
        kind = 'triangular';
        q = [d.min, d.max, (d.mode - d.min) / span, span * (d.mode - d.min), span * (d.max - d.mode)];
        break;
      }
      case 'normal':
        kind = 'normal';
        q = [d.mean, d.sd];
        break;
      case 'lognormal':
        kind = 'lognormal';
        q = [d.median, d.sigma];
        break;
      default:
        throw new Error(
          `the peers draw uniform, triangular, normal and lognormal parameters; '${p.name}' is ${d.kind}`,
        );
    }
    return p.slotGroups.map((slots) => ({ kind, q, correlated: corrIndex(p.name), apply: p.apply, slots: [...slots] }));
  });
  const copula = spec.correlation
    ? makeCopula(spec.correlation.matrix, spec.correlation.kind)
    : { size: 0, factor: new Float64Array(0) };
  const shocks = spec.shocks.flatMap((s) => {
    const slots = k.shockSlots.filter((x) => x.equation === s.equation).map((x) => x.slot);
    const groups = s.common ? [slots] : slots.map((x) => [x]);
    const innovation = s.sd * Math.sqrt(1 - s.persistence * s.persistence);
    return groups.map((g) => ({ sd: s.sd, rho: s.persistence, innovation, slots: g }));
  });
  const NS = k.seriesCount;
  return {
    init: k.sources.init,
    step: k.sources.step,
    baseYear: k.baseYear,
    years,
    seriesCount: NS,
    stateCount: k.stateCount,
    shockBlock: k.shockBlock,
    leverBlock: k.leverBlock,
    params: [...image.params],
    levers: [...image.levers],
    draws,
    copula: { size: copula.size, factor: [...copula.factor] },
    shocks,
    targets: image.targets.map((t) => ({
      series: t.series,
      refSeries: t.reference.kind === 'series' ? t.reference.series : -1,
      refValue: t.reference.kind === 'series' ? 0 : t.reference.value,
      atLeast: t.direction === 'at_least',
      yearOffset: t.year - k.baseYear,
    })),
    horizonOffset: image.horizon.start - k.baseYear,
    span: image.horizon.end - image.horizon.start + 1,
    cells: local.cells,
    bins: binning.bins,
    centre: [...binning.centre],
    lo: [...binning.lo],
    invWidth: Array.from(binning.width, (w) => 1 / w),
  };
}

/** What every peer prints (JSON on stdout): the folded statistics, or with --det one projection. */
export interface PeerOutput {
  readonly runs: number;
  readonly mean: number[];
  readonly sd: number[];
  readonly min: number[];
  readonly max: number[];
  /** cells × (bins + 2): underflow, the bins, overflow. */
  readonly hist: number[];
  readonly reached: number[];
  /** targets × (span + 1): first year reached, horizon years then never. */
  readonly firstYear: number[];
}
