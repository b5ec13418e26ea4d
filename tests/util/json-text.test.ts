import { describe, expect, it } from 'vitest';
import { UserError } from '../../src/util/diagnostics.js';
import { parseJsonText } from '../../src/util/json-text.js';

const problem = (text: string, what?: string): string => {
  try {
    parseJsonText(text, 'r.json', what);
  } catch (e) {
    if (e instanceof UserError) return e.message;
    throw e;
  }
  throw new Error('parsed');
};

describe('parseJsonText', () => {
  it('parses JSON', () => {
    expect(parseJsonText('{"a": [1, 2]}', 'r.json')).toEqual({ a: [1, 2] });
  });

  it('places a syntax error at its line and column, not at a character offset', () => {
    // Line 3: `  "years": [2015 2016]`; the second year starts at column 18.
    expect(problem('{\n  "schema": "policysim.run/2",\n  "years": [2015 2016]\n}\n')).toBe(
      "r.json:3:18: not JSON: Expected ',' or ']' after array element",
    );
  });

  it('places a file cut short at its end', () => {
    expect(problem('{\n  "years": [2015,\n')).toBe('r.json:3:1: not JSON: Unexpected end of JSON input');
  });

  it('names the kind of file it expected', () => {
    expect(problem('{"a":1} x', 'not a policysim partial-state file (not JSON)')).toBe(
      'r.json:1:9: not a policysim partial-state file (not JSON): Unexpected non-whitespace character after JSON',
    );
  });
});
