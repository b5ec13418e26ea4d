import { intern } from '../../util/intern.js';

/**
 * A WebAssembly binary encoder for the one kind of module the compiler generates (the two-run kernel,
 * generate-pair.ts): one memory imported as `env.memory`, functions imported from `m`, functions of
 * i32 parameters with i32/f64/v128 locals, and the instructions below. Hand-written rather than wabt:
 * wabt (the devDependency that assembles the fixed .wat modules at build time) can only be loaded
 * asynchronously (an Emscripten module, ~22 ms and ~6 ms for its first parse), while the compiler and
 * prepareMc() with its fifteen callers are synchronous; and the generated code needs two dozen opcodes,
 * each checked against wabt's encoding by tests/model/wasm-encoder.test.ts.
 */

/** Value types (binary codes). */
export const I32 = 0x7f;
export const F64 = 0x7c;
export const V128 = 0x7b;
export type ValType = typeof I32 | typeof F64 | typeof V128;

/** Plain opcodes used by the generator. */
export const Op = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  end: 0x0b,
  br_if: 0x0d,
  call: 0x10,
  select: 0x1b,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  f64Load: 0x2b,
  f64Store: 0x39,
  i32Const: 0x41,
  f64Const: 0x44,
  i32Eqz: 0x45,
  i32LtS: 0x48,
  i32Add: 0x6a,
  i32Mul: 0x6c,
  i32And: 0x71,
  i32Or: 0x72,
  f64Eq: 0x61,
  f64Sub: 0xa1,
  f64Add: 0xa0,
  f64ConvertI32S: 0xb7,
} as const;

/** SIMD opcodes (after the 0xfd prefix). */
export const Simd = {
  v128Load: 0x00,
  load64Splat: 0x0a,
  v128Store: 0x0b,
  f64x2Splat: 0x14,
  extractLane: 0x21,
  replaceLane: 0x22,
  eq: 0x47,
  ne: 0x48,
  lt: 0x49,
  gt: 0x4a,
  le: 0x4b,
  ge: 0x4c,
  and: 0x4e,
  or: 0x50,
  bitselect: 0x52,
  load64Lane: 0x57,
  store64Lane: 0x5b,
  abs: 0xec,
  neg: 0xed,
  sqrt: 0xef,
  add: 0xf0,
  sub: 0xf1,
  mul: 0xf2,
  div: 0xf3,
  min: 0xf4,
  max: 0xf5,
  pmin: 0xf6,
  pmax: 0xf7,
} as const;

/** A growing byte buffer with the binary format's encodings. */
export class Bytes {
  private buf = new Uint8Array(256);
  length = 0;

  byte(b: number): this {
    if (this.length === this.buf.length) {
      const next = new Uint8Array(this.buf.length * 2);
      next.set(this.buf);
      this.buf = next;
    }
    this.buf[this.length++] = b;
    return this;
  }

  /** Unsigned LEB128. */
  u32(v: number): this {
    if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new RangeError(`not a u32: ${v}`);
    do {
      let b = v % 128;
      v = Math.floor(v / 128);
      if (v > 0) b |= 0x80;
      this.byte(b);
    } while (v > 0);
    return this;
  }

  /** Signed LEB128 of a 32-bit integer. */
  s32(v: number): this {
    if (!Number.isInteger(v) || v < -(2 ** 31) || v >= 2 ** 31) throw new RangeError(`not an i32: ${v}`);
    for (;;) {
      const b = v & 0x7f;
      v >>= 7;
      const done = (v === 0 && (b & 0x40) === 0) || (v === -1 && (b & 0x40) !== 0);
      this.byte(done ? b : b | 0x80);
      if (done) return this;
    }
  }

  /** The double's eight bytes, little-endian: exactly its bits. */
  f64(v: number): this {
    const b = new Uint8Array(new Float64Array([v]).buffer);
    for (const x of b) this.byte(x);
    return this;
  }

  name(s: string): this {
    const b = new TextEncoder().encode(s);
    this.u32(b.length);
    for (const x of b) this.byte(x);
    return this;
  }

