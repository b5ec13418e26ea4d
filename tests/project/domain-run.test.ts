/**
 * A model may declare the domain of a state or indicator (`min:`, `max:`); a run that leaves it is
 * reported like a non-finite value: the equation, the region, the year and the value (fixture:
 * tests/fixtures/models/domain.yaml). The fast kernel marks the failure and the checked one names it.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadModel } from '../../src/model/load-model.js';
import { projectScenario } from '../../src/project/project-scenario.js';
import type { NonFiniteRun } from '../../src/project/projector.js';
import { loadScenario } from '../../src/scenario/load-scenario.js';
import type { ScenarioOverride } from '../../src/scenario/overrides.js';
import { cli } from '../cli/harness.js';
import { nonFiniteRun } from '../fixtures/project/helpers.js';

const SCENARIO = 'tests/fixtures/scenarios/domain.yaml';
const MODEL = resolve('tests/fixtures/models/domain.yaml');

/** The fixture's parameters set to `values` (typed overrides, as the CLI's --set gives the core). */
const set = (values: Record<string, number>): ScenarioOverride[] =>
  Object.entries(values).map(([name, value]) => ({ kind: 'parameter', name, value }));

const runError = (values: Record<string, number>): NonFiniteRun =>
  nonFiniteRun(loadScenario(SCENARIO, { overrides: set(values) }));

describe('declared domains', () => {
  it('inside the domain the run is unchanged: stock 3 − 0.5·10 = −2 would leave it, so a shorter pull stays in', () => {
    // drop 0.25: Region A 3 − 0.25·10 = 0.5 in 2030; share 90 + 10 = 100, exactly the upper end (allowed)
    const p = projectScenario(loadScenario(SCENARIO, { overrides: set({ drop: 0.25 }) }));
    const m = p.scenario.model;
    expect(p.values[10 * p.seriesCount + m.seriesIndex('stock', 'a')!]).toBeCloseTo(0.5, 12);
    expect(p.values[10 * p.seriesCount + m.seriesIndex('share', 'b')!]).toBe(100);
  });

  it('a state below its min: equation, region, year, value', () => {
    // Region A: 3, 2, 1, 0 (2023), −1 (2024)
    const e = runError({ drop: 1 });
    expect([e.equation, e.region, e.year, e.value]).toEqual(['states.stock.next', 'Region A', 2024, -1]);
    expect(e.message).toBe(
      `${MODEL}:18:11: states.stock.next: equation gave -1 for Region A in 2024, outside its domain (min 0) (the model declares this domain (min:/max:); check parameter values, shocks and lever settings)`,
    );
  });

  it('an indicator above its max', () => {
    // share 90, 94, 98, 102 (2023): Region A first
    const e = runError({ drop: 0, rise: 4 });
    expect([e.equation, e.region, e.year, e.value]).toEqual(['indicators.share', 'Region A', 2023, 102]);
    expect(e.message).toContain(
      'indicators.share: equation gave 102 for Region A in 2023, outside its domain [0, 100]',
    );
  });

  it('the command fails with the same one line', async () => {
    const r = await cli('run', SCENARIO, '--set', 'drop=1');
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain('states.stock.next: equation gave -1 for Region A in 2024, outside its domain (min 0)');
    expect(r.code).not.toBe(0);
  });

  it('min above max is a model error', () => {
    expect(() => loadModel('tests/fixtures/models/bad-domain.yaml')).toThrow(
      'bad-domain.yaml:12:10: states.x.min: min (5) is above max (1)',
    );
  });

  it('the built-in model declares GDP, trade and R&D non-negative and the shares within 0-100', () => {
    const m = loadModel();
    const ind = Object.fromEntries(m.indicators.map((i) => [i.name, [i.min, i.max]]));
    expect(ind).toEqual({
      trade_dependence: [0, undefined],
      trade: [0, undefined],
      gdp: [0, undefined],
      private_investment_growth: [undefined, undefined],
      private_investment_share: [0, 100],
      rd_intensity: [0, undefined],
      soe_share: [0, 100],
      hightech_trade_share: [0, 100],
    });
    expect(m.equations.find((e) => e.label === 'states.gdp.next')!.domain).toEqual([0, Infinity]);
  });
});
