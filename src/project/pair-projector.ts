import type { RunnableModel } from '../model/kernel-image.js';
import { type WasmMemory, WasmModule } from '../util/wasm.js';

interface PairExports {
  /** See generate-pair.ts: byte offsets of the lanes' arrays, the shared ones, the year count. */
  project(
    P0: number,
    P1: number,
    X0: number,
    X1: number,
    S0: number,
    S1: number,
    OUT0: number,
    OUT1: number,
    L: number,
    H: number,
    years: number,
  ): number;
}

/** What the generated module imports besides its memory: the JavaScript kernel's own Math functions. */
const MATH = { m: { exp: Math.exp, log: Math.log, sin: Math.sin, cos: Math.cos, pow: Math.pow } };

/**
 * Two runs of a Monte Carlo at once through the model's two-run WebAssembly kernel
 * (src/model/compile/generate-pair.ts), with the levers and undrawn parameters fixed, as
 * Projector.fix() / runFixed(). Each lane's parameters, shocks and outputs are views of the instance's
 * memory: the caller samples into `params[j]` and `shocks[j]`, calls project(), and reads `out[j]`.
 *
 * project() returns a bit per lane: set when that run's outputs and states are all finite and inside
 * their domains. A lane without its bit is to be projected again by Projector.runFixed(), which names
 * the failing equation (or, for a run whose parameters differ where the per-year table reads them,
 * prepares a table for them): this kernel never reports a failure itself.
 */
export class PairProjector {
  readonly params: readonly [Float64Array, Float64Array];
  readonly shocks: readonly [Float64Array, Float64Array];
  /** Each lane's outputs: (year − base year) × seriesCount + series, every cell written by each call. */
  readonly out: readonly [Float64Array, Float64Array];
  /** Each lane's state after the last year (the model's states, then the optimised kernel's hidden slots). */
  readonly state: readonly [Float64Array, Float64Array];
  /** The instance's memory, and where in it the `extraBytes` the constructor was asked for start. */
  readonly memory: WasmMemory;
  readonly extraBase: number;
  private readonly exports: PairExports;
  private readonly at: readonly number[];
  private readonly preparedSlots: Int32Array;
  private readonly preparedValues: Float64Array;

  constructor(
    model: RunnableModel,
    bytes: Uint8Array,
    readonly years: number,
    fixedParams: Float64Array,
    levers: Float64Array,
    /** Bytes of the memory after the kernel's arrays, for another module on it (see RunBlockEvaluator). */
    extraBytes = 0,
  ) {
    const P = model.paramCount;
    const X = years * model.shockBlock;
    const S = model.stateCount + model.optimised.hiddenStates;
    const OUT = years * model.seriesCount;
    const H = years * model.optimised.yearBlock;
    const sizes = [P, P, X, X, S, S, OUT, OUT, levers.length, H];
    const at: number[] = [];
    let end = 0;
    // 16-byte aligned arrays.
    for (const n of sizes) {
      at.push(end);
      end += Math.ceil((8 * n) / 16) * 16;
    }
    this.at = at;
    this.extraBase = end;
    const { exports, buffer, memory } = new WasmModule<PairExports>(bytes).instantiate(end + extraBytes, MATH);
    this.exports = exports;
    this.memory = memory;
    const view = (k: number): Float64Array => new Float64Array(buffer, at[k]!, sizes[k]!);
    this.params = [view(0), view(1)];
    this.shocks = [view(2), view(3)];
    this.out = [view(6), view(7)];
    this.state = [view(4), view(5)];
    // Both lanes start from valid parameters: a lane left unsampled (an odd run count) computes a run
    // whose results nobody reads.
    this.params[0].set(fixedParams);
    this.params[1].set(fixedParams);
    view(8).set(levers);
    model.optimised.prepare(fixedParams, levers, view(9), years);
    this.preparedSlots = Int32Array.from(model.optimised.preparedParams);
    this.preparedValues = Float64Array.from(this.preparedSlots, (s) => fixedParams[s]!);
  }

  /**
   * Projects both lanes; bit j set: lane j's outputs are valid (see the class comment). The outputs go
   * to `out` unless byte offsets in the memory are given (where each lane's full projection is to go).
   */
  project(out0 = this.at[6]!, out1 = this.at[7]!): number {
    const a = this.at;
    const finite = this.exports.project(a[0]!, a[1]!, a[2]!, a[3]!, a[4]!, a[5]!, out0, out1, a[8]!, a[9]!, this.years);
    return finite & ((this.prepared(this.params[0]) ? 1 : 0) | (this.prepared(this.params[1]) ? 2 : 0));
  }

  // Object.is, as Projector's: a NaN or −0 for +0 must not use a table made from another value.
  private prepared(params: Float64Array): boolean {
    const slots = this.preparedSlots;
    const values = this.preparedValues;
    for (let i = 0; i < slots.length; i++) if (!Object.is(params[slots[i]!], values[i])) return false;
    return true;
  }
}
