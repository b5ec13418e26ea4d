/**
 * Lever by lever: each lever alone, at the middle of its range from 2017, against the baseline. It
 * must move the indicators in its `acts_on` list the way the paper says, and nothing else. The
 * acts_on lists are read from the compiled model, so the test follows the model; the directions are
 * the paper's (docs/data-sources.md, "The levers").
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { CompiledModel } from '../../src/model/compiled-model.js';
import { type Projection, projectScenario } from '../../src/project/project-scenario.js';
import { loadScenario, scenarioFromSource } from '../../src/scenario/load-scenario.js';
import { parseYamlText } from '../../src/util/yaml-source.js';
import { projectedYears, valueAt } from './series.js';

/** +1: the lever raises the indicator, -1: lowers it (the paper's mechanism for each lever). */
const PAPER_DIRECTION: Record<string, Record<string, 1 | -1>> = {
  // §5.2, §5.5: trade growth, private investment; GDP through the value added of trade
  ftz: { trade_dependence: 1, trade: 1, private_investment_growth: 1, private_investment_share: 1, gdp: 1 },
  // §5.4: technology transfer → R&D intensity and high-tech trade share; private investment
  parks: { rd_intensity: 1, hightech_trade_share: 1, private_investment_growth: 1 },
  // §2.3, §4.1: trade growth, high-tech trade share
  openness: { trade_dependence: 1, trade: 1, hightech_trade_share: 1, gdp: 1 },
  // §3, §5.6: trade growth
  corridor: { trade_dependence: 1, trade: 1, gdp: 1 },
  // §4.3, §5.4: state-owned asset share down, private investment up
  soe_reform: { soe_share: -1, private_investment_growth: 1, private_investment_share: 1 },
  // §5.1: R&D intensity and high-tech trade share
  rd_push: { rd_intensity: 1, hightech_trade_share: 1 },
  // §5.3: private investment
  invest_env: { private_investment_growth: 1, private_investment_share: 1 },
};

let model: CompiledModel;
let baseline: Projection;
const withLever = new Map<string, Projection>();

beforeAll(() => {
  baseline = projectScenario(loadScenario('scenarios/baseline.yaml'));
  model = baseline.scenario.model;
  for (const l of model.levers) {
    const mid = (l.range[0] + l.range[1]) / 2;
    // The same file as the baseline, with one lever set: exercises the real lever expansion.
    const text = `name: ${l.name}-alone\ndescription: ${l.name} alone at ${mid} from 2017\nhorizon: { start: 2015, end: 2035 }\nlevers:\n  ${l.name}: { value: ${mid}, from: 2017 }\n`;
    withLever.set(l.name, projectScenario(scenarioFromSource(parseYamlText(text, `scenarios/${l.name}-alone.yaml`))));
  }
});

/** Each of `series` in `p` is the baseline's, to the bit, in each of `years` (default: every projected year). */
function expectUnchanged(
  p: Projection,
  series: readonly { readonly indicator: string; readonly region: string }[],
  years: readonly number[] = projectedYears(p),
): void {
  for (const s of series)
    for (const y of years)
      expect(valueAt(p, s.indicator, s.region, y), `${s.indicator}/${s.region} ${y}`).toBe(
        valueAt(baseline, s.indicator, s.region, y),
      );
}

describe('lever effects on the built-in model', () => {
  it('every lever of the model has a paper direction for each indicator it acts on', () => {
    expect(model.levers.map((l) => l.name).sort()).toEqual(Object.keys(PAPER_DIRECTION).sort());
    for (const l of model.levers)
      expect([...l.actsOn].sort(), l.name).toEqual(Object.keys(PAPER_DIRECTION[l.name]!).sort());
  });

  const levers = Object.keys(PAPER_DIRECTION);
  const provincesAndNortheast = ['liaoning', 'jilin', 'heilongjiang', 'northeast'];

  it.each(levers)('%s: nothing changes before the lever starts (2015, 2016)', (name) => {
    expectUnchanged(withLever.get(name)!, model.series, [2015, 2016]);
  });

  it.each(levers)(
    '%s: moves every indicator it acts on in the direction the paper gives, every year from 2017, in every province and the Northeast',
    (name) => {
      const p = withLever.get(name)!;
      const lever = model.levers.find((l) => l.name === name)!;
      for (const ind of lever.actsOn) {
        const dir = PAPER_DIRECTION[name]![ind]!;
        for (const region of provincesAndNortheast) {
          for (let y = 2017; y <= 2035; y++) {
            const diff = valueAt(p, ind, region, y) - valueAt(baseline, ind, region, y);
            expect(Math.sign(diff), `${ind}/${region} ${y}: ${diff}`).toBe(dir);
          }
        }
      }
    },
  );

  it.each(levers)('%s: leaves the national reference series exactly unchanged', (name) => {
    expectUnchanged(
      withLever.get(name)!,
      model.series.filter((x) => x.kind === 'reference'),
    );
  });

  it.each(levers)(
    '%s: leaves every indicator not in its acts_on list exactly unchanged, in every province, all years',
    (name) => {
      const lever = model.levers.find((l) => l.name === name)!;
      expectUnchanged(
        withLever.get(name)!,
        model.series.filter((x) => x.kind === 'region' && !lever.actsOn.includes(x.indicator)),
      );
    },
  );

  it.each(levers)(
    '%s: moves the Northeast figure of an indicator not in its acts_on list only by reweighting the provinces',
    (name) => {
      // The aggregates are GDP- (or trade-) weighted means of the provinces. A lever that moves GDP or
      // trade moves the weights, and so the Northeast figure of an indicator it does not act on; that
      // is the only channel. Expected: the unchanged provincial values, weighted by the lever run's
      // weights (the `gdp` and `trade` indicators are the weight expressions).
      const p = withLever.get(name)!;
      const lever = model.levers.find((l) => l.name === name)!;
      const provinces = model.regions.map((r) => r.id);
      for (const ind of model.indicators.filter((i) => !lever.actsOn.includes(i.name))) {
        const agg = model.file.indicators[ind.name]!.aggregate;
        for (const y of projectedYears(p)) {
          let expected: number;
          if (agg === 'sum') expected = provinces.reduce((a, r) => a + valueAt(baseline, ind.name, r, y), 0);
          else {
            const w = agg.weight; // 'gdp' or 'trade' in the built-in model
            expect(['gdp', 'trade']).toContain(w);
            const num = provinces.reduce((a, r) => a + valueAt(p, w, r, y) * valueAt(baseline, ind.name, r, y), 0);
            const den = provinces.reduce((a, r) => a + valueAt(p, w, r, y), 0);
            expected = num / den;
          }
          const got = valueAt(p, ind.name, 'northeast', y);
          expect(Math.abs(got - expected), `${ind.name}/northeast ${y}`).toBeLessThanOrEqual(
            1e-12 * Math.max(1, Math.abs(expected)),
          );
        }
      }
    },
  );
});
