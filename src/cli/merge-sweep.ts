import { manifestDifferences, sweepManifest, withoutShard } from '../manifest/manifest.js';
import { loadSweep } from '../sweep/load-sweep.js';
import { analyzeSweep, makeDesign, type SweepResult } from '../sweep/run-sweep.js';
import { readSweepState, type SweepStateFile } from '../sweep/sweep-state.js';
import { type Diagnostic, UserError } from '../util/diagnostics.js';
import { printable } from '../util/printable.js';
import { refuseChanged } from './mc-job.js';
import { coverageProblems, finishedShard, type PartRange } from './merge.js';

/**
 * The shards of one sweep into its result: every row's outputs assembled by row index, then the
 * analysis (bootstrap included) run once on all of them, as the unsharded sweep does.
 */
export function mergeSweepParts(files: readonly string[]): { result: SweepResult; command: string | null } {
  const problems: Diagnostic[] = [];
  const parts: { file: string; f: SweepStateFile }[] = [];
  const ranges: PartRange[] = [];
  for (const file of files) {
    const f = readSweepState(file, 'merge');
    const shard = finishedShard(file, f, 'rows', 'sweep', problems);
    if (!shard) continue;
    const ref = parts[0];
    if (ref) {
      const diffs = manifestDifferences(ref.f.manifest, f.manifest);
      if (diffs.length > 0) {
        problems.push(
          ...diffs.map((d) => ({
            location: { file },
            path: `manifest.${d.field}`,
            message: `${printable(d.b)} here but ${printable(d.a)} in ${printable(ref.file)}: the parts are not of one job`,
          })),
        );
        continue;
      }
    }
    parts.push({ file, f });
    ranges.push({ file, index: shard.index, count: shard.count, first: f.range.first, end: f.range.end });
  }
  const ref = parts[0];
  if (!ref) throw new UserError(problems);
  const manifest = ref.f.manifest;
  const rows = (manifest.settings?.rows ?? -1) as number;
  for (const d of coverageProblems(ranges, rows, 'rows')) problems.push(d);
  if (problems.length > 0) throw new UserError(problems);
  const sweep = loadSweep(manifest.inputs.sweep!.path);
  const { design, problem } = makeDesign(sweep);
  refuseChanged(ref.file, manifest, sweepManifest(sweep, design.d.X.rows), 'merge');
  const O = sweep.outputs.length;
  const Y = new Float64Array(rows * O);
  for (const { f } of parts) Y.set(f.Y, f.range.first * O);
  const result = analyzeSweep(sweep, design, problem, Y);
  return { result: { ...result, manifest: withoutShard(manifest) }, command: lowestShard(parts).command };
}

/** The part of the lowest shard index: its recorded command is the merged result's, whatever the file order. */
function lowestShard(parts: readonly { f: SweepStateFile }[]): SweepStateFile {
  return parts.reduce((a, b) => ((b.f.manifest.shard?.index ?? 0) < (a.f.manifest.shard?.index ?? 0) ? b : a)).f;
}
