import { closeSync, existsSync, mkdirSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { RunError, UserError } from '../util/diagnostics.js';

/**
 * Streams per-run records to CSV as blocks arrive, holding none of them in memory. Rows go to a
 * temporary file beside the target, renamed into place only when complete: readers never see half
 * a file, and an interrupted run leaves a file with exactly the runs of the partial result. Any
 * failure removes the temporary file.
 */
export class RecordWriter {
  private readonly fd: number;
  private readonly tmp: string;
  private readonly target: string;
  private closed = false;

  constructor(
    private readonly path: string,
    columns: readonly string[],
  ) {
    this.target = resolve(path);
    this.tmp = join(dirname(this.target), `.${basename(this.target)}.${process.pid}.tmp`);
    if (existsSync(this.target) && statSync(this.target).isDirectory()) {
      throw new UserError({
        location: { file: path },
        path: '--save-runs',
        message: 'is a directory, expected a file name',
      });
    }
    try {
      mkdirSync(dirname(this.target), { recursive: true });
      this.fd = openSync(this.tmp, 'w');
    } catch (e) {
      throw new UserError({
        location: { file: path },
        path: '--save-runs',
        message: `cannot write: ${(e as Error).message}`,
      });
    }
    this.guard(() => writeSync(this.fd, `${columns.join(',')}\n`));
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
    if (lines.length > 0) this.guard(() => writeSync(this.fd, `${lines.join('\n')}\n`));
  }

  /** Put the file in place. */
  commit(): void {
    if (this.closed) return;
    this.guard(() => {
      closeSync(this.fd);
      this.closed = true;
      renameSync(this.tmp, this.target);
    });
  }

  /** Drop the temporary file. */
  discard(): void {
    if (!this.closed) {
      this.closed = true;
      try {
        closeSync(this.fd);
      } catch {
        // already closed
      }
    }
    try {
      unlinkSync(this.tmp);
    } catch {
      // already gone
    }
  }

  private guard(f: () => void): void {
    try {
      f();
    } catch (e) {
      this.discard();
      throw new RunError(`cannot write ${this.path}: ${(e as Error).message}`);
    }
  }
}
