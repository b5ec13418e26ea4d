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

/** `n` rounded up to a multiple of 16: where a region of a module's memory that v128 loads read starts. */
export function align16(n: number): number {
  return Math.ceil(n / 16) * 16;
}

/** A WebAssembly memory, to instantiate another module on (see WasmModule.instantiateOn). */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
}

/** A new memory of at least `bytes` (one page at the least), for modules to be instantiated on. */
export function wasmMemory(bytes: number): WasmMemory {
  return new WA.Memory({ initial: Math.max(1, Math.ceil(bytes / PAGE)) });
}

/**
 * A module's instances, each with a memory of its own (the module imports it as `env.memory`). The
 * module: its bytes as base64 (the fixed modules, assembled at build time) or as bytes (a generated one).
 */
export class WasmModule<Exports> {
  private module: object | undefined;

  constructor(private readonly code: string | Uint8Array) {}

  /**
   * A new instance with a new memory of at least `bytes` (one page at the least), and the module's
   * other imports (`imports`: module name → its members); throws a RangeError when the memory cannot
   * be had.
   */
  instantiate(
    bytes: number,
    imports: Record<string, Record<string, unknown>> = {},
  ): { readonly exports: Exports; readonly buffer: ArrayBuffer; readonly memory: WasmMemory } {
    const memory = wasmMemory(bytes);
    return { exports: this.instantiateOn(memory, imports), buffer: memory.buffer, memory };
  }

  /**
   * An instance on an existing memory (another module's, from instantiate()): two modules that work on
   * the same arrays, each in its own part of the memory, so that neither copies the other's results.
   */
  instantiateOn(memory: WasmMemory, imports: Record<string, Record<string, unknown>> = {}): Exports {
    this.module ??= new WA.Module(typeof this.code === 'string' ? Buffer.from(this.code, 'base64') : this.code);
    return new WA.Instance(this.module, { ...imports, env: { memory } }).exports as Exports;
  }
}
