import { UserError } from '../util/diagnostics.js';
import { printable } from '../util/printable.js';

/** Which part of a job this process computes: shard `index` (0-based) of `count`. */
export interface Shard {
  readonly index: number;
  readonly count: number;
}

export const MAX_SHARDS = 100_000;

type Env = Readonly<Record<string, string | undefined>>;

/**
 * `--shard I/K`, `--shard auto/K` or `--shard auto`. `auto` takes the index from the scheduler's
 * environment: a Slurm job array (SLURM_ARRAY_TASK_ID, counted from SLURM_ARRAY_TASK_MIN, with
 * SLURM_ARRAY_TASK_COUNT or MIN/MAX), a Kubernetes Indexed Job (JOB_COMPLETION_INDEX; needs /K) or an
 * AWS Batch array job (AWS_BATCH_JOB_ARRAY_INDEX with AWS_BATCH_JOB_ARRAY_SIZE or /K).
 */
export function parseShard(text: string, env: Env = process.env): Shard {
  const path = '--shard';
  const bad = (message: string, hint?: string): UserError =>
    new UserError({ path, message, ...(hint ? { hint } : {}) });
  const m = /^(auto|\d+)(?:\/(\d+))?$/.exec(text.trim());
  if (!m) throw bad(`expected I/K (shard I of K, counted from 0), auto/K or auto (got '${printable(text)}')`);
  const given = m[2] === undefined ? undefined : Number(m[2]);
  if (given !== undefined && !(given >= 1 && given <= MAX_SHARDS))
    throw bad(`the number of shards must be from 1 to ${MAX_SHARDS} (got ${m[2]})`);
  if (m[1] !== 'auto') {
    if (given === undefined) throw bad(`expected I/K: give the number of shards too (got '${printable(text)}')`);
    return checked(Number(m[1]), given, text);
  }
  const fromEnv = shardFromEnv(env);
  if (!fromEnv)
    throw bad(
      'no shard index in the environment',
      'set by a Slurm job array (SLURM_ARRAY_TASK_ID), a Kubernetes Indexed Job (JOB_COMPLETION_INDEX) or an AWS Batch array job (AWS_BATCH_JOB_ARRAY_INDEX)',
    );
  if (given !== undefined && fromEnv.count !== undefined && fromEnv.count !== given)
    throw bad(`--shard auto/${given} but ${fromEnv.source} says ${fromEnv.count} shards`);
  const count = given ?? fromEnv.count;
  if (count === undefined) throw bad(`${fromEnv.source} gives the index only: use --shard auto/K`);
  return checked(fromEnv.index, count, fromEnv.source);
}

function checked(index: number, count: number, from: string): Shard {
  if (!(Number.isSafeInteger(index) && index >= 0 && index < count))
    throw new UserError({
      path: '--shard',
      message: `shard index ${index} is outside 0..${count - 1} (from ${printable(from)})`,
    });
  return { index, count };
}

function shardFromEnv(env: Env): { index: number; count?: number; source: string } | undefined {
  const int = (name: string): number | undefined => {
    const v = env[name];
    if (v === undefined || v === '') return undefined;
    if (!/^\d+$/.test(v))
      throw new UserError({ path: '--shard', message: `${name}=${printable(v)} is not a whole number` });
    return Number(v);
  };
  const slurmId = int('SLURM_ARRAY_TASK_ID');
  if (slurmId !== undefined) {
    const min = int('SLURM_ARRAY_TASK_MIN') ?? 0;
    const max = int('SLURM_ARRAY_TASK_MAX');
    const count = int('SLURM_ARRAY_TASK_COUNT') ?? (max === undefined ? undefined : max - min + 1);
    return { index: slurmId - min, ...(count === undefined ? {} : { count }), source: 'the Slurm job array' };
  }
  const k8s = int('JOB_COMPLETION_INDEX');
  if (k8s !== undefined) return { index: k8s, source: 'JOB_COMPLETION_INDEX (Kubernetes Indexed Job)' };
  const aws = int('AWS_BATCH_JOB_ARRAY_INDEX');
  if (aws !== undefined) {
    const size = int('AWS_BATCH_JOB_ARRAY_SIZE');
    return { index: aws, ...(size === undefined ? {} : { count: size }), source: 'the AWS Batch array job' };
  }
  return undefined;
}

/**
 * Shard `index` of `count` over `total` items in whole units (256-run leaves for Monte Carlo, 1 for
 * design rows): unit blocks [⌊i·U/K⌋, ⌊(i+1)·U/K⌋) for U = ⌈total/unit⌉ blocks, so every plan covers
 * [0, total) exactly once in contiguous ranges. With more shards than blocks some shards are empty.
 */
export function shardRange(total: number, unit: number, s: Shard): { first: number; end: number } {
  const blocks = Math.ceil(total / unit);
  const a = Math.floor((s.index * blocks) / s.count);
  const b = Math.floor(((s.index + 1) * blocks) / s.count);
  return { first: Math.min(total, a * unit), end: Math.min(total, b * unit) };
}
