/**
 * --save-runs streams: a block of records reaches the file in pieces of at most about FLUSH_CHARS,
 * never as one string per block (`--chunk 10000000` on 2M runs made one string beyond V8's limit:
 * `Invalid string length`), and the pieces make exactly the CSV of the records.
 */
import { describe, expect, it } from 'vitest';
import { FLUSH_CHARS, RecordWriter, type TextSink } from '../../src/report/record-writer.js';

class RecordingSink implements TextSink {
  pieces: string[] = [];
  state: 'open' | 'committed' | 'discarded' = 'open';
  write(text: string): void {
    this.pieces.push(text);
  }
  commit(): void {
    this.state = 'committed';
  }
  discard(): void {
    this.state = 'discarded';
  }
}

describe('RecordWriter', () => {
  it('writes a large block in bounded pieces that make exactly its CSV', () => {
    const columns = ['run', 'x', 'reached', 'first_year'];
    const rows = 100_000;
    const records = new Float64Array(rows * columns.length);
    for (let i = 0; i < rows; i++) {
      records[i * 4] = i;
      records[i * 4 + 1] = 1 / (i + 3);
      records[i * 4 + 2] = i % 2;
      records[i * 4 + 3] = i % 3 === 0 ? Number.NaN : 2020 + (i % 7);
    }
    const sink = new RecordingSink();
    const w = new RecordWriter(sink, columns);
    w.write(records, columns.length);
    w.commit();
    expect(sink.state).toBe('committed');
    // Header, then the block in more than one piece, none much beyond the flush size (one row over at most).
    expect(sink.pieces.length).toBeGreaterThan(2);
    expect(Math.max(...sink.pieces.map((p) => p.length))).toBeLessThan(FLUSH_CHARS + 200);
    let expected = 'run,x,reached,first_year\n';
    for (let i = 0; i < rows; i++)
      expected += `${i},${String(1 / (i + 3))},${i % 2},${i % 3 === 0 ? '' : 2020 + (i % 7)}\n`;
    expect(sink.pieces.join('')).toBe(expected);
  });

  it('an empty block writes nothing; discard after commit is a no-op', () => {
    const sink = new RecordingSink();
    const w = new RecordWriter(sink, ['run']);
    w.write(new Float64Array(0), 1);
    expect(sink.pieces).toEqual(['run\n']);
    w.commit();
    w.discard();
    expect(sink.state).toBe('committed');
  });
});
