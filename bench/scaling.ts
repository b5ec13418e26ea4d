import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mcManifest } from '../src/manifest/manifest.js';
import { writeStateFile } from '../src/montecarlo/checkpoint.js';
import type { McState } from '../src/montecarlo/partial-state.js';
import { prepareMc } from '../src/montecarlo/prepare-mc.js';
import { RunBlockEvaluator } from '../src/montecarlo/run-block.js';
import { shardRange } from '../src/montecarlo/shard.js';
import { PILOT_RUNS, runMonteCarlo } from '../src/montecarlo/simulate.js';
import { LEAF_SIZE, makeBinning, StatsMerger } from '../src/montecarlo/stats.js';
import { renderMcJson } from '../src/report/mc-report.js';
import { DEFAULT_SCENARIO } from '../src/scenario/load-scenario.js';
import { runIfMain, type SuiteOptions, type SuiteResult, type TaskStat } from './suite.js';

/**
 * The scale-out suite (issue 11), on the default scenario (scenarios/baseline.yaml):
 *
 * - merge: 1,000 shard files of one job (BENCH_SCALING_SHARDS, one 256-run leaf each) merged by the
 *   CLI as a child process, end to end (start-up, reading, checks, scenario load, JSON); target < 10 s.
 *   The merged file is checked byte for byte against the in-thread single run. The shards are made
 *   here as `mc --shard` makes them (same pilot, same block evaluator, same state file), but the
 *   pilot is computed once instead of once per shard, to keep the suite short.
 * - checkpoint: the cost of one checkpoint (state copy, encoding, atomic write), against the time the
 *   runs between two checkpoints take at the default interval (10 s); target < 2%.
 */
export const MERGE_TARGET_S = 10;
export const CHECKPOINT_TARGET_PCT = 2;
const CLI = fileURLToPath(new URL('../src/cli/main.js', import.meta.url));

export async function run(_partial: Partial<SuiteOptions> = {}): Promise<SuiteResult> {
  const K = Number(process.env.BENCH_SCALING_SHARDS ?? 1000);
  const runs = K * LEAF_SIZE;
  const seed = 1;
  const setup = { scenarioFile: DEFAULT_SCENARIO };
  const ctx = prepareMc(setup);
  const local = new RunBlockEvaluator(ctx.image);
  const dir = mkdtempSync(join(tmpdir(), 'policysim-bench-scaling-'));
  try {
    const pilotRuns = Math.min(runs, PILOT_RUNS);
    const binning = makeBinning(local.pilot(seed, 0, pilotRuns), pilotRuns, local.cells);
    const manifest = mcManifest(ctx.scenario, [], seed, runs);
    const t0 = performance.now();
    for (let i = 0; i < K; i++) {
      const range = shardRange(runs, LEAF_SIZE, { index: i, count: K });
      const r = local.evaluate(
        { seed, firstRun: range.first, runCount: range.end - range.first, save: false },
        binning,
      );
      if (!r.ok) throw new Error(`run ${r.run} failed: ${r.failure.message}`);
      const m = new StatsMerger(binning, range.first);
      m.add(r.summary);
      const state: McState = {
        binning,
        stats: m.state(),
        reached: Float64Array.from(r.reached),
        firstYear: Float64Array.from(r.firstYear),
      };
      writeStateFile(
        join(dir, `part-${String(i).padStart(4, '0')}.json`),
        {
          schema: 'policysim.mc-state/2',
          kind: 'shard',
          manifest: { ...manifest, shard: { index: i, count: K } },
          command: null,
          range: { ...range, done: range.end },
          stopped: null,
          state,
        },
        '--out',
      );
    }
    const makeS = (performance.now() - t0) / 1000;
    const files = readdirSync(dir)
      .filter((f) => f.startsWith('part-'))
      .map((f) => join(dir, f));
    const partBytes = files.reduce((a, f) => a + statSync(f).size, 0) / files.length;
    const out = join(dir, 'merged.json');
    const m0 = performance.now();
    const merge = spawnSync(process.execPath, [CLI, 'merge', ...files, '--format', 'json', '--out', out], {
      encoding: 'utf8',
    });
    const mergeS = (performance.now() - m0) / 1000;
    if (merge.status !== 0) throw new Error(`merge failed: ${merge.stderr}`);
    const single = await runMonteCarlo(ctx, local, { workers: 0, runs, seed });
    const identical = readFileSync(out, 'utf8') === renderMcJson({ ...single, manifest });

    // Checkpoint: one write of the state of a finished simulation, repeated; and the run rate.
    const ck = join(dir, 'bench.ckpt');
    const times: number[] = [];
    for (let i = 0; i < 9; i++) {
      const c0 = performance.now();
      writeStateFile(
        ck,
        {
          schema: 'policysim.mc-state/2',
          kind: 'checkpoint',
          manifest,
          command: null,
          range: { first: 0, end: runs, done: runs },
          stopped: null,
          state: { ...single.state, stats: new StatsMerger(single.state.binning, single.state.stats).state() },
        },
        '--checkpoint',
      );
      times.push(performance.now() - c0);
    }
    times.sort((a, b) => a - b);
    const ckptMs = times[4]!;
    const ckptBytes = statSync(ck).size;
    const pct = (100 * ckptMs) / 10_000;
    const tasks: TaskStat[] = [
      {
        name: `merge ${K} shard files (CLI, end to end)`,
        opsPerSample: 1,
        p50Ns: mergeS * 1e9,
        meanNs: mergeS * 1e9,
        p99Ns: mergeS * 1e9,
        rmePct: 0,
        samples: 1,
        target: { label: `< ${MERGE_TARGET_S} s`, met: mergeS < MERGE_TARGET_S },
      },
      {
        name: 'one checkpoint (state, encode, atomic write)',
        opsPerSample: 1,
        p50Ns: ckptMs * 1e6,
        meanNs: ckptMs * 1e6,
        p99Ns: times[8]! * 1e6,
        rmePct: 0,
        samples: times.length,
        target: { label: `< ${CHECKPOINT_TARGET_PCT}% of 10 s`, met: pct < CHECKPOINT_TARGET_PCT },
      },
    ];
    return {
      suite: 'scaling',
      title: `Scale-out: merging ${K} shards of ${runs} runs, checkpoint cost (default scenario)`,
      tasks,
      summary: {
        shards: K,
        runs,
        makeShardsS: Number(makeS.toFixed(2)),
        mergeS: Number(mergeS.toFixed(2)),
        mergeIdentical: identical,
        partFileKB: Math.round(partBytes / 1024),
        checkpointMs: Number(ckptMs.toFixed(1)),
        checkpointKB: Math.round(ckptBytes / 1024),
        checkpointPctAt10s: Number(pct.toFixed(3)),
      },
      notes: [
        `merged output byte-identical to one in-thread run: ${identical}`,
        `part file ${Math.round(partBytes / 1024)} KB, checkpoint ${Math.round(ckptBytes / 1024)} KB (independent of the number of runs)`,
      ],
      ok: mergeS < MERGE_TARGET_S && pct < CHECKPOINT_TARGET_PCT && identical,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

runIfMain(import.meta.url, run);
