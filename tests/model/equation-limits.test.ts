/**
 * Long and deep equations, and large models: a long sum is a flat list (no deep recursion anywhere,
 * no nested brackets in the generated code), and beyond the documented limits a clear error.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_KERNEL_EQUATIONS, MAX_MODEL_EQUATIONS } from '../../src/model/compile.js';
import { orderByDependency } from '../../src/model/dependencies.js';
import {
  ExpressionError,
  MAX_EQUATION_CHARS,
  MAX_EQUATION_DEPTH,
  parseExpression,
} from '../../src/model/expression.js';
import { cli } from '../cli/harness.js';
import { modelProblems } from './load-errors.js';

const dir = mkdtempSync(join(tmpdir(), 'policysim-equations-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A one-region model whose state x starts at 0 and adds the auxiliary `s` each year. */
function writeModel(name: string, s: string, extraAux = ''): string {
  const file = join(dir, `${name}.yaml`);
  writeFileSync(
    file,
    `name: ${name}
title: generated
base_year: 2020
regions: { a: { name: A } }
parameters:
  p: { value: 0.1, unit: "", range: [0, 1], source: test }
  q: { value: 0.3, unit: "", range: [0, 1], source: test }
states:
  x: { unit: "", initial: 0, next: x + s, source: test }
auxiliaries:
  s: "${s}"
${extraAux}indicators:
  x: { label: X, unit: "", expr: x, aggregate: sum }
`,
  );
  return file;
}

/** x in 2021 (= s, computed once) from `policysim run --format json`. */
async function firstStep(model: string): Promise<number> {
  const scenario = join(dir, `${model.replace(/.*\//, '')}-scenario.yaml`);
  writeFileSync(scenario, `name: t\ndescription: t\nmodel: ${model}\nhorizon: { start: 2020, end: 2021 }\n`);
  const r = await cli('run', scenario, '--format', 'json');
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  const doc = JSON.parse(r.stdout) as { series: { indicator: string; region: string; values: number[] }[] };
  return doc.series.find((s) => s.indicator === 'x' && s.region === 'a')!.values[1]!;
}

const parse = (text: string) => parseExpression(text, (n) => n === 'p' || n === 'q');
const rejection = (text: string): string => {
  try {
    parse(text);
  } catch (e) {
    if (e instanceof ExpressionError) return e.message;
    throw e;
  }
  throw new Error('expected a rejection');
};

describe('long sums compile, run and give the left-to-right sum', () => {
  it('a sum of 2,000 terms (8 KB; the generated code overflowed on its nested brackets)', async () => {
    const terms = Array.from({ length: 2000 }, () => 'p');
    let want = 0.1;
    for (let i = 1; i < 2000; i++) want += 0.1;
    expect(await firstStep(writeModel('sum2000', terms.join(' + ')))).toBe(want);
  });

  it('20,000 terms alternating + and - (one level each in V8 unless written as + alone): bit for bit', async () => {
    const n = 20_000;
    let text = 'p';
    let want = 0.1;
    for (let i = 1; i < n; i++) {
      const v = i % 2 ? 0.3 : 0.1;
      if (i % 3 === 0) {
        text += ` - ${i % 2 ? 'q' : 'p'}`;
        want -= v;
      } else {
        text += ` + ${i % 2 ? 'q' : 'p'}`;
        want += v;
      }
    }
    expect(text.length).toBeLessThan(MAX_EQUATION_CHARS);
    expect(await firstStep(writeModel('alternating', text))).toBe(want);
  });

  it('a product chain and brackets on the left keep the nesting order', () => {
    expect(parse('(p + q) + p - q')).toEqual({
      kind: 'chain',
      first: { kind: 'sym', name: 'p' },
      rest: [
        { op: '+', arg: { kind: 'sym', name: 'q' } },
        { op: '+', arg: { kind: 'sym', name: 'p' } },
        { op: '-', arg: { kind: 'sym', name: 'q' } },
      ],
    });
    // p - (q - p) is not a chain of three: the brackets on the right stay a level of their own.
    expect(parse('p - (q - p)')).toMatchObject({ kind: 'binary', op: '-', right: { kind: 'binary', op: '-' } });
    // * and / do not mix in one chain: p * q / p is (p * q) / p.
    expect(parse('p * q / p')).toMatchObject({ kind: 'binary', op: '/', left: { kind: 'binary', op: '*' } });
    expect(parse('p * q * p * q')).toMatchObject({ kind: 'chain', rest: [{ op: '*' }, { op: '*' }, { op: '*' }] });
    // Only + - * / chain: powers, comparisons and logic keep their nesting.
    expect(parse('(p ^ q) ^ p ^ q')).toMatchObject({ kind: 'binary', op: '^', left: { kind: 'binary', op: '^' } });
    expect(parse('p and q and p')).toMatchObject({ kind: 'binary', op: 'and', left: { kind: 'binary', op: 'and' } });
  });
});

