/**
 * Text that came from a file, safe to print. One rule for every report: see terminal-text.ts
 * (`\n`, `\r`, `\t`, otherwise `\u001b` and so on, as in JSON).
 */
export { escapeControl as printable } from './terminal-text.js';
