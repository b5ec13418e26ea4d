/** Shard plans and the shard index from a scheduler's environment. */
import { describe, expect, it } from 'vitest';
import { parseShard, shardRange } from '../../src/montecarlo/shard.js';
import { UserError } from '../../src/util/diagnostics.js';

function message(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (e instanceof UserError) return e.message;
    throw e;
  }
  throw new Error('no error');
}

describe('parseShard', () => {
  it('I/K given on the command line', () => {
    expect(parseShard('0/1', {})).toEqual({ index: 0, count: 1 });
    expect(parseShard('6/7', {})).toEqual({ index: 6, count: 7 });
  });

  it('a Slurm job array: index counted from SLURM_ARRAY_TASK_MIN, count from COUNT or MIN/MAX', () => {
    expect(parseShard('auto', { SLURM_ARRAY_TASK_ID: '3', SLURM_ARRAY_TASK_COUNT: '8' })).toEqual({
      index: 3,
      count: 8,
    });
    expect(
      parseShard('auto', { SLURM_ARRAY_TASK_ID: '12', SLURM_ARRAY_TASK_MIN: '10', SLURM_ARRAY_TASK_MAX: '14' }),
    ).toEqual({ index: 2, count: 5 });
    expect(parseShard('auto/8', { SLURM_ARRAY_TASK_ID: '7', SLURM_ARRAY_TASK_COUNT: '8' })).toEqual({
      index: 7,
      count: 8,
    });
    expect(message(() => parseShard('auto/4', { SLURM_ARRAY_TASK_ID: '1', SLURM_ARRAY_TASK_COUNT: '8' }))).toBe(
      '--shard: --shard auto/4 but the Slurm job array says 8 shards',
    );
  });

  it('a Kubernetes Indexed Job needs /K; AWS Batch takes the array size', () => {
    expect(parseShard('auto/5', { JOB_COMPLETION_INDEX: '4' })).toEqual({ index: 4, count: 5 });
    expect(message(() => parseShard('auto', { JOB_COMPLETION_INDEX: '4' }))).toBe(
      '--shard: JOB_COMPLETION_INDEX (Kubernetes Indexed Job) gives the index only: use --shard auto/K',
    );
    expect(parseShard('auto', { AWS_BATCH_JOB_ARRAY_INDEX: '0', AWS_BATCH_JOB_ARRAY_SIZE: '2' })).toEqual({
      index: 0,
      count: 2,
    });
    expect(parseShard('auto/3', { AWS_BATCH_JOB_ARRAY_INDEX: '2' })).toEqual({ index: 2, count: 3 });
  });

  it('clear errors', () => {
    expect(message(() => parseShard('auto', {}))).toBe(
      '--shard: no shard index in the environment (set by a Slurm job array (SLURM_ARRAY_TASK_ID), a Kubernetes Indexed Job (JOB_COMPLETION_INDEX) or an AWS Batch array job (AWS_BATCH_JOB_ARRAY_INDEX))',
    );
    expect(message(() => parseShard('3/3', {}))).toBe('--shard: shard index 3 is outside 0..2 (from 3/3)');
    expect(message(() => parseShard('1', {}))).toBe("--shard: expected I/K: give the number of shards too (got '1')");
    expect(message(() => parseShard('a/b\u001b', {}))).toBe(
      "--shard: expected I/K (shard I of K, counted from 0), auto/K or auto (got 'a/b\\u001b')",
    );
    expect(message(() => parseShard('0/0', {}))).toBe('--shard: the number of shards must be from 1 to 100000 (got 0)');
    expect(message(() => parseShard('auto', { JOB_COMPLETION_INDEX: 'x' }))).toBe(
      '--shard: JOB_COMPLETION_INDEX=x is not a whole number',
    );
    expect(message(() => parseShard('auto/2', { AWS_BATCH_JOB_ARRAY_INDEX: '2' }))).toBe(
      '--shard: shard index 2 is outside 0..1 (from the AWS Batch array job)',
    );
  });
});

describe('shardRange', () => {
  it('covers [0, total) exactly once in contiguous whole units, for any K', () => {
    for (const total of [1, 255, 256, 3000, 100_000]) {
      for (const k of [1, 2, 3, 7, 64, 1000]) {
        let next = 0;
        for (let i = 0; i < k; i++) {
          const r = shardRange(total, 256, { index: i, count: k });
          expect(r.first).toBe(next);
          if (r.end > r.first && r.end < total) expect(r.end % 256).toBe(0);
          next = r.end;
        }
        expect(next).toBe(total);
      }
    }
    expect(shardRange(3000, 256, { index: 1, count: 3 })).toEqual({ first: 1024, end: 2048 });
  });
});
