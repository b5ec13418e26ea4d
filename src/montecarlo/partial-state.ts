import { endianness } from 'node:os';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import type { Manifest } from '../manifest/manifest.js';
import { parseBlobJson } from '../util/blob-json.js';
import { UserError } from '../util/diagnostics.js';
import { decodeUtf8 } from '../util/input-file.js';
import { parseJsonText } from '../util/json-text.js';
import { ExactSums } from './exact-sum.js';
import { type Binning, type MergerState, SparseCounts } from './stats.js';

/**
 * Partial Monte Carlo state on disk: what a shard (`mc --shard`) or a checkpoint (`mc --checkpoint`)
 * writes and `merge` / `--resume` read. It is the statistics' state, not the runs: bins, exact sums,
 * min/max, histogram counts and target counters, so its size does not grow with the number of runs.
 * Arrays are stored as their bytes (exact, −0 and ±Infinity included), deflated and base64-encoded.
 */

export const MC_STATE_SCHEMA = 'policysim.mc-state/2';

export interface McState {
  readonly binning: Binning;
  readonly stats: MergerState;
  /** Per target: runs that met it in its year. */
  readonly reached: Float64Array;
  /** Per target × (horizon years + 1): runs by first year reached, then "never". */
  readonly firstYear: Float64Array;
}

export interface McStateFile {
  readonly schema: typeof MC_STATE_SCHEMA;
  /** `shard`: one shard's finished runs; `checkpoint`: the runs done so far of a job that continues. */
  readonly kind: 'shard' | 'checkpoint';
  readonly manifest: Manifest;
  /**
   * The command that computes the whole job's result (`command` of its JSON, without --shard,
   * --checkpoint and output options): a merged or resumed result records it, as the unsharded run would.
   */
  readonly command: string | null;
  /** The runs this file is for, [first, end); `done` is where the merged runs stop (end when finished). */
  readonly range: { readonly first: number; readonly end: number; readonly done: number };
  /** Set when a stopping rule ended the job early (the result is final at `range.done`). */
  readonly stopped?: string | null;
  readonly state: McState;
}

interface Encoded {
  readonly dtype: 'f64' | 'u32' | 'u16';
  readonly length: number;
  readonly data: string;
}

function requireLittleEndian(): void {
  if (endianness() !== 'LE') throw new Error('partial-state files are written on little-endian machines only');
}

export function encodeArray(a: Float64Array | Uint32Array | Uint16Array, level = 1): Encoded {
  requireLittleEndian();
  const bytes = Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  return {
    dtype: a instanceof Float64Array ? 'f64' : a instanceof Uint32Array ? 'u32' : 'u16',
    length: a.length,
    data: deflateRawSync(bytes, { level }).toString('base64'),
  };
}

/**
 * Whole counts travel in the narrowest type that holds them, and by their nonzero entries when fewer
 * than half are nonzero (a shard of one 256-run leaf fills a sixth of its histogram): fewer bytes to
 * inflate and fewer counts to add are most of what merging 1,000 shards costs.
 */
function encodeCounts(a: Float64Array | Uint32Array | Uint16Array): Encoded | EncodedSparse {
  let max = 0;
  let nonzero = 0;
  for (let i = 0; i < a.length; i++) {
    const v = a[i]!;
    if (!(v >= 0 && v < 2 ** 32 && Number.isInteger(v))) return encodeArray(new Float64Array(a));
    if (v > max) max = v;
    if (v !== 0) nonzero++;
  }
  // The typed-array constructors, not .from(): they convert without the iteration protocol.
  const narrow = (x: Float64Array | Uint32Array | Uint16Array) =>
    max < 2 ** 16 ? new Uint16Array(x) : new Uint32Array(x);
  if (nonzero * 2 >= a.length) return encodeArray(narrow(a));
  // Gaps between nonzero entries (the first from −1): small numbers, which deflate well.
  const gap = new Uint32Array(nonzero);
  const count = new Float64Array(nonzero);
  let last = -1;
  for (let i = 0, k = 0; i < a.length; i++) {
    if (a[i] === 0) continue;
    gap[k] = i - last;
    count[k++] = a[i]!;
    last = i;
  }
  let maxGap = 0;
  for (let k = 0; k < nonzero; k++) if (gap[k]! > maxGap) maxGap = gap[k]!;
  return {
    sparse: true,
    length: a.length,
    gaps: encodeArray(maxGap < 2 ** 16 ? new Uint16Array(gap) : gap),
    counts: encodeArray(narrow(count)),
  };
}

function denseFloat(a: Float64Array | Uint32Array | Uint16Array | SparseCounts): Float64Array {
  return a instanceof SparseCounts ? a.dense() : a instanceof Float64Array ? a : Float64Array.from(a);
}

interface EncodedSparse {
  readonly sparse: true;
  readonly length: number;
  readonly gaps: Encoded;
  readonly counts: Encoded;
}

