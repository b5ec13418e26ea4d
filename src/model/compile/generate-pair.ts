import { intern } from '../../util/intern.js';
import { isHoistCandidate } from '../codegen.js';
import type { EquationRef, ShockSlot } from '../compiled-model.js';
import type { Expr } from '../expression.js';
import type { KernelOptimiser } from '../passes/optimise.js';
import { STATE, YEAR } from '../passes/optimise.js';
import type { CheckedModel } from './checked-model.js';
import { Bytes, encodeModule, F64, type FuncType, I32, Op, Simd, V128, type ValType } from './wasm-encoder.js';

/**
 * The fused optimised projection (generate.ts) for two runs at once, as a WebAssembly module with
 * f64x2 SIMD: lane j computes run j. It is compiled from the same checked trees, rewritten by the same
 * KernelOptimiser (so it reads the same per-year table H, made by the JavaScript `prepare`, and the same
 * per-run and running-power slots), and every lane does the JavaScript kernel's IEEE operations on the
 * same operands in the same order, so each run's outputs are the same bits:
 *
 * - + − × ÷ and √ are IEEE operations, deterministic in both; min and max (and clamp, which is
 *   min(max(x, lo), hi)) are f64x2.min/max, which like Math.min/max return NaN if either operand is
 *   one and order −0 below +0; |x| is exact;
 * - exp, log, sin, cos and powers call JavaScript's Math functions lane by lane (imports), so they are
 *   the very functions the JavaScript kernel calls;
 * - a comparison, `and`, `or`, `not` give 1 or 0 as in the JavaScript (NaN compares unequal to
 *   everything in both); a conditional computes both branches and selects per lane (the branches are
 *   pure: a value computed in a branch not taken is discarded);
 * - domain checks set a per-lane mask, stored as the spare state slot's NaN (or 0) at the end, as the
 *   JavaScript kernel's `S[flag] = NaN`.
 *
 * The function returns a bit per lane: set when every output and every model state of that run is
 * finite (the flag included), the check Projector does after the JavaScript kernel.
 *
 * Supported: any model and Monte Carlo specialisation (shocks, draws, running powers); not the sweeps'
 * memo tables, output pruning by series or by year (they stay on the JavaScript kernel).
 *
 * Measured on paper-proposals (38 series, 21 years; AMD EPYC, load ~2): the JavaScript fused kernel
 * ~2.0 µs per run; a scalar WebAssembly translation of it the same (so the gain is the two lanes, not
 * the WebAssembly); this two-lane form ~1.25 µs per run, ~0.12 of it the finiteness scan. A scan fused
 * into the output stores (an or of v − v per value) cost more (~1.38), as did a compare and or per
 * domain test (~1.35) against one pmin/pmax.
 */

/** Memory layout of one call: byte offsets the caller passes (see PairProjector). */
export const PAIR_PARAMS = ['P0', 'P1', 'X0', 'X1', 'S0', 'S1', 'OUT0', 'OUT1', 'L', 'H', 'years'] as const;

export interface PairContext {
  readonly c: CheckedModel;
  readonly equations: readonly EquationRef[];
  readonly shockSlots: readonly ShockSlot[];
  readonly optimiser: KernelOptimiser;
  /** The optimiser's rewrite of tree `e` in region r, as the JavaScript fused kernel's (same slots). */
  readonly rewrite: (e: Expr, r: number) => Expr;
  /** How a symbol varies (optimise.ts levels), for auxiliaries. */
  readonly auxLevel: (name: string) => number;
  /** Whether a power or call is computed once a year for all regions: generate.ts's own test. */
  readonly regionFree: (e: Expr) => boolean;
}

/** The four IEEE operations, lane by lane (binary operators and chains). */
const ARITHMETIC = { '+': Simd.add, '-': Simd.sub, '*': Simd.mul, '/': Simd.div } as const;

/** Imported Math functions (module `m`), each called lane by lane through a helper. */
const UNARY = ['exp', 'log', 'sin', 'cos'] as const;
type Unary = (typeof UNARY)[number];

/**
 * V8's limits on one WebAssembly function (its wasm-limits.h: 50,000 locals, 7,654,321 bytes of body);
 * a model whose two-run kernel would pass either (tens of thousands of values a year) keeps the
 * JavaScript kernel.
 */
