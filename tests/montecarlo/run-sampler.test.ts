import { describe, expect, it } from 'vitest';
import { withUncertainties } from '../../src/model/compile.js';
import type { CompiledModel } from '../../src/model/compiled-model.js';
import { loadModel } from '../../src/model/load-model.js';
import { shockableEquations } from '../../src/model/shockable.js';
import { makeCopula } from '../../src/montecarlo/correlation.js';
import {
  compileQuantile,
  type Distribution,
  empiricalRow,
  normalQuantileStd,
} from '../../src/montecarlo/distributions.js';
import { prepareMc } from '../../src/montecarlo/prepare-mc.js';
import { runStream } from '../../src/montecarlo/rng.js';
import { RunSampler } from '../../src/montecarlo/run-sampler.js';
import type { UncertainParameter, UncertaintySpec } from '../../src/montecarlo/uncertainty-spec.js';
import { adjust } from '../../src/scenario/adjustment.js';
import { lcg } from '../fixtures/kernel-passes.js';

/**
 * The draw order written out one draw at a time, as the sampler did before it was flattened into
 * tables: the definition of which uniform of a run's stream feeds which value. RunSampler must give
 * the same parameters, shocks and draws bit for bit (every published Monte Carlo result depends on it).
 */
function referenceSampler(
  model: CompiledModel,
  spec: UncertaintySpec,
  base: Float64Array,
  years: number,
): (seed: number, run: number) => { params: Float64Array; shocks: Float64Array; draws: number[] } {
  const quantiles = spec.parameters.map((p) => compileQuantile(p.dist));
  const copula = spec.correlation && makeCopula(spec.correlation.matrix, spec.correlation.kind);
  return (seed, run) => {
    const next = runStream(seed, run);
    const params = Float64Array.from(base);
    const shocks = new Float64Array(years * model.shockBlock);
    const draws: number[] = [];
    const k = spec.correlation?.variables.length ?? 0;
    const u = new Float64Array(k);
    if (copula) {
      const z = Float64Array.from({ length: k }, () => normalQuantileStd(next()));
      copula.correlate(z, u);
    }
    const joint = new Map<string, number>();
    for (const [i, p] of spec.parameters.entries()) {
      if (p.dist.kind === 'empirical') {
        const j = p.dist.joint;
        let x = j === undefined ? undefined : joint.get(j);
        if (x === undefined) {
          x = next();
          if (j !== undefined) joint.set(j, x);
        }
        const row = p.dist.rows[empiricalRow(p.dist.rows.length, x)]!;
        p.slotGroups.forEach((group, g) => {
          draws.push(row[g]!);
          for (const slot of group) params[slot] = adjust(p.apply, base[slot]!, row[g]!);
        });
        continue;
      }
      const q = quantiles[i]!;
      const ci = spec.correlation?.variables.lastIndexOf(p.name) ?? -1;
      for (const group of p.slotGroups) {
        const x = q(ci >= 0 ? u[ci]! : next());
        draws.push(x);
        for (const slot of group) params[slot] = adjust(p.apply, base[slot]!, x);
      }
    }
    const block = model.shockBlock;
    if (block === 0) return { params, shocks, draws };
    for (const s of spec.shocks) {
      const slots = model.shockSlots.filter((x) => x.equation === s.equation).map((x) => x.slot);
      const innovation = s.sd * Math.sqrt(1 - s.persistence * s.persistence);
      for (const group of s.common ? [slots] : slots.map((x) => [x])) {
        let e = s.sd * normalQuantileStd(next());
        for (let yi = 1; yi < years; yi++) {
          if (yi > 1) e = s.persistence * e + innovation * normalQuantileStd(next());
          for (const slot of group) shocks[yi * block + slot] = e;
        }
      }
    }
    return { params, shocks, draws };
  };
}

const bytes = (a: ArrayLike<number>): Buffer => Buffer.from(Float64Array.from(a).buffer);

/** RunSampler against the reference on runs of two seeds, all compared as bytes (NaN, -0 and all). */
function expectSameAsReference(
  model: CompiledModel,
  spec: UncertaintySpec,
  base: Float64Array,
  years: number,
  runs = 300,
): void {
  const sampler = new RunSampler(model, spec, base, years);
  const reference = referenceSampler(model, spec, base, years);
  // Dirty buffers: whatever a previous run or caller left must not leak into this run.
  const params = new Float64Array(model.paramCount).fill(Number.NaN);
  const shocks = new Float64Array(years * model.shockBlock).fill(7);
  const differ: string[] = [];
  for (const seed of [2016, -(2 ** 40) - 3]) {
    for (let run = 0; run < runs; run++) {
      const ref = reference(seed, run * 7919);
      sampler.sample(seed, run * 7919, params, shocks);
      if (!bytes(params).equals(bytes(ref.params))) differ.push(`params of run ${run}, seed ${seed}`);
      if (!bytes(shocks).equals(bytes(ref.shocks))) differ.push(`shocks of run ${run}, seed ${seed}`);
      if (!bytes(sampler.draws).equals(bytes(ref.draws))) differ.push(`draws of run ${run}, seed ${seed}`);
    }
  }
  expect(differ.slice(0, 5)).toEqual([]);
  // The comparison sees the values (a sampler that drew nothing would fail above, not pass).
  expect(sampler.draws.some((x) => x !== 0)).toBe(true);
}

