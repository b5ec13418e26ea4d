/**
 * Sharded sweeps: `sweep --shard I/K` parts merged in any order give the bytes of the unsharded sweep
 * (the analysis, bootstrap included, runs on the assembled rows); an interrupted sweep resumes to the same
 * (after SIGKILL: tests/cli/killed.test.ts).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type CliResult, cli } from '../cli/harness.js';

const dir = mkdtempSync(join(tmpdir(), 'policysim-sweep-shards-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const SOBOL = 'tests/fixtures/sweep/det-sobol.yaml';
const POLICY = 'tests/fixtures/sweep/det-policy-grid.yaml';

/** The unsharded sweep in each format: computed once for the file, whatever the shard counts compared. */
const singles = new Map<string, Promise<CliResult>>();
function single(file: string, format: string): Promise<CliResult> {
  const key = `${file} ${format}`;
  let r = singles.get(key);
  if (!r) singles.set(key, (r = cli('sweep', file, '--workers', '0', '--format', format)));
  return r;
}

function shuffled<T>(xs: readonly T[]): T[] {
  const r = [...xs].reverse();
  return [...r.filter((_, i) => i % 2 === 1), ...r.filter((_, i) => i % 2 === 0)];
}

async function shards(file: string, k: number, tag: string): Promise<string[]> {
  const out: string[] = [];
  for (let i = 0; i < k; i++) {
    const f = join(dir, `${tag}-${k}-${i}.json`);
    const r = await cli('sweep', file, '--workers', '0', '--shard', `${i}/${k}`, '--out', f);
    expect(r.code, r.stderr).toBe(0);
    out.push(f);
  }
  return out;
}

describe('sweep --shard + merge', () => {
  it.each([
    [SOBOL, 1],
    [SOBOL, 2],
    [SOBOL, 3],
    [SOBOL, 7],
    [POLICY, 3],
    [POLICY, 7],
  ])('%s in %i shards, any order: byte-identical to one sweep (json, csv, table)', async (file, k) => {
    const parts = await shards(file, k, file.includes('sobol') ? 'sobol' : 'policy');
    for (const format of ['json', 'csv', 'table']) {
      const one = await single(file, format);
      expect(one.code, one.stderr).toBe(0);
      for (const order of [parts, shuffled(parts)]) {
        const m = await cli('merge', ...order, '--format', format);
        expect(m.code, m.stderr).toBe(0);
        expect(m.stdout).toBe(one.stdout);
      }
    }
  });

  it('refuses a missing shard and parts of two sweeps', async () => {
    const a = await shards(SOBOL, 3, 'miss');
    const r = await cli('merge', a[0]!, a[2]!);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('policysim: error: shards: missing shard 1/3 of 3\n');
    const b = await shards(POLICY, 3, 'other');
    const mixed = await cli('merge', a[0]!, b[1]!, a[2]!);
    expect(mixed.code).toBe(2);
    expect(mixed.stderr).toContain(
      `policysim: error: ${b[1]}: manifest.inputs.sweep.path: "${POLICY}" here but "${SOBOL}" in ${a[0]}: the parts are not of one job\n`,
    );
  });

  it('--checkpoint then --resume gives the same result; the merged JSON carries the manifest', async () => {
    const ckpt = join(dir, 'sweep.ckpt');
    const first = await cli(
      'sweep',
      SOBOL,
      '--workers',
      '0',
      '--checkpoint',
      ckpt,
      '--checkpoint-every',
      '0',
      '--format',
      'json',
    );
    expect(first.code, first.stderr).toBe(0);
    expect(existsSync(ckpt)).toBe(true);
    const resumed = await cli('sweep', '--resume', ckpt, '--workers', '0', '--format', 'json');
    expect(resumed.stdout).toBe(first.stdout);
    const j = JSON.parse(first.stdout) as {
      manifest: { command: string; inputs: Record<string, { path: string; sha256: string }> };
    };
    expect(j.manifest.command).toBe('sweep');
    expect(j.manifest.inputs.sweep!.path).toBe(SOBOL);
    expect(j.manifest.inputs.sweep!.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(readFileSync(ckpt, 'utf8')).toContain('"policysim.sweep-state/2"');
    const merged = await cli('merge', ckpt);
    expect(merged.code).toBe(2);
    expect(merged.stderr).toBe(
      `policysim: error: ${ckpt}: kind: is a checkpoint (rows 0-383 of 0-383 done), not a finished shard (finish it with policysim sweep --resume ${ckpt})\n`,
    );
  });
});
