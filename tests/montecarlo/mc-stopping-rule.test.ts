/**
 * The stopping rule: it stops at the first fixed run count (2,048, doubling, then --max-runs) where
 * every target probability's 95% Wilson half-width is within --precision; the same count on 1 and 2
 * workers, and the statistics are those of `mc --runs` that count.
 */
import { describe, expect, it } from 'vitest';
import { checkpoints } from '../../src/montecarlo/stopping-rule.js';
import { wilsonHalfWidth, wilsonInterval } from '../../src/util/wilson.js';
import { cli } from '../cli/harness.js';
import { FIX } from '../fixtures/mc/helpers.js';

const SCEN = `${FIX}/closed-form.yaml`;

interface McJson {
  runs: number;
  runsRequested: number;
  partial: boolean;
  targets: { probability: number; runsReached: number }[];
  stopping: {
    precision: number;
    maxRuns: number;
    reason: string;
    runs: number;
    checkedAt: number[];
    intervals: { target: string; probability: number; low: number; high: number; halfWidth: number }[];
  } | null;
  series: unknown;
}

describe('wilsonInterval', () => {
  it('matches the closed form (Wilson 1927) and published values', () => {
    // 15 of 20 at z = 1.96: [0.5313, 0.8881] (Newcombe 1998, table I, method 3: 0.5313-0.8881).
    const w = wilsonInterval(15, 20, 1.96);
    expect(w.low).toBeCloseTo(0.5313, 4);
    expect(w.high).toBeCloseTo(0.8881, 4);
    // 0 of 10: [0, 0.2775] (Newcombe 1998: 0-0.2775).
    const z = wilsonInterval(0, 10, 1.96);
    expect(z.low).toBe(0);
    expect(z.high).toBeCloseTo(0.2775, 4);
    expect(wilsonInterval(0, 0)).toEqual({ low: 0, high: 1 });
    expect(wilsonHalfWidth(0, 0)).toBe(0.5);
    // The half-width is taken before clipping: at 0 of 10 the interval is [0, 0.2775], centred at 0.1387.
    expect(wilsonHalfWidth(0, 10, 1.96)).toBeCloseTo(0.2775 / 2, 4);
  });
});

describe('mc --precision --max-runs', () => {
  it('looks at 2,048, doubling, and the maximum', () => {
    expect(checkpoints(20_000)).toEqual([2048, 4096, 8192, 16384, 20000]);
    expect(checkpoints(1000)).toEqual([1000]);
    expect(checkpoints(4096)).toEqual([2048, 4096]);
  });

  it('stops at the first count meeting the precision; same on 1 and 2 workers; equals mc --runs n', async () => {
    const args = ['mc', SCEN, '--precision', '0.01', '--max-runs', '100000', '--format', 'json'];
    const one = await cli(...args, '--workers', '1');
    const two = await cli(...args, '--workers', '2');
    expect(one.code, one.stderr).toBe(0);
    expect(two.stdout).toBe(one.stdout);
    const j = JSON.parse(one.stdout) as McJson;
    const s = j.stopping!;
    expect(s.reason).toBe('precision');
    expect(j.runs).toBe(s.runs);
    expect(j.runsRequested).toBe(100000);
    expect(j.partial).toBe(false);
    expect(s.checkedAt).toEqual(checkpoints(100000).filter((n) => n <= s.runs));
    expect(s.runs).toBeLessThan(100000);
    for (const [k, iv] of s.intervals.entries()) {
      expect(iv.halfWidth).toBeLessThanOrEqual(0.01);
      const w = wilsonInterval(j.targets[k]!.runsReached, s.runs);
      expect(iv).toMatchObject({
        low: w.low,
        high: w.high,
        halfWidth: wilsonHalfWidth(j.targets[k]!.runsReached, s.runs),
      });
    }
    // The same statistics as a fixed run of that many runs...
    const fixed = JSON.parse(
      (await cli('mc', SCEN, '--runs', String(s.runs), '--workers', '0', '--format', 'json')).stdout,
    ) as McJson;
    expect(JSON.stringify(fixed.series)).toBe(JSON.stringify(j.series));
    expect(fixed.targets).toEqual(j.targets);
    // ...and one count earlier at least one interval was still too wide.
    const before = s.checkedAt[s.checkedAt.length - 2]!;
    const earlier = JSON.parse(
      (await cli('mc', SCEN, '--runs', String(before), '--workers', '0', '--format', 'json')).stdout,
    ) as McJson;
    expect(Math.max(...earlier.targets.map((t) => wilsonHalfWidth(t.runsReached, before)))).toBeGreaterThan(0.01);
  }, 120_000);

  it('says when the maximum came first', async () => {
    const r = await cli('mc', SCEN, '--precision', '0.001', '--max-runs', '3000', '--workers', '0');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      'Stopped after 3000 runs: --max-runs 3000 reached before every 95% interval was within ±0.001 (looked at 2048, 3000 runs).',
    );
  });

  it('refuses what it cannot do', async () => {
    const shard = await cli('mc', SCEN, '--precision', '0.01', '--max-runs', '5000', '--shard', '0/2');
    expect(shard.code).toBe(2);
    expect(shard.stderr).toBe(
      'policysim: error: --shard: a stopping rule cannot be sharded: its decision at each run count needs all the runs so far (run the stopping rule on one machine, or shard a fixed --runs)\n',
    );
    const noMax = await cli('mc', SCEN, '--precision', '0.01');
    expect(noMax.stderr).toBe('policysim: error: --precision: needs --max-runs N, the most runs the rule may use\n');
    const runs = await cli('mc', SCEN, '--precision', '0.01', '--max-runs', '5000', '--runs', '10');
    expect(runs.stderr).toBe('policysim: error: --runs: the stopping rule decides the runs: give --max-runs instead\n');
    const noTargets = await cli('mc', `${FIX}/fails-often.yaml`, '--precision', '0.01', '--max-runs', '5000');
    expect(noTargets.stderr).toBe(
      `policysim: error: --precision: the stopping rule needs targets, and ${FIX}/fails-often.yaml has none\n`,
    );
  });
});
