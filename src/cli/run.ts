import type { CommandModule } from 'yargs';
import { projectScenario } from '../project/project-scenario.js';
import { checkOutputPath } from '../report/atomic-write.js';
import { renderRunCsv, renderRunJson, renderRunTable } from '../report/run-report.js';
import { DEFAULT_SCENARIO, loadScenario } from '../scenario/load-scenario.js';
import { UserError } from '../util/diagnostics.js';
import { emitOutput, type Io } from './io.js';
import { checkIndicators, wholeFlags, withOutputOptions, withSetOption, withWholeFlag } from './options.js';

export function runCommand(io: Io): CommandModule {
  return {
    command: 'run [scenarios..]',
    describe: 'project scenarios year by year and judge their targets (default: the built-in baseline)',
    builder: (y) => {
      const o = withSetOption(withOutputOptions(y))
        .positional('scenarios', { type: 'string', array: true, describe: 'scenario YAML files' })
        .option('indicators', {
          type: 'string',
          array: true,
          describe: 'indicators to show in the table (default: all)',
        });
      withWholeFlag(o, 'step', 'show every STEP years in the table', { def: 1 });
      withWholeFlag(o, 'mc-run', 'replay Monte Carlo run K of the scenario (see `policysim mc`)');
      withWholeFlag(o, 'seed', 'seed for --mc-run (default: the scenario seed)');
      return o
        .example('$0 run', 'the built-in baseline and its 2020 verdict')
        .example('$0 run scenarios/ftz.yaml --set ftz.jilin=1', 'a quick what-if');
    },
    handler: async (argv) => {
      const a = argv as unknown as {
        scenarios?: string[];
        format: 'table' | 'csv' | 'json';
        out?: string;
        set: string[];
        indicators?: string[];
      };
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
        const projections = files.map((file) => replayRun(file, mcRun, f.seed, a.set));
        for (const p of projections) checkIndicators(a.indicators ?? [], p.scenario.model);
        return emitOutput(io, render(projections, { ...a, step }), a.out);
      }
      const projections = files.map((file) => projectScenario(loadScenario(file, { overrides: a.set })));
      for (const p of projections) checkIndicators(a.indicators ?? [], p.scenario.model);
      emitOutput(io, render(projections, { ...a, step }), a.out);
    },
  };
}

function render(
  projections: ReturnType<typeof projectScenario>[],
  a: { format: string; indicators?: string[]; step: number },
): string {
  if (a.format === 'json') return renderRunJson(projections);
  if (a.format === 'csv') return renderRunCsv(projections);
  return projections
    .map((p) => renderRunTable(p, { ...(a.indicators ? { indicators: a.indicators } : {}), step: a.step }))
    .join('\n');
}
