/**
 * Reproducible random streams: one independent stream per Monte Carlo run.
 *
 * A run's stream depends on (seed, run index) alone, so run k draws the same numbers whichever worker
 * computes it and however the runs are cut into chunks; nothing carries over between runs.
 *
 * Generator: Tyche-i (Neves & Araujo 2011, built on the ChaCha quarter-round; passes BigCrush), with
 * the paper's own indexed seeding: the 64-bit seed goes into two words of the state, the stream index
 * (the run) into the other two, then 20 rounds are discarded — so neighbouring runs give unrelated
 * streams. Seeding is integer arithmetic on a reused object: no string, no allocation per run.
 * (Stream version 1, before policysim 0.2, seeded seedrandom's Tyche-i with the string `seed/run`:
 * ~0.5 µs and several objects per run. Run 0 of a seed is the same in both: seedrandom seeds Tyche-i
 * from a number the same way, with index 0; tests/montecarlo/rng.test.ts checks that.)
 */

import { align16, type WasmMemory, WasmModule } from '../util/wasm.js';
import { STREAMS_WASM_BASE64 } from './streams-wasm.js';

/** The stream version recorded in every output that depends on the draws (`randomStream`). */
export const RANDOM_STREAM = 'tychei-indexed/2';

const TWO_POW_MINUS_32 = 2.3283064365386963e-10;
const TWO_POW_32 = 4294967296;
const NO_DRAWS = new Float64Array(0);

/**
 * A reusable Tyche-i stream. `next()` gives uniforms strictly inside (0,1): each draw is the midpoint
 * of one of 2^32 equal cells, (k + 0.5) / 2^32 for a 32-bit integer k. So u is never 0 or 1 and an
 * inverse CDF never returns ±Infinity (the extremes are 2^-33 and 1 - 2^-33, about ±6.3 standard
 * deviations for a normal), and the grid is symmetric about 0.5, so a symmetric distribution sampled
 * by inversion has no rounding bias.
 */
export class RunStream {
  private a = 0;
  private b = 0;
  private c = 0;
  private d = 0;
  /** Where seedLane() writes the state. */
  private readonly seed = new Int32Array(4);
  /** Bound once, so it can be handed around as a plain function. */
  readonly next: () => number = () => ((this.int32() >>> 0) + 0.5) * TWO_POW_MINUS_32;

  /** Restart as the stream of run `runIndex` of a simulation seeded with `seed`. */
  reset(seed: number, runIndex: number): void {
    this.seedState(seed, runIndex);
    this.rounds(NO_DRAWS, 0, 0);
  }

  /**
   * reset(seed, runIndex), then the stream's first `count` uniforms into out[from..from + count): the
   * same numbers as that many next() calls, ~3× cheaper (the rounds run on local variables and the
   * state is written back once, instead of a call and a round trip through the fields per draw).
   */
  fill(seed: number, runIndex: number, out: Float64Array, count: number, from = 0): void {
    this.seedState(seed, runIndex);
    this.rounds(out, from, count);
  }

  private seedState(seed: number, runIndex: number): void {
    const state = this.seed;
    seedLane(seed, runIndex, state, 0, 1);
    this.a = state[0]!;
    this.b = state[1]!;
    this.c = state[2]!;
    this.d = state[3]!;
  }

  /** 20 rounds discarded, then `count` rounds (as int32()) whose uniforms go to out[from..from + count). */
  private rounds(out: Float64Array, from: number, count: number): void {
    let { a, b, c, d } = this;
    for (let i = -20; i < count; i++) {
      b = (b << 25) ^ (b >>> 7) ^ c;
      c = (c - d) | 0;
      d = (d << 24) ^ (d >>> 8) ^ a;
      a = (a - b) | 0;
      b = (b << 20) ^ (b >>> 12) ^ c;
      c = (c - d) | 0;
      d = (d << 16) ^ (c >>> 16) ^ a;
      a = (a - b) | 0;
      if (i >= 0) out[from + i] = ((a >>> 0) + 0.5) * TWO_POW_MINUS_32;
    }
    this.a = a;
    this.b = b;
    this.c = c;
    this.d = d;
  }

