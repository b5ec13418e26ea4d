/**
 * The parameter stage in WebAssembly (src/montecarlo/params.wat, ParamStage): for uniforms put where a
 * StreamBatch leaves them, each run's vector (its uniforms, then the copula's) and its closed-form
 * draws are Copula.correlate's and compileQuantile's bit for bit — on the edges the streams rarely or
 * never give (u exactly at a triangular's mode, tails deep enough for the copula's clamp) as well as on
 * the grid. (The whole sampler against the draw order written out one draw at a time: run-sampler.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import { makeCopula } from '../../src/montecarlo/correlation.js';
import { compileQuantile, normalQuantileStd } from '../../src/montecarlo/distributions.js';
import { type ClosedFormDraw, type ParamPlan, ParamStage } from '../../src/montecarlo/param-stage.js';
import { RunStream } from '../../src/montecarlo/rng.js';
import { wasmMemory } from '../../src/util/wasm.js';

const bits = (x: number): string => {
  if (Number.isNaN(x)) return 'NaN';
  const b = new DataView(new ArrayBuffer(8));
  b.setFloat64(0, x);
  return b.getBigUint64(0).toString(16).padStart(16, '0');
};

const RUNS = 4;

/** A stage on `plan` over uniforms at byte 0 (stride: the run's n uniforms); the uniforms' view. */
function stageOf(plan: ParamPlan) {
  const stride = 8 * plan.uniforms;
  const base = RUNS * stride;
  const memory = wasmMemory(base + ParamStage.bytes(plan, RUNS));
  const uniforms = Array.from({ length: RUNS }, (_, r) => new Float64Array(memory.buffer, r * stride, plan.uniforms));
  return { stage: new ParamStage(memory, base, { at: 0, stride }, plan, RUNS), uniforms };
}

/** The vector and draws of one run in JavaScript, as the sampler computed them before the stage. */
function reference(plan: ParamPlan, copulaOf: ReturnType<typeof makeCopula> | undefined, u: Float64Array) {
  const k = copulaOf?.size ?? 0;
  const correlated = new Float64Array(k);
  if (copulaOf) copulaOf.correlate(Float64Array.from(u.subarray(0, k), normalQuantileStd), correlated);
  const vector = Float64Array.from([...u, ...correlated]);
  const draws = new Float64Array(plan.columns);
  for (const d of plan.draws) draws[d.dst] = compileQuantile(d.dist)(vector[d.src]!);
  return { vector, draws };
}

/** Every run's vector and draws from the stage, against the reference, as bits; the differences. */
function differences(plan: ParamPlan, copulaOf: ReturnType<typeof makeCopula> | undefined, sets: Float64Array[]) {
  const { stage, uniforms } = stageOf(plan);
  const out: string[] = [];
  for (let first = 0; first < sets.length; first += RUNS) {
    for (let r = 0; r < RUNS; r++) uniforms[r]!.set(sets[(first + r) % sets.length]!);
    stage.compute();
    for (let r = 0; r < RUNS; r++) {
      const want = reference(plan, copulaOf, uniforms[r]!);
      const got = { vector: stage.vectors[r]!, draws: stage.draws[r]! };
      for (const key of ['vector', 'draws'] as const)
        want[key].forEach((x, i) => {
          if (bits(got[key][i]!) !== bits(x))
            out.push(`set ${first + r} ${key}[${i}]: ${bits(got[key][i]!)} want ${bits(x)}`);
        });
    }
  }
  return out;
}

describe('ParamStage', () => {
  // Uniforms 0..2 feed the copula; 3.. are the parameters' own; the copula's three follow at 7..9.
  const n = 7;
  const matrix = [
    [1, 0.6, -0.3],
    [0.6, 1, 0.2],
    [-0.3, 0.2, 1],
  ];
  const copula = makeCopula(matrix, 'rank');
  const draws: ClosedFormDraw[] = [
    { src: 3, dst: 0, dist: { kind: 'triangular', min: 0, mode: 0.3, max: 1 } },
    { src: 7, dst: 1, dist: { kind: 'triangular', min: -0.07, mode: -0.042869, max: 0.01 } },
    { src: 4, dst: 2, dist: { kind: 'uniform', min: 0.7, max: 1 } },
    { src: 8, dst: 3, dist: { kind: 'uniform', min: -2, max: 3 } },
    { src: 5, dst: 4, dist: { kind: 'normal', mean: 0, sd: 0.01 } },
    { src: 9, dst: 5, dist: { kind: 'normal', mean: 30, sd: 4 } },
    { src: 6, dst: 6, dist: { kind: 'triangular', min: 2, mode: 2, max: 5 } },
  ];
  const plan: ParamPlan = { uniforms: n, factor: copula.factor, columns: 8, draws };

  it("gives the copula's uniforms and every closed-form draw of JavaScript bit for bit on the streams' grid", () => {
    const sets = Array.from({ length: 4000 }, (_, run) => {
      const u = new Float64Array(n);
      new RunStream().fill(2016, run, u, n);
      return u;
    });
    expect(differences(plan, copula, sets)).toEqual([]);
  });

  it("is JavaScript's at the edges: u at a triangular's split, the tails, Φ rounding to 0 or 1", () => {
    const edges = [Number.MIN_VALUE, 1e-300, 1e-20, 2 ** -53, 0.02425, 0.25, 0.5, 0.97575, 1 - 2 ** -53];
    const sets = edges.flatMap((a) => edges.map((b) => Float64Array.from([a, b, 1 - a, 0.3, a, b, a])));
    expect(differences(plan, copula, sets)).toEqual([]);
    // The clamp was reached: some copula uniform is at an end of (0, 1).
    const { stage, uniforms } = stageOf(plan);
    for (const u of uniforms) u.set([Number.MIN_VALUE, Number.MIN_VALUE, 1 - 2 ** -53, 0.3, 0.5, 0.5, 0.5]);
    stage.compute();
    expect(stage.vectors[0]![n]).toBe(Number.MIN_VALUE);
    // At u = split exactly, the right branch's formula (u < split is false): 1 − √(0.7 · 0.7), one ulp
    // above the mode, where the left one would give 0.3 itself.
    expect(stage.draws[0]![0]).toBe(0.30000000000000004);
  });

  it('works without a copula and without draws of a kind (the count of its table is 0)', () => {
    const only: ParamPlan = {
      uniforms: 2,
      factor: new Float64Array(0),
      columns: 3,
      draws: [{ src: 1, dst: 2, dist: { kind: 'normal', mean: 1, sd: 2 } }],
    };
    const sets = [Float64Array.from([0.3, 0.01]), Float64Array.from([0.9, 0.5]), Float64Array.from([0.1, 0.99])];
    expect(differences(only, undefined, sets)).toEqual([]);
    const { stage, uniforms } = stageOf(only);
    uniforms[0]!.set([0.3, 0.5]);
    stage.compute();
    expect(Array.from(stage.vectors[0]!)).toEqual([0.3, 0.5]);
    expect(Array.from(stage.draws[0]!)).toEqual([0, 0, 1]);
  });
});
