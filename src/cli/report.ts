import { checkOutputPath } from '../report/atomic-write.js';
import { type Diagnostic, UserError } from '../util/diagnostics.js';
import { emitHtml } from './html-output.js';
import type { Io } from './io.js';
import { typedCommand } from './options.js';

export function reportCommand(io: Io) {
  return typedCommand({
    command: 'report <results..>',
    describe:
      'one self-contained HTML report (charts as SVG) from the JSON of run, compare, mc, sweep, seek, discover, backtest or calibrate',
    builder: (y) =>
      y
        .positional('results', { type: 'string', array: true, demandOption: true, describe: 'JSON result files' })
        .option('out', {
          type: 'string',
          describe: 'write the report to this .html file (atomically) instead of stdout',
        })
        .example('$0 mc --runs 20000 --format json --out mc.json && $0 report mc.json --out report.html', ''),
    handler: async (argv) => {
      const a = argv;
      if (a.out !== undefined && !/\.html?$/i.test(a.out))
        throw new UserError({ path: '--out', message: `a report is HTML: ${a.out} must end in .html` });
      if (a.out !== undefined) checkOutputPath(a.out, '--out');
      const [{ parseResultDocs }, { MAX_RESULT_BYTES, readInputFile }] = await Promise.all([
        import('../report/html/result-docs.js'),
        import('../util/input-file.js'),
      ]);
      const problems: Diagnostic[] = [];
      const docs = a.results.flatMap((file) => {
        // The one reader of input files (regular files only, size cap, strict UTF-8); every problem at once.
        try {
          return parseResultDocs(readInputFile(file, 'result file', undefined, MAX_RESULT_BYTES), file);
        } catch (e) {
          if (!(e instanceof UserError)) throw e;
          for (const d of e.diagnostics) problems.push(d);
          return [];
        }
      });
      if (problems.length > 0) throw new UserError(problems);
      await emitHtml(io, docs, a.out);
    },
  });
}
