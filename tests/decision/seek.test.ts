/**
 * `policysim seek` on the linear fixture (tests/fixtures/decision/models/linear.yaml), whose
 * thresholds are known by hand: x_2030 = beta * sum over 2021-2030 of the lever's yearly value.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { wilsonInterval } from '../../src/util/wilson.js';
import { cli } from '../cli/harness.js';

const LIN = 'tests/fixtures/decision/linear.yaml';

async function seek(...args: string[]) {
  const r = await cli('seek', ...args, '--format', 'json');
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
}

describe('seek, deterministic', () => {
  it('finds the smallest lever value meeting x >= 5 (beta 1: push 0.5) to the resolution', async () => {
    const j = await seek(LIN, '--lever', 'push', '--target', '1');
    expect(j).toMatchObject({ schema: 'policysim.seek/2', mode: 'deterministic', status: 'met' });
    expect(j.knob).toMatchObject({ kind: 'lever', lever: 'push', vary: 'value', range: [0, 1], resolution: 0.001 });
    // 10 * 0.5 = 5 exactly; 0.5 is also a point of the bracketing grid, so the answer is exact.
    expect(j.answer.x).toBe(0.5);
    expect(j.answer).toMatchObject({ met: true, value: 5, reference: 5, gap: 0 });
    const below = j.neighbours.find((p: { x: number }) => p.x < 0.5);
    expect(below.met).toBe(false);
    expect(0.5 - below.x).toBeLessThanOrEqual(0.001);
    expect(below.value).toBeCloseTo(10 * below.x, 12);
  });

  it('by name, the same target', async () => {
    const j = await seek(LIN, '--lever', 'push', '--target', 'x at least 5 in 2030');
    expect(j.answer.x).toBe(0.5);
  });

  it('finds the latest start year: full push from F gives 2031 - F, so F <= 2026', async () => {
    const j = await seek(LIN, '--lever', 'push', '--vary', 'from', '--target', '1');
    expect(j.status).toBe('met');
    expect(j.knob.range).toEqual([2021, 2030]);
    expect(j.answer).toMatchObject({ x: 2026, met: true, value: 5, setting: { value: 1, from: 2026, ramp: 0 } });
    expect(j.neighbours.map((p: { x: number; met: boolean }) => [p.x, p.met])).toContainEqual([2027, false]);
  });

  it('finds the longest ramp: x >= 6.2 needs R = 8 (6.5); R = 9 gives 6.0', async () => {
    const j = await seek(LIN, '--lever', 'push', '--vary', 'ramp', '--target', '4');
    expect(j.status).toBe('met');
    expect(j.answer.x).toBe(8);
    expect(j.answer.value).toBeCloseTo(6.5, 12);
    const nine = j.probes.find((p: { x: number }) => p.x === 9);
    expect(nine.met).toBe(false);
    expect(nine.value).toBeCloseTo(6, 12);
  });

  it('reports "not reachable" with the best gap when even the top of the range falls short', async () => {
    const j = await seek(LIN, '--lever', 'push', '--target', '2');
    expect(j.status).toBe('notReachable');
    expect(j.answer).toBeNull();
    expect(j.best).toMatchObject({ x: 1, value: 10, gap: -10 });
    const t = await cli('seek', LIN, '--lever', 'push', '--target', '2');
    expect(t.stdout).toContain("x at least 20 in 2030: not reachable within the lever's range [0, 1]");
    expect(t.stdout).toContain('gap -10.0000');
  });

  it('brackets a target already met at the lower end (x >= 0 at push 0)', async () => {
    const j = await seek(LIN, '--lever', 'push', '--target', '3');
    expect(j.status).toBe('metAtCheapest');
    expect(j.answer).toMatchObject({ x: 0, met: true, value: 0 });
    expect(j.probes).toHaveLength(1);
  });

  it('--package scales the whole lever set: push 0.6 scaled by 5/6 gives x = 5', async () => {
    const j = await seek('tests/fixtures/decision/linear-b.yaml', '--package');
    expect(j.knob).toMatchObject({ kind: 'package', maxFactor: 1 / 0.6 });
    expect(j.status).toBe('met');
    expect(j.answer.x).toBeGreaterThanOrEqual(5 / 6 - 1e-12);
    expect(j.answer.x - 5 / 6).toBeLessThanOrEqual(j.knob.resolution);
    expect(j.answer.setting).toEqual({ factor: j.answer.x });
  });
});

describe('seek with --probability, on common random numbers', () => {
  it('finds the smallest push with P(x >= 5) >= 0.8: the threshold computed from the runs draws', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'seek-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const csv = join(dir, 'runs.csv');
    const mc = await cli('mc', LIN, '--runs', '400', '--workers', '0', '--save-runs', csv, '--format', 'json');
    expect(mc.code, mc.stderr).toBe(0);
    const lines = readFileSync(csv, 'utf8').trim().split('\n');
    const col = lines[0]!.split(',').indexOf('beta');
    const betas = lines.slice(1).map((l) => Number(l.split(',')[col]));
    // Run k meets x >= 5 at push p iff 10 * beta_k * p >= 5. 80% of 400 = 320 runs must: p* = 0.5 / (320th largest beta).
    const desc = [...betas].sort((a, b) => b - a);
    const pStar = 0.5 / desc[319]!;
    const j = await seek(LIN, '--lever', 'push', '--target', '1', '--probability', '0.8', '--runs', '400');
    expect(j).toMatchObject({ mode: 'probability', probability: 0.8, runs: 400, seed: 11, status: 'met' });
    expect(j.answer.x).toBeGreaterThanOrEqual(pStar - 1e-9);
    expect(j.answer.x - pStar).toBeLessThanOrEqual(0.001 + 1e-9);
    expect(j.answer.runsReached).toBeGreaterThanOrEqual(320);
    const w = wilsonInterval(j.answer.runsReached, 400);
    expect([j.answer.low, j.answer.high]).toEqual([w.low, w.high]);
    const below = j.neighbours.find((p: { x: number }) => p.x < j.answer.x);
    expect(below.met).toBe(false);
    expect(below.x).toBeLessThan(pStar + 1e-9);
    expect(below.runsReached).toBeLessThan(320);
    // Closed form: P = 1.5 - 0.5 / p for beta ~ U(0.5, 1.5), so p* = 0.5 / 0.7 = 0.714; 400 runs: within 0.03.
    expect(Math.abs(j.answer.x - 0.5 / 0.7)).toBeLessThan(0.03);
    // Common random numbers: the probability never falls as push grows.
    const probes = [...j.probes].sort((a: { x: number }, b: { x: number }) => a.x - b.x);
    for (let i = 1; i < probes.length; i++)
      expect(probes[i].probability).toBeGreaterThanOrEqual(probes[i - 1].probability);
  });
});

describe('wilsonInterval', () => {
  it('matches Newcombe (1998), method 3: 81/263 -> 0.2553-0.3662, 0/10 -> 0-0.2775', () => {
    const a = wilsonInterval(81, 263);
    expect(a.low).toBeCloseTo(0.2553, 4);
    expect(a.high).toBeCloseTo(0.3662, 4);
    const b = wilsonInterval(0, 10);
    expect(b.low).toBe(0);
    expect(b.high).toBeCloseTo(0.2775, 4);
  });
});
