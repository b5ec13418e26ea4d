/**
 * The two-run WebAssembly kernel (src/model/compile/generate-pair.ts, src/project/pair-projector.ts)
 * against the optimised JavaScript kernel it stands in for, on the Northeast model and the kernel-pass
 * fixtures plus one that uses every operation: each lane's outputs and final states are the same
 * bytes, with every parameter drawn and every equation shocked; a lane is passed as finite exactly
 * when Projector would pass the run. Then the Monte Carlo's blocks with and without it: the same
 * statistics bytes, and the same failure (run and message) whichever lane the failing run is in.
 */
import { describe, expect, it } from 'vitest';
import { finiteScan } from '../../src/model/compile/generate-pair.js';
import { encodeModule, F64, I32, V128 } from '../../src/model/compile/wasm-encoder.js';
import type { CompiledModel } from '../../src/model/compiled-model.js';
import { FUNCTIONS } from '../../src/model/expression.js';
import { loadModel } from '../../src/model/load-model.js';
import { prepareMc } from '../../src/montecarlo/prepare-mc.js';
import { RunBlockEvaluator, type RunBlockImage } from '../../src/montecarlo/run-block.js';
import { LEAF_SIZE } from '../../src/montecarlo/stats.js';
import { PairProjector } from '../../src/project/pair-projector.js';
import { NonFiniteRun } from '../../src/project/projector.js';
import { WasmModule } from '../../src/util/wasm.js';
import { inputs, lcg, MODELS, YEARS } from '../fixtures/kernel-passes.js';
import { FIX } from '../fixtures/mc/helpers.js';

