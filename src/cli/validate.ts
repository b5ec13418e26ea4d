import type { CommandModule } from 'yargs';
import { DEFAULT_MODEL, loadModel } from '../model/load-model.js';
import { checkUncertaintiesFile, loadScenarioWithUncertainties } from '../montecarlo/uncertainty-spec.js';
import { loadSweep } from '../sweep/load-sweep.js';
import { renderDiagnostics, UserError } from '../util/diagnostics.js';
import { readYamlFile } from '../util/yaml-source.js';
import { fileKind } from './file-kind.js';
import type { Io } from './io.js';
import { warnAboutScenario } from './scenario-warnings.js';

export function validateCommand(io: Io, setExit: (code: number) => void): CommandModule {
  return {
    command: 'validate <files..>',
    describe:
      'check scenario, sweep, model and uncertainties files (told apart by their content); print every problem (exit 2 if any)',
    builder: (y) =>
      y
        .positional('files', { type: 'string', array: true, demandOption: true, describe: 'YAML files' })
        .option('model', {
          type: 'string',
          default: DEFAULT_MODEL,
          describe: 'the model a shared uncertainties file is checked against',
        }),
    handler: async (argv) => {
      const { files, model } = argv as unknown as { files: string[]; model: string };
      let bad = 0;
      for (const f of files) {
        try {
          const kind = fileKind(readYamlFile(f), f);
          if (kind === 'model') loadModel(f);
          else if (kind === 'sweep') warnAboutScenario(io, loadSweep(f).scenario);
          else if (kind === 'uncertainties') checkUncertaintiesFile(f, loadModel(model));
          else warnAboutScenario(io, loadScenarioWithUncertainties(f).scenario);
          io.stdout(`${f}: ok (${kind}${kind === 'uncertainties' ? `, against ${model}` : ''})\n`);
        } catch (e) {
          if (!(e instanceof UserError)) throw e;
          bad++;
          io.stderr(renderDiagnostics(e.diagnostics));
        }
      }
      if (bad > 0) {
        io.stderr(`${bad} of ${files.length} file${files.length === 1 ? '' : 's'} had problems\n`);
        setExit(2);
      }
    },
  };
}
