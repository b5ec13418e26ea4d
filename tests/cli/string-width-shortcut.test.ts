/**
 * The widths the bundled CLI gives without loading string-width (src/cli/string-width-shortcut.ts)
 * are string-width's own, for every character the shortcut takes and every pair of them (a pair is
 * where characters could join into one cluster), in the version yargs' help layout uses.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { shortcutWidth } from '../../src/cli/string-width-shortcut.js';

// cliui's string-width, as installed (package.json overrides it to 8.3.0).
const dir = resolve(import.meta.dirname, '../../node_modules/cliui/node_modules/string-width');
type Width = (s: string, o?: { ambiguousIsNarrow?: boolean }) => number;
const stringWidth = (await import(pathToFileURL(resolve(dir, 'index.js')).href)).default as Width;

const chars: string[] = [];
for (let c = 0; c <= 0x2ff; c++) chars.push(String.fromCodePoint(c));
chars.push('\u00d7\u0301', '\u200d', '\ufe0f', '\u{1f600}', '\u3042', '\u001b[1m');

describe('string-width shortcut', () => {
  it('is read from string-width 8.3.0', () => {
    expect(JSON.parse(readFileSync(resolve(dir, 'package.json'), 'utf8')).version).toBe('8.3.0');
  });

  it('every character it takes, alone, in both ambiguity settings', () => {
    for (const c of chars)
      for (const o of [undefined, { ambiguousIsNarrow: true }, { ambiguousIsNarrow: false }]) {
        const w = shortcutWidth(c, o);
        if (w !== undefined) expect([c, w]).toEqual([c, stringWidth(c, o)]);
      }
    expect(shortcutWidth('Sobol, or policy grid \u00d7 Monte Carlo')).toBe(35);
    expect(shortcutWidth('\u00ad')).toBeUndefined(); // the soft hyphen is drawn as nothing
    expect(shortcutWidth('\u00d7', { ambiguousIsNarrow: false })).toBeUndefined();
    expect(shortcutWidth(7)).toBeUndefined();
  });

  it('every pair of characters it takes', () => {
    const taken = chars.filter((c) => shortcutWidth(c) !== undefined);
    expect(taken.length).toBe(95 + 95);
    let wrong = 0;
    for (const a of taken) for (const b of taken) if (stringWidth(a + b) !== shortcutWidth(a + b)) wrong++;
    expect(wrong).toBe(0);
  });
});
