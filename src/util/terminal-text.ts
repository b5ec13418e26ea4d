/**
 * Text that came from a file, made safe to print: every control character (C0, DEL, C1) is shown as
 * an escape, so a name or a key cannot clear the screen, retitle the terminal (ANSI/OSC sequences)
 * or forge an extra output line. `\n`, `\r` and `\t` keep their usual spelling; the others appear as
 * `\u001b` and so on, as in JSON.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const HAS_CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

const SHORT: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

export function escapeControl(text: string): string {
  if (!HAS_CONTROL.test(text)) return text;
  return text.replace(CONTROL, (c) => SHORT[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The same, for a message whose own line breaks are meant (a failure with its replay hint). */
export function escapeControlLines(text: string): string {
  return text.split('\n').map(escapeControl).join('\n');
}
