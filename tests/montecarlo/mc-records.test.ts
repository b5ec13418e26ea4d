/**
 * One pooled Monte Carlo batch with `--save-runs` (per-run draws and target outcomes), checked three
 * ways against its own records:
 *
 *  - the JSON's target probabilities, counts and first-year distributions are exactly the tallies of
 *    the saved records;
 *  - the JSON's percentiles of each target cell are within `resolution` of the exact order statistics
 *    of the saved values (or equal the exact min/max when clamped), and min/max are exact;
 *  - `policysim run SCENARIO --mc-run K --seed S --format json` reproduces run K of the batch exactly
 *    (value, reached, first year of every target), for runs in the pilot, at block and leaf edges,
 *    and in the last, partial leaf.
 *
 * Plus, in-process: RunBlockEvaluator.evaluate (the code the workers run) against replay() run by run,
 * on the shocked closed-form fixture as well.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareMc } from '../../src/montecarlo/prepare-mc.js';
import { RunBlockEvaluator } from '../../src/montecarlo/run-block.js';
import { PILOT_RUNS } from '../../src/montecarlo/simulate.js';
import { makeBinning } from '../../src/montecarlo/stats.js';
import { type CliResult, cli } from '../cli/harness.js';
import { FIX, orderStatistic, PAPER, readSavedRuns, type SavedRuns } from '../fixtures/mc/helpers.js';

const RUNS = 3000;
const SEED = 2016;

interface McJson {
  runs: number;
  years: number[];
  series: ({ indicator: string; region: string; min: number[]; max: number[]; resolution: number[] } & Record<
    string,
    unknown
  >)[];
  targets: {
    name: string;
    indicator: string;
    region: string;
    year: number;
    probability: number;
    runsReached: number;
    firstYearReached: { years: number[]; counts: number[]; never: number; median: number | null };
  }[];
}

let dir: string;
let batch: CliResult;
let json: McJson;
let saved: SavedRuns;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'policysim-mc-records-'));
  batch = await cli(
    'mc',
    PAPER,
    '--runs',
    String(RUNS),
    '--seed',
    String(SEED),
    '--workers',
    '2',
    '--chunk',
    '512',
    '--format',
    'json',
    '--out',
    join(dir, 'mc.json'),
    '--save-runs',
    join(dir, 'runs.csv'),
  );
  if (batch.code !== 0) throw new Error(`mc failed (${batch.code}): ${batch.stderr}`);
  json = JSON.parse(readFileSync(join(dir, 'mc.json'), 'utf8')) as McJson;
  saved = readSavedRuns(join(dir, 'runs.csv'));
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('--save-runs records', () => {
  it('one row per run, in run order, with the documented columns', () => {
    expect(saved.rows).toHaveLength(RUNS);
    expect(saved.col('run')).toEqual(Array.from({ length: RUNS }, (_, k) => k));
    expect(saved.columns[0]).toBe('run');
    const targetCols = json.targets.flatMap((_, i) => [
      `target${i + 1}_value`,
      `target${i + 1}_reached`,
      `target${i + 1}_first_year`,
    ]);
    expect(saved.columns.slice(-targetCols.length)).toEqual(targetCols);
    // The draws of the uncertain parameters come between: one column per draw.
    expect(saved.columns).toContain('ftz_trade');
    for (const v of saved.col('td_trend')) expect(v >= -0.07 && v <= 0.01).toBe(true);
  });
});

describe('target probabilities and first years equal the tallies of the saved records', () => {
  it('probability = fraction of runs reached; runsReached = their count', () => {
    expect(json.runs).toBe(RUNS);
    json.targets.forEach((t, i) => {
      const reached = saved.col(`target${i + 1}_reached`);
      expect(new Set(reached)).toEqual(new Set(reached.filter((x) => x === 0 || x === 1)));
      const count = reached.filter((x) => x === 1).length;
      expect(t.runsReached, t.name).toBe(count);
      expect(t.probability, t.name).toBe(count / RUNS);
    });
    // Not vacuous: some target is reached by some but not all runs.
    expect(json.targets.some((t) => t.probability > 0 && t.probability < 1)).toBe(true);
  });

  it('first-year counts and "never" equal the histogram of the saved first years', () => {
    json.targets.forEach((t, i) => {
      const first = saved.col(`target${i + 1}_first_year`);
      const fy = t.firstYearReached;
      expect(fy.never, t.name).toBe(first.filter((x) => Number.isNaN(x)).length);
      expect(fy.counts, t.name).toEqual(fy.years.map((y) => first.filter((x) => x === y).length));
      // A run that reached the target in its year reached it first no later than that year.
      const reached = saved.col(`target${i + 1}_reached`);
      reached.forEach((r, k) => {
        if (r === 1) expect(first[k]! <= t.year, `${t.name}, run ${k}`).toBe(true);
      });
      // The median first year from the records.
      const sorted = first.map((x) => (Number.isNaN(x) ? Infinity : x)).sort((a, b) => a - b);
      const med = sorted[Math.ceil(RUNS / 2) - 1]!;
      expect(fy.median, t.name).toBe(Number.isFinite(med) ? med : null);
    });
  });
});

describe('percentiles of the target cells against the exact sorted saved values', () => {
  it('within resolution of x₍⌈pn/100⌉₎, or the exact min/max when clamped', () => {
    let checked = 0;
    json.targets.forEach((t, i) => {
      const values = Float64Array.from(saved.col(`target${i + 1}_value`)).sort();
      const s = json.series.find((x) => x.indicator === t.indicator && x.region === t.region)!;
      const y = json.years.indexOf(t.year);
      expect(s.min[y], `${t.name} min`).toBe(values[0]);
      expect(s.max[y], `${t.name} max`).toBe(values[RUNS - 1]);
      const res = s.resolution[y]!;
      expect(res).toBeGreaterThan(0);
      for (const p of [5, 25, 50, 75, 95]) {
        const v = (s[`p${p}`] as number[])[y]!;
        const os = orderStatistic(values, p);
        // A clamped percentile (JSON does not say which) is the exact min or max.
        if (v === values[0] || v === values[RUNS - 1]) continue;
        expect(Math.abs(v - os), `${t.name} p${p}: ${v} vs ${os} (resolution ${res})`).toBeLessThanOrEqual(
          res * (1 + 1e-9),
        );
        checked++;
      }
    });
    expect(checked).toBeGreaterThanOrEqual(15);
  });
});

describe('policysim run --mc-run K replays run K of the batch exactly', () => {
  // In the pilot, the pilot's last run, the first block after it, a leaf edge, a block edge (chunk
  // 512), the last full leaf, and the last run (in the final, partial leaf).
  const RUNS_TO_REPLAY = [0, 1, PILOT_RUNS - 1, PILOT_RUNS, 2047, 2048, 2815, RUNS - 1];

  for (const k of RUNS_TO_REPLAY) {
    it(`run ${k}`, async () => {
      const r = await cli('run', PAPER, '--mc-run', String(k), '--seed', String(SEED), '--format', 'json');
      expect(r.code, r.stderr).toBe(0);
      const out = JSON.parse(r.stdout) as {
        scenario: { name: string };
        targets: { value: number; reached: boolean; firstYearReached: number | null }[];
      };
      expect(out.scenario.name).toContain(`Monte Carlo run ${k}, seed ${SEED}`);
      const row = saved.rows[k]!;
      out.targets.forEach((t, i) => {
        expect(t.value, `target ${i + 1} value`).toBe(saved.col(`target${i + 1}_value`)[k]);
        expect(t.reached ? 1 : 0, `target ${i + 1} reached`).toBe(saved.col(`target${i + 1}_reached`)[k]);
        const fy = saved.col(`target${i + 1}_first_year`)[k]!;
        expect(t.firstYearReached, `target ${i + 1} first year`).toBe(Number.isNaN(fy) ? null : fy);
      });
      expect(row[0]).toBe(k);
    });
  }

  it('without --seed the scenario seed (2016) is used', async () => {
    const a = await cli('run', PAPER, '--mc-run', '1234', '--format', 'json');
    const b = await cli('run', PAPER, '--mc-run', '1234', '--seed', String(SEED), '--format', 'json');
    expect(a.code, a.stderr).toBe(0);
    // The same numbers; only the recorded command (JSON `command`) says how each was asked for.
    const [ja, jb] = [JSON.parse(a.stdout), JSON.parse(b.stdout)];
    expect(jb.command).toBe(`policysim run ${PAPER} --mc-run 1234 --seed ${SEED}`);
    expect({ ...ja, command: jb.command }).toEqual(jb);
    const c = await cli('run', PAPER, '--mc-run', '1234', '--seed', '1', '--format', 'json');
    expect(JSON.parse(c.stdout).targets[1].value).not.toBe(JSON.parse(b.stdout).targets[1].value);
  });
});

describe('in-process: evaluate() (what a worker runs) against replay(), run by run', () => {
  for (const [name, file, seed] of [
    ['paper-proposals', PAPER, SEED],
    ['closed-form fixture (parameter draws and AR(1) shocks)', `${FIX}/closed-form.yaml`, 7],
  ] as const) {
    it(name, () => {
      const ctx = prepareMc({ scenarioFile: file, overrides: [] });
      const ev = new RunBlockEvaluator(ctx.image);
      const binning = makeBinning(ev.pilot(seed, 0, 300), 300, ev.cells);
      const first = 2048;
      const count = 300;
      const res = ev.evaluate({ seed, firstRun: first, runCount: count, save: true }, binning);
      if (!res.ok) throw new Error(res.failure.message);
      const width = ev.saveColumns.length;
      const draws = ev.sampler.drawLabels.length;
      const { model, targets } = ctx.scenario;
      // A second evaluator, so that replay does not share buffers with the one that evaluated.
      const other = new RunBlockEvaluator(prepareMc({ scenarioFile: file, overrides: [] }).image);
      for (let i = 0; i < count; i++) {
        const k = first + i;
        const rec = res.saved!.subarray(i * width, (i + 1) * width);
        expect(rec[0]).toBe(k);
        const values = other.replay(seed, k);
        const params = other.paramsOf(seed, k);
        let col = 1;
        for (const p of ctx.spec.parameters) {
          for (const group of p.slotGroups) {
            if (p.apply === 'replace')
              for (const slot of group) expect(params[slot], `run ${k} ${p.name}`).toBe(rec[col]);
            col++;
          }
        }
        targets.forEach((t, j) => {
          const v = values[(t.year - model.baseYear) * model.seriesCount + t.series]!;
          expect(rec[1 + draws + 3 * j], `run ${k} target ${j + 1}`).toBe(v);
        });
      }
    });
  }
});
