/**
 * Commands take their default indicators, regions and years from the model and the scenario, not from the
 * Northeast model: `compare` and `mc` on another model work with no --indicators, --regions or --years.
 */

import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { modelProblems } from '../model/load-errors.js';
import { cli } from './harness.js';

const TWO = 'tests/fixtures/scenarios/two-regions-levers.yaml';

describe('defaults come from the model', () => {
  it('compare on a model without the Northeast: all its indicators, its aggregate, every fifth year and the end', async () => {
    const r = await cli('compare', TWO, TWO, '--set', 'national_push=1', '--format', 'json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout) as { rows: Array<{ indicator: string; region: string; year: number }> };
    // two-regions.yaml declares no headline: both indicators; its one aggregate `both`; horizon 2020-2030.
    expect(j.rows.map((x) => `${x.indicator}/${x.region}/${x.year}`)).toEqual([
      'level/both/2025',
      'level/both/2030',
      'share/both/2025',
      'share/both/2030',
    ]);
  });

  it("the Northeast model's headline: the four indicators of the paper's bottlenecks", async () => {
    const r = await cli('compare', 'scenarios/baseline.yaml', 'scenarios/ftz.yaml', '--format', 'json');
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as { rows: Array<{ indicator: string; region: string; year: number }> };
    expect([...new Set(j.rows.map((x) => x.indicator))]).toEqual([
      'trade_dependence',
      'private_investment_growth',
      'rd_intensity',
      'soe_share',
    ]);
    expect([...new Set(j.rows.map((x) => x.region))]).toEqual(['northeast']);
    expect([...new Set(j.rows.map((x) => x.year))]).toEqual([2020, 2025, 2030, 2035]);
  });
});

describe('headline', () => {
  it('an unknown indicator in headline: is located, with a suggestion', () => {
    const f = resolve('tests/fixtures/models/bad-headline.yaml');
    expect(modelProblems('tests/fixtures/models/bad-headline.yaml')).toEqual([
      `${f}:6:12: headline[0]: unknown indicator 'levle' (did you mean 'level'?)`,
    ]);
  });
});
