/**
 * Memo tables (Specialisation.rowMemo; rewrite 4 of src/model/passes/optimise.ts): calls, powers and
 * divisions of drawn parameters and the year, computed per distinct value of the parameters they read.
 * On the Northeast model and the test fixtures, with every parameter drawn and running powers off, a
 * projector whose runs alternate between parameter sets (the two tables kept hit, miss and are
 * replaced) and change the number of years gives the straightforward kernel's
 * numbers bit for bit every time.
 */
import { describe, expect, it } from 'vitest';
import { loadModel } from '../../src/model/load-model.js';
import { Projector } from '../../src/project/projector.js';
import { inputs, lcg, MODELS, straightforward, YEARS } from '../fixtures/kernel-passes.js';

const bytes = (a: Float64Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe('memo tables', () => {
  for (const file of MODELS) {
    it(`${file}: runs over alternating parameter sets, bit for bit the straightforward kernel`, () => {
      const plain = loadModel(file);
      const m = loadModel(file, process.cwd(), {
        drawn: plain.parameters.map((p) => p.name),
        strengthReduction: false,
        rowMemo: true,
      });
      // The models with such terms (the others check that asking for memo tables changes nothing).
      if (file === 'builtin:northeast' || file.endsWith('/passes.yaml'))
        expect(m.sources.optimised.project).toContain('function memo(P, years)');
      const long = new Projector(m, m.baseYear + YEARS - 1);
      const short = new Projector(m, m.baseYear + 9);
      const { L } = inputs(m, 50);
      const sets = [1, 2, 3].map((seed) => inputs(m, seed).P);
      const u = lcg(9);
      for (let k = 0; k < 30; k++) {
        const P = sets[Math.floor(u() * sets.length)]!;
        const want = straightforward(m, P, L);
        expect(bytes(long.run(P, L)).equals(bytes(want))).toBe(true);
        // Fewer years on the same kernel: another table, the same first years.
        if (k % 7 === 0) expect(bytes(short.run(P, L)).equals(bytes(want.subarray(0, 10 * m.seriesCount)))).toBe(true);
      }
    });
  }

  it('northeast: a power of a drawn parameter and the year is memoised, keyed by that parameter (Object.is)', () => {
    const m = loadModel('builtin:northeast', process.cwd(), {
      drawn: ['td_trend_persistence'],
      strengthReduction: false,
      rowMemo: true,
    });
    const project = m.sources.optimised.project;
    expect(project).toContain('function memo(P, years)');
    expect(project).toMatch(/M\[mo \+ 0\]/);
    const slot = m.parameters.find((p) => p.name === 'td_trend_persistence')!.offset;
    expect(project).toContain(`Object.is(e.key[0], P[${slot}])`);
    const projector = new Projector(m, m.baseYear + YEARS - 1);
    const { P, L } = inputs(m, 4);
    for (const v of [0, -0, 0, 0.8, -0]) {
      P[slot] = v;
      expect(bytes(projector.run(P, L)).equals(bytes(straightforward(m, P, L)))).toBe(true);
    }
  });
});
