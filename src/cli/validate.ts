import { DEFAULT_MODEL } from '../scenario/defaults.js';
import { renderDiagnostics, sortDiagnostics, UserError } from '../util/diagnostics.js';
import { escapeControl } from '../util/terminal-text.js';
import { fileKind } from './file-kind.js';
import type { Io } from './io.js';
import { typedCommand } from './options.js';
import { warnAboutScenario } from './scenario-warnings.js';

/** Problems that depend on which model a file is checked against: a name it does not have. */
const NAMES_OF_THE_MODEL = /^unknown (parameter|indicator|region|lever)\b/;
const AGAINST_DEFAULT =
  "checked against the built-in model; if the file is for another model (a scenario's model: file), give it with --model FILE";

export function validateCommand(io: Io, setExit: (code: number) => void) {
  return typedCommand({
    command: 'validate <files..>',
    describe:
      "check scenario, sweep, model and uncertainties files (told apart by their content), observed CSV files and the JSON results and partial-state files policysim writes; a scenario's uncertainties and observed files too; print every problem (exit 2 if any)",
    builder: (y) =>
      y
        .positional('files', { type: 'string', array: true, demandOption: true, describe: 'YAML, CSV or JSON files' })
        .option('model', {
          type: 'string',
          default: DEFAULT_MODEL,
          describe: 'the model a shared uncertainties file or an observed CSV is checked against',
        }),
    handler: async (argv) => {
      const { files, model } = argv;
      let bad = 0;
      // A shared uncertainties file or an observed CSV names no model: when it names what the model lacks, say which model it met.
      const kinds = new Map<string, string>();
      const againstDefault = (f: string): boolean =>
        model === DEFAULT_MODEL && (kinds.get(f) === 'uncertainties' || kinds.get(f) === 'observed');
      // Loaded here, and only what each kind of file needs: start-up stays short.
      const { readYamlFile } = await import('../util/yaml-source.js');
      for (const f of files) {
        try {
          // What policysim wrote (results, parts) is JSON, told by its name and then its schema.
          const what = /\.json$/i.test(f) ? await (await import('./validate-json.js')).validateJsonFile(f) : undefined;
          if (what !== undefined) {
            io.stdout(`${escapeControl(f)}: ok (${what})\n`);
            continue;
          }
          // An observed file is CSV, told by its name; YAML files by their content.
          // The YAML is read once: a list of 100,000 values takes the parser seconds.
          const source = /\.csv$/i.test(f) ? undefined : readYamlFile(f);
          const kind = source ? fileKind(source, f) : 'observed';
          kinds.set(f, kind);
          if (kind === 'model') (await import('../model/load-model.js')).loadModel(f);
          else if (kind === 'sweep')
            await warnAboutScenario(io, (await import('../sweep/load-sweep.js')).loadSweep(f, source).scenario);
          else if (kind === 'observed') {
            const [{ loadModel }, { checkObservedFile }] = await Promise.all([
              import('../model/load-model.js'),
              import('../evidence/observed-file.js'),
            ]);
            checkObservedFile(f, loadModel(model));
          } else {
            const [{ loadModel }, spec, { loadObservedFor, observedProblemsOf }, { ScenarioError }] = await Promise.all(
              [
                import('../model/load-model.js'),
                import('../montecarlo/uncertainty-spec.js'),
                import('../evidence/observed-file.js'),
                import('../scenario/load-scenario.js'),
              ],
            );
            if (kind === 'uncertainties') spec.checkUncertaintiesFile(f, loadModel(model));
            else
              try {
                await warnAboutScenario(
                  io,
                  spec.loadScenarioWithUncertainties(f, source ? { source } : {}, (s) => loadObservedFor(s)).scenario,
                );
              } catch (e) {
                // A scenario with problems: its observed file is checked too, all reported together.
                if (!(e instanceof ScenarioError)) throw e;
                throw new UserError(sortDiagnostics([...e.diagnostics, ...observedProblemsOf(e.partial)]));
              }
          }
          const against = kind === 'uncertainties' || kind === 'observed' ? `, against ${model}` : '';
          io.stdout(`${escapeControl(f)}: ok (${kind}${escapeControl(against)})\n`);
        } catch (e) {
          if (!(e instanceof UserError)) throw e;
          bad++;
          io.stderr(renderDiagnostics(e.diagnostics));
          if (againstDefault(f) && e.diagnostics.some((d) => NAMES_OF_THE_MODEL.test(d.message)))
            io.stderr(`${escapeControl(f)}: ${AGAINST_DEFAULT}\n`);
        }
      }
      if (bad > 0) {
        io.stderr(`${bad} of ${files.length} file${files.length === 1 ? '' : 's'} had problems\n`);
        setExit(2);
      }
    },
  });
}
