/**
 * Every input file is read by one function: only regular files are opened (a FIFO with no writer or
 * /dev/zero would hang the command), at most 8 MiB, and only UTF-8 text is accepted.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { UserError } from '../../src/util/diagnostics.js';
import { MAX_INPUT_BYTES, readInputFile } from '../../src/util/input-file.js';

const dir = mkdtempSync(join(tmpdir(), 'policysim-input-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function problem(f: () => unknown): string {
  try {
    f();
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    return e.message;
  }
  throw new Error('expected a UserError');
}

describe('readInputFile', () => {
  it('reads a regular UTF-8 file', () => {
    const f = join(dir, 'ok.yaml');
    writeFileSync(f, 'name: café — 东北\n');
    expect(readInputFile(f, 'scenario file')).toBe('name: café — 东北\n');
  });

  it('refuses a FIFO without opening it (opening one with no writer blocks for ever)', () => {
    const f = join(dir, 'fifo');
    const mk = spawnSync('mkfifo', [f]);
    if (mk.status !== 0) throw new Error(`mkfifo failed: ${mk.stderr}`);
    expect(problem(() => readInputFile(f, 'scenario file'))).toBe(`${f}: is a named pipe (FIFO), not a regular file`);
  });

  it('refuses /dev/zero, which never ends, and a directory', () => {
    expect(problem(() => readInputFile('/dev/zero', 'model file'))).toBe(
      '/dev/zero: is a character device, not a regular file',
    );
    const d = join(dir, 'sub');
    mkdirSync(d);
    expect(problem(() => readInputFile(d, 'sweep file'))).toBe(`${d}: is a directory, expected a sweep file`);
  });

  it('places the problem where another file named it', () => {
    const from = {
      location: { file: 's.yaml', line: 4, column: 12 },
      path: 'uncertainties.include',
      name: '/dev/zero',
    };
    expect(problem(() => readInputFile('/dev/zero', 'uncertainties file', from))).toBe(
      's.yaml:4:12: uncertainties.include: uncertainties file /dev/zero is a character device, not a regular file',
    );
  });

  it('refuses a file over 8 MiB before reading it (a 50 MB file), and accepts one of exactly 8 MiB', () => {
    const big = join(dir, 'big.yaml');
    writeFileSync(big, '');
    truncateSync(big, 50 * 1024 * 1024);
    expect(problem(() => readInputFile(big, 'scenario file'))).toBe(
      `${big}: is too large (50.0 MB); a scenario file may be at most 8.0 MB (8,388,608 bytes)`,
    );
    const edge = join(dir, 'edge.yaml');
    writeFileSync(edge, Buffer.alloc(MAX_INPUT_BYTES, 0x20));
    expect(readInputFile(edge, 'scenario file').length).toBe(MAX_INPUT_BYTES);
    truncateSync(edge, MAX_INPUT_BYTES + 1);
    expect(problem(() => readInputFile(edge, 'scenario file'))).toBe(
      `${edge}: is too large (over 8.0 MB); a scenario file may be at most 8.0 MB (8,388,608 bytes)`,
    );
  });

  it('a missing file', () => {
    expect(problem(() => readInputFile(join(dir, 'nope.yaml'), 'model file'))).toBe(
      `${join(dir, 'nope.yaml')}: cannot be read: no such file`,
    );
  });

  it('reports the first byte that is not UTF-8 at its line and column (counted in characters)', () => {
    const f = join(dir, 'latin1.yaml');
    // Line 2: "é" (2 bytes in UTF-8) is column 1, then "x: " and the Latin-1 byte 0xe9 at column 5.
    writeFileSync(f, Buffer.concat([Buffer.from('a: 1\néx: '), Buffer.from([0xe9]), Buffer.from('\n')]));
    expect(problem(() => readInputFile(f, 'scenario file'))).toBe(
      `${f}:2:5: invalid UTF-8 (byte 0xe9): a scenario file must be UTF-8 text`,
    );
    // Overlong encodings and UTF-16 surrogates are not UTF-8 either.
    writeFileSync(f, Buffer.from([0x61, 0xc0, 0xaf]));
    expect(problem(() => readInputFile(f, 'scenario file'))).toBe(
      `${f}:1:2: invalid UTF-8 (byte 0xc0): a scenario file must be UTF-8 text`,
    );
    writeFileSync(f, Buffer.from([0x61, 0x62, 0xed, 0xa0, 0x80]));
    expect(problem(() => readInputFile(f, 'scenario file'))).toBe(
      `${f}:1:3: invalid UTF-8 (byte 0xed): a scenario file must be UTF-8 text`,
    );
  });
});
