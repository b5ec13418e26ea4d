import type { McResult } from '../montecarlo/simulate.js';
import type { ObservedView } from '../report/observed-view.js';
import type { ResultMeta } from '../report/result-meta.js';
import { emitHtml } from './html-output.js';
import { emitCsv, emitOutput, type Io } from './io.js';
import type { OutputFormat } from './options.js';

/**
 * A Monte Carlo result in the chosen format, to --out or stdout: one writer for `mc` and for `merge`,
 * so a merged result is the very bytes the unsharded run writes, whatever the format (HTML included).
 */
export async function emitMcResult(
  io: Io,
  result: McResult,
  format: OutputFormat,
  out: string | undefined,
  meta: ResultMeta,
  table: { indicators?: readonly string[]; regions?: readonly string[]; step: number },
  /** Observed values shown beside the bands (the scenario's observed file or --observed). */
  observed?: ObservedView,
): Promise<void> {
  const { mcResultJson, renderMcCsv, renderMcJson, renderMcTable, renderMcTargetsCsv } = await import(
    '../report/mc-report.js'
  );
  if (format === 'html') return emitHtml(io, [JSON.parse(JSON.stringify(mcResultJson(result, meta, observed)))], out);
  if (format === 'csv') return emitCsv(io, renderMcCsv(result, observed), renderMcTargetsCsv(result), out);
  const text =
    format === 'json'
      ? renderMcJson(result, meta, observed)
      : renderMcTable(result, {
          ...(observed ? { observed } : {}),
          ...(table.indicators ? { indicators: table.indicators } : {}),
          ...(table.regions ? { regions: table.regions } : {}),
          step: table.step,
        });
  emitOutput(io, text, out);
}
