/** Number and text formatting shared by the human-readable reports. */

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
export function renderTable(header: readonly string[][], rows: readonly string[][]): string {
  const cols = Math.max(...header.map((h) => h.length), ...rows.map((r) => r.length));
  const width = new Array<number>(cols).fill(0);
  for (const line of [...header, ...rows]) line.forEach((cell, i) => (width[i] = Math.max(width[i]!, cell.length)));
  const fmt = (line: readonly string[]): string =>
    line
      .map((cell, i) => (i === 0 ? cell.padEnd(width[i]!) : cell.padStart(width[i]!)))
      .join('  ')
      .trimEnd();
  const rule = width.map((w) => '-'.repeat(w)).join('  ');
  return [...header.map(fmt), rule, ...rows.map(fmt)].join('\n');
}
