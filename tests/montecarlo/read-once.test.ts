/**
 * A scenario with shocks is read and checked once (issue 8, point 4): Monte Carlo and sweeps take the
 * checked model and generate its kernel again with shock slots and drawn parameters
 * (src/model/compile.ts: withUncertainties), never compiling the model file a second time.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('../../src/model/compile/check.js', async (original) => {
  const m = await original<typeof import('../../src/model/compile/check.js')>();
  return { ...m, checkModel: vi.fn(m.checkModel) };
});
vi.mock('../../src/util/yaml-source.js', async (original) => {
  const m = await original<typeof import('../../src/util/yaml-source.js')>();
  return { ...m, readYamlFile: vi.fn(m.readYamlFile) };
});

// Test files share their processes' modules (vitest.config.ts: isolate false): import afresh, so
// that the modules below see the counting mocks.
vi.resetModules();
const { compileModel } = await import('../../src/model/compile.js');
const check = await import('../../src/model/compile/check.js');
const { prepareMc } = await import('../../src/montecarlo/prepare-mc.js');
const { loadSweep } = await import('../../src/sweep/load-sweep.js');
const yamlSource = await import('../../src/util/yaml-source.js');
afterAll(() => vi.resetModules());

const SCENARIO = 'tests/fixtures/mc/closed-form.yaml';
const MODEL = resolve('tests/fixtures/mc/models/closed-form.yaml');
const dir = mkdtempSync(join(tmpdir(), 'policysim-read-once-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const checks = (): number => vi.mocked(check.checkModel).mock.calls.length;
const reads = (file: string): number =>
  vi.mocked(yamlSource.readYamlFile).mock.calls.filter(([f]) => resolve(f) === file).length;

beforeEach(() => vi.clearAllMocks());

describe('a scenario with shocks', () => {
  it('mc: the model file is read and checked once, and the kernel has the shock slots', () => {
    const ctx = prepareMc({ scenarioFile: SCENARIO, overrides: [] });
    expect(reads(MODEL)).toBe(1);
    expect(checks()).toBe(1);
    // Shocks w, v, m and e on the one region: four slots a year, in the order the file gives them.
    expect(ctx.scenario.model.shockSlots.map((s) => `${s.equation}/${s.region}`)).toEqual(['w/0', 'v/0', 'm/0', 'e/0']);
    expect(ctx.image.kernel.shockBlock).toBe(4);
    expect(ctx.image.kernel.sources.step).toContain('X[xb + 3]');
    // The same kernel as checking the model and generating it with the shocks and draws at once.
    const direct = compileModel(ctx.scenario.model.file, MODEL, undefined, {
      shocked: ['w', 'v', 'm', 'e'],
      drawn: ['g'],
      pairKernel: true,
    });
    expect(ctx.image.kernel.sources.optimised.pair).toBeInstanceOf(Uint8Array);
    expect(ctx.image.kernel.sources).toEqual(direct.sources);
  });

  it('sweep with Monte Carlo outputs: the model file is read and checked once', () => {
    const sweep = join(dir, 'shocked-sweep.yaml');
    writeFileSync(
      sweep,
      [
        'name: shocked',
        'description: a parameter factor over a scenario with shocks',
        `scenario: ${resolve(SCENARIO)}`,
        'design: oat',
        'factors:',
        '  phi: { range: [0.1, 0.9] }',
        'monte_carlo: { runs: 10 }',
        'outputs:',
        '  - { target: 1, metric: probability }',
        '',
      ].join('\n'),
    );
    const s = loadSweep(sweep);
    expect(reads(MODEL)).toBe(1);
    expect(checks()).toBe(1);
    expect(s.scenario.model.shockBlock).toBe(4);
  });
});