const IEEE = 'tests/fixtures/models/pair-ieee.yaml';
const bytes = (a: Float64Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
const allFinite = (a: Float64Array, n = a.length): boolean => a.subarray(0, n).every(Number.isFinite);

/** The model with every parameter drawn and every equation shocked, with its two-run kernel. */
function mcModel(file: string): CompiledModel {
  const plain = loadModel(file);
  const n = plain.checkedModel.names;
  return loadModel(file, process.cwd(), {
    drawn: plain.parameters.map((p) => p.name),
    shocked: [...n.globalAuxiliaries, ...n.globalStates, ...n.auxiliaries, ...n.states],
    pairKernel: true,
  });
}

describe('two-run kernel: each lane is the optimised JavaScript kernel bit for bit', () => {
  for (const file of [...MODELS, 'tests/fixtures/models/pair-operations.yaml', IEEE]) {
    it(`${file}: outputs and states of 40 pairs of runs with draws and shocks`, () => {
      const m = mcModel(file);
      expect(m.optimised.pair).toBeInstanceOf(Uint8Array);
      const { P: fixed, L } = inputs(m, 99);
      const pair = new PairProjector(m, m.optimised.pair!, YEARS, fixed, L);
      const H = new Float64Array(YEARS * m.optimised.yearBlock);
      m.optimised.prepare(fixed, L, H, YEARS);
      const S = new Float64Array(m.stateCount + m.optimised.hiddenStates);
      const out = new Float64Array(YEARS * m.seriesCount);
      const u = lcg(3);
      let compared = 0;
      for (let k = 0; k < 40; k++) {
        for (let j = 0; j < 2; j++) {
          // Parameters anywhere in their ranges, except where the per-year table reads them.
          const { P } = inputs(m, 2 * k + j + 1);
          for (const slot of m.optimised.preparedParams) P[slot] = fixed[slot]!;
          pair.params[j]!.set(P);
          for (let x = 0; x < pair.shocks[j]!.length; x++) pair.shocks[j]![x] = 0.02 * (u() - 0.5);
        }
        const passed = pair.project();
        for (let j = 0; j < 2; j++) {
          S.fill(0);
          m.optimised.project(pair.params[j]!, L, pair.shocks[j]!, S, out, H, YEARS);
          const finite = allFinite(out) && allFinite(S, m.stateCount);
          expect((passed >> j) & 1).toBe(finite ? 1 : 0);
          // A failed run's NaNs may differ in their payload bits; its values are never used.
          if (!finite) continue;
          expect(bytes(pair.out[j]!).equals(bytes(out))).toBe(true);
          expect(bytes(pair.state[j]!).equals(bytes(S))).toBe(true);
          compared++;
        }
      }
      expect(compared).toBeGreaterThan(40);
    });
  }

  it('IEEE corner cases: signed zeros, NaN and infinities tested, compared and selected give the bits worked out by hand', () => {
    // tests/fixtures/models/pair-ieee.yaml, region a, every year (k drawn, so the kernel computes each one).
    const expected: Record<string, number> = {
      negzero: -0, // -(k·0)
      minz: -0, // min(0, −0) is −0, and −0 + −0·0 is −0
      maxz: 0, // max(−0, 0)
      maxz2: 0, // max(0, −0, −0)
      minz3: -0, // min(0, −0, 0)
      clampz: -0, // min(max(−0, −1), 0)
      clampz2: 0, // min(max(−0, 0), 1)
      absz: 0,
      sqrtz: -0, // √−0 is −0
      trigz: 0, // sin(−0) + 0·cos(k) = −0 + 0
      subz: -0, // −0 − 0
      mulz: -0, // 0·(−k)
      nanif: 5, // ifelse(NaN, 1, 2) is 1 (NaN ≠ 0), ifelse(−0, 3, 4) is 4 (−0 = 0)
      nannot: 2, // not NaN is 0, not −0 is 1
      nanand: 3, // NaN and 1, NaN or 0 are 1; −0 or 0 is 0
      nancmp: 2, // NaN == NaN is 0, NaN != NaN is 1, NaN < 1 and NaN >= 1 are 0
      nanminmax: 0, // min, max and clamp of a NaN are NaN, which compares false
      inf: 15, // 1/0 > 0, −1/0 < 0, log 0 < 0, exp(3000) > 1
      sel: -0, // the −0 of each selected branch
      zeroeq: 5, // −0 == 0 and −0 <= 0, not −0 < 0
      divz: -0, // 0 / −k
    };
    const plain = loadModel(IEEE);
    const m = loadModel(IEEE, process.cwd(), { drawn: ['k'], pairKernel: true });
    const P = plain.defaultParams();
    const L = new Float64Array(YEARS * m.leverBlock);
    const pair = new PairProjector(m, m.optimised.pair!, YEARS, P, L);
    pair.params[1]![m.parameters.find((p) => p.name === 'k')!.offset + 1] = 0.7;
    expect(pair.project()).toBe(3);
    const H = new Float64Array(YEARS * m.optimised.yearBlock);
    m.optimised.prepare(P, L, H, YEARS);
    const S = new Float64Array(m.stateCount + m.optimised.hiddenStates);
    const out = new Float64Array(YEARS * m.seriesCount);
    m.optimised.project(P, L, new Float64Array(0), S, out, H, YEARS);
    const names = Object.keys(expected);
    const sign = (v: number): string => (Object.is(v, -0) ? '-0' : String(v));
    for (let yi = 0; yi < YEARS; yi++)
      for (const [name, want] of Object.entries(expected)) {
        // Three columns an indicator (regions a, b, then the aggregate); powz (region-dependent) is skipped.
        const col =
          yi * m.seriesCount + 3 * (names.indexOf(name) + (names.indexOf(name) >= names.indexOf('subz') ? 1 : 0));
        expect([sign(out[col]!), sign(pair.out[0]![col]!), sign(pair.out[1]![col]!)]).toEqual([
          sign(want),
          sign(want),
          sign(want),
        ]);
      }
    expect(bytes(pair.out[0]!).equals(bytes(out))).toBe(true);
  });

  it("the two fixtures use every function and operator of the expression language's whitelist", () => {
    // So that a function or operator added to the language (expression.ts) fails here until the
    // fixtures use it, and with it the bit-identity tests above.
    const used = new Set<string>();
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        const n = v as { kind?: string; op?: string; fn?: string; rest?: { op: string }[] };
        if (n.kind === 'call') used.add(n.fn!);
        if (n.kind === 'unary' || n.kind === 'binary') used.add(n.op!);
        if (n.kind === 'chain') for (const l of n.rest!) used.add(l.op);
        if (n.kind === 'cond') used.add('ifelse');
        Object.values(v).forEach(walk);
      }
    };
    for (const file of ['tests/fixtures/models/pair-operations.yaml', IEEE]) walk(loadModel(file).checkedModel.trees);
    const language = [
      ...Object.keys(FUNCTIONS),
      ...['neg', 'plus', 'not', '+', '-', '*', '/', '^', '<', '>', '<=', '>=', '==', '!=', 'and', 'or'],
    ];
    expect(language.filter((x) => !used.has(x))).toEqual([]);
  });

  it('a lane whose value leaves its domain is not passed, the other lane is', () => {
    const m = mcModel('tests/fixtures/models/domain.yaml');
    const base = m.defaultParams();
    const L = new Float64Array(YEARS * m.leverBlock);
    const pair = new PairProjector(m, m.optimised.pair!, YEARS, base, L);
    const offset = (name: string): number => m.parameters.find((p) => p.name === name)!.offset;
    // Over 25 years: drop 0.1 keeps Region A's stock (3 at the start) above its min: 0, drop 1 takes
    // it below in the fourth year; rise 0.2 keeps the share (90 at the start) below its max: 100.
    for (const P of pair.params) {
      P.set(base);
      P[offset('rise')] = 0.2;
      P[offset('drop')] = 0.1;
    }
    pair.params[1]![offset('drop')] = 1;
    expect(pair.project()).toBe(1);
    pair.params[0]![offset('drop')] = 1;
    pair.params[1]![offset('drop')] = 0.1;
    expect(pair.project()).toBe(2);
    pair.params[1]![offset('rise')] = 1;
    expect(pair.project()).toBe(0);
  });

  it('does not pass a lane whose parameters differ where the per-year table reads them', () => {
    const m = mcModel('tests/fixtures/models/passes.yaml');
    const plain = loadModel('tests/fixtures/models/passes.yaml');
    // A model whose table reads a parameter: with nothing drawn, prepare reads `scale`.
    const undrawn = loadModel('tests/fixtures/models/passes.yaml', process.cwd(), {
      drawn: plain.parameters.filter((p) => p.name !== 'scale').map((p) => p.name),
      pairKernel: true,
    });
    expect(m.optimised.preparedParams).toEqual([]);
    const slot = undrawn.optimised.preparedParams[0]!;
    const { P, L } = inputs(undrawn, 4);
    const pair = new PairProjector(undrawn, undrawn.optimised.pair!, YEARS, P, L);
    expect(pair.project()).toBe(3);
    pair.params[1]![slot] = P[slot]! * 1.5;
    expect(pair.project()).toBe(1);
    pair.params[0]![slot] = Number.NaN;
    pair.params[1]![slot] = P[slot]!;
    expect(pair.project()).toBe(2);
  });

  it('is not generated for the sweeps: memo tables, series or years pruned (they run the JavaScript kernel)', () => {
    for (const spec of [{ rowMemo: true }, { series: [0] }, { years: [3] }])
      expect(
        loadModel('builtin:northeast', process.cwd(), { drawn: ['gdp_2015'], pairKernel: true, ...spec }).optimised
          .pair,
      ).toBe(undefined);
    expect(loadModel('builtin:northeast').optimised.pair).toBe(undefined);
  });
});

