/**
 * Observed values in a merged Monte Carlo (issue 12): the shards compute no table, so `policysim
 * merge` attaches the observations as `mc` does — the scenario's `observed:` file, or `--observed
 * FILE` — and the merged result is the one-machine `mc` (with the same observed file) byte for byte.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../cli/harness.js';

const dir = mkdtempSync(join(tmpdir(), 'policysim-merge-observed-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function shards(scenario: string, runs: string, tag: string): Promise<string[]> {
  const files: string[] = [];
  for (let i = 0; i < 2; i++) {
    const out = join(dir, `${tag}-${i}.json`);
    const r = await cli('mc', scenario, '--runs', runs, '--workers', '0', '--shard', `${i}/2`, '--out', out);
    expect(r.code, r.stderr).toBe(0);
    files.push(out);
  }
  return files;
}

describe('merge and observed values', () => {
  it("the scenario's observed: file joins the merged result as it joins mc's (json, csv, table, html)", async () => {
    const scenario = 'tests/fixtures/evidence/with-observed.yaml';
    const parts = await shards(scenario, '1000', 'own');
    const epoch = process.env.SOURCE_DATE_EPOCH;
    process.env.SOURCE_DATE_EPOCH = '1767225600';
    try {
      for (const format of ['json', 'csv', 'table', 'html']) {
        const single = await cli('mc', scenario, '--runs', '1000', '--workers', '0', '--format', format);
        expect(single.code, single.stderr).toBe(0);
        const merged = await cli('merge', ...parts.reverse(), '--format', format);
        expect(merged.code, merged.stderr).toBe(0);
        expect(merged.stdout === single.stdout, format).toBe(true);
      }
    } finally {
      if (epoch === undefined) delete process.env.SOURCE_DATE_EPOCH;
      else process.env.SOURCE_DATE_EPOCH = epoch;
    }
    const doc = JSON.parse((await cli('merge', ...parts, '--format', 'json')).stdout);
    expect(doc.observedFile).toBe('tests/fixtures/evidence/data/obs.csv');
    expect(doc.series.some((s: { observed?: unknown[] }) => (s.observed?.length ?? 0) > 0)).toBe(true);
  }, 120_000);

  it('merge --observed FILE gives the bytes of mc --observed FILE, the command included', async () => {
    const scenario = 'scenarios/baseline.yaml';
    const observed = 'scenarios/observed/paper-2016.csv';
    const parts = await shards(scenario, '600', 'cli');
    for (const format of ['json', 'csv', 'table']) {
      const single = await cli(
        'mc',
        scenario,
        '--runs',
        '600',
        '--workers',
        '0',
        '--observed',
        observed,
        '--format',
        format,
      );
      expect(single.code, single.stderr).toBe(0);
      const merged = await cli('merge', ...parts, '--observed', observed, '--format', format);
      expect(merged.code, merged.stderr).toBe(0);
      expect(merged.stdout === single.stdout, format).toBe(true);
    }
    const doc = JSON.parse((await cli('merge', ...parts, '--observed', observed, '--format', 'json')).stdout);
    expect(doc.command).toBe(`policysim mc ${scenario} --runs 600 --observed ${observed}`);
    expect(doc.observedFile).toBe(observed);
    // Without it, the merge is the mc without observations (this scenario names none).
    const plain = await cli('merge', ...parts, '--format', 'json');
    expect(JSON.parse(plain.stdout).observedFile).toBeUndefined();
  }, 120_000);

  it('a bad observed file is a usage error at merge; a shard refuses --observed and says where it goes', async () => {
    const parts = await shards('scenarios/baseline.yaml', '300', 'bad');
    const r = await cli('merge', ...parts, '--observed', 'no-such.csv');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^policysim: error: no-such\.csv: /);
    const s = await cli(
      'mc',
      'scenarios/baseline.yaml',
      '--runs',
      '300',
      '--shard',
      '0/2',
      '--observed',
      'scenarios/observed/paper-2016.csv',
      '--out',
      join(dir, 'refused.json'),
    );
    expect(s).toMatchObject({
      code: 2,
      stderr:
        'policysim: error: --observed: a shard writes a partial-state file, not a table: give --observed to policysim merge\n',
    });
  }, 120_000);
});
