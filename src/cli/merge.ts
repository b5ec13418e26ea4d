import type { Manifest, ShardInfo } from '../manifest/manifest.js';
import { checkOutputPath } from '../report/atomic-write.js';
import { type Diagnostic, UserError } from '../util/diagnostics.js';
import { printable } from '../util/printable.js';
import { shellQuote } from './command-invocation.js';
import type { Io } from './io.js';
import { emitMcResult } from './mc-output.js';
import {
  checkIndicators,
  checkRegions,
  outputFormat,
  typedCommand,
  wholeFlag,
  wholeFlags,
  withOutputOptions,
} from './options.js';
import { checkDesignOut, emitSweepResult } from './sweep-output.js';

/** A part's place in the job, for the coverage checks. */
export interface PartRange {
  readonly file: string;
  readonly index: number;
  readonly count: number;
  readonly first: number;
  readonly end: number;
}

/**
 * The shard plan of a part given to merge, or undefined with the problem pushed: a checkpoint not yet finished
 * (`unit`: runs or rows; `command` resumes it), or a file of a job that was not sharded.
 */
export function finishedShard(
  file: string,
  f: {
    readonly kind: string;
    readonly range: { readonly first: number; readonly done: number; readonly end: number };
    readonly manifest: Manifest;
  },
  unit: string,
  command: string,
  problems: Diagnostic[],
): ShardInfo | undefined {
  if (f.kind !== 'shard' || f.range.done !== f.range.end) {
    problems.push({
      location: { file },
      path: 'kind',
      message: `is a checkpoint (${unit} ${f.range.first}-${f.range.done - 1} of ${f.range.first}-${f.range.end - 1} done), not a finished shard`,
      hint: `finish it with policysim ${command} --resume ${printable(file)}`,
    });
    return undefined;
  }
  const shard = f.manifest.shard;
  if (!shard) problems.push({ location: { file }, path: 'manifest.shard', message: 'is not a shard of a job' });
  return shard;
}

/**
 * Every problem with how the parts cover [0, total): the same shard twice, parts whose runs (or rows)
 * overlap, and what is missing, by shard number when the parts share one plan.
 */
export function coverageProblems(parts: readonly PartRange[], total: number, unit: string): Diagnostic[] {
  const out: Diagnostic[] = [];
  const name = (p: PartRange): string => `${printable(p.file)} (shard ${p.index}/${p.count}, ${span(p, unit)})`;
  const seen = new Map<string, PartRange>();
  const distinct: PartRange[] = [];
  for (const p of parts) {
    const key = `${p.index}/${p.count}`;
    const twin = seen.get(key);
    if (twin) {
      out.push({
        path: 'shards',
        message: `shard ${key} appears twice: ${printable(twin.file)} and ${printable(p.file)}`,
      });
      continue;
    }
    seen.set(key, p);
    distinct.push(p);
  }
  const sorted = distinct.filter((p) => p.end > p.first).sort((a, b) => a.first - b.first || a.end - b.end);
  for (let i = 1; i < sorted.length; i++) {
    for (let j = 0; j < i; j++) {
      if (sorted[j]!.end > sorted[i]!.first)
        out.push({ path: 'shards', message: `${name(sorted[j]!)} overlaps ${name(sorted[i]!)}` });
    }
  }
  const counts = new Set(distinct.map((p) => p.count));
  if (counts.size === 1) {
    const k = [...counts][0]!;
    const missing: number[] = [];
    for (let i = 0; i < k; i++) if (!seen.has(`${i}/${k}`)) missing.push(i);
    if (missing.length > 0)
      out.push({
        path: 'shards',
        message: `missing ${missing.length === 1 ? 'shard' : 'shards'} ${listShards(missing, k)} of ${k}`,
      });
  } else {
    let covered = 0;
    const gaps: string[] = [];
    for (const p of sorted) {
      if (p.first > covered) gaps.push(`${unit} ${covered}-${p.first - 1}`);
      covered = Math.max(covered, p.end);
    }
    if (covered < total) gaps.push(`${unit} ${covered}-${total - 1}`);
    if (gaps.length > 0) out.push({ path: 'shards', message: `no part covers ${gaps.join(', ')}` });
  }
  return out;
}

