import type { CommandModule } from 'yargs';
import { DEFAULT_MODEL } from '../scenario/defaults.js';
import { renderDiagnostics, UserError } from '../util/diagnostics.js';
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
      // Loaded here, and only what each kind of file needs: start-up stays short.
      const { readYamlFile } = await import('../util/yaml-source.js');
      for (const f of files) {
        try {
          const kind = fileKind(readYamlFile(f), f);
          if (kind === 'model') (await import('../model/load-model.js')).loadModel(f);
          else if (kind === 'sweep')
            warnAboutScenario(io, (await import('../sweep/load-sweep.js')).loadSweep(f).scenario);
          else {
            const [{ loadModel }, spec] = await Promise.all([
              import('../model/load-model.js'),
              import('../montecarlo/uncertainty-spec.js'),
            ]);
            if (kind === 'uncertainties') spec.checkUncertaintiesFile(f, loadModel(model));
            else warnAboutScenario(io, spec.loadScenarioWithUncertainties(f).scenario);
          }
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
