/**
 * PRIM on synthetic data with a known box: inputs uniform on the unit cube, the target reached exactly
 * when x1 > 0.7 and x2 < 0.3. The box must come back within sampling error, the other inputs left
 * unrestricted; and `policysim discover` gives the same box from a Monte Carlo as from its --save-runs file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { discover, discoverySentence } from '../../src/decision/discover.js';
import { binomialUpperTail, chooseBox, peel } from '../../src/decision/prim.js';
import { runStream } from '../../src/montecarlo/rng.js';
import { cli } from '../cli/harness.js';

function synthetic(n: number, D: number, seed: number) {
  const X = new Float64Array(n * D);
  const y = new Uint8Array(n);
  const next = runStream(seed, 0);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < D; j++) X[i * D + j] = next();
    y[i] = X[i * D]! > 0.7 && X[i * D + 1]! < 0.3 ? 1 : 0;
  }
  return { X, y, n, D };
}

describe('PRIM on a known box', () => {
  const n = 3000;
  const D = 5;
  const data = synthetic(n, D, 3);
  const labels = ['x1', 'x2', 'x3', 'x4', 'x5'];

  it('recovers x1 > 0.7 and x2 < 0.3 within sampling error, and leaves x3..x5 unrestricted', () => {
    const d = discover(data, labels);
    const [x1, x2, ...rest] = d.limits;
    // Runs are 1/3000 apart on average; a peel or paste moves the bound by about 5% of the box's runs.
    expect(x1!.lower).toBeGreaterThanOrEqual(0.7);
    expect(x1!.lower!).toBeLessThan(0.72);
    expect(x1!.upper).toBeNull();
    expect(x2!.lower).toBeNull();
    expect(x2!.upper!).toBeLessThan(0.3);
    expect(x2!.upper!).toBeGreaterThan(0.28);
    for (const l of rest) expect([l.parameter, l.lower, l.upper]).toEqual([l.parameter, null, null]);
    expect(d.box.density).toBe(1);
    expect(d.box.coverage).toBeGreaterThan(0.9);
    // The box holds about 0.3 * 0.3 = 9% of the runs.
    expect(Math.abs(d.box.mass - 0.09)).toBeLessThan(0.015);
    expect(discoverySentence(d, 'T')).toMatch(/^T: reached in 100% of futures where x1 >= 0\.7\d* and x2 <= 0\.2\d+ /);
  });

  it('the trade-off curve: coverage never rises and density never falls along the peels', () => {
    const curve = peel(data);
    expect(curve[0]).toMatchObject({ count: n, coverage: 1, mass: 1 });
    for (let i = 1; i < curve.length; i++) {
      expect(curve[i]!.coverage).toBeLessThanOrEqual(curve[i - 1]!.coverage);
      expect(curve[i]!.density).toBeGreaterThanOrEqual(curve[i - 1]!.density);
      // Each peel removes about alpha = 5% of the box's runs.
      expect(curve[i]!.count).toBeLessThan(curve[i - 1]!.count);
    }
    expect(curve[chooseBox(curve, 0.5)]!.density).toBe(1);
  });

  it('is deterministic: the same data give the same boxes', () => {
    expect(JSON.stringify(discover(synthetic(n, D, 3), labels))).toBe(JSON.stringify(discover(data, labels)));
  });
});

describe('policysim discover', () => {
  it('gives the same box from a Monte Carlo and from its --save-runs CSV', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'discover-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const csv = join(dir, 'runs.csv');
    const scenario = 'tests/fixtures/decision/linear-b.yaml';
    const mc = await cli(
      'mc',
      scenario,
      '--runs',
      '500',
      '--workers',
      '0',
      '--save-runs',
      csv,
      '--out',
      join(dir, 'mc.json'),
    );
    expect(mc.code, mc.stderr).toBe(0);
    const direct = await cli('discover', scenario, '--runs', '500', '--format', 'json');
    const fromFile = await cli('discover', '--runs-file', csv, '--target', '1', '--format', 'json');
    expect(direct.code, direct.stderr).toBe(0);
    expect(fromFile.code, fromFile.stderr).toBe(0);
    const a = JSON.parse(direct.stdout);
    const b = JSON.parse(fromFile.stdout);
    expect(a.schema).toBe('policysim.discover/2');
    expect(JSON.stringify(b.curve)).toBe(JSON.stringify(a.curve));
    expect(JSON.stringify(b.box)).toBe(JSON.stringify(a.box));
    // y = 6 * beta + n >= 5: only beta is a box input; a high beta makes it.
    expect(a.box.limits).toHaveLength(1);
    expect(a.box.limits[0].parameter).toBe('beta');
    expect(a.box.limits[0].lower).toBeGreaterThan(0.5);
    expect(a.box.limits[0].upper).toBeNull();
    expect(a.sentence).toMatch(/^y at least 5 in 2030: reached in \d+% of futures where beta >= /);
  });
});

describe('PRIM with a noisy outcome', () => {
  it('keeps only the restrictions chance cannot explain (quasi-p-values), here x1 and x2', () => {
    const n = 3000;
    const D = 6;
    const X = new Float64Array(n * D);
    const y = new Uint8Array(n);
    const next = runStream(5, 0);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < D; j++) X[i * D + j] = next();
      // Reached in 80% of the runs inside the box, never outside it.
      y[i] = X[i * D]! > 0.7 && X[i * D + 1]! < 0.3 && next() < 0.8 ? 1 : 0;
    }
    const d = discover({ X, y, n, D }, ['x1', 'x2', 'x3', 'x4', 'x5', 'x6']);
    const restricted = d.limits.filter((l) => l.lower !== null || l.upper !== null).map((l) => l.parameter);
    expect(restricted).toEqual(['x1', 'x2']);
    // With noise, peeling past the true edge can gain density by chance: the box lies inside the true one.
    expect(d.limits[0]!.lower!).toBeGreaterThan(0.69);
    expect(d.limits[0]!.lower!).toBeLessThan(0.78);
    expect(d.limits[1]!.upper!).toBeLessThan(0.31);
    expect(d.limits[1]!.upper!).toBeGreaterThan(0.22);
    for (const l of d.limits.slice(0, 2)) expect(l.qpValue!).toBeLessThan(1e-6);
    expect(Math.abs(d.box.density - 0.8)).toBeLessThan(0.06);
  });

  it('binomial upper tail by hand: P(X >= 2 | 3, 0.5) = 0.5, P(X >= 3 | 3, 0.5) = 0.125', () => {
    expect(binomialUpperTail(2, 3, 0.5)).toBeCloseTo(0.5, 12);
    expect(binomialUpperTail(3, 3, 0.5)).toBeCloseTo(0.125, 12);
    expect(binomialUpperTail(0, 3, 0.2)).toBe(1);
    // 1 - (0.8^3 + 3 * 0.2 * 0.8^2) = 0.104
    expect(binomialUpperTail(2, 3, 0.2)).toBeCloseTo(0.104, 12);
  });
});
