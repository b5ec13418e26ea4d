/**
 * The benchmark's peers (bench/peers/) are fair yardsticks only if they compute the same Monte Carlo:
 * each must give the engine's deterministic path to 1e-12 relative (the kernel translated from the
 * generated one), and a Monte Carlo that agrees with the engine's in distribution (means,
 * p5/p50/p95 and target probabilities within 5 standard errors). Needs gcc and python3 with numpy:
 * in CI a missing one is a failure; elsewhere the peer's tests are skipped with a line saying so.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { agreeInDistribution, engineDeterministic, engineMc, worstRelative } from '../../bench/peers/agreement.js';
import { buildCPeer, haveCompiler } from '../../bench/peers/c-peer.js';
import { buildNumpyPeer, numpyVersion, PYTHON } from '../../bench/peers/numpy-peer.js';
import { type PeerOutput, peerInput } from '../../bench/peers/peer-input.js';
import { kernelToC } from '../../bench/peers/translate.js';
import { prepareMc } from '../../src/montecarlo/prepare-mc.js';

const IN_CI = process.env.CI === 'true';
const HAVE_CC = haveCompiler();
const NUMPY = numpyVersion();
if (!IN_CI && !HAVE_CC) console.warn('C peer test skipped: no gcc (apt-get install gcc)');
if (!IN_CI && !NUMPY) console.warn('numpy peer test skipped: no python3 with numpy (apt-get install python3-numpy)');

const SEED = 2016;
const ctx = prepareMc({ scenarioFile: 'scenarios/paper-proposals.yaml', overrides: [] });
const input = peerInput(ctx, SEED);
const dir = mkdtempSync(join(tmpdir(), 'policysim-peers-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The engine's 20,000 runs every agreement check compares with: computed once for the file. */
let engineRuns: ReturnType<typeof engineMc> | undefined;
const engine = (): ReturnType<typeof engineMc> => (engineRuns ??= engineMc(ctx, 20000, SEED));

const json = <T>(cmd: string, args: string[]): T =>
  JSON.parse(execFileSync(cmd, args, { maxBuffer: 1 << 30 }).toString()) as T;

describe('peer translation', () => {
  it('refuses a kernel line it does not know rather than guessing', () => {
    const step =
      'const BASE = 2015, LB = 1, XB = 0, NS = 1;\nreturn function step(P, L, X, S, OUT, yi, year) {\n  const g0 = P[0] ? 1 : 2;\n};';
    const init = 'const BASE = 2015, LB = 1, XB = 0, NS = 1;\nreturn function init(P, S, OUT) {\n  S[0] = P[0];\n};';
    expect(() => kernelToC(init, step)).toThrow("peer translation: cannot read '? 1 : 2' in: const g0 = P[0] ? 1 : 2;");
  });

  it('keeps subscripts integer and makes other integer literals doubles in C (1 / 2 is 0.5)', () => {
    const init =
      'const BASE = 2015, LB = 1, XB = 0, NS = 1;\nreturn function init(P, S, OUT) {\n  S[0] = 1 / 2 * P[3];\n};';
    const step =
      'const BASE = 2015, LB = 1, XB = 0, NS = 1;\nreturn function step(P, L, X, S, OUT, yi, year) {\n  const lb = yi * LB;\n};';
    expect(kernelToC(init, step).init).toContain('S[0] = 1.0 / 2.0 * P [ 3 ];');
  });
});

describe.runIf(HAVE_CC || IN_CI)('C peer', () => {
  const exe = (): string => buildCPeer(input, dir);
  let built: string | undefined;
  const peer = (): string => (built ??= exe());

  it('gives the engine deterministic path to 1e-12 relative, every series and year', () => {
    const d = json<{ out: number[] }>(peer(), ['--det']);
    expect(d.out).toHaveLength(21 * 38);
    expect(worstRelative(engineDeterministic(ctx), d.out)).toBeLessThanOrEqual(1e-12);
  });

  it('agrees with the engine in distribution on 20,000 runs', async () => {
    const out = json<PeerOutput>(peer(), ['20000', String(SEED)]);
    const a = agreeInDistribution(await engine(), out, input);
    expect(a.failures).toEqual([]);
    expect(a.checked).toBe(798 * 4 + 4);
  });

  it('the check can fail: a peer with one parameter drawn wider is caught', async () => {
    const wider = {
      ...input,
      draws: input.draws.map((d, i) => (i === 0 ? { ...d, q: [d.q[0]! - 0.05, ...d.q.slice(1)] } : d)),
    };
    const exe2 = buildCPeer(wider, mkdtempSync(join(dir, 'wider-')));
    const out = json<PeerOutput>(exe2, ['20000', String(SEED)]);
    expect(agreeInDistribution(await engine(), out, input).failures.length).toBeGreaterThan(0);
  });
});

describe.runIf(NUMPY !== undefined || IN_CI)('numpy peer', () => {
  let args: string[] | undefined;
  const peer = (): string[] => (args ??= buildNumpyPeer(input, mkdtempSync(join(dir, 'np-'))));

  it('gives the engine deterministic path to 1e-12 relative, every series and year', () => {
    const d = json<{ out: number[] }>(PYTHON, [...peer(), '--det']);
    expect(worstRelative(engineDeterministic(ctx), d.out)).toBeLessThanOrEqual(1e-12);
  });

  it('agrees with the engine in distribution on 10,000 runs (its own random numbers)', async () => {
    const out = json<PeerOutput>(PYTHON, [...peer(), '10000', String(SEED)]);
    const a = agreeInDistribution(await engine(), out, input);
    expect(a.failures).toEqual([]);
  });
});
