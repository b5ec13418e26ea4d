import type { Argv } from 'yargs';
import type { Workers } from '../execution/workers.js';
import { checkOutputPath } from '../report/atomic-write.js';
import { checkAll, UserError } from '../util/diagnostics.js';
import { type Invocation, NO_INVOCATION, reproducingCommand } from './command-invocation.js';
import { emitHtml } from './html-output.js';
import { emitOutput, type Io } from './io.js';
import {
  type ArgsOf,
  type LongHandler,
  longCommand,
  numberFlag,
  numberFlags,
  outputFormat,
  wholeFlag,
  wholeFlags,
  withOutputOptions,
  withSetOption,
  workersFlag,
} from './options.js';
import { withProgressBar } from './progress.js';
import { replayable } from './replay-hint.js';
import { setOverrides } from './set-overrides.js';

/** PRIM holds every run's draws in memory and rescans them for each pasting step. */
export const MAX_DISCOVER_RUNS = 200_000;

function discoverOptions(y: Argv) {
  return withSetOption(withOutputOptions(y))
    .positional('scenario', {
      type: 'string',
      describe: 'scenario YAML (its Monte Carlo is run, unless --runs-file)',
    })
    .option('runs-file', {
      type: 'string',
      describe: 'read the runs from a `policysim mc --save-runs` CSV instead',
    })
    .option('target', {
      type: 'string',
      default: '1',
      describe: 'target: 1-based index, or exact name with a scenario',
    })
    .option('runs', wholeFlag('futures to simulate', 10_000))
    .option('seed', wholeFlag("random seed (default: the scenario's)"))
    .option('workers', workersFlag())
    .option('alpha', numberFlag('share of the box peeled or pasted per step', 0.05))
    .option('min-mass', numberFlag('smallest box, as a share of all runs', 0.05))
    .option(
      'min-coverage',
      numberFlag('report the densest box holding at least this share of the runs that reach the target', 0.5),
    )
    .option('max-p', numberFlag('drop box restrictions whose quasi-p-value is above this (1: keep all)', 0.05))
    .option('box', wholeFlag('report this box of the trade-off curve instead (0: all runs)'))
    .example('$0 discover scenarios/ftz-openness-2025.yaml --target 2 --runs 20000', 'in which futures is 2030 reached')
    .example('$0 discover --runs-file runs.csv --target 1', 'from saved runs');
}

export function discoverCommand(io: Io, setExit: (code: number) => void, inv: Invocation = NO_INVOCATION) {
  return longCommand(io, setExit, inv, {
    command: 'discover [scenario]',
    describe: 'which futures make a target reachable: PRIM scenario discovery over a Monte Carlo or a --save-runs file',
    builder: discoverOptions,
    handler: discoverCmd,
  });
}

/** The numeric flags as the search uses them: parsed, with their defaults. */
interface DiscoverSettings {
  runs: number;
  seed?: number;
  workers: Workers;
  alpha: number;
  minMass: number;
  minCoverage: number;
  maxP: number;
  box?: number;
}