describe('limits on one equation', () => {
  it(`at most ${MAX_EQUATION_CHARS.toLocaleString('en-US')} characters: 200,000 terms and 10 MB are refused before parsing`, () => {
    const big = Array.from({ length: 200_000 }, () => 'p').join(' + ');
    expect(rejection(big)).toBe('equation too long: 799,997 characters (at most 100,000)');
    expect(rejection('p'.repeat(10 * 1024 * 1024))).toBe('equation too long: 10,485,760 characters (at most 100,000)');
  });

  it(`nesting deeper than ${MAX_EQUATION_DEPTH} levels is refused, whatever builds it`, () => {
    const msg = `equation nested too deeply (at most ${MAX_EQUATION_DEPTH} levels of brackets, calls and operators; a chain of + and - counts once)`;
    expect(() => parse(`${'('.repeat(100)}p${')'.repeat(100)}`)).not.toThrow();
    expect(rejection(`${'('.repeat(101)}p${')'.repeat(101)}`)).toBe(msg);
    expect(rejection(`${'('.repeat(5000)}p${')'.repeat(5000)}`)).toBe(msg);
    expect(rejection(Array(20_000).fill('p').join('^'))).toBe(msg);
    expect(rejection(`${'-'.repeat(20_000)}p`)).toBe(msg);
    expect(rejection(`${'exp('.repeat(101)}p${')'.repeat(101)}`)).toBe(msg);
    expect(rejection(Array(101).fill('p').join(' and '))).toBe(msg);
    // 100 levels are fine: 99 calls around a symbol.
    expect(() => parse(`${'abs('.repeat(99)}p${')'.repeat(99)}`)).not.toThrow();
  });

  it('the message in a model file quotes a long equation by its start and end', () => {
    const text = `${Array(20_000).fill('p').join(' + ')} + nope`;
    const [line] = modelProblems(writeModel('unknown-symbol-long', text));
    expect(line).toMatch(/auxiliaries\.s: unknown symbol 'nope' in "/);
    expect(line!.endsWith(`in "${text.slice(0, 100)} … ${text.slice(-60)}"`)).toBe(true);
  });
});

describe('model size', () => {
  // Just past the limit (the model's x, s and indicator x make 3 more): a longer chain checks nothing more.
  const CHAIN = MAX_MODEL_EQUATIONS - 2;
  it(`at most ${MAX_MODEL_EQUATIONS.toLocaleString('en-US')} equations: a chain of ${CHAIN.toLocaleString('en-US')} auxiliaries is refused at once`, () => {
    let aux = '';
    for (let i = 0; i < CHAIN - 1; i++) aux += `  c${i}: c${i + 1} + 1\n`;
    aux += `  c${CHAIN - 1}: "1"\n`;
    const file = writeModel(`chain${CHAIN}`, 'c0', aux);
    expect(modelProblems(file)).toEqual([
      `${file}:11:3: auxiliaries: the model declares 5,001 equations (states, auxiliaries and indicators); at most 5,000 are allowed`,
    ]);
  });

  it(`at most ${MAX_KERNEL_EQUATIONS.toLocaleString('en-US')} values a year (regional equations count once per region)`, () => {
    const file = join(dir, 'many-regions.yaml');
    // Just past the limit: x and its indicator for each region, and the indicator's total.
    const regions = Array.from({ length: MAX_KERNEL_EQUATIONS / 2 }, (_, i) => `  r${i}: { name: R${i} }`).join('\n');
    writeFileSync(
      file,
      `name: m\ntitle: t\nbase_year: 2020\nregions:\n${regions}\nstates:\n  x: { unit: "", initial: 0, next: x + 1, source: t }\nindicators:\n  x: { label: X, unit: "", expr: x, aggregate: sum }\n`,
    );
    expect(modelProblems(file)).toEqual([
      `${file}:5:3: regions: the model computes 50,001 values a year (its regional equations and indicators for each of 25,000 regions); at most 50,000 are allowed`,
    ]);
  });

  it('a long chain and a long cycle of auxiliaries below the limit: ordered, and the cycle named briefly', () => {
    let aux = '';
    for (let i = 0; i < 4000; i++) aux += `  c${i}: c${i + 1} + 1\n`;
    aux += '  c4000: "1"\n';
    expect(() => modelProblems(writeModel('chain4000', 'c0', aux))).toThrow(/expected .* to be rejected/);
    let cyc = '';
    for (let i = 0; i < 4000; i++) cyc += `  c${i}: c${(i + 1) % 4000} + 1\n`;
    const file = writeModel('cycle4000', 'c0', cyc);
    expect(modelProblems(file)).toEqual([
      `${file}:12:7: auxiliaries.c0: auxiliaries form a cycle: c0 → c1 → c2 → c3 → c4 → c5 → c6 → c7 → c8 → c9 → … 3,990 more → c0`,
    ]);
  });
});

describe('dependency ordering has no recursion', () => {
  const n = 300_000;
  it('a chain of 300,000 declared in reverse: each after the one it reads', () => {
    const deps = Array.from({ length: n }, (_, i) => (i + 1 < n ? [i + 1] : []));
    const res = orderByDependency(
      deps.map((_, i) => `c${i}`),
      deps,
    );
    expect(res.order).toHaveLength(n);
    expect(res.order![0]).toBe(n - 1);
    expect(res.order![n - 1]).toBe(0);
  });

  it('a cycle of 300,000 is found whole', () => {
    const deps = Array.from({ length: n }, (_, i) => [(i + 1) % n]);
    const res = orderByDependency(
      deps.map((_, i) => `c${i}`),
      deps,
    );
    expect(res.cycle).toHaveLength(n);
    expect(res.cycle!.slice(0, 3)).toEqual([0, 1, 2]);
  });

  it('ties keep declaration order; a self-reference is a cycle', () => {
    expect(orderByDependency(['a', 'b', 'c', 'd'], [[2], [], [1], []]).order).toEqual([1, 2, 0, 3]);
    expect(orderByDependency(['a'], [[0]]).cycle).toEqual([0]);
  });
});
