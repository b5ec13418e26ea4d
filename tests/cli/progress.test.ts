/**
 * The progress bar leaves the terminal clean: after Ctrl-C the bar's line is cleared before any
 * message, so the screen reads `interrupted: ...` then `wrote ...` (the bar used to be drawn over the
 * message: `wrote /tmp/mc.jsoning the workers`). The command runs in-process on a recording terminal
 * that interprets the few control sequences the bar uses; the interrupt is aborted once the bar has
 * been drawn (the signal itself, across the process boundary, is tests/cli/signals.test.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Io } from '../../src/cli/io.js';
import { main } from '../../src/cli/main.js';
import type { Interrupt } from '../../src/cli/signal-interrupt.js';

/** A terminal screen: text at (row, column), with the cursor moves, line clears and save/restore the bar uses. */
class Screen {
  private rows: string[][] = [[]];
  private row = 0;
  private col = 0;
  private saved: [number, number] = [0, 0];

  feed(text: string): void {
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (c === '\x1b') {
        const next = text[i + 1];
        if (next === '7' || next === '8') {
          if (next === '7') this.saved = [this.row, this.col];
          else [this.row, this.col] = this.saved;
          i++;
          continue;
        }
        const m = /^\[(\??[\d;]*)([A-Za-z])/.exec(text.slice(i + 1));
        if (!m) throw new Error(`unexpected escape ${JSON.stringify(text.slice(i, i + 6))}`);
        i += m[0].length;
        const n = m[1]!.startsWith('?') ? Number.NaN : Number(m[1] || '0');
        if (m[2] === 'G') this.col = Math.max(0, (n || 1) - 1);
        else if (m[2] === 'K') {
          const line = this.line();
          if (n === 2) line.length = 0;
          else if (n === 0) line.length = Math.min(line.length, this.col);
        }
        continue;
      }
      if (c === '\r') this.col = 0;
      else if (c === '\n') {
        this.row++;
        this.col = 0;
      } else {
        const line = this.line();
        while (line.length < this.col) line.push(' ');
        line[this.col++] = c;
      }
    }
  }

  private line(): string[] {
    while (this.rows.length <= this.row) this.rows.push([]);
    return this.rows[this.row]!;
  }

  lines(): string[] {
    const out = this.rows.map((r) => r.join('').trimEnd());
    while (out.length > 0 && out[out.length - 1] === '') out.pop();
    return out;
  }
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'policysim-progress-'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('progress bar on a terminal', () => {
  it('Ctrl-C: the bar is cleared, then "interrupted", then "wrote": nothing drawn over the messages', async () => {
    const screen = new Screen();
    const abort = new AbortController();
    const terminal = Object.assign(
      new Writable({
        write(chunk, _enc, done) {
          screen.feed(String(chunk));
          // Once the bar is on screen, Ctrl-C (after this write has returned).
          if (String(chunk).includes('mc [') && !abort.signal.aborted) queueMicrotask(() => abort.abort());
          done();
        },
      }),
      { isTTY: true, columns: 100 },
    );
    const interrupt: Interrupt = { signal: abort.signal, exitCode: () => 130, claim: () => () => {} };
    const io: Io = {
      stdout: () => {},
      stderr: (t) => screen.feed(t),
      isTTY: true,
      terminal,
      interrupt,
    };
    const out = join(dir, 'mc.json');
    const code = await main(
      ['mc', '--runs', '200000', '--workers', '0', '--chunk', '2048', '--format', 'json', '--out', out],
      io,
    );
    expect(code).toBe(130);
    expect(abort.signal.aborted).toBe(true);
    expect(screen.lines()).toEqual(['interrupted: stopping the workers', `wrote ${out}`]);
  });
});
