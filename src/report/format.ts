/** Number and text formatting shared by the human-readable reports. */

import { escapeControl } from '../util/terminal-text.js';

/**
 * Text from a file (a scenario's name, a model's labels), as the reports print it: with its control
 * characters escaped, so that it cannot drive the terminal or start a line of its own.
 */
export const shown = escapeControl;

/**
 * JSON as the reports write it: JSON.stringify escapes C0 controls but leaves DEL and the C1 controls
 * (U+0080-U+009F, which some terminals obey) raw, and the bidirectional formatting characters and
 * line separators terminal-text.ts escapes; they are escaped too. Only strings can hold them, so the
 * document is the same JSON value.
 */
export function jsonText(value: unknown): string {
  return `${JSON.stringify(value, null, 2).replace(/[\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)}\n`;
}

export function fixed(v: number, decimals: number): string {
  if (!Number.isFinite(v)) return String(v);
  const s = v.toFixed(decimals);
  return s === `-${(0).toFixed(decimals)}` ? (0).toFixed(decimals) : s;
}

/** A whole number with thousands separators (10,000,000), the same on every machine: no locale. */
export function count(n: number): string {
  return Number.isSafeInteger(n) ? String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',') : String(n);
}

export function percent(fraction: number, decimals = 1): string {
  return `${fixed(100 * fraction, decimals)}%`;
}

/** Right-aligned columns with a header; the first column left-aligned. */
export function renderTable(header: readonly string[][], body: readonly string[][]): string {
  // Cells may hold names from files; a loop rather than Math.max(...) for tables of any length.
  const printable = (line: readonly string[]): string[] => line.map(escapeControl);
  const head = header.map(printable);
  const rows = body.map(printable);
  let cols = 0;
  for (const line of [head, rows]) for (const r of line) cols = Math.max(cols, r.length);
  const width = new Array<number>(cols).fill(0);
  for (const line of [...head, ...rows]) line.forEach((cell, i) => (width[i] = Math.max(width[i]!, cell.length)));
  const fmt = (line: readonly string[]): string =>
    line
      .map((cell, i) => (i === 0 ? cell.padEnd(width[i]!) : cell.padStart(width[i]!)))
      .join('  ')
      .trimEnd();
  const rule = width.map((w) => '-'.repeat(w)).join('  ');
  return [...head.map(fmt), rule, ...rows.map(fmt)].join('\n');
}
