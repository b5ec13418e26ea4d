import { writeOutputFile } from '../report/atomic-write.js';
import type { Interrupt } from './interrupt.js';

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
    io.stderr(`wrote ${out}\n`);
  } else io.stdout(text);
}
