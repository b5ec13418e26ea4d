/**
 * The shocks of a batch of runs in WebAssembly (shocks.wat): each run's shock uniforms, where the
 * streams left them, through the standard normal quantile, then the AR(1) paths into the run's
 * block of shocks (years × slots). The same numbers bit for bit as normalQuantileStd and the path
 * recursion in JavaScript (tests/montecarlo/shocks-wasm.test.ts, run-sampler.test.ts), and cheaper:
 * on paper-proposals (40 shock normals, 2 paths) RunSampler.sample() went from 1.67 to 1.25 µs a run,
 * the central quantile formula two values per instruction, the tails' logarithm without a call into
 * JavaScript, and nothing copied but the block itself. The uniforms of the batch's last run must be
 * followed by 3 readable doubles (StreamBatch puts the stage's region there).
 */

import { align16, type WasmMemory, WasmModule } from '../util/wasm.js';
import { SHOCKS_WASM_BASE64 } from './shocks-wasm.js';

export interface ShocksExports {
  /** Math.log(x), by the same operations (fdlibm). */
  log(x: number): number;
  /** normalQuantileStd(p) for p in the tails or at the edges. */
  tail(p: number): number;
  /** Φ⁻¹ of the n doubles at src (3 readable doubles after them) into dst (room for n + 3), 4·n bytes of scratch at tails. */
  normals(src: number, n: number, dst: number, tails: number): void;
  shocks(
    runs: number,
    u: number,
    uStride: number,
    n: number,
    z: number,
    tails: number,
    table: number,
    index: number,
    count: number,
    years: number,
    block: number,
    out: number,
    outStride: number,
  ): void;
}

export const shocksModule = new WasmModule<ShocksExports>(SHOCKS_WASM_BASE64);

/** An independent AR(1) shock path: its first normal (then one per year from the second), sd, terms, slots. */
export interface ShockPath {
  /** Index of its first normal among the run's shock normals. */
  readonly first: number;
  readonly sd: number;
  readonly rho: number;
  readonly innovation: number;
  readonly slots: Int32Array;
}

/** Where a stage finds each run's shock uniforms: run k's n of them at at + k · stride bytes. */
export interface UniformsAt {
  readonly at: number;
  readonly stride: number;
}

/** The stage's regions from `base`: normals, tail list, path records, path index, slots, blocks. */
function layout(base: number, normals: number, paths: readonly ShockPath[], blockBytes: number, runs: number) {
  const z = align16(base);
  const tails = align16(z + 8 * (normals + 3));
  const table = align16(tails + 4 * normals);
  const index = align16(table + 24 * paths.length);
  const slots = align16(index + 12 * paths.length);
  const out = align16(slots + 4 * paths.reduce((n, p) => n + p.slots.length, 0));
  const stride = align16(blockBytes);
  return { z, tails, table, index, slots, out, stride, end: out + runs * stride };
}

/**
 * Computes the shock blocks of `runs` runs whose uniforms are in `memory` (a StreamBatch's), in a
 * region of it from `base` (ShockStage.bytes long).
 */
export class ShockStage {
  /** Run k's block of shocks (years × block), after compute(): views of the memory. */
  readonly blocks: readonly Float64Array[];
  private readonly call: () => void;

  /** Bytes the stage needs in the memory. */
  static bytes(normals: number, paths: readonly ShockPath[], years: number, block: number, runs: number): number {
    return layout(0, normals, paths, 8 * years * block, runs).end;
  }

  constructor(
    memory: WasmMemory,
    base: number,
    uniforms: UniformsAt,
    /** The run's shock normals: how many, and where the first is among its uniforms. */
    normals: { readonly count: number; readonly first: number },
    paths: readonly ShockPath[],
    years: number,
    block: number,
    runs: number,
  ) {
    const at = layout(base, normals.count, paths, 8 * years * block, runs);
    const view = new DataView(memory.buffer);
    let slotAt = at.slots;
    paths.forEach((p, i) => {
      view.setFloat64(at.table + 24 * i, p.sd, true);
      view.setFloat64(at.table + 24 * i + 8, p.rho, true);
      view.setFloat64(at.table + 24 * i + 16, p.innovation, true);
      view.setInt32(at.index + 12 * i, p.first, true);
      view.setInt32(at.index + 12 * i + 4, p.slots.length, true);
      view.setInt32(at.index + 12 * i + 8, slotAt, true);
      for (const s of p.slots) {
        view.setInt32(slotAt, s, true);
        slotAt += 4;
      }
    });
    this.blocks = Array.from(
      { length: runs },
      (_, k) => new Float64Array(memory.buffer, at.out + k * at.stride, years * block),
    );
    const { shocks } = shocksModule.instantiateOn(memory);
    const u = uniforms.at + 8 * normals.first;
    this.call = () =>
      shocks(
        runs,
        u,
        uniforms.stride,
        normals.count,
        at.z,
        at.tails,
        at.table,
        at.index,
        paths.length,
        years,
        block,
        at.out,
        at.stride,
      );
  }

  /** Every run's block from its uniforms as they are now. */
  compute(): void {
    this.call();
  }
}
