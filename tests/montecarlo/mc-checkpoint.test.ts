/**
 * Checkpoints: a Monte Carlo interrupted in the middle (after its first checkpoint is on disk: the
 * readiness marker, not a delay) and resumed gives the bytes of an uninterrupted run; in-process,
 * pools included. The same after SIGKILL, which needs a child process, is in tests/cli/killed.test.ts.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, cliRunning } from '../cli/harness.js';
import { checkpointingMc, PAPER, untilFirstCheckpoint } from '../fixtures/mc/helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'policysim-checkpoint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('mc --checkpoint / --resume', () => {
  it('Ctrl-C (SIGINT) writes the checkpoint and says how to continue; --resume finishes it identically', async () => {
    const ckpt = join(dir, 'sigint.ckpt');
    // In-process: the command's interrupt, as the entry point's SIGINT handler drives it.
    const child = cliRunning(checkpointingMc(ckpt));
    await untilFirstCheckpoint(child, ckpt);
    child.kill('SIGINT');
    const stopped = await child.done;
    expect(stopped.code).toBe(130);
    expect(stopped.stderr).toContain(`; continue with: policysim mc --resume ${ckpt}\n`);
    const left = JSON.parse(readFileSync(ckpt, 'utf8')) as { range: { done: number; end: number } };
    expect(left.range.done).toBeLessThan(left.range.end);
    const resumed = await cli('mc', '--resume', ckpt, '--workers', '1', '--format', 'json');
    expect(resumed.code, resumed.stderr).toBe(0);
    // The uninterrupted run, in this thread: the result is the same for any worker count and chunk,
    // which is what the resumed job's --workers 1 --chunk 512 checks as well.
    const whole = await cli('mc', PAPER, '--runs', '16000', '--workers', '0', '--format', 'json');
    expect(whole.code, whole.stderr).toBe(0);
    expect(resumed.stdout).toBe(whole.stdout);
  }, 300_000);

  it('refuses settings next to --resume, a shard file, and a changed input', async () => {
    const ckpt = join(dir, 'small.ckpt');
    const scen = join(dir, 'scenario.yaml');
    writeFileSync(
      scen,
      readFileSync(PAPER, 'utf8').replace(
        'include: uncertainties/northeast.yaml',
        `include: ${join(process.cwd(), 'scenarios/uncertainties/northeast.yaml')}`,
      ),
    );
    const first = await cli('mc', scen, '--runs', '600', '--workers', '0', '--checkpoint', ckpt, '--format', 'json');
    expect(first.code, first.stderr).toBe(0);
    const flags = await cli('mc', '--resume', ckpt, '--runs', '5', '--seed', '3');
    expect(flags.code).toBe(2);
    expect(flags.stderr).toBe(
      `policysim: error: --runs: --resume continues the job in ${ckpt} with the settings recorded there: leave --runs out\n` +
        `policysim: error: --seed: --resume continues the job in ${ckpt} with the settings recorded there: leave --seed out\n`,
    );
    const part = join(dir, 'a-shard.json');
    expect((await cli('mc', scen, '--runs', '600', '--workers', '0', '--shard', '0/1', '--out', part)).code).toBe(0);
    const shard = await cli('mc', '--resume', part);
    expect(shard.stderr).toBe(
      `policysim: error: ${part}: --resume: is a finished shard, not a checkpoint: give it to policysim merge\n`,
    );
    writeFileSync(scen, readFileSync(scen, 'utf8').replace('seed:', '# edited\nseed:'));
    const changed = await cli('mc', '--resume', ckpt);
    expect(changed.code).toBe(2);
    expect(changed.stderr).toMatch(
      /^policysim: error: .*small\.ckpt: manifest\.inputs\.scenario\.sha256: was "[0-9a-f]{64}" when the file was written, now "[0-9a-f]{64}" \(the inputs or versions changed since the checkpoint: start the run again\)\n$/,
    );
  });
});
