import type { Projection } from '../project/project-scenario.js';
import { checkOutputPath } from '../report/atomic-write.js';
import type { ResultMeta } from '../report/result-meta.js';
import { DEFAULT_SCENARIO } from '../scenario/defaults.js';
import { UserError } from '../util/diagnostics.js';
import { type Invocation, NO_INVOCATION, reproducingCommand } from './command-invocation.js';
import { emitHtml } from './html-output.js';
import { emitCsv, emitOutput, type Io } from './io.js';
import {
  checkIndicators,
  type OutputFormat,
  outputFormat,
  typedCommand,
  wholeFlag,
  wholeFlags,
  withOutputOptions,
  withSetOption,
} from './options.js';
import { warnAboutScenario } from './scenario-warnings.js';
import { setOverrides } from './set-overrides.js';

export function runCommand(io: Io, inv: Invocation = NO_INVOCATION) {
  return typedCommand({
    command: 'run [scenarios..]',
    describe: 'project scenarios year by year and judge their targets (default: the built-in baseline)',
    builder: (y) =>
      withSetOption(withOutputOptions(y))
        .positional('scenarios', { type: 'string', array: true, describe: 'scenario YAML files' })
        .option('indicators', {
          type: 'string',
          array: true,
          describe: 'indicators to show in the table (default: all)',
        })
        .option('observed', {
          type: 'string',
          describe: "observed CSV to show beside the projection (default: the scenario's observed: file)",
        })
        .option('step', wholeFlag('show every STEP years in the table', 1))
        .option('mc-run', wholeFlag('replay Monte Carlo run K of the scenario (see `policysim mc`)'))
        .option('seed', wholeFlag('seed for --mc-run (default: the scenario seed)'))
        .example('$0 run', 'the built-in baseline and its 2020 verdict')
        .example('$0 run scenarios/ftz.yaml --set ftz.jilin=1', 'a quick what-if'),
    handler: async (argv) => {
      const a = argv;
      const format = outputFormat(a);
      const f = wholeFlags(argv, ['step', 'mc-run', 'seed']);
      const step = f.step ?? 1;
      if (f.seed !== undefined && f['mc-run'] === undefined)
        throw new UserError({
          path: '--seed',
          message: 'applies only with --mc-run K (a deterministic run has no random draws)',
        });
      if (a.out) checkOutputPath(a.out, '--out');
      const files = a.scenarios && a.scenarios.length > 0 ? a.scenarios : [DEFAULT_SCENARIO];
      const mcRun = f['mc-run'];
      if (mcRun !== undefined) {
        const { replayRun } = await import('../montecarlo/replay.js');
        const projections = files.map((file) => replayRun(file, mcRun, f.seed, setOverrides(a.set)));
        for (const p of projections) checkIndicators(a.indicators ?? [], p.scenario.model);
        for (const p of projections) await warnAboutScenario(io, p.scenario);
        return emit(io, projections, format, { ...a, step }, { command: reproducingCommand(inv) });
      }
      // Loaded here, not at start-up: `--help` and usage errors need none of it.
      const [{ projectScenario }, { loadScenario }] = await Promise.all([
        import('../project/project-scenario.js'),
        import('../scenario/load-scenario.js'),
      ]);
      const projections = files.map((file) => projectScenario(loadScenario(file, { overrides: setOverrides(a.set) })));
      for (const p of projections) checkIndicators(a.indicators ?? [], p.scenario.model);
      for (const p of projections) await warnAboutScenario(io, p.scenario);
      await emit(io, projections, format, { ...a, step }, { command: reproducingCommand(inv) });
    },
  });
}

async function emit(
  io: Io,
  projections: Projection[],
  format: OutputFormat,
  a: { out?: string; indicators?: string[]; step: number; observed?: string },
  meta: ResultMeta,
): Promise<void> {
  const [
    { loadObservedFor },
    { ObservedView },
    { renderRunCsv, renderRunJson, renderRunTable, renderVerdictsCsv },
    { runResultJson },
  ] = await Promise.all([
    import('../evidence/observed-file.js'),
    import('../report/observed-view.js'),
    import('../report/run-report.js'),
    import('../report/run-result.js'),
  ]);
  const observed = projections.map((p) => {
    const set = loadObservedFor(p.scenario, a.observed);
    return set ? new ObservedView(set) : undefined;
  });
  switch (format) {
    case 'json':
      return emitOutput(io, renderRunJson(projections, meta, observed), a.out);
    case 'csv':
      return emitCsv(io, renderRunCsv(projections, observed), renderVerdictsCsv(projections), a.out);
    case 'html':
      // The report draws the observed points from the JSON's series (`observed`), as `policysim report` does.
      return emitHtml(
        io,
        projections.map((p, i) => JSON.parse(JSON.stringify(runResultJson(p, meta, observed[i]))) as object),
        a.out,
      );
    case 'table':
      return emitOutput(
        io,
        projections
          .map((p, i) =>
            renderRunTable(p, {
              ...(a.indicators ? { indicators: a.indicators } : {}),
              step: a.step,
              ...(observed[i] ? { observed: observed[i] } : {}),
            }),
          )
          .join('\n'),
        a.out,
      );
  }
}