describe("the kernel's finiteness scan", () => {
  it('finds a NaN or an infinity at any position of any length, and reads nothing past the end', () => {
    const bytes = encodeModule(
      [],
      [
        {
          type: { params: [I32, I32], results: [I32] },
          locals: [I32, V128, V128, F64, V128],
          body: finiteScan(),
          export: 'scan',
        },
      ],
    );
    const { exports, buffer } = new WasmModule<{ scan: (p: number, n: number) => number }>(bytes).instantiate(65536);
    const { scan } = exports;
    const f = new Float64Array(buffer);
    f.fill(1.5);
    for (let n = 0; n < 70; n++) {
      // From byte 8 on, so that nothing depends on the start being 16-byte aligned.
      f[1 + n] = Number.NaN;
      expect(scan(8, n)).toBe(1);
      f[1 + n] = 1.5;
      for (let at = 0; at < n; at++)
        for (const x of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, Number.MAX_VALUE]) {
          f[1 + at] = x;
          expect(scan(8, n)).toBe(Number.isFinite(x) ? 1 : 0);
          f[1 + at] = 1.5;
        }
    }
  });
});

/** The image without its two-run kernel: the evaluator then projects every run by Projector.runFixed. */
function withoutPair(image: RunBlockImage): RunBlockImage {
  const { pair: _, ...optimised } = image.kernel.sources.optimised;
  return { ...image, kernel: { ...image.kernel, sources: { ...image.kernel.sources, optimised } } };
}

