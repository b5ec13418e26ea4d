/**
 * The compiler's WebAssembly encoder (src/model/compile/wasm-encoder.ts) against the pinned wabt that
 * assembles the fixed .wat modules: a module using every opcode and encoding the two-run kernel uses
 * comes out byte for byte as wabt assembles the same text, and every generated two-run kernel of the
 * kernel-pass fixtures is a valid module by wabt's validator.
 */
import { describe, expect, it } from 'vitest';
import wabtInit from 'wabt';
import {
  Bytes,
  encodeModule,
  F64,
  type FuncType,
  I32,
  Op,
  Simd,
  V128,
  type ValType,
} from '../../src/model/compile/wasm-encoder.js';
import { loadModel } from '../../src/model/load-model.js';
import { MODELS } from '../fixtures/kernel-passes.js';

const hex = (b: Bytes): string => Buffer.from(b.bytes()).toString('hex');

describe('LEB128 and constants', () => {
  it('encodes unsigned and signed integers and doubles as the binary format says', () => {
    expect(hex(new Bytes().u32(0).u32(127).u32(128).u32(624485))).toBe('007f8001e58e26');
    expect(hex(new Bytes().s32(-1).s32(63).s32(64).s32(-64).s32(-65).s32(-123456))).toBe('7f3fc00040bf7fc0bb78');
    expect(hex(new Bytes().f64(1).f64(-0))).toBe('000000000000f03f0000000000000080');
    // The ends of the ranges: five bytes each; the last one holds the top four bits (and the sign).
    expect(
      hex(
        new Bytes()
          .u32(0xffffffff)
          .s32(2 ** 31 - 1)
          .s32(-(2 ** 31)),
      ),
    ).toBe('ffffffff0fffffffff078080808078');
    // The NaN the domain flag stores is the quiet NaN JavaScript's NaN has (0x7ff8000000000000).
    expect(hex(new Bytes().f64(Number.NaN))).toBe('000000000000f87f');
    expect(() => new Bytes().u32(2 ** 32)).toThrow(RangeError);
    expect(() => new Bytes().s32(0.5)).toThrow(RangeError);
    expect(() => new Bytes().u32(-1)).toThrow(RangeError);
    expect(() => new Bytes().s32(2 ** 31)).toThrow(RangeError);
  });
});