function span(p: PartRange, unit: string): string {
  return p.end > p.first ? `${unit} ${p.first}-${p.end - 1}` : `no ${unit}`;
}

function listShards(missing: readonly number[], k: number): string {
  const shown = missing.slice(0, 20).map((i) => `${i}/${k}`);
  return missing.length > 20 ? `${shown.join(', ')} and ${missing.length - 20} more` : shown.join(', ');
}

export function mergeCommand(io: Io) {
  return typedCommand({
    command: 'merge <files..>',
    describe: 'merge the partial-state files of a sharded mc or sweep into the result one machine would give',
    builder: (y) =>
      withOutputOptions(y)
        .positional('files', { type: 'string', array: true, demandOption: true, describe: 'part files (any order)' })
        .option('indicators', { type: 'string', array: true, describe: 'indicators in the table (mc)' })
        .option('regions', { type: 'string', array: true, describe: 'regions in the table (mc)' })
        .option('observed', {
          type: 'string',
          describe:
            "mc: observed CSV shown beside the bands, as mc --observed (default: the scenario's observed: file)",
        })
        .option('design-out', {
          type: 'string',
          describe: 'sweep: also write the raw design and its outputs to this CSV file',
        })
        .option('step', wholeFlag('show every STEP years in the table (mc)', 5))
        .example('$0 merge part-*.json --out result.json', 'the result of every shard of one job')
        .example('$0 merge part-*.json --out report.html', 'its HTML report'),
    handler: async (argv) => {
      const a = argv;
      const format = outputFormat(a);
      const f = wholeFlags(argv, ['step']);
      if (a.out) checkOutputPath(a.out, '--out');
      const first = a.files[0]!;
      const [{ MAX_STATE_BYTES }, { readInputFile }] = await Promise.all([
        import('../montecarlo/checkpoint.js'),
        import('../util/input-file.js'),
      ]);
      const isSweep = readInputFile(first, 'partial-state file', undefined, MAX_STATE_BYTES)
        .slice(0, 200)
        .includes('"policysim.sweep-state/');
      if (isSweep) {
        if (a.indicators || a.regions || a.observed !== undefined)
          throw new UserError(
            (['indicators', 'regions', 'observed'] as const)
              .filter((k) => a[k])
              .map((k) => ({ path: `--${k}`, message: 'applies to the parts of a Monte Carlo, not of a sweep' })),
          );
        checkDesignOut(a.designOut);
        const { mergeSweepParts } = await import('./merge-sweep.js');
        const { result, command } = mergeSweepParts(a.files);
        await emitSweepResult(io, result, format, a, { command });
        return;
      }
      if (a.designOut !== undefined)
        throw new UserError({ path: '--design-out', message: 'applies to the parts of a sweep, not of a Monte Carlo' });
      const [{ mergeMcParts }, { loadObservedFor }, { ObservedView }] = await Promise.all([
        import('./merge-mc.js'),
        import('../evidence/observed-file.js'),
        import('../report/observed-view.js'),
      ]);
      // Observed values as `mc` shows them (the scenario's observed: file, or --observed): the shards
      // compute no table, so the merge is where they join the result.
      let observedSet: ReturnType<typeof loadObservedFor>;
      const { result, command } = mergeMcParts(a.files, (s) => {
        observedSet = loadObservedFor(s, a.observed);
      });
      checkIndicators(a.indicators ?? [], result.scenario.model);
      checkRegions(a.regions ?? [], result.scenario.model);
      const observed = observedSet ? new ObservedView(observedSet) : undefined;
      // The command of the same job on one machine: `mc ... --observed FILE`.
      const recorded =
        command !== null && a.observed !== undefined ? `${command} --observed ${shellQuote(a.observed)}` : command;
      await emitMcResult(io, result, format, a.out, { command: recorded }, { ...a, step: f.step ?? 5 }, observed);
    },
  });
}
