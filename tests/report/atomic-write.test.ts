/**
 * The one output writer (src/report/atomic-write.ts), through the commands that use it: `--out` and
 * `--save-runs` never replace what is not a regular file (a device or FIFO is written through in
 * place), and every failed write is an error (exit 1) with nothing claimed written.
 */
import { execFileSync } from 'node:child_process';
import {
  closeSync,
  constants,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  readSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, spawnCli } from '../cli/harness.js';

let dir: string;
let runJson: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'policysim-atomic-'));
  const r = await cli('run', '--format', 'json');
  expect(r.code).toBe(0);
  runJson = r.stdout;
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Files in `d` other than `keep`: temporary files left behind would show here. */
const others = (d: string, ...keep: string[]): string[] => readdirSync(d).filter((f) => !keep.includes(f));

describe('a target that is not a regular file is written through, never replaced', () => {
  it('--out /dev/null: exit 0, and /dev/null is still the same character device', async () => {
    const before = statSync('/dev/null');
    const r = await cli('run', '--out', '/dev/null');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stderr).toBe('wrote /dev/null\n');
    const after = lstatSync('/dev/null');
    expect(after.isCharacterDevice()).toBe(true);
    expect(after.ino).toBe(before.ino);
    expect(after.rdev).toBe(before.rdev);
  });

  it('mc --save-runs /dev/null and --out /dev/null: exit 0, /dev/null untouched', async () => {
    const before = statSync('/dev/null');
    const r = await cli('mc', '--runs', '300', '--workers', '0', '--save-runs', '/dev/null', '--out', '/dev/null');
    expect(r.code, r.stderr).toBe(0);
    const after = lstatSync('/dev/null');
    expect(after.isCharacterDevice()).toBe(true);
    expect(after.ino).toBe(before.ino);
  });

  it('a FIFO with a reader receives the whole output and stays a FIFO', async () => {
    const fifo = join(dir, 'out.fifo');
    execFileSync('mkfifo', [fifo]);
    // The reader end is open before the writer starts (non-blocking, so this does not wait for it).
    const fd = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      // A child process writes while this one reads: in one thread the writer would block on a full pipe.
      let exited = false;
      const done = spawnCli(['run', '--format', 'json', '--out', fifo]).then((r) => {
        exited = true;
        return r;
      });
      const chunks: Buffer[] = [];
      const buf = Buffer.alloc(65536);
      // Read until the writer has exited and the FIFO is drained: EAGAIN means "writer open, nothing
      // yet", 0 means "no writer" (not yet connected, or gone).
      for (;;) {
        let n: number;
        try {
          n = readSync(fd, buf, 0, buf.length, null);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'EAGAIN') throw e;
          n = -1;
        }
        if (n > 0) chunks.push(Buffer.from(buf.subarray(0, n)));
        else if (n === 0 && exited) break;
        else await new Promise((r) => setTimeout(r, 5));
      }
      const r = await done;
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toBe(`wrote ${fifo}\n`);
      expect(Buffer.concat(chunks).toString('utf8')).toBe(runJson);
      expect(lstatSync(fifo).isFIFO()).toBe(true);
      expect(others(dir, 'out.fifo')).toEqual([]);
    } finally {
      closeSync(fd);
      rmSync(fifo, { force: true });
    }
  });

  it('a FIFO nobody reads: exit 1 at once (no hang), the FIFO left as it was', async () => {
    const fifo = join(dir, 'lonely.fifo');
    execFileSync('mkfifo', [fifo]);
    try {
      // An extension with no meaning needs --format (src/cli/options.ts outputFormat).
      const r = await cli('run', '--format', 'table', '--out', fifo);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`policysim: failed: cannot write ${fifo} (--out): a FIFO with no reader\n`);
      expect(lstatSync(fifo).isFIFO()).toBe(true);
      expect(others(dir, 'lonely.fifo')).toEqual([]);
    } finally {
      rmSync(fifo, { force: true });
    }
  });

  it('a symlink is followed: its target is replaced atomically, the link kept', async () => {
    const sub = join(dir, 'link');
    mkdirSync(sub);
    writeFileSync(join(sub, 'real.json'), 'old');
    symlinkSync('real.json', join(sub, 'out.json'));
    const r = await cli('run', '--format', 'json', '--out', join(sub, 'out.json'));
    expect(r.code, r.stderr).toBe(0);
    expect(lstatSync(join(sub, 'out.json')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(sub, 'out.json'))).toBe('real.json');
    expect(readFileSync(join(sub, 'real.json'), 'utf8')).toBe(runJson);
    expect(others(sub, 'out.json', 'real.json')).toEqual([]);
  });
});

