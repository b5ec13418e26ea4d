import { isAscii } from 'node:buffer';
import { closeSync, constants, fstatSync, openSync, readSync, type Stats, statSync } from 'node:fs';
import { type Diagnostic, type SourceLocation, UserError } from './diagnostics.js';

/**
 * The one way an input file (scenario, model, uncertainties include, sweep, any future data file) is
 * read. Files come from users and may be anything a path can name: only regular files are opened
 * (a FIFO with no writer would block for ever, `/dev/zero` never ends), at most MAX_INPUT_BYTES are
 * read, and the bytes must be UTF-8: a replaced byte would silently change a name or a number.
 */

/** Input files larger than this are refused (8 MiB: the built-in model is 20 KB). */
export const MAX_INPUT_BYTES = 8 * 1024 * 1024;
/** A `--save-runs` CSV read back (discover) holds up to 200,000 runs: its own, larger cap. */
export const MAX_RUNS_CSV_BYTES = 256 * 1024 * 1024;
/**
 * A result JSON read back (`report`) is policysim's own output, larger than any input: a sweep of
 * 90,000 rows writes 11 MB. The cap of part and checkpoint files.
 */
export const MAX_RESULT_BYTES = 256 * 1024 * 1024;

/** Where a file was named, when another file named it (`model:`, `include:`): its errors go there. */
export interface FileReference {
  readonly location: SourceLocation;
  /** The field that names the file, e.g. `uncertainties.include`. */
  readonly path: string;
  /** The file as the referring file spells it. */
  readonly name: string;
}

/** Read `file` as UTF-8 text; `what` names it in messages ("scenario file"). */
export function readInputFile(file: string, what: string, from?: FileReference, maxBytes = MAX_INPUT_BYTES): string {
  return decodeUtf8(readInputBytes(file, what, from, maxBytes), file, what);
}

/**
 * The bytes of `file`, with every check of readInputFile but the UTF-8 one (the caller decodes them:
 * decodeUtf8, or parseBlobJson for partial-state files).
 */
export function readInputBytes(file: string, what: string, from?: FileReference, maxBytes = MAX_INPUT_BYTES): Buffer {
  // A problem with the file as a whole is reported where it was named, if another file named it.
  const refuse = (message: string): never => {
    const d: Diagnostic = from
      ? { location: from.location, path: from.path, message: `${what} ${from.name} ${message}` }
      : { location: { file }, path: '', message };
    throw new UserError(d);
  };
  let st: Stats;
  try {
    // stat, not open: opening a FIFO blocks until someone writes to it.
    st = statSync(file);
  } catch (e) {
    return refuse(`cannot be read: ${errnoText(e)}`);
  }
  if (!st.isFile()) return refuse(notRegular(st, what));
  if (st.size > maxBytes) return refuse(tooLarge(st.size, what, maxBytes));

  let fd: number;
  try {
    // O_NONBLOCK: should the path have become a FIFO since the stat, opening it must not wait.
    fd = openSync(file, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    return refuse(`cannot be read: ${errnoText(e)}`);
  }
  let bytes: Buffer;
  try {
    const now = fstatSync(fd);
    if (!now.isFile()) return refuse(notRegular(now, what));
    // Read to the end but never past the limit: the file may have grown since the stat.
    let buf = Buffer.allocUnsafe(Math.min(now.size, maxBytes) + 1);
    let n = 0;
    for (;;) {
      if (n === buf.length) {
        if (n > maxBytes) return refuse(tooLarge(n, what, maxBytes));
        const bigger = Buffer.allocUnsafe(Math.min(buf.length * 2, maxBytes + 1));
        buf.copy(bigger, 0, 0, n);
        buf = bigger;
      }
      const got = readSync(fd, buf, n, buf.length - n, null);
      if (got === 0) break;
      n += got;
    }
    bytes = buf.subarray(0, n);
  } catch (e) {
    if (e instanceof UserError) throw e;
    return refuse(`cannot be read: ${errnoText(e)}`);
  } finally {
    closeSync(fd);
  }
  return bytes;
}

/** UTF-8 text, or an error at the line and column of the first byte that is not UTF-8. */
export function decodeUtf8(bytes: Uint8Array, file: string, what: string): string {
  // Pure ASCII (part files: base64 in JSON) is UTF-8 as it stands: a native check and a one-byte
  // string, many times faster than the fatal decoder (most of what reading 1,000 part files took).
  if (isAscii(bytes)) return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    const at = firstInvalidUtf8(bytes);
    let lineStart = 0;
    let line = 1;
    for (let i = 0; i < at; i++) {
      if (bytes[i] === 0x0a) {
        line++;
        lineStart = i + 1;
      }
    }
    const column = new TextDecoder('utf-8').decode(bytes.subarray(lineStart, at)).length + 1;
    const hex = (bytes[at] ?? 0).toString(16).padStart(2, '0');
    throw new UserError({
      location: { file, line, column },
      path: '',
      message: `invalid UTF-8 (byte 0x${hex}): ${article(what)} ${what} must be UTF-8 text`,
    });
  }
}

/** Offset of the first byte that does not begin a well-formed UTF-8 sequence (RFC 3629). */
function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  const cont = (k: number, lo = 0x80, hi = 0xbf): boolean => {
    const c = b[i + k];
    return c !== undefined && c >= lo && c <= hi;
  };
  while (i < b.length) {
    const c = b[i]!;
    let len = 0;
    if (c < 0x80) len = 1;
    else if (c >= 0xc2 && c <= 0xdf) len = cont(1) ? 2 : 0;
    else if (c === 0xe0) len = cont(1, 0xa0) && cont(2) ? 3 : 0;
    else if (c === 0xed) len = cont(1, 0x80, 0x9f) && cont(2) ? 3 : 0;
    else if (c >= 0xe1 && c <= 0xef) len = cont(1) && cont(2) ? 3 : 0;
    else if (c === 0xf0) len = cont(1, 0x90) && cont(2) && cont(3) ? 4 : 0;
    else if (c >= 0xf1 && c <= 0xf3) len = cont(1) && cont(2) && cont(3) ? 4 : 0;
    else if (c === 0xf4) len = cont(1, 0x80, 0x8f) && cont(2) && cont(3) ? 4 : 0;
    if (len === 0) return i;
    i += len;
  }
  return b.length;
}

function notRegular(st: Stats, what: string): string {
  if (st.isDirectory()) return `is a directory, expected a ${what}`;
  const kind = st.isFIFO()
    ? 'a named pipe (FIFO)'
    : st.isCharacterDevice()
      ? 'a character device'
      : st.isBlockDevice()
        ? 'a block device'
        : st.isSocket()
          ? 'a socket'
          : 'not a regular file';
  return `is ${kind}, not a regular file`;
}

function tooLarge(size: number, what: string, max: number): string {
  const mb = (n: number): string => `${(n / (1024 * 1024)).toFixed(1)} MB`;
  const got = size > max + 1 ? mb(size) : `over ${mb(max)}`;
  return `is too large (${got}); ${article(what)} ${what} may be at most ${mb(max)} (${max.toLocaleString('en-US')} bytes)`;
}

/** "an observed file", "a scenario file". */
const article = (what: string): string => (/^[aeiou]/i.test(what) ? 'an' : 'a');

function errnoText(e: unknown): string {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EACCES') return 'permission denied';
  if (code === 'ENOTDIR') return 'a part of the path is not a directory';
  if (code === 'ELOOP') return 'too many symbolic links';
  return code ?? String((e as Error).message);
}
