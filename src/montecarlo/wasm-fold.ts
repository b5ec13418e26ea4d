import { FOLD_WASM_BASE64 } from './fold-wasm.js';

/**
 * The WebAssembly statistics fold (fold.wat) as a ChunkAccumulator uses it: one instance, with its own
 * memory, per live accumulator. Instances are kept for reuse once an accumulator is finished, so a
 * thread that folds chunk after chunk compiles the module once and allocates its memory once.
 */
export interface FoldInstance {
  readonly memory: { readonly buffer: ArrayBuffer; grow(pages: number): number };
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
  Instance: new (module: object) => { readonly exports: unknown };
}
const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

let module: object | undefined;
const idle: FoldInstance[] = [];
/** Finished accumulators' instances kept for reuse: one per chunk a thread may have open at once. */
const MAX_IDLE = 2;
const PAGE = 65536;

/** An instance whose memory holds at least `bytes` (its contents are whatever the last user left). */
export function acquireFold(bytes: number): FoldInstance {
  module ??= new WA.Module(Buffer.from(FOLD_WASM_BASE64, 'base64'));
  const inst = idle.pop() ?? (new WA.Instance(module).exports as FoldInstance);
  const have = inst.memory.buffer.byteLength;
  if (have < bytes) inst.memory.grow(Math.ceil((bytes - have) / PAGE));
  return inst;
}

/** Give an instance back once nothing reads its memory any more. */
export function releaseFold(inst: FoldInstance): void {
  if (idle.length < MAX_IDLE) idle.push(inst);
}
