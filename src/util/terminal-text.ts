/**
 * Text that came from a file, made safe to print: every control character (C0, DEL, C1) is shown as
 * an escape, so a name or a key cannot clear the screen, retitle the terminal (ANSI/OSC sequences)
 * or forge an extra output line. `\n`, `\r` and `\t` keep their usual spelling; the others appear as
 * `\u001b` and so on, as in JSON.
 *
 * So are the invisible bidirectional formatting characters (embeddings and overrides U+202A-U+202E,
 * isolates U+2066-U+2069, the marks U+200E, U+200F, U+061C) and the line and paragraph separators
 * U+2028, U+2029: a name holding U+202E would print the rest of the line backwards ("Trojan Source"),
 * so a message could show a file name, a value or a verdict other than the one it holds.
 */

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const HAS_CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

const SHORT: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

export function escapeControl(text: string): string {
  if (!HAS_CONTROL.test(text)) return text;
  return text.replace(CONTROL, (c) => SHORT[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** The same, for a message whose own line breaks are meant (a failure with its replay hint). */
export function escapeControlLines(text: string): string {
  return text.split('\n').map(escapeControl).join('\n');
}