describe('a failed write is an error (exit 1), never "wrote"', () => {
  it('--out /dev/full: ENOSPC', async () => {
    const r = await cli('run', '--out', '/dev/full');
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'policysim: failed: cannot write /dev/full (--out): ENOSPC: no space left on device, write\n',
    );
  });

  it('mc --save-runs /dev/full: ENOSPC, no statistics written either', async () => {
    const out = join(dir, 'full-stats.json');
    const r = await cli('mc', '--runs', '300', '--workers', '0', '--save-runs', '/dev/full', '--out', out);
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'policysim: failed: cannot write /dev/full (--save-runs): ENOSPC: no space left on device, write\n',
    );
    expect(others(dir)).not.toContain('full-stats.json');
  });

  it.each([
    [
      'calibrate --posterior-out',
      [
        'calibrate',
        'scenarios/observed/hindcast.yaml',
        '--fit',
        'td_trend',
        '--runs',
        '200',
        '--posterior-out',
        '/dev/full',
      ],
      '--posterior-out',
    ],
    [
      'backtest --out',
      ['backtest', 'scenarios/observed/hindcast.yaml', '--runs', '100', '--out', '/dev/full'],
      '--out',
    ],
    ['mc --checkpoint', ['mc', '--runs', '100', '--workers', '0', '--checkpoint', '/dev/full'], '--checkpoint'],
  ])('the newer outputs too: %s /dev/full', async (_what, argv, flag) => {
    const r = await cli(...argv);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `policysim: failed: cannot write /dev/full (${flag}): ENOSPC: no space left on device, write\n`,
    );
    expect(r.stderr).not.toContain('wrote');
  });

  it('a directory that cannot be written (EACCES): nothing written, no temporary file', async () => {
    // Root ignores file modes, so as root the read-only place is sysfs.
    const root = process.getuid?.() === 0;
    const ro = root ? '/sys' : join(dir, 'ro');
    if (!root) {
      mkdirSync(ro, { mode: 0o555 });
    }
    const out = join(ro, 'policysim-out.json');
    const r = await cli('run', '--out', out);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      new RegExp(`^policysim: failed: cannot write ${out} \\(--out\\): EACCES: permission denied, open '.*'\\n$`),
    );
    expect(readdirSync(ro).filter((f) => f.includes('policysim-out'))).toEqual([]);
  });

  it('a missing directory under a regular file (ENOTDIR)', async () => {
    const file = join(dir, 'plain.txt');
    writeFileSync(file, 'x');
    const out = join(file, 'sub', 'out.json');
    const r = await cli('run', '--out', out);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(new RegExp(`^policysim: failed: cannot write ${out} \\(--out\\): ENOTDIR: `));
    expect(readFileSync(file, 'utf8')).toBe('x');
  });

  it('missing directories above a new file are created', async () => {
    const out = join(dir, 'a', 'b', 'out.json');
    const r = await cli('run', '--format', 'json', '--out', out);
    expect(r.code, r.stderr).toBe(0);
    expect(readFileSync(out, 'utf8')).toBe(runJson);
  });

  it('--out a directory: a usage error before any work (exit 2)', async () => {
    const r = await cli('mc', '--runs', '300', '--workers', '0', '--out', dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`policysim: error: ${dir}: --out: is a directory, expected a file name\n`);
  });
});
