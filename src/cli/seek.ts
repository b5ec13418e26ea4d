import type { Argv } from 'yargs';
import type { Workers } from '../execution/workers.js';
import { checkOutputPath } from '../report/atomic-write.js';
import { checkAll, RunError, UserError } from '../util/diagnostics.js';
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
  withScenario,
  workersFlag,
} from './options.js';
import { withProgressBar } from './progress.js';
import { replayable } from './replay-hint.js';
import { setOverrides } from './set-overrides.js';

/** Futures per setting with --probability: a bisection tries about a dozen settings, each this many runs. */
const MAX_SEEK_RUNS = 10_000_000;

function seekOptions(y: Argv) {
  return withScenario(y)
    .option('target', { type: 'string', default: '1', describe: 'target: 1-based index or exact name' })
    .option('lever', { type: 'string', describe: 'the lever to turn' })
    .option('package', {
      type: 'boolean',
      default: false,
      describe: "scale the scenario's whole lever set by one factor instead",
    })
    .option('regions', {
      type: 'string',
      array: true,
      describe: 'provinces or aggregates the lever is set in (default: all)',
    })
    .option('vary', {
      choices: ['value', 'from', 'ramp'] as const,
      default: 'value' as const,
      describe: 'smallest value, latest start year, or longest ramp',
    })
    .option(
      'value',
      numberFlag("the lever's value when varying from or ramp (default: the scenario's, else the range top)"),
    )
    .option('from', wholeFlag("start year when varying value or ramp (default: the scenario's)"))
    .option('ramp', wholeFlag("ramp in years when varying value or from (default: the scenario's)"))
    .option('probability', numberFlag('reach the target with this Monte Carlo probability, in (0, 1)'))
    .option('runs', wholeFlag('futures per setting with --probability', 1000))
    .option('seed', wholeFlag("random seed (default: the scenario's)"))
    .option('workers', workersFlag('per setting'))
    .example('$0 seek scenarios/ftz-openness-2025.yaml --lever ftz --probability 0.8', 'how much free trade zone')
    .example('$0 seek scenarios/ftz-openness-2025.yaml --package --probability 0.8', 'how much of the package');
}

export function seekCommand(io: Io, setExit: (code: number) => void, inv: Invocation = NO_INVOCATION) {
  return longCommand(io, setExit, inv, {
    command: 'seek <scenario>',
    describe: 'what it would take: the cheapest lever setting (or share of the lever package) that meets a target',
    builder: seekOptions,
    handler: seek,
  });
}

/** The numeric flags as the search uses them: parsed, with their defaults. */
interface SeekSettings {
  value?: number;
  probability?: number;
  from?: number;
  ramp?: number;
  runs: number;
  seed?: number;
  workers: Workers;
}

