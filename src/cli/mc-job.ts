import { type Manifest, manifestDifferences, mcManifest } from '../manifest/manifest.js';
import { readStateFile } from '../montecarlo/checkpoint.js';
import type { McSetup } from '../montecarlo/messages.js';
import type { McState } from '../montecarlo/partial-state.js';
import { type McContext, prepareMc } from '../montecarlo/prepare-mc.js';
import { parseShard, type Shard, shardRange } from '../montecarlo/shard.js';
import { LEAF_SIZE } from '../montecarlo/stats.js';
import type { StoppingRule } from '../montecarlo/stopping-rule.js';
import { DEFAULT_SCENARIO } from '../scenario/defaults.js';
import type { Scenario } from '../scenario/scenario.js';
import { UserError } from '../util/diagnostics.js';
import { printable } from '../util/printable.js';
import { wholeNumber } from './options.js';

export { DEFAULT_RUNS } from './mc-defaults.js';

import { DEFAULT_RUNS } from './mc-defaults.js';
import { setOverrides } from './set-overrides.js';

/** What one `policysim mc` process computes: the whole job, one shard, or the rest of a checkpoint. */
export interface McJob {
  readonly ctx: McContext;
  readonly seed: number;
  /** Runs of the whole job (with a stopping rule: its maximum). */
  readonly runs: number;
  readonly stopping?: StoppingRule;
  readonly shard?: Shard;
  /** The runs this process is responsible for. */
  readonly range: { readonly first: number; readonly end: number };
  /** The job's manifest, with `shard` when sharded. */
  readonly manifest: Manifest;
  /** The command that computes the whole job's result (recorded in its JSON; a resume keeps the first). */
  readonly command: string | null;
  readonly resume?: McState;
}

export interface McJobArgs {
  readonly scenario?: string;
  readonly runs?: number;
  readonly seed?: number;
  readonly set: readonly string[];
  readonly shard?: string;
  readonly precision?: number;
  readonly maxRuns?: number;
}

/** A new job from the command line. */
export function planJob(
  a: McJobArgs,
  env: Readonly<Record<string, string | undefined>>,
  command: string | null,
  /** More checks of the scenario (its observed file), reported with the uncertainties' problems. */
  also?: (scenario: Scenario) => void,
): McJob {
  if (a.runs !== undefined) wholeNumber('runs', a.runs, 1, 1e10);
  if (a.seed !== undefined) wholeNumber('seed', a.seed, 0, 2 ** 32 - 1);
  let stopping: StoppingRule | undefined;
  if (a.precision !== undefined || a.maxRuns !== undefined) {
    if (a.precision === undefined)
      throw new UserError({ path: '--max-runs', message: "is the stopping rule's limit: give --precision too" });
    if (!(a.precision > 0 && a.precision <= 0.5))
      throw new UserError({
        path: '--precision',
        message: `must be a number above 0 and at most 0.5 (got ${a.precision})`,
      });
    if (a.maxRuns === undefined)
      throw new UserError({ path: '--precision', message: 'needs --max-runs N, the most runs the rule may use' });
    wholeNumber('max-runs', a.maxRuns, 1, 1e10);
    if (a.runs !== undefined)
      throw new UserError({ path: '--runs', message: 'the stopping rule decides the runs: give --max-runs instead' });
    if (a.shard !== undefined)
      throw new UserError({
        path: '--shard',
        message: 'a stopping rule cannot be sharded: its decision at each run count needs all the runs so far',
        hint: 'run the stopping rule on one machine, or shard a fixed --runs',
      });
    stopping = { precision: a.precision, maxRuns: a.maxRuns };
  }
  const setup: McSetup = { scenarioFile: a.scenario ?? DEFAULT_SCENARIO, overrides: setOverrides(a.set) };
  const ctx = prepareMc(setup, also);
  if (stopping && ctx.scenario.targets.length === 0)
    throw new UserError({
      path: '--precision',
      message: `the stopping rule needs targets, and ${printable(ctx.scenario.file)} has none`,
    });
  const seed = a.seed ?? ctx.scenario.seed;
  const runs = stopping ? stopping.maxRuns : (a.runs ?? DEFAULT_RUNS);
  const shard = a.shard === undefined ? undefined : parseShard(a.shard, env);
  const base = mcManifest(ctx.scenario, a.set, seed, runs, stopping);
  const manifest = shard ? { ...base, shard: { index: shard.index, count: shard.count } } : base;
  const range = shard ? shardRange(runs, LEAF_SIZE, shard) : { first: 0, end: runs };
  return {
    ctx,
    seed,
    runs,
    ...(stopping ? { stopping } : {}),
    ...(shard ? { shard } : {}),
    range,
    manifest,
    command,
  };
}