describe('Monte Carlo blocks with and without the two-run kernel', () => {
  it('paper-proposals (draws, a rank copula, AR(1) shocks): the same statistics bytes, odd run counts too', () => {
    const ctx = prepareMc({ scenarioFile: 'scenarios/paper-proposals.yaml', overrides: [] });
    const fast = new RunBlockEvaluator(ctx.image);
    const plain = new RunBlockEvaluator(withoutPair(ctx.image));
    expect(fast.pair).toBeDefined();
    expect(fast.pairInPlace).toBe(true);
    expect(plain.pair).toBeUndefined();
    const binning = plain.pilotBinning(5, 0, 200);
    for (const [firstRun, runCount] of [
      [0, 601],
      [3 * LEAF_SIZE, 2 * LEAF_SIZE],
    ] as const) {
      const req = { seed: 5, firstRun, runCount, save: false, cells: Int32Array.of(0, 7, 500) };
      const a = fast.evaluate(req, binning);
      const b = plain.evaluate(req, binning);
      if (!a.ok || !b.ok) throw new Error('a run failed');
      for (const k of ['leafSums', 'min', 'max', 'hist', 'nonFinite'] as const)
        expect(Buffer.from(a.summary[k].buffer).equals(Buffer.from(b.summary[k].buffer))).toBe(true);
      expect(Buffer.from(a.reached.buffer).equals(Buffer.from(b.reached.buffer))).toBe(true);
      expect(Buffer.from(a.firstYear.buffer).equals(Buffer.from(b.firstYear.buffer))).toBe(true);
      expect(bytes(a.cellValues!).equals(bytes(b.cellValues!))).toBe(true);
    }
  });

  it('lanes the kernel does not pass are projected again into their own rows: the same statistics bytes', () => {
    // The kernel writes both lanes into the accumulator's next two rows; a lane it does not pass goes
    // through runFixed() into its row, which must leave the other lane's row as the kernel wrote it.
    const ctx = prepareMc({ scenarioFile: 'scenarios/paper-proposals.yaml', overrides: [] });
    const fast = new RunBlockEvaluator(ctx.image);
    const plain = new RunBlockEvaluator(withoutPair(ctx.image));
    const binning = plain.pilotBinning(5, 0, 200);
    const pair = fast.pair!;
    const project = pair.project.bind(pair);
    let calls = 0;
    // Lane 0 refused on every third call, lane 1 on every fifth (both on every fifteenth).
    pair.project = (out0?: number, out1?: number) =>
      project(out0, out1) & ~(calls % 3 === 0 ? 1 : 0) & ~(calls++ % 5 === 0 ? 2 : 0);
    const req = { seed: 5, firstRun: 0, runCount: 2 * LEAF_SIZE + 37, save: false };
    const a = fast.evaluate(req, binning);
    const b = plain.evaluate(req, binning);
    expect(calls).toBe(Math.ceil(req.runCount / 2));
    if (!a.ok || !b.ok) throw new Error('a run failed');
    for (const k of ['leafSums', 'min', 'max', 'hist', 'nonFinite'] as const)
      expect(Buffer.from(a.summary[k].buffer).equals(Buffer.from(b.summary[k].buffer))).toBe(true);
    expect(Buffer.from(a.firstYear.buffer).equals(Buffer.from(b.firstYear.buffer))).toBe(true);
  });

  it('the pilot: the same bins through the two-run kernel (odd counts too), and a failing run throws the same error', () => {
    const ctx = prepareMc({ scenarioFile: 'scenarios/paper-proposals.yaml', overrides: [] });
    const fast = new RunBlockEvaluator(ctx.image);
    const plain = new RunBlockEvaluator(withoutPair(ctx.image));
    for (const count of [1, 2, 201]) {
      const a = fast.pilotBinning(7, 3, count);
      const b = plain.pilotBinning(7, 3, count);
      expect(a.bins).toBe(b.bins);
      for (const k of ['lo', 'width', 'centre'] as const) expect(bytes(a[k]).equals(bytes(b[k]))).toBe(true);
    }
    const failing = prepareMc({ scenarioFile: `${FIX}/fails-often.yaml`, overrides: [] });
    const fastF = new RunBlockEvaluator(failing.image);
    const plainF = new RunBlockEvaluator(withoutPair(failing.image));
    const message = (f: () => unknown): string => {
      try {
        f();
      } catch (e) {
        return e instanceof NonFiniteRun ? e.message : `not a NonFiniteRun: ${String(e)}`;
      }
      return 'no error';
    };
    const expected = message(() => plainF.pilotBinning(11, 0, 2000));
    expect(expected).toContain('indicators.log_level: equation gave -Infinity');
    expect(message(() => fastF.pilotBinning(11, 0, 2000))).toBe(expected);
  });

  it('a failing run is reported with the same message in either lane of a pair', () => {
    const ctx = prepareMc({ scenarioFile: `${FIX}/fails-often.yaml`, overrides: [] });
    const fast = new RunBlockEvaluator(ctx.image);
    const plain = new RunBlockEvaluator(withoutPair(ctx.image));
    const binning = plain.pilotBinning(11, 0, 8);
    const lanes = new Set<number>();
    for (let block = 0; block < 40 && lanes.size < 2; block++) {
      const req = { seed: 11, firstRun: block * LEAF_SIZE, runCount: LEAF_SIZE, save: false };
      const a = fast.evaluate(req, binning);
      const b = plain.evaluate(req, binning);
      expect(a).toEqual(b);
      if (!a.ok) {
        expect(a.failure.message).toContain('indicators.log_level: equation gave -Infinity');
        lanes.add((a.run - req.firstRun) & 1);
      }
    }
    expect([...lanes].sort()).toEqual([0, 1]);
  });
});
