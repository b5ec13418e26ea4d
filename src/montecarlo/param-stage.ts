/**
 * The parameter draws of a batch of runs in WebAssembly (params.wat): each run's parameter uniforms
 * copied where the streams left them into the run's vector, the copula's correlated uniforms after
 * them, and every draw with a closed-form inverse CDF (triangular, uniform, normal) into the run's
 * draws. The same numbers bit for bit as Copula.correlate and compileQuantileBatch in JavaScript
 * (tests/montecarlo/param-stage.test.ts, normal-cdf.test.ts, run-sampler.test.ts), and cheaper: on
 * paper-proposals (18 parameters, a copula of 2) the copula and quantiles took ~0.37 µs a run in
 * JavaScript and take ~0.13 here; 1M runs, whole process, went from 5.0 to 4.7 CPU-s.
 * Draws of the other kinds (empirical, lognormal, beta, …) are left to the sampler, from the vector.
 */

import { align16, type WasmMemory, WasmModule } from '../util/wasm.js';
import { type ClosedFormDistribution, type Distribution, triangularConstants } from './distributions.js';
import { PARAMS_WASM_BASE64 } from './params-wasm.js';
import { shocksModule, type UniformsAt } from './shock-stage.js';

interface ParamsExports {
  /** normal-cdf.ts's stdlibExp, stdlibErfc and normalCdfStd, by the same operations (for the tests). */
  exp(x: number): number;
  erfc(x: number): number;
  cdf(x: number): number;
  draws(runs: number, u: number, uStride: number, plan: number): void;
}

export const paramsModule = new WasmModule<ParamsExports>(PARAMS_WASM_BASE64);

/** The params module and the shocks module it takes normals() from, on `memory`. */
export function instantiateParams(memory: WasmMemory): ParamsExports {
  const { normals } = shocksModule.instantiateOn(memory);
  return paramsModule.instantiateOn(memory, { shocks: { normals } });
}

/** A draw the stage computes: its uniform (index in the run's vector), its column, its distribution. */
export interface ClosedFormDraw {
  readonly src: number;
  readonly dst: number;
  readonly dist: ClosedFormDistribution;
}

export interface ParamPlan {
  /** Parameter uniforms a run (the first of its stream). */
  readonly uniforms: number;
  /** The copula's lower Cholesky factor (k × k, row-major; empty without a copula). */
  readonly factor: Float64Array;
  /** Draw columns a run. */
  readonly columns: number;
  readonly draws: readonly ClosedFormDraw[];
}

const PLAN = 64;
const TRI = 48;
const ROW = 24;

/** The stage's regions from `base` (see params.wat for the plan's fields and the tables' rows). */
function layout(base: number, plan: ParamPlan, runs: number) {
  const k = Math.round(Math.sqrt(plan.factor.length));
  const count = (kind: Distribution['kind']): number => plan.draws.filter((d) => d.dist.kind === kind).length;
  const [tri, uni, nor] = [count('triangular'), count('uniform'), count('normal')];
  // normals() over every run's values at once: 3 readable doubles after them, room for 3 more.
  const scratch = runs * Math.max(k, nor) + 4;
  const at = align16(base);
  const factor = at + PLAN;
  const z = align16(factor + 8 * k * k);
  const tails = align16(z + 8 * scratch);
  const g = align16(tails + 4 * scratch);
  const triAt = align16(g + 8 * scratch);
  const uniAt = triAt + TRI * tri;
  const norAt = uniAt + ROW * uni;
  const vStride = align16(8 * (plan.uniforms + k));
  const v = align16(norAt + ROW * nor);
  const outStride = align16(8 * plan.columns);
  const out = v + runs * vStride;
  return { at, k, tri, uni, nor, factor, z, tails, g, triAt, uniAt, norAt, v, vStride, out, outStride };
}

/**
 * Computes the parameter draws of `runs` runs whose uniforms are in `memory` (a StreamBatch's), in a
 * region of it from `base` (ParamStage.bytes long).
 */
export class ParamStage {
  /** Run k's vector after compute(): its parameter uniforms, then the copula's k uniforms (views of the memory). */
  readonly vectors: readonly Float64Array[];
  /** Run k's draws after compute(), the closed-form columns set (views of the memory). */
  readonly draws: readonly Float64Array[];
  private readonly call: () => void;

  static bytes(plan: ParamPlan, runs: number): number {
    const at = layout(0, plan, runs);
    return at.out + runs * at.outStride;
  }

  constructor(memory: WasmMemory, base: number, uniforms: UniformsAt, plan: ParamPlan, runs: number) {
    const at = layout(base, plan, runs);
    const view = new DataView(memory.buffer);
    const fields = [
      plan.uniforms,
      at.v,
      at.vStride,
      at.out,
      at.outStride,
      at.k,
      at.factor,
      at.z,
      at.tails,
      at.g,
      at.tri,
      at.triAt,
      at.uni,
      at.uniAt,
      at.nor,
      at.norAt,
    ];
    fields.forEach((x, i) => view.setInt32(at.at + 4 * i, x, true));
    plan.factor.forEach((x, i) => view.setFloat64(at.factor + 8 * i, x, true));
    const row = (to: number, d: ClosedFormDraw, constants: readonly number[]): void => {
      view.setInt32(to, d.src, true);
      view.setInt32(to + 4, d.dst, true);
      constants.forEach((x, i) => view.setFloat64(to + 8 + 8 * i, x, true));
    };
    const next = { triangular: at.triAt, uniform: at.uniAt, normal: at.norAt };
    for (const d of plan.draws) {
      const x = d.dist;
      if (x.kind === 'triangular') {
        const c = triangularConstants(x);
        row(next.triangular, d, [x.min, c.split, c.left, x.max, c.right]);
        next.triangular += TRI;
      } else if (x.kind === 'uniform') {
        row(next.uniform, d, [x.min, x.max - x.min]);
        next.uniform += ROW;
      } else {
        row(next.normal, d, [x.mean, x.sd]);
        next.normal += ROW;
      }
    }
    this.vectors = Array.from(
      { length: runs },
      (_, r) => new Float64Array(memory.buffer, at.v + r * at.vStride, plan.uniforms + at.k),
    );
    this.draws = Array.from(
      { length: runs },
      (_, r) => new Float64Array(memory.buffer, at.out + r * at.outStride, plan.columns),
    );
    const { draws } = instantiateParams(memory);
    this.call = () => draws(runs, uniforms.at, uniforms.stride, at.at);
  }

  /** Every run's vector and closed-form draws from its uniforms as they are now. */
  compute(): void {
    this.call();
  }
}
