/**
 * Huge lists in valid files, through the CLI in-process: a spread of a list into a call
 * (`Math.min(...values)`, `problems.push(...more)`) overflowed the stack, an internal error. Each
 * list here is just past the count that overflows this process's stack, measured, not assumed.
 *
 * This file runs with a small stack (vitest.config.ts, project `small-stack`): a spread takes stack
 * in proportion to its arguments, so a list that overflows a 1/8 stack is 1/8 the length of one that
 * overflows the CLI's 1 MB, and proves the same — no list of the file's is spread — at 1/8 the cost of
 * reading it (the yaml package reads a few seconds per 100,000 values).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, ROOT } from './harness.js';

const dir = mkdtempSync(join(tmpdir(), 'policysim-hostile-lists-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('huge lists in valid files (spread into Math.min / push overflowed the stack)', () => {
  // Just past where a spread into a call overflows this process's stack (about 14,000 arguments on
  // this file's 128 KB, 125,000 on Node's default 1 MB; measured, not assumed): more values would
  // test nothing more.
  const N = Math.ceil(spreadOverflow() * 1.05);

  it('past the spread limit: the count is one a spread into a call cannot take', () => {
    expect(() => Math.min(...new Array<number>(N).fill(0))).toThrow(RangeError);
  });

  it(`choice with ${N >= 100_000 ? 'over 100,000' : N} values`, async () => {
    const f = join(dir, 'choice.yaml');
    const values = Array.from({ length: N }, (_, i) => (i % 2 ? '0.02' : '0.05')).join(',');
    const weights = Array.from({ length: N }, () => '1').join(',');
    writeFileSync(
      f,
      `name: choice\ndescription: x\nuncertainties:\n  parameters:\n    ftz_trade: { dist: choice, values: [${values}], weights: [${weights}] }\n`,
    );
    const r = await cli('validate', f);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`${f}: ok (scenario)\n`);
  });

  it(`an empirical table with ${N >= 100_000 ? 'over 100,000' : N} rows is valid`, async () => {
    const f = join(dir, 'empirical.yaml');
    const values = Array.from({ length: N }, (_, i) => (i % 2 ? '0.02' : '0.05')).join(',');
    writeFileSync(
      f,
      `name: empirical\ndescription: x\nuncertainties:\n  parameters:\n    ftz_trade: { dist: empirical, values: [${values}] }\n`,
    );
    const r = await cli('validate', f);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`${f}: ok (scenario)\n`);
  });

  it('an uncertainties include with as many bad parameters: the first 50 problems and the count', async () => {
    // Each check's problems were appended with push(...list): this many overflowed the stack
    // (an internal error) before they could be counted.
    const inc = join(dir, 'many-unknown.yaml');
    let text = 'parameters:\n';
    for (let i = 0; i < N; i++) text += `  p${i}: 1\n`;
    writeFileSync(inc, text);
    const f = join(dir, 'includes-many.yaml');
    writeFileSync(f, 'name: many\ndescription: x\nuncertainties:\n  include: many-unknown.yaml\n');
    const r = await cli('validate', f);
    expect(r.stderr).not.toContain('internal error');
    const lines = r.stderr.slice(0, -1).split('\n');
    expect(lines).toHaveLength(52);
    expect(lines[0]).toBe(`${inc}:2:7: parameters.p0: expected a mapping, got 1`);
    expect(lines[49]).toBe(`${inc}:51:8: parameters.p49: expected a mapping, got 1`);
    expect(lines[50]).toBe(`... and ${(N - 50).toLocaleString('en-US')} more problems`);
    expect(r.code).toBe(2);
  });

  it('a grid factor with as many levels', async () => {
    const f = join(dir, 'grid.yaml');
    const levels = Array.from({ length: N }, (_, i) => String(i / N)).join(',');
    writeFileSync(
      f,
      `name: grid\ndescription: x\nscenario: ${resolve(ROOT, 'scenarios/baseline.yaml')}\ndesign: grid\nfactors:\n  openness: { levels: [${levels}], from: 2017 }\noutputs:\n  - { indicator: trade_dependence, region: northeast, year: 2020 }\n`,
    );
    const r = await cli('validate', f);
    expect(r.stderr).toBe('');
    expect(r.stdout).toBe(`${f}: ok (sweep)\n`);
  });
});

/** The fewest arguments a spread into a call overflows the stack with, here (by bisection). */
function spreadOverflow(): number {
  const fits = (n: number): boolean => {
    try {
      Math.min(...new Array<number>(n).fill(0));
      return true;
    } catch (e) {
      if (e instanceof RangeError) return false;
      throw e;
    }
  };
  let lo = 1024;
  let hi = 2048;
  while (fits(hi)) [lo, hi] = [hi, hi * 2];
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid;
  }
  return hi;
}
