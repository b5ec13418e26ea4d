/**
 * A numeric target reference far outside the values the indicator takes in the baseline projection
 * (by more than an order of magnitude) is warned about on stderr, with the indicator's unit; the
 * command still succeeds (fixture: tests/fixtures/scenarios/reference-as-fraction.yaml).
 */
import { describe, expect, it } from 'vitest';
import { referenceWarnings } from '../../src/project/reference-plausibility.js';
import { loadScenario } from '../../src/scenario/load-scenario.js';
import { formatDiagnostic } from '../../src/util/diagnostics.js';
import { cli } from '../cli/harness.js';

const F = 'tests/fixtures/scenarios/reference-as-fraction.yaml';
// Baseline trade dependence 2015-2035: from 35.7 (national, 2015) down to 5.726 (a province, 2035);
// 0.2 < 5.726 / 10. 20 lies within; Liaoning's GDP target of 9,000,000 is within 10× of the national GDP.
const WARNING = `${F}:4:78: targets[0].reference: 0.2 is far outside the values 'trade_dependence' takes in the baseline projection (5.726 to 35.7, 2015-2035); the reference is read in the indicator's unit, '%' (the indicator is in percent: did you mean 20?)`;

describe('implausible numeric references', () => {
  it('only the reference written as a fraction is flagged', () => {
    expect(referenceWarnings(loadScenario(F)).map(formatDiagnostic)).toEqual([WARNING]);
  });

  it('run, validate and compare warn on stderr and still succeed', async () => {
    for (const args of [
      ['run', F],
      ['validate', F],
      ['compare', F, 'scenarios/baseline.yaml'],
    ]) {
      const r = await cli(...args);
      expect(r.code, args.join(' ')).toBe(0);
      expect(r.stderr).toBe(`policysim: warning: ${WARNING}\n`);
    }
  });

  it('the shipped scenarios get no warning', async () => {
    const r = await cli('validate', 'scenarios/baseline.yaml', 'scenarios/paper-proposals.yaml');
    expect(r.stderr).toBe('');
  });
});

describe('describe documents every indicator with its unit and domain', () => {
  it('text and JSON', async () => {
    const text = (await cli('describe')).stdout;
    expect(text).toMatch(/\ntrade_dependence\s+%\s+0\.\.\s+yes\s+Trade dependence/);
    expect(text).toMatch(/\nprivate_investment_growth\s+%\/yr\s+any\s+yes/);
    const json = JSON.parse((await cli('describe', '--format', 'json')).stdout) as {
      indicators: { name: string; unit: string; min?: number; max?: number }[];
    };
    for (const i of json.indicators) expect(typeof i.unit, i.name).toBe('string');
    expect(json.indicators.find((i) => i.name === 'soe_share')).toMatchObject({ unit: '%', min: 0, max: 100 });
  });
});
