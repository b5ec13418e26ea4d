import { UserError } from './diagnostics.js';

/**
 * JSON.parse for a file's text, with a syntax error reported the way every other input problem is:
 * at its line and column in the file. V8 says only "… in JSON at position 50" (Node 20), an offset a
 * user cannot find in an editor. `what` names the file's kind in the message ("not JSON", or "not a
 * policysim partial-state file (not JSON)").
 */
export function parseJsonText(text: string, file: string, what = 'not JSON'): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    const reason = (e as Error).message;
    const at = /\bat position (\d+)/.exec(reason);
    // "Unexpected end of JSON input" carries no position: the end of the text is where it stopped.
    const offset = at ? Number(at[1]) : /end of JSON input/.test(reason) ? text.length : undefined;
    const detail = reason
      .replace(/\s*\(line \d+ column \d+\)/, '')
      .replace(/ in JSON at position \d+/, '')
      .replace(/ at position \d+/, '');
    throw new UserError({
      location: offset === undefined ? { file } : { file, ...lineColumn(text, offset) },
      path: '',
      message: `${what}: ${detail}`,
    });
  }
}

/** 1-based line and column (in UTF-16 units, as editors count) of a string offset. */
function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    start = i + 1;
  }
  return { line, column: offset - start + 1 };
}
