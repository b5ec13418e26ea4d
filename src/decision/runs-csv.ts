import { existsSync, statSync } from 'node:fs';
import { type Diagnostic, UserError } from '../util/diagnostics.js';
import { MAX_RUNS_CSV_BYTES, readInputFile } from '../util/input-file.js';
import { printable } from '../util/printable.js';

/** A `--save-runs` CSV read back: each run's draws and, per target, whether it was reached. */
export interface SavedRuns {
  readonly file: string;
  /** Draw columns (uncertain parameters, `name.region` for per-region draws). */
  readonly labels: string[];
  readonly targets: number;
  readonly n: number;
  /** n × labels.length, row-major. */
  readonly X: Float64Array;
  /** Per target: n outcomes (1 reached). */
  readonly reached: Uint8Array[];
}

/** Reads the layout `run, draws..., targetK_value, targetK_reached, targetK_first_year ...`; every problem at once (up to 20). */
export function readSavedRuns(file: string, maxRuns: number): SavedRuns {
  if (!existsSync(file) || statSync(file).isDirectory())
    throw new UserError({
      location: { file },
      path: '--runs-file',
      message: 'not found (expected a CSV written by policysim mc --save-runs)',
    });
  // The one reader of input files: no FIFO or device, a size cap, UTF-8 only.
  const lines = readInputFile(file, 'runs file', undefined, MAX_RUNS_CSV_BYTES).split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  const header = (lines[0] ?? '').split(',');
  const firstTarget = header.findIndex((h) => /^target\d+_value$/.test(h));
  const diags: Diagnostic[] = [];
  if (header[0] !== 'run' || firstTarget < 0 || (header.length - firstTarget) % 3 !== 0)
    throw new UserError({
      location: { file, line: 1, column: 1 },
      path: '--runs-file',
      message: `header '${printable((lines[0] ?? '').slice(0, 80))}' is not that of policysim mc --save-runs (run, draws..., target1_value, target1_reached, target1_first_year, ...)`,
    });
  const labels = header.slice(1, firstTarget);
  const targets = (header.length - firstTarget) / 3;
  const n = lines.length - 1;
  if (n > maxRuns)
    throw new UserError({
      location: { file },
      path: '--runs-file',
      message: `has ${n} runs; discover reads at most ${maxRuns}`,
    });
  if (n === 0) throw new UserError({ location: { file }, path: '--runs-file', message: 'has no runs' });
  const D = labels.length;
  const X = new Float64Array(n * D);
  const reached = Array.from({ length: targets }, () => new Uint8Array(n));
  for (let i = 0; i < n && diags.length < 20; i++) {
    const cells = lines[i + 1]!.split(',');
    const line = i + 2;
    if (cells.length !== header.length) {
      diags.push({
        location: { file, line },
        path: '--runs-file',
        message: `has ${cells.length} fields; the header has ${header.length}`,
      });
      continue;
    }
    let column = 1;
    cells.forEach((c, j) => {
      const at = { location: { file, line, column }, path: `--runs-file ${header[j]}` };
      column += c.length + 1;
      if (j >= 1 && j < firstTarget) {
        const v = c.trim() === '' ? Number.NaN : Number(c);
        if (!Number.isFinite(v)) diags.push({ ...at, message: `'${printable(c.slice(0, 40))}' is not a number` });
        else X[i * D + (j - 1)] = v;
      } else if (j >= firstTarget && (j - firstTarget) % 3 === 1) {
        if (c !== '0' && c !== '1') diags.push({ ...at, message: `'${printable(c.slice(0, 40))}' should be 0 or 1` });
        else reached[(j - firstTarget - 1) / 3]![i] = c === '1' ? 1 : 0;
      }
    });
  }
  if (diags.length > 0) throw new UserError(diags);
  return { file, labels, targets, n, X, reached };
}
