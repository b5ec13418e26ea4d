/**
 * The WebAssembly modules of the engine (the statistics fold, the Sobol bootstrap's sums, the random
 * streams four at a time) are each
 * instantiated with an imported memory made at the size its user needs, never grown: growing a memory
 * detaches its old buffer, and the first detached buffer of a thread invalidates V8's
 * ArrayBufferDetaching protector, which throws away the optimised code of every function there that
 * reads a typed array (the kernel, the sampler, the fold).
 */

/** The part of the WebAssembly API used here (the TypeScript libraries this project uses do not declare it). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: unknown };
  Memory: new (descriptor: { initial: number }) => { readonly buffer: ArrayBuffer };
}
const WA = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
const PAGE = 65536;

/** A module's instances, each with a memory of its own (the module imports it as `env.memory`). */
export class WasmModule<Exports> {
  private module: object | undefined;

  constructor(private readonly base64: string) {}

  /**
   * A new instance with a new memory of at least `bytes` (one page at the least); throws a RangeError
   * when the memory cannot be had.
   */
  instantiate(bytes: number): { readonly exports: Exports; readonly buffer: ArrayBuffer } {
    this.module ??= new WA.Module(Buffer.from(this.base64, 'base64'));
    const memory = new WA.Memory({ initial: Math.max(1, Math.ceil(bytes / PAGE)) });
    return { exports: new WA.Instance(this.module, { env: { memory } }).exports as Exports, buffer: memory.buffer };
  }
}
