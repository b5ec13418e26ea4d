/**
 * Text whose terminal width string-width 8.3.0 (yargs' help layout: cliui, wrap-ansi) gives as its
 * length, known without loading it: it builds an Intl.Segmenter and Unicode-set regexes when loaded
 * (~45 ms), which the bundled CLI defers to the first other text (scripts/bundle-cli.mjs). Printable
 * ASCII is string-width's own first test; printable Latin-1 (accents, ×, but not the soft hyphen) is
 * one column a character unless ambiguous characters are asked to be wide.
 * tests/cli/string-width-shortcut.test.ts checks every character and every pair against string-width.
 */
const PRINTABLE_ASCII = /^[\u0020-\u007E]*$/;
const PRINTABLE_LATIN1 = /^[\u0020-\u007E\u00A0-\u00AC\u00AE-\u00FF]*$/;

export function shortcutWidth(input: unknown, options?: { ambiguousIsNarrow?: boolean }): number | undefined {
  if (typeof input !== 'string') return undefined;
  if (PRINTABLE_ASCII.test(input)) return input.length;
  if (options?.ambiguousIsNarrow !== false && PRINTABLE_LATIN1.test(input)) return input.length;
  return undefined;
}
