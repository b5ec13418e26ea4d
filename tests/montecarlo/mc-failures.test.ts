/**
 * How `policysim mc` stops:
 *
 *  - a run whose equations give a non-finite value (log of a negative number) stops the whole batch
 *    with exit 1 and one message naming the run index, the seed, the failing equation, and the
 *    command that replays the run — which must then show the same failure (exit 1 too). Two fixtures: one fails in
 *    the deterministic pilot (run 8 of seed 11), one only after it (run 2914 of seed 4, ~1 run in 10^4),
 *    through the worker pool. The first failing run is found independently by replaying runs in order;
 *  - Ctrl-C (SIGINT) stops the workers: exit 130, and with --out a complete JSON marked partial whose
 *    runs are a multiple of the chunk size, equal to a full run of that many runs; --save-runs holds
 *    exactly those runs; no temporary files are left behind. The interrupt is the command's own
 *    (in-process, as the entry point's SIGINT handler drives it), sent once a block is merged (seen
 *    in the streamed records), never after a delay. tests/cli/signals.test.ts sends real signals to
 *    a child process.
 *
 * Everything runs in-process, the pools on real worker threads.
 */

import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mcManifest } from '../../src/manifest/manifest.js';
import { prepareMc } from '../../src/montecarlo/prepare-mc.js';
import { RunBlockEvaluator } from '../../src/montecarlo/run-block.js';
import { PILOT_RUNS } from '../../src/montecarlo/simulate.js';
import { renderMcJson } from '../../src/report/mc-report.js';
import { DEFAULT_SCENARIO } from '../../src/scenario/load-scenario.js';
import { type CliResult, cli, cliRunning } from '../cli/harness.js';
import { FIX, readSavedRuns, simulateInProcess } from '../fixtures/mc/helpers.js';

