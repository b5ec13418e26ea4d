/**
 * The generated kernel contains only numbers, operators, Math functions and names the compiler made:
 * no text a model author wrote reaches `new Function`.
 */
import { describe, expect, it } from 'vitest';
import { numberLiteral } from '../../src/model/codegen.js';
import type { CompiledModel } from '../../src/model/compiled-model.js';
import { FUNCTIONS } from '../../src/model/expression.js';
import { loadModel } from '../../src/model/load-model.js';

/** Words the kernel templates use. */
const TEMPLATE_WORDS = new Set([
  'const',
  'return',
  'function',
  'init',
  'step',
  'P',
  'L',
  'X',
  'S',
  'OUT',
  'yi',
  'year',
  't',
  'lb',
  'xb',
  'o',
  'BASE',
  'LB',
  'XB',
  'NS',
  'Math',
  // the fast kernel's domain marks: if (v < 0) S[k] = NaN;
  'if',
  'NaN',
]);
/** Compiler-made locals: a short prefix and slot numbers (g0, gn1, a2_0, n0_1, v3_2, w1_0, ag0_0, rf4, h0, ...). */
const LOCAL = /^[a-z]{1,2}\d+(_\d+)?$/;
/** Math members an equation can turn into: the whitelisted functions plus what pow, ^, clamp and log lower to. */
const MATH = new Set([
  ...Object.keys(FUNCTIONS).filter((f) => f !== 'ifelse' && f !== 'clamp'),
  'pow',
  'min',
  'max',
  'log',
]);

/** Every token of the source: identifiers (with a `Math.` prefix kept) and numbers. */
function tokens(source: string): { identifiers: string[]; numbers: string[] } {
  const identifiers: string[] = [];
  const numbers: string[] = [];
  for (const m of source.matchAll(/Math\.[A-Za-z_$][\w$]*|[A-Za-z_$][\w$]*|\d+(?:\.\d+)?(?:e[+-]?\d+)?/g)) {
    if (/^\d/.test(m[0])) numbers.push(m[0]);
    else identifiers.push(m[0]);
  }
  return { identifiers, numbers };
}

function userNames(m: CompiledModel): string[] {
  const f = m.file;
  return [
    ...Object.keys(f.regions),
    ...Object.keys(f.aggregates),
    ...(f.reference ? [f.reference.id] : []),
    ...Object.keys(f.parameters),
    ...Object.keys(f.levers),
    ...Object.keys(f.globals.states),
    ...Object.keys(f.globals.auxiliaries),
    ...Object.keys(f.states),
    ...Object.keys(f.auxiliaries),
    ...Object.keys(f.indicators),
  ];
}

function expectOnlyCompilerText(source: string): void {
  const { identifiers, numbers } = tokens(source);
  const strange = identifiers.filter((id) => {
    if (id.startsWith('Math.')) return !MATH.has(id.slice(5));
    return !TEMPLATE_WORDS.has(id) && !LOCAL.test(id);
  });
  expect(strange).toEqual([]);
  for (const n of numbers) expect(Number.isFinite(Number(n)), n).toBe(true);
  // no strings, comments, property access other than Math.*, template literals or statements separators beyond ';'
  expect(source).not.toMatch(/["'`]|\/\/|\/\*|\[\s*["'`]/);
  expect(source.replace(/Math\.[a-z]+/g, '')).not.toMatch(/[A-Za-z_$\])]\s*\.\s*[A-Za-z_$]/);
}

