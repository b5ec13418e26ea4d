import { isAscii } from 'node:buffer';

/**
 * JSON whose long values are base64 blobs (partial-state files: `{"dtype":…,"length":…,"data":"…"}`),
 * parsed from its bytes without ever making a long string. A string over V8's large-object limit
 * (128 KiB) is allocated in fresh pages and freed at the next collection: at about 100 MB/s on a
 * shared machine that made reading the text, parsing it and decoding its base64 most of the time of
 * merging 1,000 part files, while strings under the limit are made at memory speed. So each `"data"`
 * value is decoded straight from the bytes into a Buffer, in pieces of 64 KiB, and the JSON around
 * the blobs (small) is parsed as usual, each blob's value replaced by its decoded Buffer.
 *
 * Only for pure-ASCII input in which every `"data"` key holds plain base64: anything else returns
 * undefined and the caller parses the text the ordinary way (same values, same error messages).
 */
const KEY = Buffer.from('"data"', 'latin1');
const VALUE = Buffer.from('"data":"', 'latin1');
const QUOTE = 0x22;
/** Base64 characters decoded per piece: a multiple of 4, well under the large-object limit. */
const PIECE = 65_536;

export function parseBlobJson(bytes: Buffer): unknown | undefined {
  if (!isAscii(bytes)) return undefined;
  const blobs: Buffer[] = [];
  const text: string[] = [];
  let at = 0;
  for (let key = bytes.indexOf(KEY); key >= 0; key = bytes.indexOf(KEY, at + 1)) {
    // Every "data" key must open a blob: then no other string in the file can be taken for one.
    if (bytes.compare(VALUE, 0, VALUE.length, key, key + VALUE.length) !== 0) return undefined;
    const start = key + VALUE.length;
    const end = bytes.indexOf(QUOTE, start);
    if (end < 0) return undefined;
    const blob = decodeBase64(bytes, start, end);
    if (!blob) return undefined;
    text.push(bytes.toString('latin1', at, start), `#${blobs.length}`);
    blobs.push(blob);
    at = end; // the closing quote starts the next piece of text
  }
  text.push(bytes.toString('latin1', at));
  const joined = text.join('');
  let j: unknown;
  try {
    j = JSON.parse(joined, (k, v: unknown) =>
      k === 'data' && typeof v === 'string' && /^#\d+$/.test(v) ? blobs[Number(v.slice(1))] : v,
    );
  } catch {
    return undefined;
  }
  return j;
}

/** Bytes [start, end) as base64 (length a multiple of 4, `=` only as padding), decoded; else undefined. */
function decodeBase64(bytes: Buffer, start: number, end: number): Buffer | undefined {
  const n = end - start;
  if (n % 4 !== 0) return undefined;
  const pad = n > 0 && bytes[end - 1] === 0x3d ? (bytes[end - 2] === 0x3d ? 2 : 1) : 0;
  const out = Buffer.allocUnsafe((n / 4) * 3 - pad);
  let written = 0;
  // Node's decoder stops at a character that is not base64 (or padding too early): fewer bytes than
  // the length announces, so the count is the check. (It also takes the URL-safe `-` and `_`, as
  // Buffer.from(text, 'base64') does in the ordinary path.)
  for (let i = start; i < end; i += PIECE)
    written += out.write(bytes.toString('latin1', i, Math.min(end, i + PIECE)), written, 'base64');
  return written === out.length ? out : undefined;
}
