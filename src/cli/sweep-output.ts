import { renderSweepCsv, renderSweepJson, renderSweepTable } from '../report/sweep-report.js';
import type { SweepResult } from '../sweep/run-sweep.js';

/** The text of a sweep result in the chosen format: one writer for `sweep` and for `merge`. */
export function sweepOutputText(result: SweepResult, format: 'table' | 'csv' | 'json'): string {
  if (format === 'json') return renderSweepJson(result);
  if (format === 'csv') return renderSweepCsv(result);
  return renderSweepTable(result);
}
