/**
 * Shards and merge: `mc --shard I/K` parts merged in any order give the bytes of one `mc` on one
 * machine, whatever K; parts that do not make one job are refused with messages naming the problem.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../cli/harness.js';
import { FIX } from '../fixtures/mc/helpers.js';

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

describe('merge refuses parts that do not make one job (exit 2, every problem named)', () => {
  it('a part of another job: names the manifest field', async () => {
    const [a] = await shards(2, [], 'seed7');
    const b = join(dir, 'seed8-part-1.json');
    expect(
      (await cli('mc', SCEN, '--runs', RUNS, '--workers', '0', '--shard', '1/2', '--seed', '8', '--out', b)).code,
    ).toBe(0);
    const r = await cli('merge', a!, b);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe(
      `policysim: error: ${b}: manifest.seed: 8 here but 7 in ${a}: the parts are not of one job\n` +
        'policysim: error: shards: missing shard 1/2 of 2\n',
    );
  });

  it('missing, duplicate and overlapping shards', async () => {
    const three = await shards(3, [], 'cov3');
    const two = await shards(2, [], 'cov2');
    const missing = await cli('merge', three[2]!, three[0]!);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('policysim: error: shards: missing shard 1/3 of 3\n');
    const dup = await cli('merge', ...three, three[1]!);
    expect(dup.code).toBe(2);
    expect(dup.stderr).toBe(`policysim: error: shards: shard 1/3 appears twice: ${three[1]} and ${three[1]}\n`);
    const overlap = await cli('merge', two[0]!, three[1]!, three[2]!);
    expect(overlap.code).toBe(2);
    expect(overlap.stderr).toBe(
      `policysim: error: shards: ${two[0]} (shard 0/2, runs 0-1535) overlaps ${three[1]} (shard 1/3, runs 1024-2047)\n`,
    );
    // Parts of two plans that tile the runs exactly merge like any other plan.
    const four = await shards(4, [], 'cov4');
    const tiled = await cli('merge', two[1]!, four[1]!, four[0]!, '--format', 'json');
    const single = await cli('mc', SCEN, '--runs', RUNS, '--workers', '0', '--format', 'json');
    expect(tiled.stderr).toBe('');
    expect(tiled.stdout).toBe(single.stdout);
  });

  it('3 shards merged in any order: the HTML report byte-identical to one machine (SOURCE_DATE_EPOCH fixes the date)', async () => {
    const files = await shards(3, [], 'html');
    const one = join(dir, 'one.html');
    const merged = join(dir, 'merged.html');
    const before = process.env.SOURCE_DATE_EPOCH;
    process.env.SOURCE_DATE_EPOCH = '1700000000';
    try {
      expect((await cli('mc', SCEN, '--runs', RUNS, '--workers', '0', '--out', one)).code).toBe(0);
      const m = await cli('merge', ...shuffled(files), '--out', merged);
      expect(m.code, m.stderr).toBe(0);
    } finally {
      if (before === undefined) delete process.env.SOURCE_DATE_EPOCH;
      else process.env.SOURCE_DATE_EPOCH = before;
    }
    const html = readFileSync(merged);
    expect(html.length).toBeGreaterThan(10_000);
    expect(html.equals(readFileSync(one))).toBe(true);
  });

  it('a part of an older format, and a truncated part: refused, exit 2', async () => {
    const [part] = await shards(1, [], 'format');
    const text = readFileSync(part!, 'utf8');
    const old = join(dir, 'old-format.json');
    writeFileSync(old, text.replace('"policysim.mc-state/2"', '"policysim.mc-state/1"'));
    const r = await cli('merge', old);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `policysim: error: ${old}: not a Monte Carlo partial-state file (schema "policysim.mc-state/1", expected policysim.mc-state/2)\n`,
    );
    const cut = join(dir, 'truncated.json');
    writeFileSync(cut, text.slice(0, Math.floor(text.length / 2)));
    const t = await cli('merge', cut);
    expect(t.code).toBe(2);
    // Cut inside a base64 blob: V8 stops at the end of the text (one line), and the message says where.
    const end = Math.floor(text.length / 2) + 1;
    expect(t.stderr).toBe(
      `policysim: error: ${cut}:1:${end}: not a policysim partial-state file (not JSON): Unterminated string\n`,
    );
  });

  it('a file that is not a part, and an input changed since the parts were computed', async () => {
    const notPart = join(dir, 'not-a-part.json');
    writeFileSync(notPart, '{"schema": "policysim.mc/2"}');
    const r = await cli('merge', notPart);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `policysim: error: ${notPart}: not a Monte Carlo partial-state file (schema "policysim.mc/2", expected policysim.mc-state/2)\n`,
    );
    // A scenario copied next to its model, sharded, then edited.
    const scen = join(dir, 'edited.yaml');
    writeFileSync(
      scen,
      readFileSync(SCEN, 'utf8').replace(
        'model: models/closed-form.yaml',
        `model: ${join(process.cwd(), FIX, 'models/closed-form.yaml')}`,
      ),
    );
    const part = join(dir, 'edited-part.json');
    expect((await cli('mc', scen, '--runs', RUNS, '--workers', '0', '--shard', '0/1', '--out', part)).code).toBe(0);
    writeFileSync(scen, `${readFileSync(scen, 'utf8')}# edited\n`);
    const changed = await cli('merge', part);
    expect(changed.code).toBe(2);
    expect(changed.stderr).toMatch(
      new RegExp(
        `^policysim: error: ${part}: manifest\\.inputs\\.scenario\\.sha256: was "[0-9a-f]{64}" when the file was written, now "[0-9a-f]{64}" \\(the inputs or versions changed since the parts were computed: recompute them\\)\\n$`,
      ),
    );
  });
});

describe('mc --shard auto', () => {
  it('takes the index from a Slurm job array: the same part as --shard I/K', async () => {
    const explicit = join(dir, 'explicit-1-of-3.json');
    const auto = join(dir, 'auto-1-of-3.json');
    expect((await cli('mc', SCEN, '--runs', RUNS, '--workers', '0', '--shard', '1/3', '--out', explicit)).code).toBe(0);
    const saved = { ...process.env };
    Object.assign(process.env, { SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_COUNT: '3' });
    try {
      const r = await cli('mc', SCEN, '--runs', RUNS, '--workers', '0', '--shard', 'auto', '--out', auto);
      expect(r.code, r.stderr).toBe(0);
    } finally {
      delete process.env.SLURM_ARRAY_TASK_ID;
      delete process.env.SLURM_ARRAY_TASK_COUNT;
      Object.assign(process.env, saved);
    }
    expect(readFileSync(auto, 'utf8')).toBe(readFileSync(explicit, 'utf8'));
  });
});
