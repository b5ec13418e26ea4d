import { FOLD_WASM_BASE64 } from './fold-wasm.js';

/**
 * The WebAssembly statistics fold (fold.wat) as a ChunkAccumulator uses it: one instance, with its own
 * memory, per live accumulator. Instances are kept for reuse once an accumulator is finished, so a
 * thread that folds chunk after chunk compiles the module once and allocates its memory once.
 */
export interface FoldInstance {
  readonly memory: { readonly buffer: ArrayBuffer };
  /** 1 when the `n` doubles at byte offset `p` are all finite. */
  allFinite(p: number, n: number): number;
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

/** The part of the WebAssembly API used here (the TypeScript libraries this project uses do not declare it). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: unknown };
  Memory: new (descriptor: { initial: number }) => { readonly buffer: ArrayBuffer };
}
const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

let module: object | undefined;
const idle: FoldInstance[] = [];
/** Finished accumulators' instances kept for reuse: one per chunk a thread may have open at once. */
const MAX_IDLE = 2;
const PAGE = 65536;

/** An instance whose memory holds at least `bytes` (its contents are whatever the last user left). */
export function acquireFold(bytes: number): FoldInstance {
  const kept = idle.pop();
  if (kept && kept.memory.buffer.byteLength >= bytes) return kept;
  module ??= new WA.Module(Buffer.from(FOLD_WASM_BASE64, 'base64'));
  // A new memory at the size needed, not a grown one: see fold.wat.
  const memory = new WA.Memory({ initial: Math.max(1, Math.ceil(bytes / PAGE)) });
  return { ...(new WA.Instance(module, { env: { memory } }).exports as Omit<FoldInstance, 'memory'>), memory };
}

/** Give an instance back once nothing reads its memory any more. */
export function releaseFold(inst: FoldInstance): void {
  if (idle.length < MAX_IDLE) idle.push(inst);
}
