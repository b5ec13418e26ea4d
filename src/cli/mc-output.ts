import type { McResult } from '../montecarlo/simulate.js';
import { renderMcCsv, renderMcJson, renderMcTable } from '../report/mc-report.js';

export type McFormat = 'table' | 'csv' | 'json';

/** The text of a Monte Carlo result in the chosen format: one writer for `mc` and for `merge`. */
export function mcOutputText(
  result: McResult,
  format: McFormat,
  table: { indicators?: readonly string[]; regions?: readonly string[]; step: number },
): string {
  if (format === 'json') return renderMcJson(result);
  if (format === 'csv') return renderMcCsv(result);
  return renderMcTable(result, {
    ...(table.indicators ? { indicators: table.indicators } : {}),
    ...(table.regions ? { regions: table.regions } : {}),
    step: table.step,
  });
}

/** `--format` when given, else from the `--out` extension (.json, .csv), else a table. */
export function formatFor(format: McFormat | undefined, out: string | undefined): McFormat {
  if (format) return format;
  if (out?.toLowerCase().endsWith('.json')) return 'json';
  if (out?.toLowerCase().endsWith('.csv')) return 'csv';
  return 'table';
}