const seek: LongHandler<ArgsOf<typeof seekOptions>> = async (io, setExit, interrupt, a, inv) => {
  // Every bad flag at once: each range is checked on the values that parsed (the others keep defaults).
  const [w, n] = checkAll(
    () => wholeFlags(a, ['from', 'ramp', 'runs', 'seed', 'workers'], [], { runs: { min: 1, max: MAX_SEEK_RUNS } }),
    () => {
      const n = numberFlags(a, ['value', 'probability']);
      if (n.probability !== undefined && !(n.probability > 0 && n.probability < 1))
        throw new UserError({
          path: '--probability',
          message: `must be between 0 and 1, exclusive (got ${n.probability})`,
          hint: 'for 80% write 0.8',
        });
      return n;
    },
  );
  const p: SeekSettings = { ...n, ...w, runs: w.runs ?? 1000, workers: w.workers ?? 'auto' };
  if (a.out) checkOutputPath(a.out, '--out');
  if (a.package === (a.lever !== undefined))
    throw new UserError({
      path: a.package ? '--package' : '--lever',
      message: 'give either --lever NAME or --package',
    });
  if (a.package)
    for (const f of ['regions', 'value', 'from', 'ramp'] as const)
      if (a[f] !== undefined) throw new UserError({ path: `--${f}`, message: 'applies to --lever, not --package' });
  // The format follows --out's extension, as for every command; seek has no CSV.
  const format = outputFormat(a);
  if (format === 'csv') throw new UserError({ path: '--format', message: 'seek writes table, json or html' });
  const [{ prepareMc }, { loadScenario }, knobs, { resolveTarget }, { seekThreshold }, run, report] = await Promise.all(
    [
      import('../montecarlo/prepare-mc.js'),
      import('../scenario/load-scenario.js'),
      import('../decision/knobs.js'),
      import('../decision/target-ref.js'),
      import('../decision/seek.js'),
      import('../decision/seek-run.js'),
      import('../report/seek-report.js'),
    ],
  );
  const ctx =
    p.probability !== undefined ? prepareMc({ scenarioFile: a.scenario, overrides: setOverrides(a.set) }) : undefined;
  const scenario = ctx?.scenario ?? loadScenario(a.scenario, { overrides: setOverrides(a.set) });
  const ti = resolveTarget(scenario.targets, a.target, scenario.file);
  const target = scenario.targets[ti]!;
  const knob = a.package
    ? knobs.packageKnob(scenario)
    : knobs.leverKnob(scenario, target, {
        lever: a.lever!,
        vary: a.vary,
        ...(a.regions ? { regions: a.regions } : {}),
        ...(p.value !== undefined ? { value: p.value } : {}),
        ...(p.from !== undefined ? { from: p.from } : {}),
        ...(p.ramp !== undefined ? { ramp: p.ramp } : {}),
      });
  const seed = p.seed ?? scenario.seed;
  let outcome;
  // A failure names the setting being tried: the scenario's own --set flags alone do not replay it.
  const setting = (x: number): string =>
    Object.entries({ ...(a.package ? {} : { lever: a.lever }), ...knob.describe(x) })
      .map(([k, v]) => `${k} ${Array.isArray(v) ? v.join(',') : String(v)}`)
      .join(', ');
  const atSetting = (e: unknown, x: number): unknown => {
    if (!(e instanceof RunError)) return e;
    const where = `while seek tried ${setting(x)}`;
    if (e.diagnostics.length === 0) return new RunError(`${e.message}\n  ${where}`);
    return new RunError(
      e.message,
      e.diagnostics.map((d) => ({ ...d, hint: d.hint ? `${d.hint}; ${where}` : where })),
    );
  };
  if (!ctx) {
    const probe = run.projectionProbe(scenario, ti, knob);
    outcome = await seekThreshold((x) => {
      try {
        return probe(x);
      } catch (e) {
        throw atSetting(e, x);
      }
    }, knob.domain);
  } else {
    try {
      outcome = await withProgressBar(
        io,
        interrupt.signal,
        { label: 'seek', unit: 'settings', stopping: 'stopping' },
        (bar) => {
          let tried = 0;
          const probe = run.probabilityProbe(ctx, ti, knob, {
            runs: p.runs,
            seed,
            probability: p.probability!,
            signal: interrupt.signal,
            workers: p.workers,
          });
          return seekThreshold(async (x) => {
            const p = await probe(x).catch((e: unknown) => {
              throw atSetting(replayable(e, a.set), x);
            });
            bar.update(++tried, tried + 1);
            return p;
          }, knob.domain);
        },
      );
    } catch (e) {
      if (e instanceof run.SeekInterrupted) {
        setExit(interrupt.exitCode());
        io.stderr('interrupted: no answer written\n');
        return;
      }
      throw e;
    }
  }
  const r = {
    scenario,
    target,
    knob,
    probability: p.probability,
    runs: ctx ? p.runs : undefined,
    seed: ctx ? seed : undefined,
    outcome,
  };
  const meta = { command: reproducingCommand(inv) };
  // The HTML report is made from the JSON, as `policysim report` makes it from the file.
  if (format === 'html') return emitHtml(io, [JSON.parse(JSON.stringify(report.seekResultJson(r, meta)))], a.out);
  emitOutput(io, format === 'json' ? report.renderSeekJson(r, meta) : report.renderSeekTable(r), a.out);
};