export const MAX_PAIR_LOCALS = 50_000;
export const MAX_PAIR_BODY = 7_654_321;

/** The module, or undefined when the kernel would exceed V8's limits (see above). */
export function generatePairKernel(x: PairContext): Uint8Array | undefined {
  const { c, equations, optimiser } = x;
  const { trees, names, domainFlag, hasDomain } = c;
  const R = c.regionCount;
  const G = names.globalStates.length;
  const NS = c.seriesCount;
  const LB = c.leverCount * R;
  const XB = x.shockSlots.length;
  const HB = optimiser.yearSlots.length;
  const hiddenBase = c.stateCount;
  const symbols = new Map(c.symbols.map(([name, kind, index]) => [name, { kind, index }]));
  const stateSlot = (k: number, r: number): number => G + k * R + r;
  const paramSlot = (idx: number, r: number): number => c.parameterSlots[idx]![0] + (c.parameterSlots[idx]![1] ? r : 0);
  const shockOf = new Map(x.shockSlots.map((s) => [`${s.equation}/${s.region}`, s.slot]));
  const gAuxOrder = trees.globalAuxiliaryOrder;
  const rAuxOrder = trees.auxiliaryOrder;
  const eqs = c.equations;

  // Locals: the parameters (i32 byte offsets), then i32 and v128 locals by name.
  const types: ValType[] = PAIR_PARAMS.map((): ValType => I32);
  const index = new Map<string, number>(PAIR_PARAMS.map((n, i) => [n, i]));
  const local = (name: string, type: ValType = V128): number => intern(index, name, () => types.push(type));
  const yi = local('#yi', I32);
  const lb = local('#lb', I32);
  const hb = local('#hb', I32);
  const xb0 = local('#xb0', I32);
  const xb1 = local('#xb1', I32);
  const o0 = local('#o0', I32);
  const o1 = local('#o1', I32);
  const flag = local('#flag');
  const P = [index.get('P0')!, index.get('P1')!];
  const S = [index.get('S0')!, index.get('S1')!];
  const OUT = [index.get('OUT0')!, index.get('OUT1')!];

  // Function indices: imports (exp, log, sin, cos, pow), project, the lane helpers, the finite scan.
  const unaryType: FuncType = { params: [F64], results: [F64] };
  const powType: FuncType = { params: [F64, F64], results: [F64] };
  const imports = [
    ...UNARY.map((name) => ({ module: 'm', name, type: unaryType })),
    { module: 'm', name: 'pow', type: powType },
  ];
  const PROJECT = imports.length;
  const helperIndex = (fn: Unary | 'pow'): number => PROJECT + 1 + [...UNARY, 'pow'].indexOf(fn);
  const FINITE = PROJECT + 1 + UNARY.length + 1;

  // Code buffers: parameter loads (once per call), the current year's hoisted calls, the body.
  const pre = new Bytes();
  let out = new Bytes();
  let hoistBuf = new Bytes();

  const constant = (b: Bytes, v: number): void => {
    b.simd(0x0c);
    b.f64(v).f64(v);
  };
  /** Both lanes' values of a per-run slot: [base0 + offset] in lane 0, [base1 + offset] in lane 1. */
  const loadPair = (b: Bytes, base0: number, base1: number, offset: number): void => {
    b.localGet(base1).localGet(base0).simd(Simd.load64Splat).memarg(3, offset);
    b.simd(Simd.load64Lane).memarg(3, offset).byte(1);
  };
  const paramLocal = (slot: number): number => {
    const name = `p${slot}`;
    if (!index.has(name)) {
      const i = local(name);
      loadPair(pre, P[0]!, P[1]!, 8 * slot);
      pre.localSet(i);
    }
    return index.get(name)!;
  };

  /** Pushes symbol `name` of region r (states, hidden slots, auxiliaries in locals). */
  const refSym = (b: Bytes, name: string, r: number): void => {
    if (name.startsWith('#')) {
      const k = Number(name.slice(2));
      if (name.startsWith('#y'))
        b.localGet(hb)
          .simd(Simd.load64Splat)
          .memarg(3, 8 * k);
      else if (name.startsWith('#s')) b.localGet(local(`x${k}`));
      else throw new Error(`internal error: the two-run kernel has no slot ${name}`);
      return;
    }
    const s = symbols.get(name)!;
    switch (s.kind) {
      case 'builtin':
        if (name === 'pi') constant(b, Math.PI);
        else b.localGet(local(name));
        return;
      case 'gparam':
        b.localGet(paramLocal(paramSlot(s.index, 0)));
        return;
      case 'rparam':
        b.localGet(paramLocal(paramSlot(s.index, r)));
        return;
      case 'lever':
        b.localGet(lb)
          .simd(Simd.load64Splat)
          .memarg(3, 8 * (s.index * R + r));
        return;
      case 'gstate':
        b.localGet(local(`s${s.index}`));
        return;
      case 'rstate':
        b.localGet(local(`s${stateSlot(s.index, r)}`));
        return;
      case 'gaux':
        b.localGet(local(`g${s.index}`));
        return;
      case 'raux':
        b.localGet(local(`a${s.index}_${r}`));
        return;
    }
  };

  const bool = (b: Bytes): void => {
    // A lane mask (all ones or zeros) to 1 or 0.
    constant(b, 1);
    b.simd(Simd.and);
  };
  const nonZero = (b: Bytes): void => {
    constant(b, 0);
    b.simd(Simd.ne);
  };
  /** Calls and powers that read no regional symbol are computed once per year (generate.ts's hoist). */
  let hoisted: Map<string, number> | undefined;

  const expr = (b: Bytes, e: Expr, r: number): void => {
    if (hoisted && isHoistCandidate(e) && x.regionFree(e)) {
      // -0 apart from 0 (JSON writes both as 0): sin(-0) is -0.
      const key = JSON.stringify(e, (_, v) => (Object.is(v, -0) ? '-0' : v));
      const k = intern(hoisted, key, (n) => {
        // Its local first: a call inside it may hoist more (their code goes before its local.set).
        const i = local(`h${n}`);
        node(hoistBuf, e, r);
        hoistBuf.localSet(i);
      });
      b.localGet(local(`h${k}`));
      return;
    }
    node(b, e, r);
  };
  const node = (b: Bytes, e: Expr, r: number): void => {
    switch (e.kind) {
      case 'num':
        constant(b, e.value);
        return;
      case 'sym':
        refSym(b, e.name, r);
        return;
      case 'unary':
        expr(b, e.arg, r);
        switch (e.op) {
          case 'neg':
            b.simd(Simd.neg);
            return;
          case 'not':
            constant(b, 0);
            b.simd(Simd.eq);
            bool(b);
            return;
          case 'plus':
            return;
          default:
            return unsupported(e);
        }
      case 'binary': {
        expr(b, e.left, r);
        if (e.op === 'and' || e.op === 'or') nonZero(b);
        expr(b, e.right, r);
        switch (e.op) {
          case '+':
          case '-':
          case '*':
          case '/':
            b.simd(ARITHMETIC[e.op]);
            return;
          case '^':
            b.op(Op.call).u32(helperIndex('pow'));
            return;
          case 'and':
          case 'or':
            nonZero(b);
            b.simd(e.op === 'and' ? Simd.and : Simd.or);
            bool(b);
            return;
          case '<':
          case '>':
          case '<=':
          case '>=':
          case '==':
          case '!=':
            b.simd({ '<': Simd.lt, '>': Simd.gt, '<=': Simd.le, '>=': Simd.ge, '==': Simd.eq, '!=': Simd.ne }[e.op]);
            bool(b);
            return;
          default:
            return unsupported(e);
        }
      }
      case 'chain':
        expr(b, e.first, r);
        for (const l of e.rest) {
          expr(b, l.arg, r);
          b.simd(ARITHMETIC[l.op]);
        }
        return;
      case 'call': {
        const a = e.args;
        switch (e.fn) {
          case 'min':
          case 'max':
            expr(b, a[0]!, r);
            for (let i = 1; i < a.length; i++) {
              expr(b, a[i]!, r);
              b.simd(e.fn === 'min' ? Simd.min : Simd.max);
            }
            return;
          case 'clamp':
            expr(b, a[0]!, r);
            expr(b, a[1]!, r);
            b.simd(Simd.max);
            expr(b, a[2]!, r);
            b.simd(Simd.min);
            return;
          case 'sqrt':
          case 'abs':
            expr(b, a[0]!, r);
            b.simd(e.fn === 'sqrt' ? Simd.sqrt : Simd.abs);
            return;
          case 'pow':
            expr(b, a[0]!, r);
            expr(b, a[1]!, r);
            b.op(Op.call).u32(helperIndex('pow'));
            return;
          case 'log':
            expr(b, a[0]!, r);
            b.op(Op.call).u32(helperIndex('log'));
            if (a.length === 2) {
              expr(b, a[1]!, r);
              b.op(Op.call).u32(helperIndex('log'));
              b.simd(Simd.div);
            }
            return;
          case 'exp':
          case 'sin':
          case 'cos':
            expr(b, a[0]!, r);
            b.op(Op.call).u32(helperIndex(e.fn));
            return;
          case 'ifelse':
            throw new Error('ifelse is lowered to a conditional by the parser');
          default:
            return unsupported(e.fn);
        }
      }
      case 'cond':
        expr(b, e.then, r);
        expr(b, e.else, r);
        expr(b, e.test, r);
        nonZero(b);
        b.simd(Simd.bitselect);
        return;
      default:
        return unsupported(e);
    }
  };

  /**
   * `name = tree` in region r, plus the shock of equation `shocked` if it has one (its key: the
   * equation's name and region, −1 for a global one), as generate.ts's shockTerm.
   */
  const define = (name: string, e: Expr, r: number, shocked?: string, shockRegion = r): void => {
    expr(out, e, r);
    const slot = shocked === undefined ? undefined : shockOf.get(`${shocked}/${shockRegion}`);
    if (slot !== undefined) {
      loadPair(out, xb0, xb1, 8 * slot);
      out.simd(Simd.add);
    }
    out.localSet(local(name));
  };
  /**
   * The domain test of equation `eq` on local `name`. The JavaScript kernel flags `v < lo || v > hi`;
   * here each bound keeps, per lane, the least (for a lower bound) or greatest (upper) value tested
   * against it, and the flag is set at the end if that one is outside: one instruction per test
   * instead of a comparison and an or. pmin(acc, v) is `v < acc ? v : acc`, so a NaN is passed over
   * as `NaN < lo` is false in the JavaScript (a NaN fails the run by the finiteness test instead), and
   * −0 never replaces +0; after that, acc < lo exactly when some v < lo (and likewise for pmax).
   */
  const bounds = new Map<string, { bound: number; lower: boolean; acc: number }>();
  const guard = (name: string, eq: number): void => {
    const d = equations[eq]!.domain;
    if (!d) return;
    for (const [bound, lower] of [
      [d[0], true],
      [d[1], false],
    ] as const) {
      if (!Number.isFinite(bound)) continue;
      const key = `${lower ? '>=' : '<='}${bound}`;
      let b = bounds.get(key);
      if (!b) {
        b = { bound, lower, acc: local(`#bound${bounds.size}`) };
        bounds.set(key, b);
        constant(pre, lower ? Number.POSITIVE_INFINITY : Number.NEGATIVE_INFINITY);
        pre.localSet(b.acc);
      }
      out
        .localGet(b.acc)
        .localGet(local(name))
        .simd(lower ? Simd.pmin : Simd.pmax)
        .localSet(b.acc);
    }
  };
  const store = (col: number, name: string): void => {
    for (let j = 0; j < 2; j++)
      out
        .localGet([o0, o1][j]!)
        .localGet(local(name))
        .simd(Simd.store64Lane)
        .memarg(3, 8 * col)
        .byte(j);
  };
  const setI32 = (target: number, base: number, stride: number): void => {
    out.localGet(base).localGet(yi).i32Const(stride).op(Op.i32Mul).op(Op.i32Add).localSet(target);
  };
  const setYear = (): void => {
    // year and t as the JavaScript kernel has them: BASE + yi and yi, exact doubles.
    out
      .localGet(yi)
      .i32Const(c.baseYear)
      .op(Op.i32Add)
      .op(Op.f64ConvertI32S)
      .simd(Simd.f64x2Splat)
      .localSet(local('year'));
    out.localGet(yi).op(Op.f64ConvertI32S).simd(Simd.f64x2Splat).localSet(local('t'));
  };

  /** The indicators of year yi (o0, o1 set): generate.ts's observe lines. */
  const observe = (): void => {
    let col = 0;
    trees.indicators.forEach((ind, i) => {
      const eq = eqs.indicators[i]!;
      for (let r = 0; r < R; r++) {
        define(`v${i}_${r}`, ind.expr, r);
        guard(`v${i}_${r}`, eq.value);
        store(col++, `v${i}_${r}`);
      }
      const w = ind.weight;
      if (w !== 'sum')
        for (let r = 0; r < R; r++) {
          define(`w${i}_${r}`, w, r);
          guard(`w${i}_${r}`, eq.weight!);
        }
      c.aggregates.forEach((members, ai) => {
        const name = `ag${i}_${ai}`;
        if (w === 'sum') {
          members.forEach((r, k) => {
            out.localGet(local(`v${i}_${r}`));
            if (k > 0) out.simd(Simd.add);
          });
        } else {
          members.forEach((r, k) => {
            out
              .localGet(local(`w${i}_${r}`))
              .localGet(local(`v${i}_${r}`))
              .simd(Simd.mul);
            if (k > 0) out.simd(Simd.add);
          });
          members.forEach((r, k) => {
            out.localGet(local(`w${i}_${r}`));
            if (k > 0) out.simd(Simd.add);
          });
          out.simd(Simd.div);
        }
        out.localSet(local(name));
        guard(name, eq.aggregates[ai]!);
        store(col++, name);
      });
      if (ind.reference) {
        define(`rf${i}`, ind.reference, 0);
        guard(`rf${i}`, eq.reference!);
        store(col++, `rf${i}`);
      }
    });
  };

  // init (year 0): states, the auxiliaries that per-run slots may read, the hidden slots, outputs.
  out.i32Const(0).localSet(yi);
  setYear();
  const pointers = (): void => {
    setI32(lb, index.get('L')!, 8 * LB);
    setI32(hb, index.get('H')!, 8 * HB);
    setI32(xb0, index.get('X0')!, 8 * XB);
    setI32(xb1, index.get('X1')!, 8 * XB);
    setI32(o0, OUT[0]!, 8 * NS);
    setI32(o1, OUT[1]!, 8 * NS);
  };
  pointers();
  names.globalStates.forEach((_, i) => {
    define(`s${i}`, trees.globalInitial[i]!, 0);
    guard(`s${i}`, eqs.globalInitial[i]!);
  });
  names.states.forEach((_, k) => {
    for (let r = 0; r < R; r++) {
      define(`s${stateSlot(k, r)}`, trees.initial[k]![r]!, r);
      guard(`s${stateSlot(k, r)}`, eqs.initial[k]!);
    }
  });
  const notMoved = (name: string): boolean => (x.auxLevel(name) & (YEAR | STATE)) === 0;
  for (const i of gAuxOrder) if (notMoved(names.globalAuxiliaries[i]!)) define(`g${i}`, trees.globalAuxiliaries[i]!, 0);
  for (let r = 0; r < R; r++)
    for (const i of rAuxOrder) if (notMoved(names.auxiliaries[i]!)) define(`a${i}_${r}`, trees.auxiliaries[i]!, r);
  optimiser.hidden.forEach((h, k) => {
    expr(out, h.tree.expr, h.tree.region);
    if (h.kind === 'power') {
      constant(out, h.first);
      out.op(Op.call).u32(helperIndex('pow'));
    }
    out.localSet(local(`x${k}`));
  });
  observe();

  // The years: for (yi = 1; yi < years; yi++).
  out.i32Const(1).localSet(yi);
  out.op(Op.block).byte(0x40);
  out.localGet(yi).localGet(index.get('years')!).op(Op.i32LtS).op(Op.i32Eqz).op(Op.br_if).u32(0);
  out.op(Op.loop).byte(0x40);
  const before = out;
  out = new Bytes();
  hoisted = new Map();
  for (const i of gAuxOrder) {
    const name = names.globalAuxiliaries[i]!;
    define(`g${i}`, x.rewrite(trees.globalAuxiliaries[i]!, 0), 0, name, -1);
    guard(`g${i}`, eqs.globalAuxiliaries[i]!);
  }
  names.globalStates.forEach((name, i) => {
    define(`gn${i}`, x.rewrite(trees.globalNext[i]!, 0), 0, name, -1);
    guard(`gn${i}`, eqs.globalNext[i]!);
  });
  for (let r = 0; r < R; r++) {
    for (const i of rAuxOrder) {
      define(`a${i}_${r}`, x.rewrite(trees.auxiliaries[i]!, r), r, names.auxiliaries[i]!);
      guard(`a${i}_${r}`, eqs.auxiliaries[i]!);
    }
    names.states.forEach((name, k) => {
      define(`n${k}_${r}`, x.rewrite(trees.next[k]!, r), r, name);
      guard(`n${k}_${r}`, eqs.next[k]!);
    });
  }
  hoisted = undefined;
  // States advance only after every next value is computed; then the running powers.
  names.globalStates.forEach((_, i) => out.localGet(local(`gn${i}`)).localSet(local(`s${i}`)));
  for (let r = 0; r < R; r++)
    names.states.forEach((_, k) => out.localGet(local(`n${k}_${r}`)).localSet(local(`s${stateSlot(k, r)}`)));
  optimiser.hidden.forEach((h, k) => {
    if (h.kind !== 'power') return;
    out.localGet(local(`x${k}`));
    expr(out, h.tree.expr, h.tree.region);
    out.simd(Simd.mul).localSet(local(`x${k}`));
  });
  observe();
  const body = out;
  out = before;
  setYear();
  pointers();
  out.append(hoistBuf).append(body);
  hoistBuf = new Bytes();
  out.localGet(yi).i32Const(1).op(Op.i32Add).localSet(yi);
  out.localGet(yi).localGet(index.get('years')!).op(Op.i32LtS).op(Op.br_if).u32(0);
  out.op(Op.end).op(Op.end);

  // The lanes' states back to S0, S1 (the model's, then the hidden slots), the flag as NaN or 0.
  const storeLanes = (slot: number, value: () => void): void => {
    for (let j = 0; j < 2; j++) {
      out.localGet(S[j]!);
      value();
      out
        .simd(Simd.store64Lane)
        .memarg(3, 8 * slot)
        .byte(j);
    }
  };
  names.globalStates.forEach((_, i) => storeLanes(i, () => out.localGet(local(`s${i}`))));
  names.states.forEach((_, k) => {
    for (let r = 0; r < R; r++) storeLanes(stateSlot(k, r), () => out.localGet(local(`s${stateSlot(k, r)}`)));
  });
  optimiser.hidden.forEach((_, k) => storeLanes(hiddenBase + k, () => out.localGet(local(`x${k}`))));
  for (const { bound, lower, acc } of bounds.values()) {
    out.localGet(flag).localGet(acc);
    constant(out, bound);
    out
      .simd(lower ? Simd.lt : Simd.gt)
      .simd(Simd.or)
      .localSet(flag);
  }
  if (hasDomain)
    storeLanes(domainFlag, () => {
      out.localGet(flag);
      constant(out, Number.NaN);
      out.simd(Simd.and);
    });
  // The result: bit j when lane j's outputs (every year) and model states are all finite.
  for (let j = 0; j < 2; j++) {
    out.localGet(OUT[j]!).localGet(index.get('years')!).i32Const(NS).op(Op.i32Mul).op(Op.call).u32(FINITE);
    out.localGet(S[j]!).i32Const(c.stateCount).op(Op.call).u32(FINITE).op(Op.i32And);
    if (j === 1) out.i32Const(2).op(Op.i32Mul).op(Op.i32Or);
  }

  const project = new Bytes().append(pre).append(out);
  if (types.length > MAX_PAIR_LOCALS || project.length > MAX_PAIR_BODY) return undefined;
  const lane = (fn: Unary | 'pow'): Bytes => {
    const b = new Bytes();
    const args = fn === 'pow' ? [0, 1] : [0];
    const call = fn === 'pow' ? PROJECT - 1 : UNARY.indexOf(fn);
    for (const l of [0, 1]) {
      for (const a of args) b.localGet(a).simd(Simd.extractLane).byte(l);
      b.op(Op.call).u32(call);
      if (l === 0) b.simd(Simd.f64x2Splat);
    }
    // Stack: [splat(lane 0 result), lane 1 result] → replace lane 1.
    b.simd(Simd.replaceLane).byte(1);
    return b;
  };
  return encodeModule(imports, [
    {
      type: { params: PAIR_PARAMS.map((): ValType => I32), results: [I32] as ValType[] },
      locals: types.slice(PAIR_PARAMS.length),
      body: project,
      export: 'project',
    },
    ...[...UNARY, 'pow' as const].map((fn) => ({
      type: { params: (fn === 'pow' ? [V128, V128] : [V128]) as ValType[], results: [V128] as ValType[] },
      locals: [],
      body: lane(fn),
    })),
    {
      type: { params: [I32, I32] as ValType[], results: [I32] as ValType[] },
      locals: [I32, V128, V128, F64, V128] as ValType[],
      body: finiteScan(),
    },
  ]);
}