/** The first run of `file` (seed from the scenario) that fails, by replaying runs 0, 1, 2, ... alone. */
function firstFailingRun(file: string, seed: number, limit: number): { run: number; message: string } {
  const ev = new RunBlockEvaluator(prepareMc({ scenarioFile: file, overrides: [] }).image);
  for (let k = 0; k < limit; k++) {
    try {
      ev.replay(seed, k);
    } catch (e) {
      return { run: k, message: (e as Error).message };
    }
  }
  throw new Error(`no failing run below ${limit}`);
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'policysim-mc-failures-'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('a run with a non-finite value stops the batch (exit 1) naming run, seed, equation and replay', () => {
  // The failing equation as the checked kernel names it, and the year log(level) first goes non-finite.
  const EQUATION = 'indicators.log_level';
  const FAILURE = `${EQUATION}: equation gave -Infinity for Region A in 2022`;

  const expected = (file: string, run: number, seed: number): string =>
    `policysim: failed: Monte Carlo run ${run} (seed ${seed}) failed: ${FAILURE}\n` +
    `  replay it with: policysim run ${file} --mc-run ${run} --seed ${seed}\n`;

  const often = `${FIX}/fails-often.yaml`;
  const rarely = `${FIX}/fails-rarely.yaml`;
  let oftenPool: Promise<CliResult>;
  let rarelyPool: Promise<CliResult>;
  beforeAll(() => {
    oftenPool = cli('mc', often, '--runs', '5000', '--workers', '2');
    rarelyPool = cli(
      'mc',
      rarely,
      '--runs',
      '100000',
      '--workers',
      '2',
      '--chunk',
      '1000',
      '--format',
      'json',
      '--out',
      join(dir, 'fail.json'),
      '--save-runs',
      join(dir, 'fail.csv'),
    );
  });

  it('the fixtures fail where the test expects: one in the pilot, one after it', () => {
    expect(firstFailingRun(often, 11, 100).run).toBe(8);
    const r = firstFailingRun(rarely, 4, 100_000);
    expect(r.run).toBe(2914);
    expect(r.run).toBeGreaterThanOrEqual(PILOT_RUNS);
    expect(r.message).toContain(FAILURE);
  });

  // A failure in the pilot names the equation as a failing block does (`indicators.log_level: equation gave ...`).
  it('a failure in the pilot (--workers 2): run 8, seed 11, the equation and the replay command', async () => {
    const r = await oftenPool;
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(expected(often, 8, 11));
  });

  it('failure after the pilot, in a worker (--workers 2 --chunk 1000): run 2914, seed 4', async () => {
    const r = await rarelyPool;
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(expected(rarely, 2914, 4));
  });

  it('a failed batch writes neither --out nor --save-runs, and leaves no temporary file', async () => {
    await rarelyPool;
    expect(readdirSync(dir).filter((f) => f.startsWith('fail') || f.startsWith('.fail'))).toEqual([]);
  });

  it('the same failure in the main thread (--workers 0)', async () => {
    const r = await cli('mc', rarely, '--runs', '100000', '--workers', '0', '--chunk', '4096');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(expected(rarely, 2914, 4));
  });

  it('the replay command shows the failing equation (exit 1, as the batch); the run before it is fine', async () => {
    const bad = await cli('run', rarely, '--mc-run', '2914', '--seed', '4');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(
      new RegExp(
        `^policysim: failed: .*log-of-negative\\.yaml(:\\d+:\\d+)?: ${FAILURE.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(`,
      ),
    );
    const good = await cli('run', rarely, '--mc-run', '2913', '--seed', '4', '--format', 'json');
    expect(good.code, good.stderr).toBe(0);
  });
});

/** Whether the temporary --save-runs file in `dir` holds more than its header: a block has been merged. */
function blockMerged(dir: string, name: string): boolean {
  try {
    const tmp = readdirSync(dir).find((f) => f.startsWith(`.${name}.`) && f.endsWith('.tmp'));
    return tmp !== undefined && readFileSync(join(dir, tmp), 'utf8').split('\n').length > 2;
  } catch {
    return false;
  }
}

/**
 * Start `mc` in-process and interrupt it as SIGINT does once at least one block is merged (seen in the streamed records): a
 * condition, not a delay, so the partial result is never empty, however loaded the machine.
 */
async function interruptAfterABlock(args: readonly string[], sub: string, csvName: string): Promise<CliResult> {
  const p = cliRunning(args);
  await p.waitFor(() => blockMerged(sub, csvName), 'a block was merged');
  p.kill('SIGINT');
  return p.done;
}

describe('SIGINT mid-run', () => {
  const REQUESTED = 5_000_000;
  // Small blocks, so that one is merged soon after the start and little is queued when the signal
  // comes (4096 took seconds), but at least the pilot's runs: a partial result of whole blocks then has
  // the bins of a complete run of as many runs (both from the first PILOT_RUNS).
  const CHUNK = 2048;

  it('exit 130; --out holds a complete JSON with partial: true and a multiple of the chunk; --save-runs holds exactly those runs; no temp files', async () => {
    const sub = join(dir, 'sigint');
    const out = join(sub, 'out.json');
    const csv = join(sub, 'runs.csv');
    mkdirSync(sub);
    const r = await interruptAfterABlock(
      [
        'mc',
        '--runs',
        String(REQUESTED),
        '--workers',
        '2',
        '--chunk',
        String(CHUNK),
        '--format',
        'json',
        '--out',
        out,
        '--save-runs',
        csv,
      ],
      sub,
      'runs.csv',
    );
    expect(CHUNK).toBeGreaterThanOrEqual(PILOT_RUNS);
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toContain('interrupted: stopping the workers');
    expect(r.stdout).toBe('');
    // Nothing but the two results (or nothing at all) in the directory: no temporary files.
    const files = existsSync(sub) ? readdirSync(sub).sort() : [];
    expect(files.filter((f) => f !== 'out.json' && f !== 'runs.csv')).toEqual([]);
    {
      // A block was merged before the signal: the partial result is never empty.
      expect(existsSync(out)).toBe(true);
      const text = readFileSync(out, 'utf8');
      const j = JSON.parse(text);
      expect(j.schema).toBe('policysim.mc/2');
      expect(j.partial).toBe(true);
      expect(j.runsRequested).toBe(REQUESTED);
      expect(j.runs).toBeLessThan(REQUESTED);
      expect(j.runs % CHUNK).toBe(0);
      expect(r.stderr).toContain(`wrote ${out}`);
      // The records are the same runs as the statistics.
      expect(existsSync(csv)).toBe(true);
      const saved = readSavedRuns(csv);
      expect(saved.rows).toHaveLength(j.runs);
      expect(saved.col('run')).toEqual(Array.from({ length: j.runs }, (_, k) => k));
      // The partial statistics are those of a complete batch of that many runs (same pilot from 2000
      // runs on; blocks merged in run order), apart from the two fields that say it was partial (and the
      // command and manifest, which the in-process simulation has none of).
      expect(j.runs).toBeGreaterThan(0);
      if (j.runs <= 200_000) {
        const full = JSON.parse(
          renderMcJson(await simulateInProcess(DEFAULT_SCENARIO, { runs: j.runs, seed: j.seed })),
        );
        expect(j.command).toBe('policysim mc --runs 5000000');
        // The manifest is that of the job asked for (5,000,000 runs), not of the runs done.
        const ctx = prepareMc({ scenarioFile: DEFAULT_SCENARIO, overrides: [] });
        expect(j.manifest).toEqual(mcManifest(ctx.scenario, [], j.seed, REQUESTED));
        expect({ ...j, runsRequested: j.runs, partial: false, command: null, manifest: null }).toEqual(full);
      }
    }
  });

  it('without --out: exit 130 and a message saying no statistics were written, --save-runs holds the runs merged', async () => {
    const sub = join(dir, 'sigint-no-out');
    mkdirSync(sub);
    const csv = join(sub, 'runs.csv');
    const n = await interruptAfterABlock(
      ['mc', '--runs', String(REQUESTED), '--workers', '2', '--chunk', String(CHUNK), '--save-runs', csv],
      sub,
      'runs.csv',
    );
    expect(n.code, n.stderr).toBe(130);
    expect(n.stdout).toBe('');
    const m = new RegExp(
      `interrupted after (\\d+) of ${REQUESTED} runs; no statistics written \\(use --out to keep partial results\\); ${csv} holds the (\\d+) runs merged\n$`,
    ).exec(n.stderr);
    expect(m, n.stderr).not.toBeNull();
    expect(m![1]).toBe(m![2]);
    expect(Number(m![1]) % CHUNK).toBe(0);
    expect(readSavedRuns(csv).rows).toHaveLength(Number(m![1]));
  });
});