/** Every kind of marginal, every apply, per-region and shared draw groups, a joint table, a copula, shocks. */
function everythingSpec(model: CompiledModel, correlation: 'gaussian' | 'rank'): UncertaintySpec {
  const R = model.regions.length;
  const kinds: ((lo: number, hi: number) => Distribution)[] = [
    (lo, hi) => ({ kind: 'normal', mean: (lo + hi) / 2, sd: (hi - lo) / 8 }),
    (lo, hi) => ({ kind: 'truncnormal', mean: lo, sd: (hi - lo) / 3, min: lo + (hi - lo) / 10, max: hi }),
    (lo, hi) => ({ kind: 'lognormal', median: Math.max(lo, 1e-3) + (hi - lo) / 2, sigma: 0.2 }),
    (lo, hi) => ({ kind: 'uniform', min: lo, max: hi }),
    (lo, hi) => ({ kind: 'triangular', min: lo, mode: lo + (hi - lo) / 4, max: hi }),
    (lo, hi) => ({ kind: 'triangular', min: lo, mode: lo, max: hi }),
    (lo, hi) => ({ kind: 'beta', alpha: 2, beta: 5, min: lo, max: hi }),
    (lo, hi) => ({ kind: 'choice', values: [lo, (lo + hi) / 2, hi, 0], weights: [1, 2, 3, 0] }),
  ];
  const applies = ['replace', 'scale', 'shift'] as const;
  const u = lcg(11);
  const parameters: UncertainParameter[] = model.parameters.slice(0, 24).map((p, i) => {
    const [lo, hi] = p.range;
    const slots = p.scope === 'global' ? [p.offset] : Array.from({ length: R }, (_, r) => p.offset + r);
    const slotGroups = i % 2 === 0 ? [slots] : slots.map((s) => [s]);
    if (i % 7 === 3 || i % 7 === 5) {
      // Empirical: a joint table for two of them (the second reuses the first's row), its own for others.
      const rows = Array.from({ length: 5 + i }, () => slotGroups.map(() => lo + (hi - lo) * u()));
      const dist: Distribution = i % 7 === 3 ? { kind: 'empirical', rows, joint: 't' } : { kind: 'empirical', rows };
      return { name: p.name, dist, apply: applies[i % 3]!, slotGroups };
    }
    return { name: p.name, dist: kinds[i % kinds.length]!(lo, hi), apply: applies[i % 3]!, slotGroups };
  });
  // Three correlated variables, one of them drawn per region (all its groups read the copula's uniform).
  const names = [parameters[1]!.name, parameters[4]!.name, parameters[8]!.name];
  return {
    parameters,
    shocks: model.shockSlots
      .map((s) => s.equation)
      .filter((e, i, all) => all.indexOf(e) === i)
      .map((equation, i) => ({
        equation,
        sd: 0.01 * (i + 1),
        persistence: [0, 0.5, 0.9][i % 3]!,
        common: i % 2 === 1,
      })),
    correlation: {
      kind: correlation,
      variables: names,
      matrix: [
        [1, 0.4, -0.2],
        [0.4, 1, 0.3],
        [-0.2, 0.3, 1],
      ],
    },
  };
}

describe('RunSampler', () => {
  it('gives the reference draws on paper-proposals (rank copula, shared shift per region, two AR(1) shocks)', () => {
    const ctx = prepareMc({ scenarioFile: 'scenarios/paper-proposals.yaml' });
    expectSameAsReference(ctx.scenario.model, ctx.spec, ctx.image.params, 21, 1000);
  });

  it('gives the reference draws for every marginal, apply, draw group, joint table, copula and shock kind', () => {
    const plain = loadModel('builtin:northeast');
    const shocked = shockableEquations(plain.file).map((e) => e.name);
    const model = withUncertainties(plain, { shocked, drawn: plain.parameters.map((p) => p.name) });
    expect(model.shockSlots.length).toBeGreaterThan(shocked.length);
    const base = model.defaultParams();
    for (const kind of ['gaussian', 'rank'] as const) {
      const spec = everythingSpec(model, kind);
      expect(new Set(spec.parameters.map((p) => p.dist.kind)).size).toBe(8);
      expect(spec.shocks.some((s) => s.common) && spec.shocks.some((s) => !s.common)).toBe(true);
      for (const years of [1, 2, 3, 21]) expectSameAsReference(model, spec, base, years, 60);
    }
  });

  it('without a copula or shocks, and with an empirical table alone', () => {
    const ctx = prepareMc({ scenarioFile: 'tests/fixtures/evidence/empirical/joint.yaml' });
    expectSameAsReference(ctx.scenario.model, ctx.spec, ctx.image.params, 6);
    const paper = prepareMc({ scenarioFile: 'scenarios/paper-proposals.yaml' });
    const { correlation: _, ...plain } = paper.spec;
    expectSameAsReference(paper.scenario.model, { ...plain, shocks: [] }, paper.image.params, 21);
  });

  it('reads the base parameters at each run (a sweep rewrites them per row)', () => {
    const ctx = prepareMc({ scenarioFile: 'scenarios/paper-proposals.yaml' });
    const base = Float64Array.from(ctx.image.params);
    const sampler = new RunSampler(ctx.scenario.model, ctx.spec, base, 21);
    const params = new Float64Array(base.length);
    const shocks = new Float64Array(21 * ctx.scenario.model.shockBlock);
    const reference = referenceSampler(ctx.scenario.model, ctx.spec, base, 21);
    for (let row = 0; row < 5; row++) {
      for (let i = 0; i < base.length; i++) base[i] = ctx.image.params[i]! * (1 + row / 10);
      sampler.sample(1, row, params, shocks);
      expect(bytes(params)).toEqual(bytes(reference(1, row).params));
    }
  });
});
