/** The one check of a series reference (indicator, region, year), on the built-in Northeast model. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { CompiledModel } from '../../src/model/compiled-model.js';
import { loadModel } from '../../src/model/load-model.js';
import { checkSeriesRef } from '../../src/scenario/series-ref.js';
import type { PathKey } from '../../src/util/yaml-source.js';

let model: CompiledModel;
beforeAll(() => {
  model = loadModel('src/models/northeast.yaml');
});

const at = {
  indicator: ['o', 'indicator'],
  region: ['o', 'region'],
  year: ['o', 'year'],
  series: ['o'],
} satisfies Record<string, PathKey[]>;

function check(ref: { indicator: string; region: string; year?: number }) {
  const problems: string[] = [];
  const s = checkSeriesRef(model, ref, at, { start: 2016, end: 2030 }, (p, m, h) =>
    problems.push(`${p.join('.')}: ${m}${h ? ` (${h})` : ''}`),
  );
  return { s, problems };
}

describe('checkSeriesRef', () => {
  it('a good reference gives its series index and no problem', () => {
    const { s, problems } = check({ indicator: 'trade_dependence', region: 'liaoning', year: 2020 });
    expect(problems).toEqual([]);
    expect(s).toBe(model.seriesIndex('trade_dependence', 'liaoning'));
  });

  it('reports the indicator, the region and the year at once, each at its own path', () => {
    const { s, problems } = check({ indicator: 'trade_dependance', region: 'lioaning', year: 2040 });
    expect(s).toBeUndefined();
    expect(problems).toHaveLength(3);
    expect(problems[0]).toMatch(
      /^o\.indicator: unknown indicator 'trade_dependance' \(did you mean 'trade_dependence'/,
    );
    expect(problems[1]).toMatch(/^o\.region: unknown region 'lioaning' \(did you mean 'liaoning'/);
    expect(problems[2]).toBe('o.year: year 2040 is outside the horizon 2016-2030');
  });
});
