import type { CommandModule } from 'yargs';
import type { Projection } from '../project/project-scenario.js';
import { DEFAULT_SCENARIO } from '../scenario/defaults.js';
import { UserError } from '../util/diagnostics.js';
import { emitOutput, type Io } from './io.js';
import { checkIndicators, wholeNumber, withOutputOptions, withSetOption } from './options.js';

export function runCommand(io: Io): CommandModule {
  return {
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
        .option('step', { type: 'number', default: 1, describe: 'show every STEP years in the table' })
        .option('mc-run', { type: 'number', describe: 'replay Monte Carlo run K of the scenario (see `policysim mc`)' })
        .option('seed', { type: 'number', describe: 'seed for --mc-run (default: the scenario seed)' })
        .example('$0 run', 'the built-in baseline and its 2020 verdict')
        .example('$0 run scenarios/ftz.yaml --set ftz.jilin=1', 'a quick what-if'),
    handler: async (argv) => {
      const a = argv as unknown as {
        scenarios?: string[];
        format: 'table' | 'csv' | 'json';
        out?: string;
        set: string[];
        indicators?: string[];
        step: number;
        mcRun?: number;
        seed?: number;
      };
      wholeNumber('step', a.step, 1, 1000);
      if (a.seed !== undefined && a.mcRun === undefined)
        throw new UserError({
          path: '--seed',
          message: 'applies only with --mc-run K (a deterministic run has no random draws)',
        });
      const files = a.scenarios && a.scenarios.length > 0 ? a.scenarios : [DEFAULT_SCENARIO];
      // Loaded here, not at start-up: `--help` and usage errors need none of it.
      const report = await import('../report/run-report.js');
      if (a.mcRun !== undefined) {
        const { replayRun } = await import('../montecarlo/replay.js');
        const projections = files.map((f) => replayRun(f, a.mcRun!, a.seed, a.set));
        for (const p of projections) checkIndicators(a.indicators ?? [], p.scenario.model);
        return emitOutput(io, render(report, projections, a), a.out);
      }
      const [{ projectScenario }, { loadScenario }] = await Promise.all([
        import('../project/project-scenario.js'),
        import('../scenario/load-scenario.js'),
      ]);
      const projections = files.map((f) => projectScenario(loadScenario(f, { overrides: a.set })));
      for (const p of projections) checkIndicators(a.indicators ?? [], p.scenario.model);
      emitOutput(io, render(report, projections, a), a.out);
    },
  };
}

function render(
  report: typeof import('../report/run-report.js'),
  projections: Projection[],
  a: { format: string; indicators?: string[]; step: number },
): string {
  if (a.format === 'json') return report.renderRunJson(projections);
  if (a.format === 'csv') return report.renderRunCsv(projections);
  return projections
    .map((p) => report.renderRunTable(p, { ...(a.indicators ? { indicators: a.indicators } : {}), step: a.step }))
    .join('\n');
}