/** Counts as encodeCounts wrote them: dense, in their stored type, or sparse. */
function decodeCounts(e: unknown, what: string): Float64Array | Uint32Array | Uint16Array | SparseCounts {
  const x = e as Partial<EncodedSparse> | null;
  if (!x || typeof x !== 'object' || x.sparse !== true) return decodeTyped(e, what);
  const length = x.length;
  if (!Number.isSafeInteger(length) || (length as number) < 0) throw new Error(`${what}: expected a length`);
  const gaps = decodeTyped(x.gaps, `${what}.gaps`);
  const counts = decodeTyped(x.counts, `${what}.counts`);
  if (gaps.length !== counts.length) throw new Error(`${what}: ${gaps.length} gaps for ${counts.length} counts`);
  // Gaps are written as 16- or 32-bit integers; the indices are their running sums, made in place in
  // one Uint32Array (a loop over one array type: several types in one loop made it 10 times slower).
  if (gaps instanceof Float64Array) throw new Error(`${what}: gaps must be whole numbers from 1`);
  const index = gaps instanceof Uint32Array ? gaps : new Uint32Array(gaps);
  const n = length as number;
  let at = -1;
  for (let k = 0; k < index.length; k++) {
    const g = index[k]!;
    if (g === 0) throw new Error(`${what}: gaps must be whole numbers from 1`);
    at += g;
    if (at >= n) throw new Error(`${what}: an index beyond ${length} values`);
    index[k] = at;
  }
  return new SparseCounts(n, index, counts);
}

/** The largest array inflated in one piece (64 MiB; a Monte Carlo histogram is about 3 MB). */
const MAX_ONE_CHUNK = 64 * 1024 * 1024;

export function decodeArray(e: unknown, what: string): Float64Array {
  const a = decodeTyped(e, what);
  return a instanceof Float64Array ? a : new Float64Array(a);
}

/** The array in the type it was stored in (counts: Uint16 or Uint32, added without a conversion pass). */
export function decodeTyped(e: unknown, what: string): Float64Array | Uint32Array | Uint16Array {
  requireLittleEndian();
  // `data` is base64 text, or its bytes already decoded (parseBlobJson, src/util/blob-json.ts).
  const x = e as (Omit<Partial<Encoded>, 'data'> & { data?: unknown }) | null;
  if (
    !x ||
    typeof x !== 'object' ||
    !['f64', 'u32', 'u16'].includes(x.dtype ?? '') ||
    !(typeof x.data === 'string' || x.data instanceof Uint8Array)
  )
    throw new Error(`${what}: not an encoded array`);
  const size = x.dtype === 'f64' ? 8 : x.dtype === 'u32' ? 4 : 2;
  const expected = (x.length ?? 0) * size;
  // Inflated into one buffer of the announced size (no chunks to join: a copy and a fresh
  // allocation less per array); a length beyond reason falls back to zlib's default chunks.
  const raw = inflateRawSync(
    typeof x.data === 'string' ? Buffer.from(x.data, 'base64') : x.data,
    Number.isSafeInteger(expected) && expected >= 64 && expected <= MAX_ONE_CHUNK ? { chunkSize: expected } : {},
  );
  if (raw.length !== (x.length ?? -1) * size) throw new Error(`${what}: ${raw.length} bytes for ${x.length} values`);
  const n = raw.length / size;
  // A view of the inflated bytes when they are aligned (a fresh buffer: the usual case), else a copy:
  // a small Buffer may sit at any offset of a shared pool.
  let buf: ArrayBuffer = raw.buffer as ArrayBuffer;
  let at = raw.byteOffset;
  if (at % size !== 0) {
    buf = new ArrayBuffer(raw.length);
    new Uint8Array(buf).set(raw);
    at = 0;
  }
  return x.dtype === 'f64'
    ? new Float64Array(buf, at, n)
    : x.dtype === 'u32'
      ? new Uint32Array(buf, at, n)
      : new Uint16Array(buf, at, n);
}

export function stateToJson(s: McState): object {
  const sums = (x: ExactSums) => {
    const f = x.flatten();
    return { lengths: encodeArray(f.lengths), values: encodeArray(f.values) };
  };
  return {
    binning: {
      cells: s.binning.cells,
      bins: s.binning.bins,
      lo: encodeArray(Float64Array.from(s.binning.lo)),
      width: encodeArray(Float64Array.from(s.binning.width)),
      centre: encodeArray(Float64Array.from(s.binning.centre)),
    },
    stats: {
      firstRun: s.stats.firstRun,
      runs: s.stats.runs,
      sum1: sums(s.stats.sum1),
      sum2: sums(s.stats.sum2),
      min: encodeArray(s.stats.min),
      max: encodeArray(s.stats.max),
      hist: encodeCounts(s.stats.hist instanceof SparseCounts ? s.stats.hist.dense() : s.stats.hist),
      nonFinite: encodeCounts(s.stats.nonFinite),
    },
    reached: Array.from(s.reached),
    firstYear: Array.from(s.firstYear),
  };
}

