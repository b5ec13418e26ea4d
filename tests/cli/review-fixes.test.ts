/**
 * Inputs found in review that used to be accepted silently, print wrong numbers or crash: each is
 * now a one-line error (exit 2), and the README's own examples are valid.
 */

import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { compileModel } from '../../src/model/compile.js';
import { modelFileSchema } from '../../src/model/model-file.js';
import { checkSchema } from '../../src/util/schema-check.js';
import { parseYamlText } from '../../src/util/yaml-source.js';
import { cli, ROOT } from './harness.js';

const FIX = 'tests/fixtures/review';

describe('names that would reach Object.prototype', () => {
  it('a __proto__ key is an error at its line, not silently dropped', async () => {
    const r = await cli('run', `${FIX}/proto-key.yaml`);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`policysim: error: ${FIX}/proto-key.yaml:4:3: the key '__proto__' is not allowed\n`);
  });

  it('a region named toString is reserved, and an aggregate may not list a region twice', async () => {
    const r = await cli('validate', `${FIX}/reserved-region.yaml`);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n').slice(0, 2)).toEqual([
      `${resolve(FIX, 'reserved-region.yaml')}:5:13: regions.toString: 'toString' is a reserved name`,
      `${resolve(FIX, 'reserved-region.yaml')}:8:36: aggregates.both.regions[1]: region 'b' is listed twice`,
    ]);
  });
});

describe('scenario settings', () => {
  it('a lever cannot start in the base year, and an empty per-region map is an error', async () => {
    const r = await cli('validate', `${FIX}/lever-from-base-year.yaml`, `${FIX}/empty-region-map.yaml`);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')).toEqual([
      `${FIX}/lever-from-base-year.yaml:4:26: levers.ftz.from: 2015 is the base year, whose values are data: a lever can start in 2016 at the earliest`,
      `${FIX}/empty-region-map.yaml:4:15: parameters.gdp_growth: give a value, or at least one region: value`,
      '2 of 2 files had problems',
      '',
    ]);
  });

  it('a parameter the uncertainties redraw (apply: replace) cannot also be set: the draw would win', async () => {
    const r = await cli('mc', `${FIX}/set-uncertain.yaml`, '--runs', '10', '--workers', '0');
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      `policysim: error: ${FIX}/set-uncertain.yaml:4:3: parameters.ftz_trade: 'ftz_trade' is drawn by the scenario's uncertainties (apply: replace), which would overwrite this value in every run (remove the uncertainty, or use apply: shift / scale there)\n`,
    );
  });
});

describe('command-line options', () => {
  const cases: [string[], string][] = [
    [
      ['compare', 'scenarios/baseline.yaml', 'scenarios/ftz.yaml', '--years', '2020.5'],
      'policysim: error: --years: must be a whole number from 1 to 9999 (got 2020.5)',
    ],
    [
      ['mc', '--runs', '10', '--workers', '0', '--step', '0'],
      'policysim: error: --step: must be a whole number from 1 to 1000 (got 0)',
    ],
    [
      ['run', '--seed', '3'],
      'policysim: error: --seed: applies only with --mc-run K (a deterministic run has no random draws)',
    ],
    [['run', '--set', 'ftz=0x1'], "policysim: error: --set ftz=0x1: value must be a number (got '0x1')"],
    [
      ['mc', '--runs', '10', '--workers', '0', '--indicators', 'trade_dependance'],
      "policysim: error: --indicators: unknown indicator 'trade_dependance' (did you mean 'trade_dependence'?)",
    ],
    [
      ['mc', '--runs', '10', '--workers', '0', '--regions', 'mars'],
      "policysim: error: --regions: unknown region 'mars' (known: liaoning, jilin, heilongjiang, northeast, national)",
    ],
    [
      ['run', '--mc-run', '1', '--indicators', 'nonsense'],
      "policysim: error: --indicators: unknown indicator 'nonsense' (known: trade_dependence, trade, gdp, private_investment_growth, private_investment_share, rd_intensity, soe_share, hightech_trade_share)",
    ],
  ];
  it.each(cases)('%j', async (argv, line) => {
    const r = await cli(...argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`${line}\n`);
  });
});

describe('--save-runs', () => {
  it('to a directory: exit 2 before any run, no temporary file left', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'policysim-save-'));
    try {
      const r = await cli('mc', '--runs', '300', '--workers', '0', '--save-runs', dir);
      expect(r.code).toBe(2);
      expect(r.stderr).toBe(`policysim: error: ${dir}: --save-runs: is a directory, expected a file name\n`);
      expect(readdirSync(join(dir, '..')).filter((f) => f.startsWith(`.${dir.split('/').pop()}`))).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the README's model example", () => {
  it('is a valid model', () => {
    const readme = readFileSync(resolve(ROOT, 'README.md'), 'utf8');
    const section = readme.slice(readme.indexOf('## Model files'));
    const yaml = /```yaml\n([\s\S]*?)```/.exec(section)![1]!;
    const src = parseYamlText(yaml, 'README.md');
    const { value, diagnostics } = checkSchema(modelFileSchema(), src);
    expect(diagnostics).toEqual([]);
    const model = compileModel(value!, 'README.md');
    expect(model.regions.map((r) => r.id)).toEqual(['a', 'b']);
    expect(model.series.map((s) => `${s.indicator}/${s.region}`)).toEqual(['x/a', 'x/b', 'x/both', 'x/national']);
  });
});

describe('a setting that fits none of its forms', () => {
  it('is reported against the form it is closest to, key by key', async () => {
    const f = `${FIX}/union-settings.yaml`;
    const r = await cli('validate', f);
    expect(r.code).toBe(2);
    expect(r.stderr.split('\n')).toEqual([
      `${f}:4:13: levers.openness.value: missing required field (expected a number)`,
      `${f}:5:20: levers.ftz.form: unknown key 'form'; expected one of: value, from, ramp, regions, path (did you mean 'from'?)`,
      `${f}:6:27: levers.soe_reform.path: 'path' belongs to another form of this setting and cannot be combined with the other keys given here`,
      '1 of 1 file had problems',
      '',
    ]);
  });
});
