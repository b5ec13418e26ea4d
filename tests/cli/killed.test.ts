/**
 * What only a real process shows, apart from signals.test.ts's exit statuses: a Monte Carlo and a
 * sweep killed with SIGKILL in the middle (after the first checkpoint is on disk: the readiness
 * marker, not a delay; no handler runs) resume to the bytes of an uninterrupted job, and output into
 * a pipe its reader has closed ends quietly. The killed job is a child process of the built CLI; the
 * rest runs in-process, pools included. The in-process checkpoint and resume tests are in
 * tests/montecarlo/mc-checkpoint.test.ts and tests/sweep/sweep-shard-merge.test.ts.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { checkpointingMc, PAPER, untilFirstCheckpoint } from '../fixtures/mc/helpers.js';
import { BIN, cli, ROOT, spawnRunning } from './harness.js';

const dir = mkdtempSync(join(tmpdir(), 'policysim-killed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('mc --checkpoint / --resume', () => {
  it('SIGKILL in the middle, then --resume: byte-identical to an uninterrupted run', async () => {
    const ckpt = join(dir, 'killed.ckpt');
    const child = spawnRunning(checkpointingMc(ckpt));
    const at = await untilFirstCheckpoint(child, ckpt);
    child.kill('SIGKILL');
    const killed = await child.done;
    expect(killed.signal).toBe('SIGKILL');
    const left = JSON.parse(readFileSync(ckpt, 'utf8')) as { kind: string; range: { done: number; end: number } };
    expect(left.kind).toBe('checkpoint');
    expect(at.done).toBeGreaterThan(0);
    expect(left.range.done).toBeLessThan(left.range.end);

    const resumed = await cli('mc', '--resume', ckpt, '--workers', '1', '--format', 'json');
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    // The uninterrupted run, in this thread: the result is the same for any worker count and chunk.
    const whole = await cli('mc', PAPER, '--runs', '16000', '--workers', '0', '--format', 'json');
    expect(whole.code, whole.stderr).toBe(0);
    expect(resumed.stdout).toBe(whole.stdout);
    // The checkpoint now holds the finished job: resuming it again repeats no run and gives the same.
    const again = await cli('mc', '--resume', ckpt, '--workers', '0', '--format', 'json');
    expect(again.stdout).toBe(whole.stdout);
  }, 300_000);
});

describe('sweep --checkpoint / --resume', () => {
  it('SIGKILL after the first checkpoint, then --resume: byte-identical to an uninterrupted sweep', async () => {
    const file = 'scenarios/sweeps/ftz-openness-grid.yaml'; // 25 rows × 300 futures, in blocks of 7 rows
    const ckpt = join(dir, 'killed-sweep.ckpt');
    const child = spawnRunning(['sweep', file, '--workers', '1', '--checkpoint', ckpt, '--checkpoint-every', '0']);
    let ended = false;
    void child.done.then(() => (ended = true));
    for (;;) {
      if (existsSync(ckpt)) break;
      if (ended) throw new Error('the sweep ended before writing a checkpoint');
      await new Promise((r) => setTimeout(r, 10));
    }
    child.kill('SIGKILL');
    expect((await child.done).signal).toBe('SIGKILL');
    const left = JSON.parse(readFileSync(ckpt, 'utf8')) as { range: { done: number; end: number } };
    expect(left.range.done).toBeGreaterThan(0);
    expect(left.range.done).toBeLessThan(left.range.end);
    const resumed = await cli('sweep', '--resume', ckpt, '--workers', '1', '--format', 'json');
    expect(resumed.code, resumed.stderr).toBe(0);
    const whole = await cli('sweep', file, '--workers', '0', '--format', 'json');
    expect(resumed.stdout).toBe(whole.stdout);
  }, 300_000);
});

describe('a closed pipe', () => {
  it('`mc ... | head -1` ends quietly', () => {
    expect(existsSync(BIN)).toBe(true);
    const r = spawnSync('bash', ['-c', `node ${BIN} mc --runs 300 --workers 0 --format csv | head -1`], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(r.stdout).toBe('indicator,region,kind,year,mean,sd,min,max,p5,p25,p50,p75,p95,resolution\n');
    expect(r.stderr).toBe('');
  });
});
