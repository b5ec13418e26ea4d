/**
 * Kernels generated for a use (src/model/compile/uncertainties.ts, Specialisation), against the
 * straightforward kernel, on the Northeast model and test fixtures:
 *
 * - the per-year table is prepared again only when an input it reads changes (Projector.run), and
 *   reusing it gives the same numbers bit for bit;
 * - levers that vary from run to run are never hoisted into the table;
 * - with running powers off, the optimised kernel is the straightforward one bit for bit, whatever
 *   is drawn;
 * - output pruning (only the equations the requested series depend on) computes those series bit for
 *   bit as the full kernel does, and leaves out equations they do not read.
 */
import { describe, expect, it } from 'vitest';
import type { CompiledModel } from '../../src/model/compiled-model.js';
import type { RunnableModel } from '../../src/model/kernel-image.js';
import { loadModel } from '../../src/model/load-model.js';
import { loadScenarioWithUncertainties } from '../../src/montecarlo/uncertainty-spec.js';
import { Projector } from '../../src/project/projector.js';
import { inputs, lcg, MODELS, straightforward, YEARS } from '../fixtures/kernel-passes.js';

const bytes = (a: Float64Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

/** The model with its prepare counted. */
function counted(m: CompiledModel): { model: RunnableModel; prepares: () => number } {
  let n = 0;
  const prepare = m.optimised.prepare;
  const model: RunnableModel = {
    ...m,
    optimised: {
      ...m.optimised,
      prepare: (...a) => {
        n++;
        prepare(...a);
      },
    },
  };
  return { model, prepares: () => n };
}

/** The values of `series` in every year. */
function columns(m: CompiledModel, out: Float64Array, series: readonly number[]): number[] {
  const v: number[] = [];
  for (let yi = 0; yi < YEARS; yi++) for (const s of series) v.push(out[yi * m.seriesCount + s]!);
  return v;
}

describe('Projector.run prepares the per-year table only when what it reads changes', () => {
  it('northeast: the same inputs twice prepare once; a lever cell the table reads prepares again', () => {
    const m = loadModel('builtin:northeast');
    const { model, prepares } = counted(m);
    const projector = new Projector(model, m.baseYear + YEARS - 1);
    const { P, L } = inputs(m, 3);
    const first = projector.run(P, L).slice();
    expect(bytes(projector.run(P, L)).equals(bytes(first))).toBe(true);
    expect(prepares()).toBe(1);
    // parks feeds 1 - exp(-parks / parks_scale), which the table holds.
    const parks = m.levers.find((l) => l.name === 'parks')!.index;
    const cell = 5 * m.leverBlock + parks * m.regions.length + 1;
    expect(m.optimised.preparedLevers).toContain(parks * m.regions.length + 1);
    const L2 = L.slice();
    L2[cell] = L[cell]! + 1;
    expect(bytes(projector.run(P, L2)).equals(bytes(straightforward(m, P, L2)))).toBe(true);
    expect(prepares()).toBe(2);
    // Back to the first levers (same values, another array): prepared again, the first numbers.
    expect(bytes(projector.run(P, L.slice())).equals(bytes(first))).toBe(true);
    expect(prepares()).toBe(3);
  });

  for (const file of MODELS) {
    it(`${file}: changing any one input gives the straightforward kernel's numbers bit for bit`, () => {
      const m = loadModel(file);
      const { model, prepares } = counted(m);
      const projector = new Projector(model, m.baseYear + YEARS - 1);
      const { P, L } = inputs(m, 11);
      const u = lcg(5);
      let expected = 1;
      projector.run(P, L);
      for (let k = 0; k < 40; k++) {
        // Nudge one parameter slot or one lever cell, then project.
        if (u() < 0.5 && P.length > 0) {
          const slot = Math.floor(u() * P.length);
          P[slot] = P[slot]! * (1 + 0.01 * u());
          if (m.optimised.preparedParams.includes(slot)) expected++;
        } else if (L.length > m.leverBlock && m.leverBlock > 0) {
          const cell = m.leverBlock + Math.floor(u() * (L.length - m.leverBlock));
          L[cell] = L[cell]! + 0.01 * u();
          if (m.optimised.preparedLevers.includes(cell % m.leverBlock)) expected++;
        }
        expect(bytes(projector.run(P, L)).equals(bytes(straightforward(m, P, L)))).toBe(true);
      }
      expect(prepares()).toBe(expected);
    });
  }
});

describe('levers that vary from run to run', () => {
  it('northeast: a varying lever is never read by prepare; one table serves every setting of it', () => {
    const plain = loadModel('builtin:northeast');
    const m = loadModel('builtin:northeast', process.cwd(), { varyingLevers: ['parks', 'ftz'] });
    const R = m.regions.length;
    for (const name of ['parks', 'ftz']) {
      const i = m.levers.find((l) => l.name === name)!.index;
      for (let r = 0; r < R; r++) expect(m.optimised.preparedLevers).not.toContain(i * R + r);
    }
    expect(plain.optimised.preparedLevers.length).toBeGreaterThan(m.optimised.preparedLevers.length);
    const { model, prepares } = counted(m);
    const projector = new Projector(model, m.baseYear + YEARS - 1);
    const { P, L } = inputs(m, 8);
    const parks = m.levers.find((l) => l.name === 'parks')!.index;
    const u = lcg(2);
    for (let k = 0; k < 20; k++) {
      for (let yi = 1; yi < YEARS; yi++) for (let r = 0; r < R; r++) L[yi * m.leverBlock + parks * R + r] = 10 * u();
      expect(bytes(projector.run(P, L)).equals(bytes(straightforward(m, P, L)))).toBe(true);
    }
    expect(prepares()).toBe(1);
  });
});

describe('running powers off', () => {
  for (const file of MODELS) {
    it(`${file}: every parameter drawn, bit for bit the straightforward kernel`, () => {
      const plain = loadModel(file);
      const m = loadModel(file, process.cwd(), {
        drawn: plain.parameters.map((p) => p.name),
        strengthReduction: false,
      });
      expect(m.optimised.hiddenStates).toBe(
        // Per-run values only: no running power slot.
        (m.sources.optimised.init.match(/S\[\d+\] = /g) ?? []).length -
          (plain.sources.init.match(/S\[\d+\] = /g) ?? []).length,
      );
      const projector = new Projector(m, m.baseYear + YEARS - 1);
      const { L } = inputs(m, 99);
      projector.fix(inputs(m, 98).P, L);
      for (let seed = 1; seed <= 20; seed++) {
        const { P } = inputs(m, seed);
        expect(bytes(projector.runFixed(P)).equals(bytes(straightforward(m, P, L)))).toBe(true);
      }
    });
  }
});

describe('output pruning', () => {
  for (const file of MODELS) {
    it(`${file}: each series alone, and pairs, computed bit for bit as by the full kernel`, () => {
      const full = loadModel(file);
      const drawn = full.parameters.map((p) => p.name);
      const u = lcg(17);
      const picks: number[][] = full.series.map((s) => [s.index]);
      for (let k = 0; k < 6; k++)
        picks.push([Math.floor(u() * full.seriesCount), Math.floor(u() * full.seriesCount)].sort((a, b) => a - b));
      for (const series of picks) {
        const m = loadModel(file, process.cwd(), { series, drawn, strengthReduction: false });
        const projector = new Projector(m, m.baseYear + YEARS - 1);
        for (let seed = 1; seed <= 3; seed++) {
          const { P, L } = inputs(full, seed);
          const want = columns(full, straightforward(full, P, L), series);
          expect(columns(m, projector.run(P, L), series)).toEqual(want);
          // The pruned straightforward kernel agrees too (a failure is diagnosed with it).
          expect(columns(m, straightforward(m, P, L), series)).toEqual(want);
        }
      }
    });
  }

  it('northeast: trade dependence reads trade, GDP and the national trade dependence only', () => {
    const full = loadModel('builtin:northeast');
    const series = ['liaoning', 'northeast', 'national'].map((r) => full.seriesIndex('trade_dependence', r)!);
    const m = loadModel('builtin:northeast', process.cwd(), { series });
    const { step } = m.sources;
    const R = m.regions.length;
    const G = m.checkedModel.names.globalStates.length;
    const slotOf = (state: string): number => G + m.checkedModel.names.states.indexOf(state) * R;
    // Kept: gdp, trade (every region), national_td. Left out: R&D, the state-owned share, high-tech trade.
    for (const s of ['gdp', 'trade']) expect(step).toContain(`S[${slotOf(s)}] = `);
    expect(step).toContain(`S[${m.checkedModel.names.globalStates.indexOf('national_td')}] = `);
    for (const s of ['rd', 'soe_share', 'hightech_share', 'private_share'])
      expect(step).not.toContain(`S[${slotOf(s)}] = `);
    expect(step).not.toContain('Math.exp(');
    expect(step.length).toBeLessThan(full.sources.step.length / 2);
    // The other series' cells are not written.
    const projector = new Projector(m, m.baseYear + YEARS - 1);
    const { P, L } = inputs(full, 4);
    const out = projector.run(P, L);
    const rd = full.seriesIndex('rd_intensity', 'liaoning')!;
    for (let yi = 0; yi < YEARS; yi++) expect(out[yi * m.seriesCount + rd]).toBe(0);
  });

  it('a failure in an equation outside the cone is not seen; inside, it is diagnosed', async () => {
    const file = 'tests/fixtures/models/nonfinite.yaml';
    const full = loadModel(file);
    const { NonFiniteRun } = await import('../../src/project/projector.js');
    const P = full.defaultParams();
    const L = new Float64Array(YEARS * full.leverBlock);
    let failing: string | undefined;
    try {
      new Projector(full, full.baseYear + YEARS - 1).run(P, L);
    } catch (e) {
      if (!(e instanceof NonFiniteRun)) throw e;
      failing = e.equation;
    }
    expect(failing).toBeDefined();
    // Every series alone: those that do not depend on the failing equation project without an error;
    // those that do fail with the same diagnosis as the full kernel.
    let seen = 0;
    let clean = 0;
    for (const s of full.series) {
      const m = loadModel(file, process.cwd(), { series: [s.index] });
      try {
        new Projector(m, m.baseYear + YEARS - 1).run(P, L);
        clean++;
      } catch (e) {
        if (!(e instanceof NonFiniteRun)) throw e;
        expect(e.equation).toBe(failing);
        seen++;
      }
    }
    expect(seen).toBeGreaterThan(0);
    expect(seen + clean).toBe(full.seriesCount);
  });
});

describe('the fused projection (init and every step in one function, states in locals)', () => {
  for (const file of MODELS) {
    it(`${file}: bit for bit the optimised init and steps, drawn or not`, () => {
      const plain = loadModel(file);
      for (const m of [plain, loadModel(file, process.cwd(), { drawn: plain.parameters.map((p) => p.name) })]) {
        const o = m.optimised;
        const S1 = new Float64Array(m.stateCount + o.hiddenStates);
        const S2 = new Float64Array(m.stateCount + o.hiddenStates);
        const out1 = new Float64Array(YEARS * m.seriesCount);
        const out2 = new Float64Array(YEARS * m.seriesCount);
        const H = new Float64Array(YEARS * o.yearBlock);
        const X = new Float64Array(YEARS * m.shockBlock);
        for (let seed = 1; seed <= 5; seed++) {
          const { P, L } = inputs(m, seed);
          const u = lcg(seed);
          for (let i = 0; i < X.length; i++) X[i] = 0.01 * (u() - 0.5);
          o.prepare(P, L, H, YEARS);
          o.init(P, S1, out1);
          for (let yi = 1; yi < YEARS; yi++) o.step(P, L, X, S1, out1, yi, m.baseYear + yi, H);
          o.project(P, L, X, S2, out2, H, YEARS);
          expect(bytes(out2).equals(bytes(out1))).toBe(true);
          expect(bytes(S2).equals(bytes(S1))).toBe(true);
        }
      }
    });
  }

  it('northeast: with years requested, the indicators are computed in those years only, bit for bit', () => {
    const full = loadModel('builtin:northeast');
    const series = [
      full.seriesIndex('trade_dependence', 'northeast')!,
      full.seriesIndex('trade_dependence', 'national')!,
    ];
    const years = [5, 15];
    const m = loadModel('builtin:northeast', process.cwd(), { series, years });
    const projector = new Projector(m, m.baseYear + YEARS - 1);
    for (let seed = 1; seed <= 5; seed++) {
      const { P, L } = inputs(full, seed);
      const want = straightforward(full, P, L);
      const got = projector.run(P, L);
      for (let yi = 1; yi < YEARS; yi++)
        for (const s of series) {
          const i = yi * m.seriesCount + s;
          expect(got[i]).toBe(years.includes(yi) ? want[i] : 0);
        }
    }
  });
});

describe('fixed series (no draw and no shock reaches them)', () => {
  it('northeast with the paper-proposals uncertainties: only the national GDP, R&D and state-owned share', () => {
    // What scenarios/uncertainties/northeast.yaml draws and shocks.
    const { spec } = loadScenarioWithUncertainties('scenarios/paper-proposals.yaml');
    const m = loadModel('builtin:northeast', process.cwd(), {
      drawn: spec.parameters.map((p) => p.name),
      shocked: spec.shocks.map((x) => x.equation),
    });
    expect(spec.parameters.length).toBe(18);
    const names = m.optimised.fixedSeries.map((s) => `${m.series[s]!.indicator}/${m.series[s]!.region}`);
    expect(names).toEqual(['gdp/national', 'rd_intensity/national', 'soe_share/national']);
  });

  for (const file of MODELS) {
    it(`${file}: every fixed series is the same in every run, whatever the drawn parameters`, () => {
      const plain = loadModel(file);
      // Draw every other parameter: some series stay fixed, others move.
      const drawn = plain.parameters.filter((_, i) => i % 2 === 1).map((p) => p.name);
      const m = loadModel(file, process.cwd(), { drawn });
      const projector = new Projector(m, m.baseYear + YEARS - 1);
      const { P: P0, L } = inputs(m, 1);
      projector.fix(P0, L);
      const first = columns(m, projector.runFixed(P0).slice(), m.optimised.fixedSeries);
      const drawnSlots = m.parameters
        .filter((p) => drawn.includes(p.name))
        .flatMap((p) => p.defaults.map((_, k) => p.offset + k));
      for (let seed = 2; seed <= 10; seed++) {
        const { P: Q } = inputs(m, seed);
        const P = P0.slice();
        for (const s of drawnSlots) P[s] = Q[s]!;
        expect(columns(m, projector.runFixed(P), m.optimised.fixedSeries)).toEqual(first);
      }
    });
  }
});
