/**
 * Shards and merge: `mc --shard I/K` parts merged in any order give the bytes of one `mc` on one
 * machine, whatever K; parts that do not make one job are refused with messages naming the problem.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, FIX } from '../fixtures/mc/harness.js';

const SCEN = `${FIX}/closed-form.yaml`;
const RUNS = '3000'; // 12 leaves, the last one partial
const dir = mkdtempSync(join(tmpdir(), 'policysim-shards-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function shards(k: number, extra: string[] = [], tag = `k${k}`): Promise<string[]> {
  const files: string[] = [];
  for (let i = 0; i < k; i++) {
    const out = join(dir, `${tag}-part-${i}.json`);
    const r = await cli('mc', SCEN, '--runs', RUNS, '--workers', '0', '--shard', `${i}/${k}`, '--out', out, ...extra);
    expect(r.code, r.stderr).toBe(0);
    files.push(out);
  }
  return files;
}

/** A fixed shuffle (no randomness in tests): reversed, then odd positions first. */
function shuffled<T>(xs: readonly T[]): T[] {
  const r = [...xs].reverse();
  return [...r.filter((_, i) => i % 2 === 1), ...r.filter((_, i) => i % 2 === 0)];
}

describe('mc --shard + merge', () => {
  it.each([1, 2, 3, 7])(
    '%i shards merged in any order: byte-identical to one machine (json, csv, table)',
    async (k) => {
      const files = await shards(k);
      for (const format of ['json', 'csv', 'table']) {
        const single = await cli('mc', SCEN, '--runs', RUNS, '--workers', '0', '--format', format);
        expect(single.code, single.stderr).toBe(0);
        for (const order of [files, shuffled(files)]) {
          const m = await cli('merge', ...order, '--format', format);
          expect(m.code, m.stderr).toBe(0);
          expect(m.stdout).toBe(single.stdout);
        }
      }
    },
  );
});