/**
 * An operator or function the expression language gained without a lane-wise translation here: a
 * compile error (its argument is `never` while every case is handled), and should the types be
 * bypassed, a thrown error rather than a module that computes something else.
 */
function unsupported(what: never): never {
  throw new Error(`internal error: the two-run kernel cannot compile ${JSON.stringify(what)}`);
}

/**
 * finite(p, n): 1 when the n doubles at byte offset p are all finite. x − x is 0 for a finite x and
 * NaN otherwise, and a sum of such terms is NaN as soon as one is, so the sums never overflow.
 */
export function finiteScan(): Bytes {
  const [p, n, end, a, bacc, s, v] = [0, 1, 2, 3, 4, 5, 6];
  const b = new Bytes();
  // Sixteen values at a time: end = p + 8 × (n rounded down to a multiple of 16).
  b.localGet(p).localGet(n).i32Const(-16).op(Op.i32And).i32Const(8).op(Op.i32Mul).op(Op.i32Add).localSet(end);
  b.op(Op.block).byte(0x40).op(Op.loop).byte(0x40);
  b.localGet(p).localGet(end).op(Op.i32LtS).op(Op.i32Eqz).op(Op.br_if).u32(1);
  for (let k = 0; k < 8; k++) {
    const acc = k % 2 === 0 ? a : bacc;
    b.localGet(acc)
      .localGet(p)
      .simd(Simd.v128Load)
      .memarg(4, 16 * k)
      .op(Op.localTee)
      .u32(v)
      .localGet(v);
    b.simd(Simd.sub).simd(Simd.or).localSet(acc);
  }
  b.localGet(p).i32Const(128).op(Op.i32Add).localSet(p).op(0x0c).u32(0);
  b.op(Op.end).op(Op.end);
  // Then two at a time up to n rounded down to an even number, then the last one, if n is odd.
  b.localGet(end).localGet(n).i32Const(14).op(Op.i32And).i32Const(8).op(Op.i32Mul).op(Op.i32Add).localSet(end);
  b.op(Op.block).byte(0x40).op(Op.loop).byte(0x40);
  b.localGet(p).localGet(end).op(Op.i32LtS).op(Op.i32Eqz).op(Op.br_if).u32(1);
  b.localGet(a).localGet(p).simd(Simd.v128Load).memarg(4, 0).op(Op.localTee).u32(v).localGet(v);
  b.simd(Simd.sub).simd(Simd.or).localSet(a);
  b.localGet(p).i32Const(16).op(Op.i32Add).localSet(p).op(0x0c).u32(0);
  b.op(Op.end).op(Op.end);
  b.localGet(a).localGet(bacc).simd(Simd.or).localSet(a);
  b.localGet(a).simd(Simd.extractLane).byte(0).localGet(a).simd(Simd.extractLane).byte(1).op(Op.f64Add).localSet(s);
  b.localGet(end).localGet(n).i32Const(1).op(Op.i32And).i32Const(8).op(Op.i32Mul).op(Op.i32Add).localSet(end);
  b.op(Op.block).byte(0x40).op(Op.loop).byte(0x40);
  b.localGet(p).localGet(end).op(Op.i32LtS).op(Op.i32Eqz).op(Op.br_if).u32(1);
  b.localGet(s).localGet(p).op(Op.f64Load).memarg(3, 0).localGet(p).op(Op.f64Load).memarg(3, 0);
  b.op(Op.f64Sub).op(Op.f64Add).localSet(s);
  b.localGet(p).i32Const(8).op(Op.i32Add).localSet(p).op(0x0c).u32(0);
  b.op(Op.end).op(Op.end);
  b.localGet(s).f64Const(0).op(Op.f64Eq);
  return b;
}
