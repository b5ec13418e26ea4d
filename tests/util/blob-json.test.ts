/**
 * parseBlobJson (src/util/blob-json.ts): the JSON of a part file parsed from its bytes, each "data"
 * blob decoded straight into a Buffer, equals JSON.parse with the blobs decoded by Buffer.from; any
 * input it does not handle (not ASCII, a "data" that is not a base64 string, damaged base64, not
 * JSON) gives undefined, so the caller takes the ordinary path and its messages.
 */
import { describe, expect, it } from 'vitest';
import { parseBlobJson } from '../../src/util/blob-json.js';

const bytes = (s: string): Buffer => Buffer.from(s, 'utf8');

describe('parseBlobJson', () => {
  it('decodes every blob (long ones in pieces) and parses the rest as JSON', () => {
    const long = Buffer.alloc(300_000);
    for (let i = 0; i < long.length; i++) long[i] = (i * 7919) % 251;
    const doc = {
      schema: 'policysim.mc-state/2',
      a: { dtype: 'u16', length: 3, data: Buffer.from([1, 0, 2, 0, 3, 0]).toString('base64') },
      b: [{ dtype: 'f64', length: 37500, data: long.toString('base64') }],
      c: { dtype: 'u32', length: 0, data: '' },
      note: 'a string that says data',
      n: [1, 2.5, null, true],
    };
    const got = parseBlobJson(bytes(JSON.stringify(doc))) as typeof doc & Record<string, { data: Buffer }>;
    expect(got.a.data).toEqual(Buffer.from([1, 0, 2, 0, 3, 0]));
    expect((got.b[0]!.data as unknown as Buffer).equals(long)).toBe(true);
    expect((got.c.data as unknown as Buffer).length).toBe(0);
    const { a: _a, b: _b, c: _c, ...rest } = got;
    const { a: _x, b: _y, c: _z, ...restDoc } = doc;
    expect(rest).toEqual(restDoc);
  });

  it('padding: one and two =', () => {
    for (const raw of [Buffer.from([1, 2]), Buffer.from([1]), Buffer.from([1, 2, 3])]) {
      const got = parseBlobJson(bytes(JSON.stringify({ data: raw.toString('base64') }))) as { data: Buffer };
      expect(got.data).toEqual(raw);
    }
  });

  it.each([
    ['not ASCII', '{"name":"café","data":"AAAA"}'],
    ['a "data" that is not a string', '{"data":12}'],
    ['a "data" with a space before its value', '{"data": "AAAA"}'],
    ['a blob of the wrong length', '{"data":"AAAAA"}'],
    ['a character that is not base64', '{"data":"AA!A"}'],
    ['padding in the middle', '{"data":"AA==AAAA"}'],
    ['an unterminated blob', '{"data":"AAAA'],
    ['not JSON around the blobs', '{"data":"AAAA",}'],
  ])('%s: undefined (the caller parses the text)', (_what, text) => {
    expect(parseBlobJson(bytes(text))).toBeUndefined();
  });
});
