import { type WasmMemory, WasmModule } from '../util/wasm.js';
import { FOLD_WASM_BASE64 } from './fold-wasm.js';

/**
 * The WebAssembly statistics fold (fold.wat) as a ChunkAccumulator uses it: one instance, with its own
 * memory, per live accumulator. Instances are kept for reuse once an accumulator is finished, so a
 * thread that folds chunk after chunk compiles the module once and allocates its memory once.
 */
export interface FoldInstance {
  readonly memory: WasmMemory;
  /** Whether releaseFold() keeps it for reuse: not an instance on another module's memory (foldOn). */
  readonly pooled: boolean;
  /** 1 when the `n` doubles at byte offset `p` are all finite. */
  allFinite(p: number, n: number): number;
  /** 1 when every run of the buffer holds each pair of constant cells' values (see fold.wat). */
  sameAsConstant(pairs: number, npairs: number, values: number, leaf: number, row: number, runs: number): number;
  /** See fold.wat for the layout. Every value folded must be finite. */
  fold(
    pairs: number,
    npairs: number,
    leaf: number,
    row: number,
    runs: number,
    centre: number,
    lo: number,
    invWidth: number,
    min: number,
    max: number,
    sums: number,
    hist: number,
    histRow: number,
    bins: number,
  ): void;
}

const fold = new WasmModule<Omit<FoldInstance, 'memory' | 'pooled'>>(FOLD_WASM_BASE64);
const idle: FoldInstance[] = [];
/** Finished accumulators' instances kept for reuse: one per chunk a thread may have open at once. */
const MAX_IDLE = 2;

/** An instance whose memory holds at least `bytes` (its contents are whatever the last user left). */
export function acquireFold(bytes: number): FoldInstance {
  const kept = idle.pop();
  if (kept && kept.memory.buffer.byteLength >= bytes) return kept;
  // A new memory at the size needed, not a grown one: see util/wasm.ts.
  const { exports, memory } = fold.instantiate(bytes);
  return { ...exports, memory, pooled: true };
}

/**
 * An instance on `memory` (the two-run kernel's, see RunBlockEvaluator), never pooled: the kernel
 * writes each run's values straight into the fold's buffer there.
 */
export function foldOn(memory: WasmMemory): FoldInstance {
  return { ...fold.instantiateOn(memory), memory, pooled: false };
}

/** Give an instance back once nothing reads its memory any more. */
export function releaseFold(inst: FoldInstance): void {
  if (inst.pooled && idle.length < MAX_IDLE) idle.push(inst);
}
