import { manifestDifferences, mcManifest, withoutShard } from '../manifest/manifest.js';
import { readStateFile } from '../montecarlo/checkpoint.js';
import type { McState, McStateFile } from '../montecarlo/partial-state.js';
import { prepareMc } from '../montecarlo/prepare-mc.js';
import { RunBlockEvaluator } from '../montecarlo/run-block.js';
import { type McResult, mcResultOf } from '../montecarlo/simulate.js';
import { Counter, StatsMerger } from '../montecarlo/stats.js';
import type { Scenario } from '../scenario/scenario.js';
import { type Diagnostic, UserError } from '../util/diagnostics.js';
import { printable } from '../util/printable.js';
import { refuseChanged } from './mc-job.js';
import { coverageProblems, finishedShard, type PartRange } from './merge.js';
import { setOverrides } from './set-overrides.js';

/**
 * The shards of one Monte Carlo job into its result. Files are read one at a time and their exact
 * states added as they come (memory stays that of one state), while every check is collected: parts
 * of another job (any manifest field), unfinished checkpoints, a different binning, and duplicate,
 * overlapping or missing shards. Any problem: a user error listing them all, before anything is written.
 */
export function mergeMcParts(
  files: readonly string[],
  /** More checks of the scenario (its observed file), reported with the uncertainties' problems. */
  also?: (scenario: Scenario) => void,
): { result: McResult; command: string | null } {
  const problems: Diagnostic[] = [];
  const ranges: PartRange[] = [];
  let ref: { file: string; f: McStateFile } | undefined;
  let merger: StatsMerger | undefined;
  let reached: Counter | undefined;
  let firstYear: Counter | undefined;
  let command: string | null = null;
  let commandOf = Infinity;
  for (const file of files) {
    const f = readStateFile(file);
    const shard = finishedShard(file, f, 'runs', 'mc', problems);
    if (!shard) continue;
    if (!ref) {
      ref = { file, f };
      merger = new StatsMerger(f.state.binning, 0);
      reached = new Counter(f.state.reached.length);
      firstYear = new Counter(f.state.firstYear.length);
    } else {
      const diffs: Diagnostic[] = manifestDifferences(ref.f.manifest, f.manifest).map((d) => ({
        location: { file },
        path: `manifest.${d.field}`,
        message: `${printable(d.b)} here but ${printable(d.a)} in ${printable(ref!.file)}: the parts are not of one job`,
      }));
      if (diffs.length === 0 && !sameBinning(ref.f.state, f.state))
        diffs.push({
          location: { file },
          path: 'state.binning',
          message: `the pilot's bins differ from those in ${printable(ref.file)}: the parts are not of one job`,
        });
      if (diffs.length > 0) {
        for (const d of diffs) problems.push(d);
        continue;
      }
    }
    ranges.push({ file, index: shard.index, count: shard.count, first: f.range.first, end: f.range.end });
    // The recorded command is that of the lowest shard, whatever the order of the files.
    if (shard.index < commandOf) [command, commandOf] = [f.command, shard.index];
    merger!.absorb(f.state.stats);
    reached!.merge(f.state.reached);
    firstYear!.merge(f.state.firstYear);
  }
  if (!ref) throw new UserError(problems);
  const manifest = ref.f.manifest;
  const runs = manifest.runs!;
  for (const d of coverageProblems(ranges, runs, 'runs')) problems.push(d);
  if (problems.length > 0) throw new UserError(problems);

  const ctx = prepareMc(
    { scenarioFile: manifest.inputs.scenario!.path, overrides: setOverrides(manifest.overrides) },
    also,
  );
  refuseChanged(ref.file, manifest, mcManifest(ctx.scenario, manifest.overrides, manifest.seed!, runs), 'merge');
  const state = {
    binning: ref.f.state.binning,
    stats: merger!.state(),
    reached: reached!.counts,
    firstYear: firstYear!.counts,
  };
  const result = mcResultOf(ctx, new RunBlockEvaluator(ctx.image), {
    seed: manifest.seed!,
    runsRequested: runs,
    range: { first: 0, end: runs },
    state,
    manifest: withoutShard(manifest),
  });
  return { result, command };
}

/** Whether two states have the same bins, bit for bit (the pilot is the same for every shard of a job). */
function sameBinning(a: McState, b: McState): boolean {
  const eq = (x: Float64Array, y: Float64Array): boolean =>
    x.length === y.length &&
    Buffer.from(x.buffer, x.byteOffset, x.byteLength).equals(Buffer.from(y.buffer, y.byteOffset, y.byteLength));
  const p = a.binning;
  const q = b.binning;
  return (
    p.cells === q.cells &&
    p.bins === q.bins &&
    eq(Float64Array.from(p.lo), Float64Array.from(q.lo)) &&
    eq(Float64Array.from(p.width), Float64Array.from(q.width)) &&
    eq(Float64Array.from(p.centre), Float64Array.from(q.centre))
  );
}
