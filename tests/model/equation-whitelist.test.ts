/**
 * Model equations are mathjs syntax, translated into a small checked tree: only numbers, known
 * symbols, arithmetic, comparisons, logic and a short list of functions get through. Everything else
 * is rejected with a message for the person who wrote the model.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Expr, ExpressionError, FUNCTIONS, parseExpression, symbolsOf } from '../../src/model/expression.js';
import { modelProblems } from './load-errors.js';

const KNOWN = new Set(['a', 'b', 'c', 'growth']);
const parse = (text: string): Expr =>
  parseExpression(
    text,
    (n) => KNOWN.has(n),
    (n) => (n === 'growht' ? "did you mean 'growth'?" : undefined),
  );
const rejection = (text: string): { message: string; hint: string | undefined } => {
  try {
    parse(text);
  } catch (e) {
    if (e instanceof ExpressionError) return { message: e.message, hint: e.hint };
    throw e;
  }
  throw new Error(`expected "${text}" to be rejected`);
};

describe('what an equation may contain', () => {
  it('arithmetic keeps mathjs precedence: a + b * c ^ 2', () => {
    expect(parse('a + b * c ^ 2')).toEqual({
      kind: 'binary',
      op: '+',
      left: { kind: 'sym', name: 'a' },
      right: {
        kind: 'binary',
        op: '*',
        left: { kind: 'sym', name: 'b' },
        right: { kind: 'binary', op: '^', left: { kind: 'sym', name: 'c' }, right: { kind: 'num', value: 2 } },
      },
    });
  });

  it('unary minus, comparisons, and/or/not', () => {
    expect(parse('-a')).toEqual({ kind: 'unary', op: 'neg', arg: { kind: 'sym', name: 'a' } });
    expect(parse('not (a < b) or b >= c and a != 1')).toMatchObject({ kind: 'binary', op: 'or' });
  });

  it('ifelse(test, then, else) and test ? then : else both become a conditional', () => {
    const want = {
      kind: 'cond',
      test: { kind: 'sym', name: 'a' },
      then: { kind: 'sym', name: 'b' },
      else: { kind: 'num', value: 0 },
    };
    expect(parse('ifelse(a, b, 0)')).toEqual(want);
    expect(parse('a ? b : 0')).toEqual(want);
  });

  it('the functions an equation may call are pure Math functions (or lowered by the compiler)', () => {
    // The whitelist may grow, but only by deterministic Math functions: anything else could reach
    // outside the kernel or make a run irreproducible.
    expect(Object.keys(FUNCTIONS)).toEqual(
      expect.arrayContaining(['min', 'max', 'exp', 'log', 'sqrt', 'abs', 'pow', 'clamp', 'ifelse']),
    );
    for (const f of Object.keys(FUNCTIONS)) {
      if (f === 'clamp' || f === 'ifelse') continue;
      expect(typeof (Math as unknown as Record<string, unknown>)[f], f).toBe('function');
      expect(f).not.toBe('random');
    }
    for (const f of [
      'exp(a)',
      'log(a)',
      'log(a, 10)',
      'sqrt(a)',
      'abs(a)',
      'pow(a, 2)',
      'min(a, b, c)',
      'max(a, b)',
      'clamp(a, 0, 1)',
    ]) {
      expect(parse(f).kind, f).toBe('call');
    }
  });

  it('reports the symbols it reads, once each, in first-use order', () => {
    expect(symbolsOf(parse('b * (a + b) - clamp(c, a, 1)'))).toEqual(['b', 'a', 'c']);
  });
});

describe('what an equation may not contain (exact messages)', () => {
  it.each([
    ['growht * 2', "unknown symbol 'growht'", "did you mean 'growth'?"],
    ['random(a)', "function 'random' is not allowed", `allowed: ${Object.keys(FUNCTIONS).join(', ')}`],
    ['setTimeout(a)', "function 'setTimeout' is not allowed", `allowed: ${Object.keys(FUNCTIONS).join(', ')}`],
    ['a.b', 'property access and indexing are not allowed in an equation', undefined],
    ['a[1]', 'property access and indexing are not allowed in an equation', undefined],
    ['a.constructor', 'property access and indexing are not allowed in an equation', undefined],
    ['constructor', "'constructor' is not allowed in an equation", undefined],
    ['__proto__', "'__proto__' is not allowed in an equation", undefined],
    ['process', "'process' is not allowed in an equation", undefined],
    ['process.exit(1)', 'only named functions may be called', undefined],
    ['import(a)', "'import' is not allowed in an equation", undefined],
    ['eval(a)', "'eval' is not allowed in an equation", undefined],
    ['Function(a)', "'Function' is not allowed in an equation", undefined],
    ['this', "'this' is not allowed in an equation", undefined],
    ['toString', "'toString' is not allowed in an equation", undefined],
    ['a = 3', 'assignments and function definitions are not allowed in an equation', undefined],
    ['f(a) = 3', 'assignments and function definitions are not allowed in an equation', undefined],
    ['1; process', 'an equation is one expression; separators like ";" are not allowed', undefined],
    ['a < b < c', 'chained comparisons are not allowed', 'write (a < b) and (b < c)'],
    ['"text"', 'only finite numbers are allowed as constants (got "text")', undefined],
    ['[1, 2]', 'array expressions are not allowed in an equation', undefined],
    ['a & b', "operator '&' is not allowed", 'allowed: + - * / ^, comparisons, and, or, not'],
    ['a mod b', "operator 'mod' is not allowed", 'allowed: + - * / ^, comparisons, and, or, not'],
    ['min(a)', "function 'min' takes at least 2 arguments, got 1", undefined],
    ['log(a, b, c)', "function 'log' takes 1 or 2 arguments, got 3", undefined],
    ['ifelse(a, b)', "function 'ifelse' takes 3 arguments, got 2", undefined],
    ['', 'empty equation', undefined],
    ['a +', 'cannot parse equation: Unexpected end of expression (char 4)', undefined],
  ])('%j → %s', (text, message, hint) => {
    expect(rejection(text)).toEqual({ message, hint });
  });

  it('a non-finite constant names the value it got (1e400 is Infinity, not "null")', () => {
    expect(rejection('1e400').message).toBe('only finite numbers are allowed as constants (got Infinity)');
  });
});

describe('in a model file: every bad equation reported at once, with file:line:column and field path', () => {
  it('tests/fixtures/models/bad-equations.yaml gives one line per bad equation', () => {
    const f = resolve('tests/fixtures/models/bad-equations.yaml');
    expect(modelProblems('tests/fixtures/models/bad-equations.yaml')).toEqual([
      `${f}:10:48: states.unknown_symbol.next: unknown symbol 'growht' in "unknown_symbol * (1 + growht)" (did you mean 'growth'?)`,
      `${f}:11:53: states.disallowed_function.next: function 'random' is not allowed in "random(disallowed_function)" (allowed: ${Object.keys(FUNCTIONS).join(', ')})`,
      `${f}:12:49: states.property_access.next: property access and indexing are not allowed in an equation in "growth.b"`,
      `${f}:13:50: states.uses_constructor.next: 'constructor' is not allowed in an equation in "constructor"`,
      `${f}:14:44: states.uses_proto.next: '__proto__' is not allowed in an equation in "__proto__ + 1"`,
      `${f}:15:46: states.uses_process.next: 'process' is not allowed in an equation in "process"`,
      `${f}:16:45: states.uses_import.next: 'import' is not allowed in an equation in "import(growth)"`,
    ]);
  });

  it('tests/fixtures/models/bad-contexts.yaml: each equation may read only what its place allows', () => {
    const f = resolve('tests/fixtures/models/bad-contexts.yaml');
    expect(modelProblems('tests/fixtures/models/bad-contexts.yaml')).toEqual([
      `${f}:14:37: globals.states.g.next: 'x' cannot be used here: a global equation may read only global parameters, global states and global auxiliaries`,
      `${f}:18:26: states.x.initial: 'g' cannot be used here: an initial value may read only parameters`,
      `${f}:20:33: indicators.x.expr: 'push' cannot be used here: an indicator may read states and parameters (not auxiliaries or levers)`,
      `${f}:20:70: indicators.x.reference: 'x' cannot be used here: a reference series may read only global states and parameters`,
      `${f}:21:33: indicators.y.expr: 'helper' cannot be used here: an indicator may read states and parameters (not auxiliaries or levers)`,
    ]);
  });
});