const discoverCmd: LongHandler<ArgsOf<typeof discoverOptions>> = async (io, setExit, interrupt, a, inv) => {
  // Every bad flag at once: each range is checked on the values that parsed (the others keep defaults).
  const w: Partial<Record<'runs' | 'seed' | 'workers' | 'box', number>> = {};
  let n: Partial<Record<'alpha' | 'min-mass' | 'min-coverage' | 'max-p', number>> = {};
  const p: DiscoverSettings = {
    runs: 10_000,
    workers: 'auto',
    alpha: 0.05,
    minMass: 0.05,
    minCoverage: 0.5,
    maxP: 0.05,
  };
  const fraction = (flag: string, v: number, lo: number, hi: number) => (): void => {
    if (!(v > lo && v < hi))
      throw new UserError({ path: `--${flag}`, message: `must be between ${lo} and ${hi}, exclusive (got ${v})` });
  };
  checkAll(
    () =>
      void Object.assign(
        w,
        wholeFlags(a, ['runs', 'seed', 'workers', 'box'], [], { runs: { min: 1, max: MAX_DISCOVER_RUNS } }),
      ),
    () => void (n = numberFlags(a, ['alpha', 'min-mass', 'min-coverage', 'max-p'])),
    () => {
      Object.assign(p, {
        ...w,
        runs: w.runs ?? 10_000,
        workers: w.workers ?? 'auto',
        alpha: n.alpha ?? 0.05,
        minMass: n['min-mass'] ?? 0.05,
        minCoverage: n['min-coverage'] ?? 0.5,
        maxP: n['max-p'] ?? 0.05,
      });
      checkAll(
        fraction('alpha', p.alpha, 0, 0.5),
        fraction('min-mass', p.minMass, 0, 1),
        () => {
          if (!(p.minCoverage >= 0 && p.minCoverage <= 1))
            throw new UserError({ path: '--min-coverage', message: `must be from 0 to 1 (got ${p.minCoverage})` });
        },
        () => {
          if (!(p.maxP > 0 && p.maxP <= 1))
            throw new UserError({ path: '--max-p', message: `must be above 0 and at most 1 (got ${p.maxP})` });
        },
      );
    },
  );
  if (a.out) checkOutputPath(a.out, '--out');
  // The format follows --out's extension, as for every command; discover has no CSV.
  const format = outputFormat(a);
  if (format === 'csv') throw new UserError({ path: '--format', message: 'discover writes table, json or html' });
  if (!a.scenario && !a.runsFile)
    throw new UserError({ path: 'discover', message: 'give a scenario, or --runs-file with a --save-runs CSV' });
  const [{ discover }, { resolveTarget }, report, { cliOverrides, makeManifest, scenarioInputs, sha256File }] =
    await Promise.all([
      import('../decision/discover.js'),
      import('../decision/target-ref.js'),
      import('../report/discover-report.js'),
      import('../manifest/manifest.js'),
    ]);
  const o = {
    alpha: p.alpha,
    minMass: p.minMass,
    minCoverage: p.minCoverage,
    maxP: p.maxP,
    ...(p.box !== undefined ? { box: p.box } : {}),
  };
  let r;
  if (a.runsFile) {
    const { readSavedRuns } = await import('../decision/runs-csv.js');
    const saved = readSavedRuns(a.runsFile, MAX_DISCOVER_RUNS);
    let ti: number;
    let name: string;
    if (a.scenario) {
      const { loadScenario } = await import('../scenario/load-scenario.js');
      const s = loadScenario(a.scenario, { overrides: setOverrides(a.set) });
      ti = resolveTarget(s.targets, a.target, s.file);
      name = s.targets[ti]!.name;
      if (ti >= saved.targets)
        throw new UserError({
          location: { file: saved.file },
          path: '--runs-file',
          message: `holds ${saved.targets} targets; '${name}' is target ${ti + 1}`,
        });
    } else {
      if (!/^\d+$/.test(a.target))
        throw new UserError({
          path: '--target',
          message: `'${a.target}': a runs file has no target names; give its number (1-${saved.targets}), or the scenario too`,
        });
      ti = Number(a.target) - 1;
      if (ti < 0 || ti >= saved.targets)
        throw new UserError({
          path: '--target',
          message: `target ${a.target} does not exist: ${saved.file} has ${saved.targets} (1-${saved.targets})`,
        });
      name = `target ${ti + 1}`;
    }
    const d = discover({ X: saved.X, y: saved.reached[ti]!, n: saved.n, D: saved.labels.length }, saved.labels, o);
    r = {
      discovery: d,
      labels: saved.labels,
      target: { index: ti, name },
      source: { kind: 'runsFile' as const, file: saved.file },
      manifest: makeManifest({
        command: 'discover',
        inputs: { runs: { path: saved.file, sha256: sha256File(saved.file) } },
      }),
    };
  } else {
    const [{ prepareMc }, { RunBlockEvaluator }, { runMonteCarlo }] = await Promise.all([
      import('../montecarlo/prepare-mc.js'),
      import('../montecarlo/run-block.js'),
      import('../montecarlo/simulate.js'),
    ]);
    const ctx = prepareMc({ scenarioFile: a.scenario!, overrides: setOverrides(a.set) });
    const ti = resolveTarget(ctx.scenario.targets, a.target, ctx.scenario.file);
    const local = new RunBlockEvaluator(ctx.image);
    const labels = local.sampler.drawLabels;
    if (labels.length === 0)
      throw new UserError({
        location: ctx.scenario.source.locateKey(['uncertainties']),
        path: 'uncertainties',
        message: 'no uncertain parameters to discover boxes over',
      });
    const D = labels.length;
    const X = new Float64Array(p.runs * D);
    const y = new Uint8Array(p.runs);
    const reachedCol = 1 + D + 3 * ti + 1;
    let row = 0;
    const seed = p.seed ?? ctx.scenario.seed;
    let res;
    try {
      const progress = { label: 'discover', unit: 'runs', stopping: 'stopping' };
      res = await withProgressBar(io, interrupt.signal, progress, (bar) =>
        runMonteCarlo(ctx, local, {
          workers: p.workers,
          runs: p.runs,
          seed,
          signal: interrupt.signal,
          onProgress: (dn, t) => bar.update(dn, t),
          onRecords: (rec, cols) => {
            for (let i = 0; i < rec.length; i += cols, row++) {
              X.set(rec.subarray(i + 1, i + 1 + D), row * D);
              y[row] = rec[i + reachedCol]!;
            }
          },
        }),
      );
    } catch (e) {
      throw replayable(e, a.set);
    }
    if (res.partial) {
      setExit(interrupt.exitCode());
      io.stderr(`interrupted after ${res.runsCompleted} of ${p.runs} runs; nothing discovered\n`);
      return;
    }
    const d = discover({ X, y, n: p.runs, D }, labels, o);
    r = {
      discovery: d,
      labels,
      target: { index: ti, name: ctx.scenario.targets[ti]!.name },
      source: { kind: 'monteCarlo' as const, scenario: ctx.scenario.name, file: ctx.scenario.file, seed },
      manifest: makeManifest({
        command: 'discover',
        inputs: scenarioInputs(ctx.scenario),
        overrides: cliOverrides(ctx.scenario),
        seed,
        runs: p.runs,
      }),
    };
  }
  const meta = { command: reproducingCommand(inv) };
  // The HTML report is made from the JSON, as `policysim report` makes it from the file.
  if (format === 'html') return emitHtml(io, [JSON.parse(JSON.stringify(report.discoverResultJson(r, meta)))], a.out);
  emitOutput(io, format === 'json' ? report.renderDiscoverJson(r, meta) : report.renderDiscoverTable(r), a.out);
};
