/**
 * backtest and calibrate on worker threads (issue 12): the runs go through the evaluator mc uses
 * (src/execution/), and the JSON is the same byte for byte in the main thread and on two workers —
 * with a run count that leaves the last block short, so block boundaries cannot hide a shift.
 */
import { describe, expect, it } from 'vitest';
import { cli } from '../cli/harness.js';

const HINDCAST = 'scenarios/observed/hindcast.yaml';

/** The command's JSON on --workers 0 and 2: both succeed and give the same bytes; the JSON, parsed. */
async function sameOnZeroAndTwoWorkers(...argv: string[]) {
  const run = (w: string) => cli(...argv, '--workers', w, '--format', 'json');
  const [a, b] = [await run('0'), await run('2')];
  expect(a.code, a.stderr).toBe(0);
  expect(b.code, b.stderr).toBe(0);
  expect(a.stdout === b.stdout).toBe(true);
  return JSON.parse(a.stdout);
}

describe('--workers', () => {
  it('backtest: --workers 0 and --workers 2 give the same JSON, byte for byte', async () => {
    const json = await sameOnZeroAndTwoWorkers('backtest', HINDCAST, '--runs', '700', '--seed', '7');
    expect(json.runs).toBe(700);
  }, 120_000);

  it('calibrate: the posterior (weights, bands, resampled rows) is the same on 0 and 2 workers', async () => {
    const json = await sameOnZeroAndTwoWorkers('calibrate', HINDCAST, '--fit', 'td_trend', '--runs', '700');
    expect(json.posterior.runs).toBe(700);
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
