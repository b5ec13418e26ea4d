/**
 * Paired Monte Carlo (`policysim mc A.yaml B.yaml`): common random numbers checked against the
 * scenarios' own runs replayed one by one, a scenario against itself, and byte-identical output
 * whatever the worker count.
 */
import { describe, expect, it } from 'vitest';
import { percentileSorted } from '../../src/decision/robustness.js';
import { cli } from '../cli/harness.js';

const FIX = 'tests/fixtures/decision';
const A = `${FIX}/linear-a.yaml`;
const B = `${FIX}/linear-b.yaml`;
const RUNS = 20;

async function pairedJson(...args: string[]) {
  const r = await cli('mc', ...args, '--runs', String(RUNS), '--workers', '0', '--format', 'json');
  expect(r.code, r.stderr).toBe(0);
  return { text: r.stdout, json: JSON.parse(r.stdout) };
}

/** `policysim run SCENARIO --mc-run K --format json`: y in 2030 and whether y >= 5. */
async function replayY(file: string, k: number): Promise<number> {
  const r = await cli('run', file, '--mc-run', String(k), '--format', 'json');
  expect(r.code, r.stderr).toBe(0);
  const j = JSON.parse(r.stdout);
  const s = j.series.find((x: { indicator: string; region: string }) => x.indicator === 'y' && x.region === 'a');
  return s.values[j.years.indexOf(2030)];
}

describe('mc with two scenarios that differ by one lever', () => {
  it('gives the run-by-run differences, probabilities, regret and satisficing of the replayed runs', async () => {
    const { json } = await pairedJson(A, B);
    expect(json.schema).toBe('policysim.paired/2');
    expect(json.runs).toBe(RUNS);
    const ya: number[] = [];
    const yb: number[] = [];
    for (let k = 0; k < RUNS; k++) {
      ya.push(await replayY(A, k));
      yb.push(await replayY(B, k));
    }
    const d = yb.map((v, k) => v - ya[k]!);
    const sorted = Float64Array.from(d).sort();
    const diff = json.differences.find(
      (x: { indicator: string; year: number }) => x.indicator === 'y' && x.year === 2030,
    );
    const b = diff.scenarios[1];
    expect(b.scenario).toBe('linear-b');
    let sum = 0;
    for (const x of d) sum += x;
    expect(b.mean).toBe(sum / RUNS);
    expect(b.p5).toBe(percentileSorted(sorted, 0.05));
    expect(b.p50).toBe(percentileSorted(sorted, 0.5));
    expect(b.p95).toBe(percentileSorted(sorted, 0.95));
    // The shock n cancels: every difference is 10 * beta * (0.6 - 0.3) with beta in [0.5, 1.5].
    for (const x of d) {
      expect(x).toBeGreaterThan(1.5 - 1e-9);
      expect(x).toBeLessThan(4.5 + 1e-9);
    }
    const t = json.targets[0];
    expect(t.name).toBe('y at least 5 in 2030');
    const hitsA = ya.filter((v) => v >= 5).length;
    const hitsB = yb.filter((v) => v >= 5).length;
    expect(t.scenarios.map((s: { probability: number }) => s.probability)).toEqual([hitsA / RUNS, hitsB / RUNS]);
    // B is better in every run (more push, same future): P(better) 1, regret of B 0, of A the difference.
    expect(t.scenarios[1].probabilityBetterThanFirst).toBe(1);
    expect(t.scenarios[1].regretMean).toBe(0);
    expect(t.scenarios[0].regretMean).toBeCloseTo(sum / RUNS, 12);
    expect(t.scenarios[0].regretP90).toBeCloseTo(percentileSorted(sorted, 0.9), 12);
    expect(json.scenarios.map((s: { satisficing: number }) => s.satisficing)).toEqual([hitsA / RUNS, hitsB / RUNS]);
  }, 30_000);
});

describe('mc with a scenario against itself', () => {
  it('gives exactly zero differences and equal probabilities, byte for byte', async () => {
    const { json } = await pairedJson(A, A);
    for (const d of json.differences)
      expect(JSON.stringify(d.scenarios[1])).toBe(
        JSON.stringify({ scenario: 'linear-a', mean: 0, sd: 0, p5: 0, p25: 0, p50: 0, p75: 0, p95: 0 }),
      );
    for (const t of json.targets) {
      const [x, y] = t.scenarios;
      expect(JSON.stringify({ ...y })).toBe(JSON.stringify({ ...x }));
      expect(y.probabilityBetterThanFirst).toBe(0);
      expect(y.regretMean).toBe(0);
    }
    // Each scenario's own statistics are the same bytes as well.
    expect(JSON.stringify(json.monteCarlo[1])).toBe(JSON.stringify(json.monteCarlo[0]));
  });
});

describe('paired table and csv', () => {
  it('print the paired section after each scenario', async () => {
    const t = await cli('mc', A, B, '--runs', '20', '--workers', '0');
    expect(t.code, t.stderr).toBe(0);
    expect(t.stdout).toContain("Paired: 2 scenarios on the same 20 futures (seed 11); differences against 'linear-a'");
    expect(t.stdout).toMatch(/linear-b\s+\d+\.\d%\s+100\.0%\s+0\.0000\s+0\.0000/);
    const c = await cli('mc', A, B, '--runs', '20', '--workers', '0', '--format', 'csv');
    expect(c.stdout.split('\n')[0]).toBe('section,scenario,name,indicator,region,year,statistic,value');
    expect(c.stdout).toContain('target,linear-b,y at least 5 in 2030,y,a,2030,probabilityBetterThanFirst,1');
  });
});

describe('paired output does not depend on the worker count', () => {
  it('--workers 2 (a pool of worker threads) gives the bytes of --workers 0', async () => {
    const args = ['mc', A, B, '--runs', '600', '--chunk', '256', '--format', 'json'];
    const pooled = await cli(...args, '--workers', '2');
    const local = await cli(...args, '--workers', '0');
    expect(pooled.code, pooled.stderr).toBe(0);
    expect(local.code, local.stderr).toBe(0);
    expect(pooled.stdout).toBe(local.stdout);
  }, 60_000);
});