  append(other: Bytes): this {
    for (let i = 0; i < other.length; i++) this.byte(other.buf[i]!);
    return this;
  }

  bytes(): Uint8Array {
    return this.buf.slice(0, this.length);
  }

  // Instructions.
  op(code: number): this {
    return this.byte(code);
  }
  simd(code: number): this {
    return this.byte(0xfd).u32(code);
  }
  /** A memory instruction's alignment (log2) and offset. */
  memarg(align: number, offset: number): this {
    return this.u32(align).u32(offset);
  }
  localGet(i: number): this {
    return this.op(Op.localGet).u32(i);
  }
  localSet(i: number): this {
    return this.op(Op.localSet).u32(i);
  }
  i32Const(v: number): this {
    return this.op(Op.i32Const).s32(v);
  }
  f64Const(v: number): this {
    return this.op(Op.f64Const).f64(v);
  }
}

export interface FuncType {
  readonly params: readonly ValType[];
  readonly results: readonly ValType[];
}

export interface ImportedFunc {
  readonly module: string;
  readonly name: string;
  readonly type: FuncType;
}

export interface DefinedFunc {
  readonly type: FuncType;
  /** Locals after the parameters, in index order. */
  readonly locals: readonly ValType[];
  /** The body's instructions, without the final `end`. */
  readonly body: Bytes;
  readonly export?: string;
}

/**
 * A module: `env.memory` (at least one page) and the imported functions (indices 0…), then the defined
 * ones (their indices follow the imports').
 */
export function encodeModule(imports: readonly ImportedFunc[], funcs: readonly DefinedFunc[]): Uint8Array {
  const types: FuncType[] = [];
  const typeKey = (t: FuncType): string => `${t.params.join(',')}>${t.results.join(',')}`;
  const typeIndex = new Map<string, number>();
  const typeOf = (t: FuncType): number => intern(typeIndex, typeKey(t), () => types.push(t));
  const importTypes = imports.map((f) => typeOf(f.type));
  const funcTypes = funcs.map((f) => typeOf(f.type));

  const out = new Bytes();
  out.byte(0x00).byte(0x61).byte(0x73).byte(0x6d).byte(0x01).byte(0x00).byte(0x00).byte(0x00);
  const section = (id: number, body: Bytes): void => {
    out.byte(id).u32(body.length).append(body);
  };
  const vec = <T>(items: readonly T[], each: (b: Bytes, x: T, i: number) => void): Bytes => {
    const b = new Bytes().u32(items.length);
    items.forEach((x, i) => each(b, x, i));
    return b;
  };
  section(
    1,
    vec(types, (b, t) => {
      b.byte(0x60).u32(t.params.length);
      for (const p of t.params) b.byte(p);
      b.u32(t.results.length);
      for (const r of t.results) b.byte(r);
    }),
  );
  const imp = new Bytes().u32(imports.length + 1);
  imp.name('env').name('memory').byte(0x02).byte(0x00).u32(1);
  imports.forEach((f, i) => {
    imp.name(f.module).name(f.name).byte(0x00).u32(importTypes[i]!);
  });
  section(2, imp);
  section(
    3,
    vec(funcs, (b, _f, i) => b.u32(funcTypes[i]!)),
  );
  const exported = funcs.map((f, i) => ({ name: f.export, index: imports.length + i })).filter((e) => e.name);
  section(
    7,
    vec(exported, (b, e) => b.name(e.name!).byte(0x00).u32(e.index)),
  );
  section(
    10,
    vec(funcs, (b, f) => {
      // Locals as runs of one type.
      const runs: [number, ValType][] = [];
      for (const t of f.locals) {
        const last = runs[runs.length - 1];
        if (last && last[1] === t) last[0]++;
        else runs.push([1, t]);
      }
      const body = new Bytes().u32(runs.length);
      for (const [n, t] of runs) body.u32(n).byte(t);
      body.append(f.body).op(Op.end);
      b.u32(body.length).append(body);
    }),
  );
  return out.bytes();
}
