import { writeOutputFile } from '../report/atomic-write.js';
import { escapeControl } from '../util/terminal-text.js';
import type { Interrupt } from './signal-interrupt.js';

/** Where a command writes: injectable so the CLI can be driven in-process by tests. */
export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Whether stderr is a terminal (progress bars only then). */
  readonly isTTY: boolean;
  /** Where progress bars draw when isTTY (default: process.stderr); tests give a recording terminal. */
  readonly terminal?: NodeJS.WritableStream;
  /** Ctrl-C and SIGTERM (the process's, from the entry point); none in-process. */
  readonly interrupt?: Interrupt;
}

export const processIo: Io = {
  stdout: (t) => void process.stdout.write(t),
  stderr: (t) => void process.stderr.write(t),
  get isTTY() {
    return Boolean(process.stderr.isTTY);
  },
};

/** The command's main output: to `--out` atomically, else to stdout. */
export function emitOutput(io: Io, text: string, out: string | undefined): void {
  if (out) {
    writeOutputFile(out, text);
    io.stderr(`wrote ${escapeControl(out)}\n`);
  } else io.stdout(text);
}

/**
 * A CSV result of two tables (README: "CSV"): with `--out NAME.csv` the main table goes to NAME.csv
 * and the second to NAME.targets.csv (each written atomically); on stdout the second follows the
 * first after one blank line.
 */
export function emitCsv(io: Io, main: string, targets: string | undefined, out: string | undefined): void {
  if (!out) {
    io.stdout(targets === undefined ? main : `${main}\n${targets}`);
    return;
  }
  emitOutput(io, main, out);
  if (targets !== undefined) emitOutput(io, targets, secondCsvPath(out));
}

/** NAME.csv → NAME.targets.csv (the extension kept as the user wrote it). */
export function secondCsvPath(out: string): string {
  const m = /\.csv$/i.exec(out);
  return m ? `${out.slice(0, m.index)}.targets${m[0]}` : `${out}.targets.csv`;
}
