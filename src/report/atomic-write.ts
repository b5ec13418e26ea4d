import {
  closeSync,
  constants,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  realpathSync,
  renameSync,
  type Stats,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { RunError, UserError } from '../util/diagnostics.js';

/** The flag a path came from, named in every error about it. */
export type OutputFlag = '--out' | '--save-runs' | '--posterior-out' | '--design-out' | '--checkpoint';

/**
 * Temporary files not yet renamed into place or removed, so that an exit by any route (a second
 * Ctrl-C, an uncaught error) can remove them: see `removePendingTemporaries`.
 */
const pending = new Set<string>();

/** Remove every temporary file still pending (synchronous: safe in an exit handler). */
export function removePendingTemporaries(): void {
  for (const tmp of pending) {
    try {
      unlinkSync(tmp);
    } catch {
      // already gone
    }
  }
  pending.clear();
}

let serial = 0;

/**
 * The one writer for every output (`--out`, `--save-runs`). A regular file (or a path that does not
 * exist yet) is written to a temporary file beside it and renamed into place on `commit`, so no
 * reader ever sees half a file and an interrupted write leaves the old file as it was. Anything else
 * that exists — /dev/null, /dev/stdout, a terminal, a FIFO — is written through in place: renaming
 * over it would replace the device itself (as root, `--out /dev/null` once turned /dev/null into a
 * regular file). A symlink is followed: the temporary file goes beside its target, which is replaced,
 * the link kept. Every failed write (ENOSPC on /dev/full, EIO, EACCES) throws: nothing is claimed
 * written unless `commit` returned.
 */
export class OutputFile {
  private fd: number | undefined;
  /** The temporary file, or undefined when writing through a device or FIFO. */
  private readonly tmp: string | undefined;
  private readonly target: string;

  constructor(
    private readonly path: string,
    private readonly flag: OutputFlag,
  ) {
    const full = resolve(path);
    const st = statOrUndefined(full);
    if (st?.isDirectory())
      throw new UserError({ location: { file: path }, path: flag, message: 'is a directory, expected a file name' });
    this.target = st ? realpathSync(full) : full;
    try {
      if (st && !st.isFile()) {
        this.tmp = undefined;
        this.fd = openSpecial(this.target, st);
      } else {
        makeParents(dirname(this.target));
        this.tmp = join(dirname(this.target), `.${basename(this.target)}.${process.pid}.${serial++}.tmp`);
        // Keep an existing file's permissions; a new file gets the usual 0666 & ~umask.
        this.fd = openSync(this.tmp, 'wx', st ? st.mode & 0o7777 : 0o666);
        pending.add(this.tmp);
      }
    } catch (e) {
      this.discard();
      throw this.failure(e);
    }
  }

  /** Append text. */
  write(text: string): void {
    if (this.fd === undefined) throw new Error(`internal error: ${this.path} written after commit or discard`);
    const buf = Buffer.from(text, 'utf8');
    try {
      // writeSync may write less than asked (pipes, signals): loop until all is out or it throws.
      for (let off = 0; off < buf.length; ) off += writeSync(this.fd, buf, off, buf.length - off);
    } catch (e) {
      this.discard();
      throw this.failure(e);
    }
  }

  /** Put the file in place (flushed to disk first); after this the output exists and is complete. */
  commit(): void {
    if (this.fd === undefined) throw new Error(`internal error: ${this.path} committed after discard`);
    const fd = this.fd;
    try {
      if (this.tmp !== undefined) fsyncSync(fd);
      this.fd = undefined;
      closeSync(fd);
      if (this.tmp !== undefined) {
        renameSync(this.tmp, this.target);
        pending.delete(this.tmp);
      }
    } catch (e) {
      this.discard();
      throw this.failure(e);
    }
  }

  /** Abandon the output: the temporary file is removed (what went through a device cannot be taken back). */
  discard(): void {
    if (this.fd !== undefined) {
      try {
        closeSync(this.fd);
      } catch {
        // already closed
      }
      this.fd = undefined;
    }
    if (this.tmp !== undefined) {
      try {
        unlinkSync(this.tmp);
      } catch {
        // not created, or already gone
      }
      pending.delete(this.tmp);
    }
  }

  private failure(e: unknown): Error {
    if (e instanceof UserError) return e;
    const err = e as NodeJS.ErrnoException;
    return new RunError(`cannot write ${this.path} (${this.flag}): ${err.message ?? String(e)}`);
  }
}

/** Write a whole output file (see OutputFile: atomically, or through a device in place). */
export function writeOutputFile(path: string, content: string, flag: OutputFlag = '--out'): void {
  const f = new OutputFile(path, flag);
  f.write(content);
  f.commit();
}

/**
 * Refuse an output path that can never be written, before any long work: a directory. (Other
 * failures — a full disk, a read-only directory — can only be known by writing, and are errors then.)
 */
export function checkOutputPath(path: string, flag: OutputFlag): void {
  if (statOrUndefined(resolve(path))?.isDirectory())
    throw new UserError({ location: { file: path }, path: flag, message: 'is a directory, expected a file name' });
}

function statOrUndefined(p: string): Stats | undefined {
  try {
    return statSync(p);
  } catch {
    return undefined;
  }
}

/**
 * Open a device or FIFO for writing, in place. A FIFO nobody reads would block the process for ever:
 * a non-blocking open fails at once with ENXIO then, which is reported; with a reader, the FIFO is
 * opened again in blocking mode (so that writes wait for the reader instead of failing with EAGAIN).
 */
function openSpecial(target: string, st: Stats): number {
  if (!st.isFIFO()) return openSync(target, constants.O_WRONLY);
  let probe: number;
  try {
    probe = openSync(target, constants.O_WRONLY | constants.O_NONBLOCK);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENXIO') throw new Error('a FIFO with no reader');
    throw e;
  }
  try {
    return openSync(target, constants.O_WRONLY);
  } finally {
    closeSync(probe);
  }
}

/**
 * Create the missing directories above an output, one level at a time from the first that exists
 * (Node 20's `mkdirSync(..., { recursive: true })` can spin for ever on paths such as /proc/x/y).
 */
function makeParents(dir: string): void {
  const missing: string[] = [];
  for (let d = dir; !existsSync(d); d = dirname(d)) {
    missing.push(d);
    if (dirname(d) === d) break;
  }
  for (const d of missing.reverse()) mkdirSync(d);
}
