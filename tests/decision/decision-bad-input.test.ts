/** Bad input to mc (several scenarios), seek and discover: each a located error, exit 2, no stack trace. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { cli } from '../cli/harness.js';

const FIX = 'tests/fixtures/decision';
const LIN = `${FIX}/linear.yaml`;

async function fails(...args: string[]): Promise<string[]> {
  const r = await cli(...args);
  expect(r.code, r.stdout).toBe(2);
  expect(r.stdout).toBe('');
  expect(r.stderr).not.toContain('    at ');
  return r.stderr.trim().split('\n');
}

describe('paired mc refuses scenarios that cannot share futures', () => {
  it('on different models: names the model and nothing else of that scenario', async () => {
    expect(await fails('mc', LIN, 'scenarios/ftz.yaml', '--runs', '10', '--workers', '0')).toEqual([
      "policysim: error: scenarios/ftz.yaml:2:1: model: runs on model northeast (builtin:northeast), but the first scenario 'linear' (tests/fixtures/decision/linear.yaml) on linear (models/linear.yaml)",
    ]);
  });

  it('with different uncertainties: says which differ, at the uncertainties key', async () => {
    expect(
      await fails('mc', `${FIX}/linear-a.yaml`, `${FIX}/linear-no-shock.yaml`, '--runs', '10', '--workers', '0'),
    ).toEqual([
      "policysim: error: tests/fixtures/decision/linear-no-shock.yaml:7:1: uncertainties.shocks: its uncertain shocks differ from those of the first scenario 'linear-a' (tests/fixtures/decision/linear-a.yaml): lacks n (paired scenarios draw the same uncertainties in the same order: share one include: file)",
    ]);
  });

  it('--save-runs and --years outside the horizon', async () => {
    expect((await fails('mc', LIN, LIN, '--save-runs', 'x.csv'))[0]).toContain('--save-runs: applies to one scenario');
    expect(await fails('mc', LIN, LIN, '--years', '2040')).toEqual([
      'policysim: error: --years: year 2040 is outside the horizon 2020-2030',
    ]);
    expect(await fails('mc', LIN, '--years', '2025')).toEqual([
      'policysim: error: --years: applies only to several scenarios (the paired differences)',
    ]);
  });
});

describe('seek', () => {
  it('an unknown lever, with a suggestion', async () => {
    expect(await fails('seek', LIN, '--lever', 'pusj')).toEqual([
      "policysim: error: --lever: unknown lever 'pusj' (did you mean 'push'?)",
    ]);
  });

  it('an unknown target, by number and by name', async () => {
    expect(await fails('seek', LIN, '--lever', 'push', '--target', '9')).toEqual([
      "policysim: error: --target: target 9 does not exist: 'tests/fixtures/decision/linear.yaml' has 4 targets (1-4)",
    ]);
    expect(await fails('seek', LIN, '--lever', 'push', '--target', 'x at least 5 in 2031')).toEqual([
      "policysim: error: --target: unknown target 'x at least 5 in 2031' in tests/fixtures/decision/linear.yaml (did you mean 'x at least 5 in 2030'?)",
    ]);
  });

  it('a probability outside (0, 1)', async () => {
    for (const p of ['0', '1', '1.2', '-0.5', '80'])
      expect(await fails('seek', LIN, '--lever', 'push', '--probability', p)).toEqual([
        `policysim: error: --probability: must be between 0 and 1, exclusive (got ${Number(p)}) (for 80% write 0.8)`,
      ]);
  });

  it('neither or both of --lever and --package; --package on a scenario without levers', async () => {
    expect(await fails('seek', LIN)).toEqual(['policysim: error: --lever: give either --lever NAME or --package']);
    expect(await fails('seek', LIN, '--lever', 'push', '--package')).toEqual([
      'policysim: error: --package: give either --lever NAME or --package',
    ]);
    expect(await fails('seek', LIN, '--package')).toEqual([
      "policysim: error: tests/fixtures/decision/linear.yaml:1:1: levers: --package scales the scenario's levers, but 'linear' sets none (use --lever NAME instead)",
    ]);
  });
});

describe('discover', () => {
  it('a missing or malformed runs file, located', async () => {
    expect(await fails('discover', '--runs-file', 'missing.csv')).toEqual([
      'policysim: error: missing.csv: --runs-file: not found (expected a CSV written by policysim mc --save-runs)',
    ]);
    const dir = mkdtempSync(join(tmpdir(), 'discover-bad-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const f = join(dir, 'runs.csv');
    writeFileSync(f, 'run,beta,target1_value,target1_reached,target1_first_year\n0,0.7,5,1,2030\n1,abc,4,2,\n');
    expect(await fails('discover', '--runs-file', f)).toEqual([
      `policysim: error: ${f}:3:3: --runs-file beta: 'abc' is not a number`,
      `policysim: error: ${f}:3:9: --runs-file target1_reached: '2' should be 0 or 1`,
    ]);
    writeFileSync(f, 'run,beta,target1_value,target1_reached,target1_first_year\n0,0.7,5,1,2030\n');
    expect(await fails('discover', '--runs-file', f, '--target', 'x')).toEqual([
      "policysim: error: --target: 'x': a runs file has no target names; give its number (1-1), or the scenario too",
    ]);
  });

  it('an unknown target of a scenario', async () => {
    expect(await fails('discover', LIN, '--target', '5')).toEqual([
      "policysim: error: --target: target 5 does not exist: 'tests/fixtures/decision/linear.yaml' has 4 targets (1-4)",
    ]);
  });
});

describe('a run that fails while running: exit 1 in every decision command, with the setting seek tried', () => {
  // fragile.yaml: x += 1 / (d (push - 0.5)); d is drawn from {0, 1}, so run 3 (d = 0) fails whatever
  // the lever, and push = 0.5 (seek's first bisection point) fails every projection.
  const FRAGILE = 'tests/fixtures/sweep/regional/fragile.yaml';
  const MODEL = join(process.cwd(), 'tests/fixtures/sweep/regional/model.yaml');
  const REPLAY = `  replay it with: policysim run ${FRAGILE} --mc-run 3 --seed 7`;
  const FAILED =
    'policysim: failed: Monte Carlo run 3 (seed 7) failed: states.x.next: equation gave -Infinity for Region A in 2016';

  it('seek without --probability: the located equation and the lever setting it tried', async () => {
    const r = await cli('seek', FRAGILE, '--lever', 'push');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `policysim: failed: ${MODEL}:28:11: states.x.next: equation gave Infinity for Region A in 2016 (check divisions by zero, logs of non-positive numbers and parameter values; while seek tried lever push, value 0.5, from 2016, ramp 0)\n`,
    );
  });

  it('seek --probability: the replay command and the setting', async () => {
    const r = await cli('seek', FRAGILE, '--lever', 'push', '--probability', '0.5', '--runs', '10');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(`${FAILED}\n${REPLAY}\n  while seek tried lever push, value 0, from 2016, ramp 0\n`);
  });

  it('discover and paired mc: exit 1 and the replay command, as mc', async () => {
    const d = await cli('discover', FRAGILE, '--runs', '10');
    expect(d.code).toBe(1);
    expect(d.stderr).toBe(`${FAILED}\n${REPLAY}\n`);
    const p = await cli('mc', FRAGILE, FRAGILE, '--runs', '10', '--workers', '0');
    expect(p.code).toBe(1);
    expect(p.stderr).toBe(`${FAILED}\n${REPLAY}\n`);
  });
});
