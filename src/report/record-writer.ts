import { closeSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { UserError } from '../util/diagnostics.js';

/**
 * Streams per-run records to CSV as blocks arrive, holding none of them in memory. Rows go to a
 * temporary file beside the target, renamed into place only when complete: readers never see half
 * a file, and an interrupted run leaves a file with exactly the runs of the partial result.
 */
export class RecordWriter {
  private readonly fd: number;
  private readonly tmp: string;
  private closed = false;

  constructor(
    private readonly path: string,
    columns: readonly string[],
  ) {
    const full = resolve(path);
    this.tmp = join(dirname(full), `.${basename(full)}.${process.pid}.tmp`);
    try {
      mkdirSync(dirname(full), { recursive: true });
      this.fd = openSync(this.tmp, 'w');
    } catch (e) {
      throw new UserError({ location: { file: path }, path: '--save-runs', message: `cannot write: ${(e as Error).message}` });
    }
    writeSync(this.fd, columns.join(',') + '\n');
  }

  write(records: Float64Array, columns: number): void {
    const lines: string[] = [];
    for (let i = 0; i < records.length; i += columns) {
      const row: string[] = [];
      for (let j = 0; j < columns; j++) {
        const v = records[i + j]!;
        row.push(Number.isNaN(v) ? '' : String(v));
      }
      lines.push(row.join(','));
    }
    if (lines.length > 0) writeSync(this.fd, lines.join('\n') + '\n');
  }

  /** Put the file in place. */
  commit(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
    renameSync(this.tmp, resolve(this.path));
  }

  /** Drop the temporary file. */
  discard(): void {
    if (this.closed) return;
    this.closed = true;
    closeSync(this.fd);
    try {
      unlinkSync(this.tmp);
    } catch {
      // already gone
    }
  }
}
