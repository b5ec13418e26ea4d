import { describe, expect, it } from 'vitest';
import { loadObservedFor } from '../../src/evidence/observed-file.js';
import { loadScenario } from '../../src/scenario/load-scenario.js';
import { cli } from '../cli/harness.js';

const FIX = 'tests/fixtures/evidence';

async function errors(file: string): Promise<{ code: number; lines: string[] }> {
  const r = await cli('backtest', `${FIX}/posterior.yaml`, '--observed', `${FIX}/bad/${file}`);
  return { code: r.code, lines: r.stderr.trimEnd().split('\n') };
}

describe('observed files', () => {
  it('report every problem at once, each at its line and column', async () => {
    const f = `${FIX}/bad/many.csv`;
    expect(await errors('many.csv')).toEqual({
      code: 2,
      lines: [
        `policysim: error: ${f}:2:1: indicator: unknown indicator "yy" (did you mean 'y'?)`,
        `policysim: error: ${f}:3:3: region: unknown region "c" (did you mean 'a'?)`,
        `policysim: error: ${f}:4:5: year: year 2010 is outside the horizon 2020-2030; the model starts in 2020`,
        `policysim: error: ${f}:5:5: year: year 2031 is outside the horizon 2020-2030`,
        `policysim: error: ${f}:6:10: value: expected a number, got "abc"`,
        `policysim: error: ${f}:7:12: sd: expected a standard error > 0 (or empty), got "-2"`,
        `policysim: error: ${f}:9:1: duplicate observation of y for a in 2023 (first on line 8)`,
        `policysim: error: ${f}:10:1: has 2 fields; the header has 5`,
        `policysim: error: ${f}:11:3: region: indicator 'x' has no series for 'national'`,
        `policysim: error: ${f}:12:5: year: expected a year like 2016, got "20x5"`,
      ],
    });
  });

  it('check the header: misspelt and missing columns', async () => {
    const f = `${FIX}/bad/header.csv`;
    expect(await errors('header.csv')).toEqual({
      code: 2,
      lines: [
        `policysim: error: ${f}:1:1: header: missing column 'region' (required: indicator, region, year, value)`,
        `policysim: error: ${f}:1:1: header: missing column 'value' (required: indicator, region, year, value)`,
        `policysim: error: ${f}:1:11: header: unknown column "regoin"; expected indicator, region, year, value, sd, basis, note (did you mean 'region'?)`,
        `policysim: error: ${f}:1:23: header: unknown column "vaule"; expected indicator, region, year, value, sd, basis, note (did you mean 'value'?)`,
      ],
    });
  });

  it('report malformed CSV, an empty file and a missing file without a stack trace', async () => {
    expect(await errors('quote.csv')).toEqual({
      code: 2,
      lines: [`policysim: error: ${FIX}/bad/quote.csv:2: invalid CSV: Invalid Closing Quote: got "x"`],
    });
    expect(await errors('empty.csv')).toEqual({
      code: 2,
      lines: [
        `policysim: error: ${FIX}/bad/empty.csv:1:1: empty observed file: expected a header line indicator,region,year,value`,
      ],
    });
    expect(await errors('nope.csv')).toEqual({
      code: 2,
      lines: [`policysim: error: ${FIX}/bad/nope.csv: cannot be read: no such file`],
    });
    // Named by the scenario: reported at its `observed:` field.
    const r = await cli('run', `${FIX}/missing-observed.yaml`);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `policysim: error: ${FIX}/missing-observed.yaml:4:11: observed: observed file missing.csv cannot be read: no such file\n`,
    );
  });

  it('escape control characters that came from the file', async () => {
    const { lines } = await errors('control.csv');
    expect(lines).toEqual([
      `policysim: error: ${FIX}/bad/control.csv:3:1: indicator: unknown indicator "y\\u0001z" (did you mean 'y'?)`,
    ]);
  });

  it('attach from the scenario relative to its file, carry sd, notes and basis breaks', () => {
    const s = loadScenario(`${FIX}/with-observed.yaml`);
    const set = loadObservedFor(s)!;
    // Relative to the scenario, and relative as its path is (the same name on every machine).
    expect(set.file).toBe(`${FIX}/data/obs.csv`);
    expect(set.observations.map((o) => [o.indicator, o.region, o.year, o.value, o.sd ?? null])).toEqual([
      ['y', 'a', 2020, 100, null],
      ['y', 'a', 2022, 105, 1.5],
      ['y', 'a', 2025, 112, 1.5],
      ['y', 'both', 2025, 170, null],
      ['x', 'b', 2024, 55, null],
    ]);
    expect(set.breaks).toEqual([{ indicator: 'y', region: 'a', year: 2025, from: 'old', to: 'revised 2026' }]);
    // --observed wins over the scenario's file.
    expect(loadObservedFor(s, `${FIX}/data/obs.csv`)!.file).toBe(`${FIX}/data/obs.csv`);
  });

  it('validate checks a scenario’s observed file', async () => {
    const r = await cli('validate', `${FIX}/with-observed.yaml`);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${FIX}/with-observed.yaml: ok (scenario)\n`);
  });
});
