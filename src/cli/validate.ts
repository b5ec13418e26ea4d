import type { CommandModule } from 'yargs';
import { loadModel } from '../model/load-model.js';
import { checkUncertainties } from '../montecarlo/uncertainty-spec.js';
import { loadScenario } from '../scenario/load-scenario.js';
import { loadSweep } from '../sweep/load-sweep.js';
import { renderDiagnostics, UserError } from '../util/diagnostics.js';
import { readYamlFile } from '../util/yaml-source.js';
import type { Io } from './io.js';

/** Which kind of file this is: a model declares states, a sweep declares a design. */
function kindOf(file: string): 'model' | 'sweep' | 'scenario' {
  try {
    const data = readYamlFile(file).data;
    if (data && typeof data === 'object') {
      if ('states' in data && 'indicators' in data) return 'model';
      if ('design' in data && 'factors' in data) return 'sweep';
    }
  } catch {
    // reported by the real loader below
  }
  return 'scenario';
}

export function validateCommand(io: Io, setExit: (code: number) => void): CommandModule {
  return {
    command: 'validate <files..>',
    describe: 'check scenario, model and sweep files; print every problem (exit 2 if any)',
    builder: (y) => y.positional('files', { type: 'string', array: true, demandOption: true, describe: 'YAML files' }),
    handler: async (argv) => {
      const files = (argv as unknown as { files: string[] }).files;
      let bad = 0;
      for (const f of files) {
        try {
          const kind = kindOf(f);
          if (kind === 'model') loadModel(f);
          else if (kind === 'sweep') loadSweep(f);
          else {
            const s = loadScenario(f);
            if (s.raw.uncertainties !== undefined) checkUncertainties(s);
          }
          io.stdout(`${f}: ok (${kind})\n`);
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