export function stateFromJson(j: unknown): McState {
  // biome-ignore lint/suspicious/noExplicitAny: untrusted JSON, checked field by field below
  const o = j as Record<string, any>;
  const b = o.binning;
  const st = o.stats;
  // biome-ignore lint/suspicious/noExplicitAny: as above
  const sums = (x: any, what: string): ExactSums =>
    ExactSums.fromFlat(decodeArray(x?.lengths, `${what}.lengths`), decodeArray(x?.values, `${what}.values`));
  const binning: Binning = {
    cells: num(b?.cells, 'binning.cells'),
    bins: num(b?.bins, 'binning.bins'),
    lo: decodeArray(b?.lo, 'binning.lo'),
    width: decodeArray(b?.width, 'binning.width'),
    centre: decodeArray(b?.centre, 'binning.centre'),
  };
  const stats: MergerState = {
    firstRun: num(st?.firstRun, 'stats.firstRun'),
    runs: num(st?.runs, 'stats.runs'),
    sum1: sums(st?.sum1, 'stats.sum1'),
    sum2: sums(st?.sum2, 'stats.sum2'),
    min: decodeArray(st?.min, 'stats.min'),
    max: decodeArray(st?.max, 'stats.max'),
    hist: decodeCounts(st?.hist, 'stats.hist'),
    nonFinite: denseFloat(decodeCounts(st?.nonFinite, 'stats.nonFinite')),
  };
  const counts = (x: unknown, what: string): Float64Array => {
    if (!Array.isArray(x) || !x.every((v) => Number.isSafeInteger(v) && v >= 0))
      throw new Error(`${what}: expected a list of counts`);
    return Float64Array.from(x as number[]);
  };
  const { cells, bins } = binning;
  const sizes: [string, number, number][] = [
    ['binning.lo', binning.lo.length, cells],
    ['binning.width', binning.width.length, cells],
    ['binning.centre', binning.centre.length, cells],
    ['stats.sum1', stats.sum1.cells, cells],
    ['stats.sum2', stats.sum2.cells, cells],
    ['stats.min', stats.min.length, cells],
    ['stats.max', stats.max.length, cells],
    ['stats.nonFinite', stats.nonFinite.length, cells],
    ['stats.hist', stats.hist.length, cells * (bins + 2)],
  ];
  for (const [what, got, want] of sizes) if (got !== want) throw new Error(`${what}: ${got} values, expected ${want}`);
  return {
    binning,
    stats,
    reached: counts(o.reached, 'reached'),
    firstYear: counts(o.firstYear, 'firstYear'),
  };
}

function num(v: unknown, what: string): number {
  if (!Number.isSafeInteger(v) || (v as number) < 0) throw new Error(`${what}: expected a whole number`);
  return v as number;
}

export function renderStateFile(f: McStateFile): string {
  return `${JSON.stringify({ ...f, state: stateToJson(f.state) })}\n`;
}

/** Parses a partial-state file; anything that is not one is a user error naming the file. */
export function parseStateFile(text: string, file: string): McStateFile {
  return stateFileOf(parseJsonText(text, file, 'not a policysim partial-state file (not JSON)'), file);
}

/**
 * Parses a partial-state file from its bytes: the blobs decoded straight from them (parseBlobJson;
 * what makes merging 1,000 parts fast), or, for anything unusual, as UTF-8 text by parseStateFile.
 */
export function parseStateBytes(bytes: Buffer, file: string): McStateFile {
  const j = parseBlobJson(bytes);
  return j === undefined ? parseStateFile(decodeUtf8(bytes, file, 'partial-state file'), file) : stateFileOf(j, file);
}

function stateFileOf(parsed: unknown, file: string): McStateFile {
  const bad = (message: string): UserError => new UserError({ location: { file }, path: '', message });
  // biome-ignore lint/suspicious/noExplicitAny: untrusted JSON, checked field by field below
  const j = parsed as any;
  if (j?.schema !== MC_STATE_SCHEMA)
    throw bad(
      `not a Monte Carlo partial-state file (schema ${JSON.stringify(j?.schema ?? null)}, expected ${MC_STATE_SCHEMA})`,
    );
  if (j.kind !== 'shard' && j.kind !== 'checkpoint') throw bad(`kind: expected shard or checkpoint`);
  const r = j.range;
  if (
    !r ||
    ![r.first, r.end, r.done].every((v) => Number.isSafeInteger(v) && v >= 0) ||
    !(r.first <= r.done && r.done <= r.end)
  )
    throw bad('range: expected {first, end, done} with first <= done <= end');
  if (!j.manifest || typeof j.manifest !== 'object') throw bad('manifest: missing');
  if (j.command !== null && typeof j.command !== 'string') throw bad('command: expected a string or null');
  let state: McState;
  try {
    state = stateFromJson(j.state);
  } catch (e) {
    throw bad(`state: ${(e as Error).message} (the file is damaged or was not written by policysim)`);
  }
  if (state.stats.firstRun !== r.first || state.stats.firstRun + state.stats.runs !== r.done)
    throw bad(
      `state covers runs from ${state.stats.firstRun} for ${state.stats.runs} runs, not the range ${r.first}-${r.done}`,
    );
  return {
    schema: MC_STATE_SCHEMA,
    kind: j.kind,
    manifest: j.manifest,
    command: j.command,
    range: r,
    stopped: j.stopped ?? null,
    state,
  };
}
