import { OutputFile } from './atomic-write.js';

/** Where CSV text goes: an OutputFile, or (in tests) anything with the same three calls. */
export interface TextSink {
  write(text: string): void;
  commit(): void;
  discard(): void;
}

/**
 * Text is handed to the sink in pieces of about this many characters: a block of records is written
 * as it is formatted, never as one string (10 million runs in one block would exceed V8's largest
 * string, `Invalid string length`).
 */
export const FLUSH_CHARS = 1 << 20;

/**
 * Streams per-run records to CSV as blocks arrive, holding none of them in memory, through the one
 * output writer (atomic-write.ts): rows go to a temporary file beside the target, renamed into place
 * only when complete, so readers never see half a file and an interrupted run leaves a file with
 * exactly the runs of the partial result. Any failure removes the temporary file.
 */
export class RecordWriter {
  private readonly sink: TextSink;
  private closed = false;

  constructor(target: string | TextSink, columns: readonly string[]) {
    this.sink = typeof target === 'string' ? new OutputFile(target, '--save-runs') : target;
    this.sink.write(`${columns.join(',')}\n`);
  }

  write(records: Float64Array, columns: number): void {
    let text = '';
    for (let i = 0; i < records.length; i += columns) {
      for (let j = 0; j < columns; j++) {
        const v = records[i + j]!;
        if (j > 0) text += ',';
        if (!Number.isNaN(v)) text += String(v);
      }
      text += '\n';
      if (text.length >= FLUSH_CHARS) {
        this.sink.write(text);
        text = '';
      }
    }
    if (text.length > 0) this.sink.write(text);
  }

  /** Put the file in place. */
  commit(): void {
    if (this.closed) return;
    this.closed = true;
    this.sink.commit();
  }

  /** Drop the temporary file. */
  discard(): void {
    if (this.closed) return;
    this.closed = true;
    this.sink.discard();
  }
}
