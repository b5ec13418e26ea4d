import { describe, expect, it } from 'vitest';
import { formatDiagnostic, MAX_DIAGNOSTICS_SHOWN, renderDiagnostics, UserError } from '../../src/util/diagnostics.js';
import { escapeControl, escapeControlLines } from '../../src/util/terminal-text.js';

describe('control characters from files', () => {
  it('every C0 control, DEL and C1 control is escaped; other text is unchanged', () => {
    expect(escapeControl('\u001b]0;title\u0007\u001b[2J')).toBe('\\u001b]0;title\\u0007\\u001b[2J');
    expect(escapeControl('a\nb\rc\td')).toBe('a\\nb\\rc\\td');
    expect(escapeControl('\u0000\u001f\u007f\u0080\u009b\u009f')).toBe('\\u0000\\u001f\\u007f\\u0080\\u009b\\u009f');
    expect(escapeControl('café — 东北 \\ "q"')).toBe('café — 东北 \\ "q"');
    for (let c = 0; c < 0xa0; c++) {
      const out = escapeControl(String.fromCharCode(c));
      const control = c < 0x20 || (c >= 0x7f && c < 0xa0);
      expect(/^[\x20-\x7e]+$/.test(out), `U+${c.toString(16)}`).toBe(true);
      expect(out.length > 1, `U+${c.toString(16)}`).toBe(control);
    }
  });

  it('the bidirectional formatting characters and line separators are escaped too (Trojan Source)', () => {
    // 'ok.yaml' + RLO + 'lmay.live': shown raw, the terminal would print the end of the name reversed.
    expect(escapeControl('ok\u202elmay.live')).toBe('ok\\u202elmay.live');
    const bidi = [0x061c, 0x200e, 0x200f, 0x2028, 0x2029, 0x202a, 0x202b, 0x202c, 0x202d, 0x202e];
    for (const c of [...bidi, 0x2066, 0x2067, 0x2068, 0x2069])
      expect(escapeControl(`a${String.fromCharCode(c)}b`)).toBe(`a\\u${c.toString(16).padStart(4, '0')}b`);
    // Their neighbours are text: the zero-width joiner of emoji sequences, the en dash, U+2027, U+202F, U+2065.
    for (const c of [0x200d, 0x2013, 0x2027, 0x202f, 0x2065])
      expect(escapeControl(String.fromCharCode(c))).toBe(String.fromCharCode(c));
  });

  it('a message keeps its own line breaks, not those inside it', () => {
    expect(escapeControlLines('failed: \u001b[2J\n  replay it with: x')).toBe(
      'failed: \\u001b[2J\n  replay it with: x',
    );
  });

  it('a diagnostic is one line whatever its parts hold', () => {
    const line = formatDiagnostic({
      location: { file: 'a\nb.yaml', line: 2, column: 3 },
      path: 'name\u001b',
      message: "unknown key 'x\npolicysim: error: forged'",
      hint: '\u009b',
    });
    expect(line).toBe("a\\nb.yaml:2:3: name\\u001b: unknown key 'x\\npolicysim: error: forged' (\\u009b)");
  });
});

describe('the number of problems printed', () => {
  const many = (n: number) => Array.from({ length: n }, (_, i) => ({ path: `k${i}`, message: 'unknown key' }));

  it(`shows the first ${MAX_DIAGNOSTICS_SHOWN} and counts the rest`, () => {
    const text = renderDiagnostics(many(200_000), 'policysim: error: ');
    const lines = text.slice(0, -1).split('\n');
    expect(lines).toHaveLength(MAX_DIAGNOSTICS_SHOWN + 1);
    expect(lines[0]).toBe('policysim: error: k0: unknown key');
    expect(lines[49]).toBe('policysim: error: k49: unknown key');
    expect(lines[50]).toBe('policysim: error: ... and 199,950 more problems');
    expect(renderDiagnostics(many(51))).toMatch(/\n\.\.\. and 1 more problem\n$/);
    expect(renderDiagnostics(many(50)).split('\n')).toHaveLength(51);
    // The error keeps all of them for callers; its message is the capped text.
    const e = new UserError(many(1000));
    expect(e.diagnostics).toHaveLength(1000);
    expect(e.message.split('\n')).toHaveLength(51);
  });
});
