/**
 * Reproducibility of `policysim mc`: the same scenario and seed give byte-identical `--format json`
 * whatever the number of worker threads (0 = in the main thread, 1, 2, 3) and the chunk size (256,
 * and 1000 which is rounded up to 1024 = 4 leaves). 3000 runs is past the 2000-run pilot and not a
 * multiple of the 256-run leaf, so the last block ends inside a leaf; 700 runs is inside the pilot.
 *
 * All through the CLI in-process; the pools are real worker threads on the built worker
 * (dist/src/execution/worker.js).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { renderMcCsv, renderMcJson } from '../../src/report/mc-report.js';
import { type CliResult, cli } from '../cli/harness.js';
import { PAPER, simulateInProcess } from '../fixtures/mc/helpers.js';

const RUNS = '3000';
const base = ['mc', PAPER, '--runs', RUNS, '--format', 'json'];
const COMBOS = [
  ['1', '1000'],
  ['2', '256'],
  ['2', '1000'],
  ['3', '256'],
] as const;

describe('mc --format json is byte-identical across workers and chunk sizes', () => {
  const pooled: Record<string, CliResult> = {};
  let reference: CliResult;

  beforeAll(async () => {
    reference = await cli(...base, '--workers', '0', '--chunk', '256');
    // Not the full cross product: every worker count and both chunk sizes appear, and 2 workers with
    // both chunk sizes.
    for (const [w, c] of COMBOS) pooled[`${w}/${c}`] = await cli(...base, '--workers', w, '--chunk', c);
  });

  it('the in-thread reference is a complete result', () => {
    expect(reference.code, reference.stderr).toBe(0);
    const j = JSON.parse(reference.stdout);
    expect(j).toMatchObject({ schema: 'policysim.mc/2', seed: 2016, runsRequested: 3000, runs: 3000, partial: false });
    expect(j.series.length).toBeGreaterThan(10);
    expect(j.targets).toHaveLength(4);
  });

  it('--workers 0 with --chunk 1000 gives the same bytes as --chunk 256', async () => {
    const r = await cli(...base, '--workers', '0', '--chunk', '1000');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(reference.stdout);
  });

  for (const [w, c] of COMBOS) {
    it(`--workers ${w} --chunk ${c} gives the same bytes as --workers 0 --chunk 256`, () => {
      const r = pooled[`${w}/${c}`]!;
      expect(r.code, r.stderr).toBe(0);
      // toBe on the whole text: a single differing digit fails (and the diff shows where).
      expect(r.stdout).toBe(reference.stdout);
    });
  }

  it('a different seed gives different statistics (the comparison above is not vacuous)', async () => {
    const r = await cli(...base, '--workers', '0', '--seed', '2017');
    expect(r.code, r.stderr).toBe(0);
    const a = JSON.parse(reference.stdout);
    const b = JSON.parse(r.stdout);
    expect(b.seed).toBe(2017);
    expect(b.series[0].mean).not.toEqual(a.series[0].mean);
  });
});

describe('fewer runs than the pilot, and other formats', () => {
  it('700 runs (inside the pilot): --workers 2 --chunk 256 equals --workers 0 --chunk 1000, as CSV', async () => {
    const args = ['mc', PAPER, '--runs', '700', '--format', 'csv'];
    const p = await cli(...args, '--workers', '2', '--chunk', '256');
    const inThread = await cli(...args, '--workers', '0', '--chunk', '1000');
    expect(p.code, p.stderr).toBe(0);
    expect(inThread.code, inThread.stderr).toBe(0);
    expect(p.stdout).toBe(inThread.stdout);
    expect(p.stdout.split('\n')[0]).toBe('indicator,region,kind,year,mean,sd,min,max,p5,p25,p50,p75,p95,resolution');
  });

  it('in-process simulate with odd chunk sizes renders the same JSON and CSV as with the default chunk', async () => {
    const ref = await simulateInProcess(PAPER, { runs: 1300, seed: 5 });
    for (const chunk of [1, 300, 1300, 100_000]) {
      const r = await simulateInProcess(PAPER, { runs: 1300, seed: 5, chunk });
      expect(renderMcJson(r)).toBe(renderMcJson(ref));
      expect(renderMcCsv(r)).toBe(renderMcCsv(ref));
    }
  });
});
