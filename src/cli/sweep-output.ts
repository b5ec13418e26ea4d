import { checkOutputPath } from '../report/atomic-write.js';
import type { ResultMeta } from '../report/result-meta.js';
import type { SweepResult } from '../sweep/run-sweep.js';
import { UserError } from '../util/diagnostics.js';
import { emitHtml } from './html-output.js';
import { emitOutput, type Io } from './io.js';
import type { OutputFormat } from './options.js';

/**
 * A sweep result in the chosen format (and its raw design with --design-out): one writer for `sweep`
 * and for `merge`, so a merged sweep is the very bytes the unsharded sweep writes.
 */
export async function emitSweepResult(
  io: Io,
  result: SweepResult,
  format: OutputFormat,
  out: { out?: string; designOut?: string },
  meta: ResultMeta,
): Promise<void> {
  const { renderSweepCsv, renderSweepDesignCsv, renderSweepJson, renderSweepTable, sweepResultJson } = await import(
    '../report/sweep-report.js'
  );
  if (out.designOut !== undefined) emitOutput(io, renderSweepDesignCsv(result), out.designOut);
  if (format === 'html') return emitHtml(io, [JSON.parse(JSON.stringify(sweepResultJson(result, meta)))], out.out);
  const text =
    format === 'json'
      ? renderSweepJson(result, meta)
      : format === 'csv'
        ? renderSweepCsv(result)
        : renderSweepTable(result);
  emitOutput(io, text, out.out);
}

/** `--design-out` takes a CSV file: checked before any work, like --out. */
export function checkDesignOut(designOut: string | undefined): void {
  if (designOut === undefined) return;
  if (!/\.csv$/i.test(designOut))
    throw new UserError({
      path: '--design-out',
      message: `the design is written as CSV: ${designOut} must end in .csv`,
    });
  checkOutputPath(designOut, '--design-out');
}
