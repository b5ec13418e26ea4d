import type { Manifest } from '../manifest/manifest.js';
import { MAX_STATE_BYTES } from '../montecarlo/checkpoint.js';
import { decodeArray, encodeArray } from '../montecarlo/partial-state.js';
import { type OutputFlag, writeOutputFile } from '../report/atomic-write.js';
import { parseBlobJson } from '../util/blob-json.js';
import { UserError } from '../util/diagnostics.js';
import { decodeUtf8, readInputBytes } from '../util/input-file.js';
import { parseJsonText } from '../util/json-text.js';

/**
 * A sharded or checkpointed sweep on disk: the outputs of a contiguous range of design rows, exact
 * (stored as their bytes). The analysis (bootstrap included) needs every row, so `merge` runs it on
 * the assembled outputs, exactly as the unsharded sweep does.
 */
export const SWEEP_STATE_SCHEMA = 'policysim.sweep-state/2';

export interface SweepStateFile {
  readonly schema: typeof SWEEP_STATE_SCHEMA;
  readonly kind: 'shard' | 'checkpoint';
  readonly manifest: Manifest;
  /** The command that computes the whole sweep's result (as in the Monte Carlo state file). */
  readonly command: string | null;
  /** Rows [first, end) of the design; [first, done) are computed. */
  readonly range: { readonly first: number; readonly end: number; readonly done: number };
  readonly outputs: number;
  /** (done − first) × outputs values, row-major. */
  readonly Y: Float64Array;
}

export function renderSweepState(f: SweepStateFile): string {
  return `${JSON.stringify({ ...f, Y: encodeArray(f.Y) })}\n`;
}

export function writeSweepState(path: string, f: SweepStateFile, flag: OutputFlag): void {
  writeOutputFile(path, renderSweepState(f), flag);
}

export function readSweepState(file: string, flag: string): SweepStateFile {
  const bad = (message: string): UserError => new UserError({ location: { file }, path: flag, message });
  const bytes = readInputBytes(file, 'partial-state file', undefined, MAX_STATE_BYTES);
  // The blobs straight from the bytes (src/util/blob-json.ts), else the text the ordinary way.
  let j = parseBlobJson(bytes) as Record<string, unknown> | undefined;
  if (j === undefined) {
    const text = decodeUtf8(bytes, file, 'partial-state file');
    j = parseJsonText(text, file, 'not a policysim partial-state file (not JSON)') as Record<string, unknown>;
  }
  if (j?.schema !== SWEEP_STATE_SCHEMA)
    throw bad(
      `not a sweep partial-state file (schema ${JSON.stringify(j?.schema ?? null)}, expected ${SWEEP_STATE_SCHEMA})`,
    );
  const r = j.range as { first: number; end: number; done: number } | undefined;
  const O = j.outputs as number;
  if (
    !r ||
    ![r.first, r.end, r.done, O].every((v) => Number.isSafeInteger(v) && v >= 0) ||
    !(r.first <= r.done && r.done <= r.end)
  )
    throw bad('range: expected {first, end, done} with first <= done <= end');
  if (j.kind !== 'shard' && j.kind !== 'checkpoint') throw bad('kind: expected shard or checkpoint');
  if (!j.manifest || typeof j.manifest !== 'object') throw bad('manifest: missing');
  if (j.command !== null && typeof j.command !== 'string') throw bad('command: expected a string or null');
  let Y: Float64Array;
  try {
    Y = decodeArray(j.Y, 'Y');
  } catch (e) {
    throw bad(`${(e as Error).message} (the file is damaged or was not written by policysim)`);
  }
  if (Y.length !== (r.done - r.first) * O)
    throw bad(`Y: ${Y.length} values for ${r.done - r.first} rows × ${O} outputs`);
  return {
    schema: SWEEP_STATE_SCHEMA,
    kind: j.kind,
    manifest: j.manifest as Manifest,
    command: j.command as string | null,
    range: r,
    outputs: O,
    Y,
  };
}
