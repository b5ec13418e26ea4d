/**
 * SIGINT and SIGTERM, across the process boundary (the built CLI as a child process). Every signal is
 * sent once a condition holds — a line on stderr, a block of records on disk — never after a delay,
 * so the outcome does not depend on how loaded the machine is:
 *
 *  - SIGTERM is handled like SIGINT (exit 143 instead of 130): a partial result written and marked,
 *    the runs merged so far in --save-runs, no temporary file left (SIGTERM used to kill `mc` and
 *    leave `.runs.csv.*.tmp` behind);
 *  - a signal right after start-up (the handler is installed before loading; the long work is
 *    announced on stderr) stops `mc` cleanly with a message, nothing written;
 *  - a second signal exits at once, temporary files removed;
 *  - `sweep` stops on either signal: exit 130 / 143, nothing written, a message saying so.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSavedRuns } from '../fixtures/mc/helpers.js';
import { spawnRunning } from './harness.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'policysim-signals-'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const RUNS = 5_000_000;
// Small blocks: the first is merged soon after start-up, and the main thread (which merges them and
// formats --save-runs) has little queued when the signal comes (with 4096 it took seconds to notice).
const CHUNK = 256;
const SWEEP = 'tests/fixtures/signals/long-policy-grid.yaml';

/** A fresh directory for one test's outputs. */
function sub(name: string): string {
  const d = join(dir, name);
  mkdirSync(d);
  return d;
}

/** Whether the temporary --save-runs file in `d` holds more than its header: a block has been merged. */
function blockMerged(d: string, name: string): boolean {
  const tmp = readdirSync(d).find((f) => f.startsWith(`.${name}.`) && f.endsWith('.tmp'));
  if (tmp === undefined) return false;
  try {
    return readFileSync(join(d, tmp), 'utf8').split('\n').length > 2;
  } catch {
    return false;
  }
}

const announced = (what: RegExp) => (s: string) => what.test(s);

describe('mc', () => {
  it('SIGTERM mid-run: exit 143, --out partial and marked, --save-runs holds exactly those runs, no temp file', async () => {
    const d = sub('term');
    const out = join(d, 'out.json');
    const csv = join(d, 'runs.csv');
    const p = spawnRunning([
      'mc',
      '--runs',
      String(RUNS),
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
    ]);
    await p.waitFor(() => blockMerged(d, 'runs.csv'), 'a block was merged');
    p.kill('SIGTERM');
    const r = await p.done;
    expect(r.signal, r.stderr).toBeNull();
    expect(r.code, r.stderr).toBe(143);
    expect(r.stderr).toContain('interrupted: stopping the workers\n');
    expect(r.stderr).toContain(`wrote ${out}\n`);
    expect(readdirSync(d).sort()).toEqual(['out.json', 'runs.csv']);
    const j = JSON.parse(readFileSync(out, 'utf8'));
    expect(j.partial).toBe(true);
    expect(j.runsRequested).toBe(RUNS);
    expect(j.runs).toBeGreaterThan(0);
    expect(j.runs % CHUNK).toBe(0);
    expect(readSavedRuns(csv).col('run')).toEqual(Array.from({ length: j.runs }, (_, k) => k));
  });

  it('SIGINT right after start-up (before any block can finish): exit 130, a message, nothing written', async () => {
    const d = sub('early');
    const out = join(d, 'out.json');
    // One block of all the runs: it cannot be complete when the signal arrives.
    const p = spawnRunning(['mc', '--runs', String(RUNS), '--workers', '1', '--chunk', '10000000', '--out', out]);
    await p.waitFor(
      () => /^mc: 5,000,000 runs of 'baseline' \(seed 2016\) on 1 workers$/m.test(p.stderr()),
      'the announcement',
    );
    p.kill('SIGINT');
    const r = await p.done;
    expect(r.signal, r.stderr).toBeNull();
    expect(r.code, r.stderr).toBe(130);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      "mc: 5,000,000 runs of 'baseline' (seed 2016) on 1 workers\n" +
        'interrupted: stopping the workers\n' +
        `interrupted before any of the ${RUNS} runs completed; nothing written\n`,
    );
    expect(readdirSync(d)).toEqual([]);
  });

  it('a second SIGINT exits at once: exit 130, no temporary file', async () => {
    const d = sub('twice');
    const csv = join(d, 'runs.csv');
    const p = spawnRunning([
      'mc',
      '--runs',
      String(RUNS),
      '--workers',
      '2',
      '--chunk',
      String(CHUNK),
      '--save-runs',
      csv,
    ]);
    await p.waitFor(() => blockMerged(d, 'runs.csv'), 'a block was merged');
    p.kill('SIGINT');
    p.kill('SIGINT');
    const r = await p.done;
    expect(r.signal, r.stderr).toBeNull();
    expect(r.code, r.stderr).toBe(130);
    expect(readdirSync(d).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });
});

describe('sweep', () => {
  for (const [signal, code, workers] of [
    ['SIGINT', 130, '2'],
    ['SIGTERM', 143, '0'],
  ] as const) {
    it(`${signal} (--workers ${workers}): exit ${code}, nothing written, a message saying so`, async () => {
      const d = sub(`sweep-${signal}`);
      const out = join(d, 'sweep.json');
      const p = spawnRunning(['sweep', SWEEP, '--workers', workers, '--format', 'json', '--out', out]);
      await p.waitFor(
        () => announced(/^sweep: 400 rows × \(1 \+ 5,000 futures\) = 2,000,400 model evaluations /m)(p.stderr()),
        'the announcement',
      );
      p.kill(signal);
      const r = await p.done;
      expect(r.signal, r.stderr).toBeNull();
      expect(r.code, r.stderr).toBe(code);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(
        /\ninterrupted: stopping the sweep\ninterrupted after \d+ of 400 rows; nothing written \(the analysis needs every row of the design\)\n$/,
      );
      expect(existsSync(out)).toBe(false);
      expect(readdirSync(d)).toEqual([]);
    });
  }
});

describe('backtest', () => {
  it('SIGINT while the runs are collected on workers: exit 130, a message, nothing written', async () => {
    const d = sub('backtest');
    const out = join(d, 'backtest.json');
    const p = spawnRunning([
      'backtest',
      'tests/fixtures/evidence/with-observed.yaml',
      '--runs',
      '1000000',
      '--workers',
      '2',
      '--out',
      out,
    ]);
    const line = "backtest: 1,000,000 runs of 'with-observed' (seed 1) on 2 workers";
    await p.waitFor(() => p.stderr().includes(`${line}\n`), 'the announcement');
    p.kill('SIGINT');
    const r = await p.done;
    expect(r.signal, r.stderr).toBeNull();
    expect(r.code, r.stderr).toBe(130);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(`${line}\ninterrupted: stopping\ninterrupted: no backtest written\n`);
    expect(readdirSync(d)).toEqual([]);
  });
});
