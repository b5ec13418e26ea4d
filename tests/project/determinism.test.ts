/**
 * The same scenario gives the same numbers, bit for bit: across runs, across reuse of one Projector,
 * and between the fast kernel and the checked kernel the projector falls back on.
 */
import { describe, expect, it } from 'vitest';
import { projectScenario } from '../../src/project/project-scenario.js';
import { Projector } from '../../src/project/projector.js';
import { loadScenario } from '../../src/scenario/load-scenario.js';

const bytes = (a: Float64Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe('determinism of the deterministic engine', () => {
  it('two loads and projections of the same scenario are byte-identical', () => {
    const a = projectScenario(loadScenario('scenarios/paper-proposals.yaml'));
    const b = projectScenario(loadScenario('scenarios/paper-proposals.yaml'));
    expect(bytes(a.values).equals(bytes(b.values))).toBe(true);
    expect(a.verdicts).toEqual(b.verdicts);
  });

  it('a reused Projector gives the same result after running another lever set', () => {
    const base = loadScenario('scenarios/baseline.yaml');
    const all = loadScenario('scenarios/paper-proposals.yaml');
    const projector = new Projector(base.model, 2035);
    const first = projector.run(base.params, base.levers).slice();
    projector.run(all.params, all.levers);
    const again = projector.run(base.params, base.levers).slice();
    expect(bytes(again).equals(bytes(first))).toBe(true);
    // and the paper's proposals really are different (so the reuse was a real test)
    expect(bytes(projectScenario(all).values).equals(bytes(first))).toBe(false);
  });

  it('the checked kernel gives exactly the outputs of the fast kernel', () => {
    const s = loadScenario('scenarios/paper-proposals.yaml');
    const m = s.model;
    const years = 2035 - m.baseYear + 1;
    const run = (checked: boolean): Float64Array => {
      const state = new Float64Array(m.stateCount);
      const out = new Float64Array(years * m.seriesCount);
      (checked ? m.checkedInit : m.init)(s.params, state, out);
      for (let yi = 1; yi < years; yi++)
        (checked ? m.checkedStep : m.step)(s.params, s.levers, new Float64Array(0), state, out, yi, m.baseYear + yi);
      return out;
    };
    expect(bytes(run(true)).equals(bytes(run(false)))).toBe(true);
    expect(bytes(run(false)).equals(bytes(projectScenario(s).values))).toBe(true);
  });
});
