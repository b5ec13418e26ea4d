/** Text that came from a file, safe to print: control characters shown as \xNN escapes. */
export function printable(s: string): string {
  let out = '';
  for (const ch of s) {
    const c = ch.charCodeAt(0);
    out += c < 0x20 || c === 0x7f || (c >= 0x80 && c < 0xa0) ? `\\x${c.toString(16).padStart(2, '0')}` : ch;
  }
  return out;
}
