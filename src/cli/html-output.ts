import type { ResultDoc } from '../report/html/result-docs.js';
import { UserError } from '../util/diagnostics.js';
import { emitOutput, type Io } from './io.js';

/**
 * The date a report prints: now, or SOURCE_DATE_EPOCH (seconds since 1970) when set, so that the
 * same results can make a byte-identical file (reproducible builds' convention).
 */
export function reportDate(env: NodeJS.ProcessEnv = process.env): Date {
  const epoch = env.SOURCE_DATE_EPOCH;
  if (epoch === undefined || epoch === '') return new Date();
  if (!/^\d+$/.test(epoch))
    throw new UserError({ path: 'SOURCE_DATE_EPOCH', message: `must be whole seconds since 1970 (got '${epoch}')` });
  return new Date(Number(epoch) * 1000);
}

/** The HTML report of results (their JSON, as written by --format json) to --out or stdout. */
export async function emitHtml(io: Io, docs: readonly object[], out: string | undefined): Promise<void> {
  // Loaded only here: vega and vega-lite take a while to load, and no other output needs them.
  const { renderHtmlReport } = await import('../report/html/report.js');
  const html = await renderHtmlReport(docs as ResultDoc[], { date: reportDate() });
  emitOutput(io, html, out);
}