describe('encodeModule', () => {
  it('gives the bytes wabt assembles from the same text, for every opcode the kernel uses', async () => {
    const wabt = await wabtInit();
    const wat: string[] = [];
    const b = new Bytes();
    const both = (text: string, emit: (b: Bytes) => void): void => {
      wat.push(text);
      emit(b);
    };
    // Locals: 0, 1 i32 parameters; 2 i32, 3 f64, 4 v128.
    for (const [name, code] of Object.entries(Simd)) {
      if (['v128Load', 'load64Splat', 'v128Store', 'load64Lane', 'store64Lane', 'f64x2Splat'].includes(name)) continue;
      if (name === 'extractLane' || name === 'replaceLane') continue;
      const text = {
        eq: 'f64x2.eq',
        ne: 'f64x2.ne',
        lt: 'f64x2.lt',
        gt: 'f64x2.gt',
        le: 'f64x2.le',
        ge: 'f64x2.ge',
        and: 'v128.and',
        or: 'v128.or',
        bitselect: 'v128.bitselect',
        abs: 'f64x2.abs',
        neg: 'f64x2.neg',
        sqrt: 'f64x2.sqrt',
        add: 'f64x2.add',
        sub: 'f64x2.sub',
        mul: 'f64x2.mul',
        div: 'f64x2.div',
        min: 'f64x2.min',
        max: 'f64x2.max',
        pmin: 'f64x2.pmin',
        pmax: 'f64x2.pmax',
      }[name]!;
      const operands = ['abs', 'neg', 'sqrt'].includes(name) ? 1 : name === 'bitselect' ? 3 : 2;
      both(`${'local.get 4 '.repeat(operands)}${text} local.set 4`, (x) => {
        for (let i = 0; i < operands; i++) x.localGet(4);
        x.simd(code).localSet(4);
      });
    }
    both('local.get 0 v128.load offset=16 local.set 4', (x) =>
      x.localGet(0).simd(Simd.v128Load).memarg(4, 16).localSet(4),
    );
    both('local.get 0 v128.load64_splat offset=200 local.set 4', (x) =>
      x.localGet(0).simd(Simd.load64Splat).memarg(3, 200).localSet(4),
    );
    both('local.get 0 local.get 4 v128.load64_lane offset=8 1 local.set 4', (x) =>
      x.localGet(0).localGet(4).simd(Simd.load64Lane).memarg(3, 8).byte(1).localSet(4),
    );
    both('local.get 0 local.get 4 v128.store64_lane offset=1000 0', (x) =>
      x.localGet(0).localGet(4).simd(Simd.store64Lane).memarg(3, 1000).byte(0),
    );
    both('local.get 0 local.get 4 v128.store offset=32', (x) =>
      x.localGet(0).localGet(4).simd(Simd.v128Store).memarg(4, 32),
    );
    both('local.get 3 f64x2.splat local.get 3 f64x2.replace_lane 1 f64x2.extract_lane 0 local.set 3', (x) =>
      x
        .localGet(3)
        .simd(Simd.f64x2Splat)
        .localGet(3)
        .simd(Simd.replaceLane)
        .byte(1)
        .simd(Simd.extractLane)
        .byte(0)
        .localSet(3),
    );
    both('v128.const f64x2 0x1.8p+0 -0x0p+0 local.set 4', (x) => {
      x.simd(0x0c).f64(1.5).f64(-0);
      x.localSet(4);
    });
    both('f64.const 0x1.5555555555555p-2 local.get 0 f64.load offset=8 f64.sub local.get 3 f64.add local.set 3', (x) =>
      x
        .f64Const(1 / 3)
        .localGet(0)
        .op(Op.f64Load)
        .memarg(3, 8)
        .op(Op.f64Sub)
        .localGet(3)
        .op(Op.f64Add)
        .localSet(3),
    );
    both('local.get 0 local.get 3 f64.store offset=24', (x) => x.localGet(0).localGet(3).op(Op.f64Store).memarg(3, 24));
    both('local.get 3 f64.const 0 f64.eq local.set 2', (x) => x.localGet(3).f64Const(0).op(Op.f64Eq).localSet(2));
    both(
      'local.get 1 i32.const -4 i32.and i32.const 8 i32.mul local.get 0 i32.add local.tee 2 i32.const 300 i32.or local.set 2',
      (x) =>
        x
          .localGet(1)
          .i32Const(-4)
          .op(Op.i32And)
          .i32Const(8)
          .op(Op.i32Mul)
          .localGet(0)
          .op(Op.i32Add)
          .op(Op.localTee)
          .u32(2)
          .i32Const(300)
          .op(Op.i32Or)
          .localSet(2),
    );
    both('local.get 2 f64.convert_i32_s local.set 3', (x) => x.localGet(2).op(Op.f64ConvertI32S).localSet(3));
    both(
      'block loop local.get 0 local.get 1 i32.lt_s i32.eqz br_if 1 local.get 0 i32.const 1 i32.add local.set 0 br 0 end end',
      (x) =>
        x
          .op(Op.block)
          .byte(0x40)
          .op(Op.loop)
          .byte(0x40)
          .localGet(0)
          .localGet(1)
          .op(Op.i32LtS)
          .op(Op.i32Eqz)
          .op(Op.br_if)
          .u32(1)
          .localGet(0)
          .i32Const(1)
          .op(Op.i32Add)
          .localSet(0)
          .op(0x0c)
          .u32(0)
          .op(Op.end)
          .op(Op.end),
    );
    both('local.get 3 call 0 local.get 3 call 1 local.set 3 drop', (x) =>
      x.localGet(3).op(Op.call).u32(0).localGet(3).op(Op.call).u32(1).localSet(3).op(0x1a),
    );
    // Offsets and constants past one LEB128 byte, as a model with many slots gives.
    both('local.get 0 f64.load offset=123456 i32.const -123456789 drop local.set 3', (x) =>
      x.localGet(0).op(Op.f64Load).memarg(3, 123456).i32Const(-123456789).op(0x1a).localSet(3),
    );
    both('local.get 2', (x) => x.localGet(2));
    const unary: FuncType = { params: [F64], results: [F64] };
    const ours = encodeModule(
      [
        { module: 'm', name: 'exp', type: unary },
        { module: 'm', name: 'log', type: unary },
      ],
      [{ type: { params: [I32, I32], results: [I32] }, locals: [I32, F64, V128] as ValType[], body: b, export: 'f' }],
    );
    const text = `(module
      (import "env" "memory" (memory 1))
      (import "m" "exp" (func (param f64) (result f64)))
      (import "m" "log" (func (param f64) (result f64)))
      (func (export "f") (param i32 i32) (result i32) (local i32 f64 v128)
        ${wat.join('\n')}))`;
    const mod = wabt.parseWat('t.wat', text, { simd: true });
    try {
      mod.validate();
      const theirs = Buffer.from(mod.toBinary({ log: false, write_debug_names: false }).buffer);
      expect(Buffer.from(ours).toString('hex')).toBe(theirs.toString('hex'));
    } finally {
      mod.destroy();
    }
  });

  it("every fixture model's two-run kernel is a valid module", async () => {
    const wabt = await wabtInit();
    for (const file of [
      ...MODELS,
      'tests/fixtures/models/pair-operations.yaml',
      'tests/fixtures/models/pair-ieee.yaml',
    ]) {
      const plain = loadModel(file);
      const n = plain.checkedModel.names;
      const m = loadModel(file, process.cwd(), {
        drawn: plain.parameters.map((p) => p.name),
        shocked: [...n.globalAuxiliaries, ...n.states],
        pairKernel: true,
      });
      const mod = wabt.readWasm(m.optimised.pair!, { simd: true });
      try {
        expect(() => mod.validate()).not.toThrow();
      } finally {
        mod.destroy();
      }
    }
  });
});
