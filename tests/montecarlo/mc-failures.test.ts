/**
 * How `policysim mc` stops:
 *
 *  - a run whose equations give a non-finite value (log of a negative number) stops the whole batch
 *    with exit 1 and one message naming the run index, the seed, the failing equation, and the
 *    command that replays the run — which must then show the same failure. Two fixtures: one fails in
 *    the deterministic pilot (run 8 of seed 11), one only after it (run 2914 of seed 4, ~1 run in 10^4),
 *    through the worker pool. The first failing run is found independently by replaying runs in order;
 *  - Ctrl-C (SIGINT) stops the workers: exit 130, and with --out a complete JSON marked partial whose
 *    runs are a multiple of the chunk size, equal to a full run of that many runs; --save-runs holds
 *    exactly those runs; no temporary files are left behind.
 */

import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareMc } from '../../src/montecarlo/prepare-mc.js';
import { RunBlockEvaluator } from '../../src/montecarlo/run-block.js';
import { PILOT_RUNS } from '../../src/montecarlo/simulate.js';
import { renderMcJson } from '../../src/report/mc-report.js';
import { DEFAULT_SCENARIO } from '../../src/scenario/load-scenario.js';
import { type CliResult, cli, FIX, readSavedRuns, simulateInProcess, spawnCliAsync } from '../fixtures/mc/harness.js';

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
    oftenPool = spawnCliAsync(['mc', often, '--runs', '5000', '--workers', '2']).done;
    rarelyPool = spawnCliAsync([
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
    ]).done;
  });

  it('the fixtures fail where the test expects: one in the pilot, one after it', () => {
    expect(firstFailingRun(often, 11, 100).run).toBe(8);
    const r = firstFailingRun(rarely, 4, 100_000);
    expect(r.run).toBe(2914);
    expect(r.run).toBeGreaterThanOrEqual(PILOT_RUNS);
    expect(r.message).toContain(FAILURE);
  });

  // BUG (src/montecarlo/simulate.ts:51): a failure in the pilot reports only the diagnostic's message
  // ("equation gave -Infinity for Region A in 2022"), not which equation; the block path
  // (run-block.ts:92) reports "indicators.log_level: equation gave ...". Fix: in simulate.ts:51 pass
  // `${d.path}: ${d.message}` (d = e.diagnostics[0]) as run-block.ts:92 does.
  it('BUG: failure in the pilot (--workers 2): run 8, seed 11, the equation and the replay command', async () => {
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

  it('the replay command shows the failing equation (exit 2); the run before it is fine', async () => {
    const bad = await cli('run', rarely, '--mc-run', '2914', '--seed', '4');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      new RegExp(
        `^policysim: error: .*log-of-negative\\.yaml(:\\d+:\\d+)?: ${FAILURE.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(`,
      ),
    );
    const good = await cli('run', rarely, '--mc-run', '2913', '--seed', '4', '--format', 'json');
    expect(good.code, good.stderr).toBe(0);
  });
});

/** Threads of a process (Linux); undefined elsewhere. */
function threadCount(pid: number): number | undefined {
  try {
    return readdirSync(`/proc/${pid}/task`).length;
  } catch {
    return undefined;
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/**
 * Start `mc` and send SIGINT after `afterMs`, counted from the moment its SIGINT handler is in place
 * (it is installed right after the worker pool is created, so: once the process has two more threads
 * than a bare node), and — when `until` is given — not before `until()` holds (polled every 50 ms).
 */
async function interrupt(args: readonly string[], afterMs: number, until?: () => boolean): Promise<CliResult> {
  const bare = Number(
    execFileSync(
      process.execPath,
      ['-e', "try{console.log(require('fs').readdirSync('/proc/self/task').length)}catch{console.log(0)}"],
      { encoding: 'utf8' },
    ),
  );
  const child = spawnCliAsync(args, 60_000);
  const t0 = Date.now();
  if (bare > 0) {
    while (Date.now() - t0 < 20_000 && (threadCount(child.pid) ?? Infinity) < bare + 2) await sleep(50);
  } else {
    await sleep(1500);
  }
  await sleep(afterMs);
  while (until && !until() && Date.now() - t0 < 30_000) await sleep(50);
  child.kill('SIGINT');
  return child.done;
}

/** Whether the temporary --save-runs file in `dir` holds more than its header: a block has been merged. */
function blockMerged(dir: string, name: string): boolean {
  try {
    const tmp = readdirSync(dir).find((f) => f.startsWith(`.${name}.`) && f.endsWith('.tmp'));
    return tmp !== undefined && readFileSync(join(dir, tmp), 'utf8').split('\n').length > 2;
  } catch {
    return false;
  }
}

describe('SIGINT mid-run', () => {
  const REQUESTED = 5_000_000;
  const CHUNK = 4096;

  it('exit 130; --out holds a complete JSON with partial: true and a multiple of the chunk; --save-runs holds exactly those runs; no temp files', async () => {
    const sub = join(dir, 'sigint');
    const out = join(sub, 'out.json');
    const csv = join(sub, 'runs.csv');
    // SIGINT ~1.5 s in, and once at least one block is merged (seen in the streamed records), so that
    // the partial result is not empty even on a loaded machine.
    const r = await interrupt(
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
      1500,
      () => blockMerged(sub, 'runs.csv'),
    );
    expect(r.signal ?? null, r.stderr).toBeNull();
    expect(r.code, r.stderr).toBe(130);
    expect(r.stderr).toContain('interrupted: stopping the workers');
    expect(r.stdout).toBe('');
    // Nothing but the two results (or nothing at all) in the directory: no temporary files.
    const files = existsSync(sub) ? readdirSync(sub).sort() : [];
    expect(files.filter((f) => f !== 'out.json' && f !== 'runs.csv')).toEqual([]);
    if (existsSync(out)) {
      const text = readFileSync(out, 'utf8');
      const j = JSON.parse(text);
      expect(j.schema).toBe('policysim.mc/1');
      expect(j.partial).toBe(true);
      expect(j.runs_requested).toBe(REQUESTED);
      expect(j.runs).toBeLessThan(REQUESTED);
      expect(j.runs % CHUNK).toBe(0);
      expect(r.stderr).toContain(`wrote ${out}`);
      // The records are the same runs as the statistics.
      expect(existsSync(csv)).toBe(true);
      const saved = readSavedRuns(csv);
      expect(saved.rows).toHaveLength(j.runs);
      expect(saved.col('run')).toEqual(Array.from({ length: j.runs }, (_, k) => k));
      // The partial statistics are those of a complete batch of that many runs (same pilot from 2000
      // runs on; blocks merged in run order), apart from the two fields that say it was partial.
      expect(j.runs).toBeGreaterThan(0);
      if (j.runs <= 200_000) {
        const full = JSON.parse(
          renderMcJson(await simulateInProcess(DEFAULT_SCENARIO, { runs: j.runs, seed: j.seed })),
        );
        expect({ ...j, runs_requested: j.runs, partial: false }).toEqual(full);
      }
    }
  });

  it('without --out: exit 130 and a message saying nothing was written', async () => {
    const n = await interrupt(['mc', '--runs', String(REQUESTED), '--workers', '2', '--chunk', String(CHUNK)], 1500);
    expect(n.code, n.stderr).toBe(130);
    expect(n.stdout).toBe('');
    expect(n.stderr).toMatch(
      new RegExp(
        `interrupted after \\d+ of ${REQUESTED} runs; no statistics written \\(use --out to keep partial results\\)`,
      ),
    );
  });
});