/** The rest of a checkpointed job: its settings come from the file; its inputs must not have changed. */
export function resumeJob(file: string, a: McJobArgs, also?: (scenario: Scenario) => void): McJob {
  const given = (
    [
      ['scenario', a.scenario],
      ['--runs', a.runs],
      ['--seed', a.seed],
      ['--shard', a.shard],
      ['--precision', a.precision],
      ['--max-runs', a.maxRuns],
      ['--set', a.set.length > 0 ? a.set : undefined],
    ] as const
  ).filter(([, v]) => v !== undefined);
  if (given.length > 0)
    throw new UserError(
      given.map(([flag]) => ({
        path: flag,
        message: `--resume continues the job in ${printable(file)} with the settings recorded there: leave ${flag === 'scenario' ? 'the scenario' : flag} out`,
      })),
    );
  const f = readStateFile(file);
  if (f.kind !== 'checkpoint')
    throw new UserError({
      location: { file },
      path: '--resume',
      message: 'is a finished shard, not a checkpoint: give it to policysim merge',
    });
  const m = f.manifest;
  const scenarioPath = m.inputs?.scenario?.path;
  if (
    m.command !== 'mc' ||
    typeof scenarioPath !== 'string' ||
    !Number.isSafeInteger(m.seed) ||
    !Number.isSafeInteger(m.runs)
  )
    throw new UserError({ location: { file }, path: 'manifest', message: 'not the manifest of a Monte Carlo job' });
  const setup: McSetup = { scenarioFile: scenarioPath, overrides: setOverrides(m.overrides) };
  const ctx = prepareMc(setup, also);
  const stop = (m.settings?.stopping ?? undefined) as StoppingRule | undefined;
  const now = mcManifest(ctx.scenario, m.overrides, m.seed!, m.runs!, stop);
  refuseChanged(file, m, now, 'resume');
  const shard = m.shard;
  const range = shard ? shardRange(m.runs!, LEAF_SIZE, shard) : { first: 0, end: m.runs! };
  if (range.first !== f.range.first || range.end !== f.range.end)
    throw new UserError({
      location: { file },
      path: 'range',
      message: 'does not match the shard plan in its manifest',
    });
  return {
    ctx,
    seed: m.seed!,
    runs: m.runs!,
    ...(stop ? { stopping: stop } : {}),
    ...(shard ? { shard } : {}),
    range,
    manifest: m,
    command: f.command,
    resume: f.state,
  };
}

/** A state file whose inputs or versions differ from what this process would compute: exit 2, naming the field. */
export function refuseChanged(file: string, recorded: Manifest, now: Manifest, what: 'resume' | 'merge'): void {
  const diffs = manifestDifferences(recorded, now);
  if (diffs.length === 0) return;
  throw new UserError(
    diffs.map((d) => ({
      location: { file },
      path: `manifest.${d.field}`,
      message: `was ${printable(d.a)} when the file was written, now ${printable(d.b)}`,
      hint:
        what === 'resume'
          ? 'the inputs or versions changed since the checkpoint: start the run again'
          : 'the inputs or versions changed since the parts were computed: recompute them',
    })),
  );
}
