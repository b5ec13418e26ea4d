/**
 * backtest and calibrate on worker threads (issue 12): the runs go through the evaluator mc uses
 * (src/execution/), and the JSON is the same byte for byte in the main thread and on two workers —
 * with a run count that leaves the last block short, so block boundaries cannot hide a shift.
 */
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/harness.js';

const HINDCAST = 'scenarios/observed/hindcast.yaml';

describe('--workers', () => {
  it('backtest: --workers 0 and --workers 2 give the same JSON, byte for byte', async () => {
    const run = (w: string) =>
      cli('backtest', HINDCAST, '--runs', '700', '--seed', '7', '--workers', w, '--format', 'json');
    const [a, b] = [await run('0'), await run('2')];
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    expect(JSON.parse(a.stdout).runs).toBe(700);
    expect(a.stdout === b.stdout).toBe(true);
  }, 120_000);

  it('calibrate: the posterior (weights, bands, resampled rows) is the same on 0 and 2 workers', async () => {
    const run = (w: string) =>
      cli('calibrate', HINDCAST, '--fit', 'td_trend', '--runs', '700', '--workers', w, '--format', 'json');
    const [a, b] = [await run('0'), await run('2')];
    expect(a.code, a.stderr).toBe(0);
    expect(b.code, b.stderr).toBe(0);
    expect(JSON.parse(a.stdout).posterior.runs).toBe(700);
    expect(a.stdout === b.stdout).toBe(true);
  }, 120_000);

  it('is a usage error beyond its range, as for mc; refused with --no-posterior', async () => {
    const r = await cli('backtest', HINDCAST, '--workers', 'many');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^policysim: error: --workers: must be a whole number from 0 to \d+, or auto \(got 'many'\)\n$/,
    );
    const c = await cli('calibrate', HINDCAST, '--fit', 'td_trend', '--no-posterior', '--workers', '2');
    expect(c).toMatchObject({
      code: 2,
      stderr: 'policysim: error: --workers: applies to the posterior, not with --no-posterior\n',
    });
  });
});
