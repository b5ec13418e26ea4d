/**
 * A failed Monte Carlo run is data in the core (scenario, run, seed, equation, region, year: src/montecarlo/run-failure.ts)
 * and the CLI words it, adding the command that replays it with the same --set flags
 * (src/cli/replay-hint.ts). The replay command, run as printed, fails the same way.
 */
import { describe, expect, it } from 'vitest';
import { replayCommand } from '../../src/cli/replay-hint.js';
import { setOverrides } from '../../src/cli/set-overrides.js';
import { prepareMc } from '../../src/montecarlo/prepare-mc.js';
import { RunBlockEvaluator } from '../../src/montecarlo/run-block.js';
import { McRunFailed } from '../../src/montecarlo/run-failure.js';
import { runMonteCarlo } from '../../src/montecarlo/simulate.js';
import { cli } from './harness.js';

// fragile.yaml draws d from {0, 1}; with push = 0 a future with d = 0 divides by zero: the first is run 3 (seed 7).
const FRAGILE = 'tests/fixtures/sweep/regional/fragile.yaml';
const FAILURE = 'Monte Carlo run 3 (seed 7) failed: states.x.next: equation gave -Infinity for Region A in 2016';
const REPLAY = `policysim run ${FRAGILE} --mc-run 3 --seed 7 --set push=0`;

describe('the core returns the failed run as data', () => {
  it('runMonteCarlo rejects with the run, seed, equation, region and year, and no command line', async () => {
    const ctx = prepareMc({ scenarioFile: FRAGILE, overrides: setOverrides(['push=0']) });
    const e = await runMonteCarlo(ctx, new RunBlockEvaluator(ctx.image), { runs: 10, seed: 7, workers: 0 }).then(
      () => 'completed',
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(McRunFailed);
    const f = (e as McRunFailed).failure;
    expect(f).toEqual({
      scenarioFile: FRAGILE,
      run: 3,
      seed: 7,
      equation: 'states.x.next',
      region: 'Region A',
      year: 2016,
      message: 'states.x.next: equation gave -Infinity for Region A in 2016',
    });
    expect((e as McRunFailed).message).toBe(FAILURE);
  });
});

describe('the CLI adds the replay command, with the --set flags as given', () => {
  it('mc', async () => {
    const r = await cli('mc', FRAGILE, '--set', 'push=0', '--runs', '10', '--workers', '0');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`policysim: failed: ${FAILURE}\n  replay it with: ${REPLAY}\n`);
  });

  it('backtest (its replay command used to leave the --set flags out, so it did not replay the run)', async () => {
    const r = await cli(
      'backtest',
      FRAGILE,
      '--observed',
      'tests/fixtures/sweep/regional/fragile-observed.csv',
      '--set',
      'push=0',
      '--runs',
      '10',
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`policysim: failed: ${FAILURE}\n  replay it with: ${REPLAY}\n`);
  });

  it('the replay command, run as printed, fails in the same equation with the same value', async () => {
    const bad = await cli(...REPLAY.split(' ').slice(1));
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(': states.x.next: equation gave -Infinity for Region A in 2016 (');
  });

  it('a file name or --set the shell would split is quoted', () => {
    const f = { scenarioFile: 'my runs/a.yaml', run: 1, seed: 2, equation: 'e', year: 2020, message: 'm' };
    expect(replayCommand(f, ['x=1', 'y=$(2)'])).toBe(
      "policysim run 'my runs/a.yaml' --mc-run 1 --seed 2 --set x=1 --set 'y=$(2)'",
    );
  });
});