  /** One round: the next 32-bit output (signed). */
  int32(): number {
    let { a, b, c, d } = this;
    b = (b << 25) ^ (b >>> 7) ^ c;
    c = (c - d) | 0;
    d = (d << 24) ^ (d >>> 8) ^ a;
    a = (a - b) | 0;
    this.b = b = (b << 20) ^ (b >>> 12) ^ c;
    this.c = c = (c - d) | 0;
    this.d = (d << 16) ^ (c >>> 16) ^ a;
    this.a = (a - b) | 0;
    return this.a;
  }
}

/**
 * The state (a, b, c, d) that starts the stream of run `runIndex` of `seed`, as lane `lane` of
 * `lanes`: a at state[lane], b at state[lanes + lane], c and d after them.
 */
function seedLane(seed: number, runIndex: number, state: Int32Array, lane: number, lanes: number): void {
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be a whole number (got ${seed})`);
  if (!Number.isSafeInteger(runIndex) || runIndex < 0) {
    throw new RangeError(`run index must be a whole number >= 0 (got ${runIndex})`);
  }
  // As seedrandom.tychei(seed): high and low words of the seed; the index as in the paper.
  state[lane] = (seed / TWO_POW_32) | 0;
  state[lanes + lane] = seed | 0;
  state[2 * lanes + lane] = 2654435769 ^ Math.floor(runIndex / TWO_POW_32);
  state[3 * lanes + lane] = 1367130551 ^ runIndex;
}

const streams = new WasmModule<{ fill4(state: number, count: number, out: number): void }>(STREAMS_WASM_BASE64);
const LANES = 4;
/** Bytes before the uniforms in a batch's memory: the four streams' state. */
const STATE_BYTES = 4 * 4 * LANES;

/**
 * The streams of four consecutive runs at once, `count` uniforms each: the same numbers as
 * RunStream.fill for each run. In WebAssembly (streams.wat), one SIMD instruction doing a step of all
 * four streams: on paper-proposals (58 uniforms a run) ~0.10 µs per run against ~0.25 for fill().
 */
export class StreamBatch {
  /** Runs a fill() computes: firstRun .. firstRun + RUNS − 1. */
  static readonly RUNS = LANES;
  private readonly fill4: (state: number, count: number, out: number) => void;
  private readonly state: Int32Array;
  /** Run firstRun + k's uniforms, after fill(seed, firstRun): views of the instance's memory. */
  readonly runs: readonly Float64Array[];
  /** The instance's memory, for a module that works on the uniforms where they are (see ShockStage). */
  readonly memory: WasmMemory;
  /** Where run k's uniforms are in `memory`: at uniformsAt + k · uniformStride bytes. */
  readonly uniformsAt = STATE_BYTES;
  readonly uniformStride: number;
  /** Where the `extraBytes` asked for begin in `memory` (16-byte aligned, after the uniforms). */
  readonly extraBase: number;

  constructor(
    readonly count: number,
    extraBytes = 0,
  ) {
    this.uniformStride = 8 * count;
    this.extraBase = align16(STATE_BYTES + LANES * this.uniformStride);
    const { exports, buffer, memory } = streams.instantiate(this.extraBase + extraBytes);
    this.fill4 = exports.fill4;
    this.memory = memory;
    this.state = new Int32Array(buffer, 0, 4 * LANES);
    this.runs = Array.from({ length: LANES }, (_, k) => new Float64Array(buffer, STATE_BYTES + 8 * k * count, count));
  }

  /**
   * The streams of runs firstRun .. firstRun + 3 of `seed` into `runs`. Run indices past 2^53 − 1 are
   * not seeded (their uniforms are meaningless and not to be read).
   */
  fill(seed: number, firstRun: number): void {
    seedLane(seed, firstRun, this.state, 0, LANES);
    for (let k = 1; k < LANES; k++)
      if (Number.isSafeInteger(firstRun + k)) seedLane(seed, firstRun + k, this.state, k, LANES);
    this.fill4(0, this.count, STATE_BYTES);
  }
}

/** A fresh stream for run `runIndex` of a simulation seeded with `seed` (see RunStream). */
export function runStream(seed: number, runIndex: number): () => number {
  const s = new RunStream();
  s.reset(seed, runIndex);
  return s.next;
}
