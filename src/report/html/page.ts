/**
 * The HTML page: one self-contained file (inline CSS, charts as inline SVG, no script, no font, no
 * image, no link to fetch), readable on a laptop and printable on A4.
 */
import { escapeControlLines } from '../../util/terminal-text.js';

/**
 * Text from a file or a user, safe in HTML: markup characters as entities, control characters
 * escaped as in every report (src/util/terminal-text.ts; line breaks are only whitespace here).
 */
export function esc(text: string): string {
  return escapeControlLines(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

export interface Fact {
  readonly term: string;
  readonly value: string;
  /** Show as code (the command). */
  readonly code?: boolean;
}

export function facts(list: readonly Fact[]): string {
  const items = list.map(
    (f) => `<dt>${esc(f.term)}</dt><dd>${f.code ? `<code>${esc(f.value)}</code>` : esc(f.value)}</dd>`,
  );
  return `<dl class="facts">${items.join('')}</dl>`;
}

/** A table; `numeric` columns are right-aligned. Cells are plain text. */
export function table(
  header: readonly string[],
  rows: readonly (readonly string[])[],
  numeric: readonly number[] = [],
): string {
  const cls = (i: number): string => (numeric.includes(i) ? ' class="num"' : '');
  const head = `<tr>${header.map((h, i) => `<th${cls(i)}>${esc(h)}</th>`).join('')}</tr>`;
  const body = rows.map((r) => `<tr>${r.map((c, i) => `<td${cls(i)}>${esc(c)}</td>`).join('')}</tr>`).join('\n');
  return `<table><thead>${head}</thead><tbody>\n${body}\n</tbody></table>`;
}

/** A chart: its SVG and a caption saying how to read it. */
export function figure(id: string, svg: string, caption: string): string {
  return `<figure class="chart" data-chart="${esc(id)}">${svg}<figcaption>${esc(caption)}</figcaption></figure>`;
}

const CSS = `
:root { color-scheme: light; }
body { font-family: Helvetica, Arial, sans-serif; font-size: 14px; line-height: 1.45; color: #1a1a1a;
  max-width: 900px; margin: 0 auto; padding: 16px 20px 48px; background: #fff; }
h1 { font-size: 22px; margin: 8px 0 4px; }
h2 { font-size: 18px; margin: 32px 0 6px; border-bottom: 2px solid #0072B2; padding-bottom: 2px; }
h3 { font-size: 15px; margin: 20px 0 6px; }
p.lede { color: #444; margin: 0 0 12px; }
p.warning { color: #8a3200; background: #fff4e5; border-left: 4px solid #D55E00; padding: 4px 8px; margin: 6px 0; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 14px; margin: 8px 0 12px; }
dl.facts dt { font-weight: bold; color: #444; }
dl.facts dd { margin: 0; overflow-wrap: anywhere; }
code { font-family: Menlo, Consolas, "DejaVu Sans Mono", monospace; font-size: 12.5px; background: #f3f3f3;
  padding: 1px 4px; border-radius: 3px; }
table { border-collapse: collapse; margin: 6px 0 14px; font-size: 13px; }
th, td { border-bottom: 1px solid #ddd; padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #f3f6f9; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.reached { color: #009E73; font-weight: bold; }
.not-reached { color: #D55E00; font-weight: bold; }
figure.chart { margin: 14px 0 22px; }
figure.chart svg { max-width: 100%; height: auto; display: block; }
figcaption { font-size: 12.5px; color: #444; margin-top: 4px; max-width: 760px; }
footer { margin-top: 40px; font-size: 12px; color: #666; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 11pt; }
  h2 { break-after: avoid; }
  figure.chart, table, dl.facts { break-inside: avoid; }
  section.result + section.result { break-before: page; }
}
`;

export function page(title: string, body: string, footer: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<title>${esc(title)}</title>
<style>${CSS}</style>
</head>
<body>
${body}
<footer>${footer}</footer>
</body>
</html>
`;
}