describe('generated kernel source', () => {
  it('(the check itself catches a leaked name, a string and a property access)', () => {
    expect(() => expectOnlyCompilerText('const a0_0 = P[0] * evil_name;')).toThrow();
    expect(() => expectOnlyCompilerText('const a0_0 = "x";')).toThrow();
    expect(() => expectOnlyCompilerText('const a0_0 = S.constructor;')).toThrow();
    expect(() => expectOnlyCompilerText('const a0_0 = Math.random();')).toThrow();
    expect(() => expectOnlyCompilerText('const a0_0 = Math.pow(P[0], 2);')).not.toThrow();
  });

  const evil = loadModel('tests/fixtures/models/evil-names.yaml');

  it('contains no user-supplied name (every name in evil-names.yaml contains "evil")', () => {
    for (const name of userNames(evil)) expect(name).toContain('evil');
    expect(evil.source.step).not.toContain('evil');
    expect(evil.source.init).not.toContain('evil');
  });

  it('contains only numbers, Math.* and compiler names', () => {
    expectOnlyCompilerText(evil.source.step);
    expectOnlyCompilerText(evil.source.init);
  });

  it('the built-in model: no model name appears as a word in its kernel, and only compiler text', () => {
    const m = loadModel();
    for (const name of userNames(m)) {
      expect(new RegExp(`\\b${name}\\b`).test(m.source.step), name).toBe(false);
      expect(new RegExp(`\\b${name}\\b`).test(m.source.init), name).toBe(false);
    }
    expectOnlyCompilerText(m.source.step);
    expectOnlyCompilerText(m.source.init);
  });

  it('still computes what the equations say (year, t and pi resolve; slots are right)', () => {
    // evil_aux(2021) in evil_region = 0.25·2 + 0 (lever) + 2·evil_global(2020)=2 + 2021 + 1 + π + 0.25^1 + √2
    // evil_state(2021) = 2 + evil_aux; the indicator divides by evil_per_region = 2.
    const P = evil.defaultParams();
    const S = new Float64Array(evil.stateCount);
    const OUT = new Float64Array(2 * evil.seriesCount);
    evil.init(P, S, OUT);
    evil.step(P, new Float64Array(2 * evil.leverBlock), new Float64Array(0), S, OUT, 1, 2021);
    const aux = 0.5 + 0 + 2 + 2021 + 1 + Math.PI + 0.25 + Math.SQRT2;
    expect(OUT[evil.seriesCount + evil.seriesIndex('evil_indicator', 'evil_region')!]).toBeCloseTo((2 + aux) / 2, 10);
    // evil_other_region: 0.25·3 + 2 + 2021 + 1 + π + 0.25 + √3, from 3, divided by 3
    const aux2 = 0.75 + 2 + 2021 + 1 + Math.PI + 0.25 + Math.sqrt(3);
    expect(OUT[evil.seriesCount + evil.seriesIndex('evil_indicator', 'evil_other_region')!]).toBeCloseTo(
      (3 + aux2) / 3,
      10,
    );
    // the reference: evil_global(2021) = 1 · 1.25
    expect(OUT[evil.seriesCount + evil.seriesIndex('evil_indicator', 'evil_reference')!]).toBe(1.25);
  });

  it('user names that look like compiler names (P, S, OUT, h0, a0_0, Math) capture nothing', () => {
    const m = loadModel('tests/fixtures/models/compiler-names.yaml');
    const P = m.defaultParams();
    const S = new Float64Array(m.stateCount);
    const OUT = new Float64Array(4 * m.seriesCount);
    m.init(P, S, OUT);
    for (let yi = 1; yi < 4; yi++)
      m.step(P, new Float64Array(4 * m.leverBlock), new Float64Array(0), S, OUT, yi, 2020 + yi);
    const s = m.seriesIndex('a0_0', 'o')!;
    // Math(y) = 3 Math(y-1) + 12 from 2: 2, 18, 66, 210
    expect([0, 1, 2, 3].map((yi) => OUT[yi * m.seriesCount + s])).toEqual([2, 18, 66, 210]);
  });
});

describe('numberLiteral', () => {
  it('emits a literal that parses back to the same double; negatives in parentheses', () => {
    for (const v of [0, 1, 0.1, 1 / 3, Math.PI, 1e-300, 1.7976931348623157e308, 123456789.123456789, -2.5]) {
      const lit = numberLiteral(v);
      expect(Function(`return ${lit};`)(), lit).toBe(v);
    }
    expect(numberLiteral(-2.5)).toBe('(-2.5)');
  });

  it('refuses to emit a non-finite constant', () => {
    expect(() => numberLiteral(NaN)).toThrow('non-finite constant NaN cannot be emitted');
    expect(() => numberLiteral(Infinity)).toThrow('non-finite constant Infinity cannot be emitted');
  });
});
