/**
 * Bad input: each problem is one line on stderr — `policysim: error: FILE:LINE:COLUMN: FIELD: message
 * (hint)` — exit code 2, and never a stack trace.
 */
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FUNCTIONS } from '../../src/model/expression.js';
import { cli, STACK_LINE } from './harness.js';

const BAD = 'tests/fixtures/bad';

async function rejects(args: string[], lines: (string | RegExp)[], code = 2): Promise<void> {
  const r = await cli(...args);
  expect(r.code).toBe(code);
  expect(r.stdout).toBe('');
  expect(r.stderr).not.toContain(STACK_LINE);
  expect(r.stderr.endsWith('\n')).toBe(true);
  const got = r.stderr.slice(0, -1).split('\n');
  expect(got).toHaveLength(lines.length);
  lines.forEach((want, i) => (typeof want === 'string' ? expect(got[i]).toBe(want) : expect(got[i]).toMatch(want)));
}

/** Valid input on which the model fails while running: exit 1, the located line(s), no stack trace. */
const failsWhileRunning = (args: string[], lines: (string | RegExp)[]): Promise<void> => rejects(args, lines, 1);

describe('scenario files', () => {
  it('malformed YAML', async () => {
    // "seed: 2016: 3" — a compact mapping inside a value; the YAML parser points at "2016"
    await rejects(
      ['run', `${BAD}/malformed.yaml`],
      [
        `policysim: error: ${BAD}/malformed.yaml:3:7: invalid YAML: Nested mappings are not allowed in compact mappings`,
      ],
    );
  });

  it('a duplicate key', async () => {
    await rejects(
      ['run', `${BAD}/duplicate-key.yaml`],
      [`policysim: error: ${BAD}/duplicate-key.yaml:4:1: invalid YAML: Map keys must be unique`],
    );
  });

  it('an empty file', async () => {
    await rejects(
      ['run', `${BAD}/empty.yaml`],
      [`policysim: error: ${BAD}/empty.yaml:1:1: empty scenario file: expected a YAML mapping`],
    );
  });

  it('a scenario path that does not exist, and a directory', async () => {
    await rejects(
      ['run', `${BAD}/no-such-file.yaml`],
      [`policysim: error: ${BAD}/no-such-file.yaml: scenario file not found`],
    );
    await rejects(['run', BAD], [`policysim: error: ${BAD}: is a directory, expected a scenario file`]);
  });

  it('an unknown top-level key, with "did you mean"', async () => {
    await rejects(
      ['run', `${BAD}/unknown-key.yaml`],
      [
        `policysim: error: ${BAD}/unknown-key.yaml:3:1: levres: unknown key 'levres'; expected one of: name, description, model, horizon, seed, levers, parameters, targets, uncertainties, observed (did you mean 'levers'?)`,
      ],
    );
  });

  it('a misspelt lever, with a suggestion', async () => {
    await rejects(
      ['run', `${BAD}/misspelt-lever.yaml`],
      [
        `policysim: error: ${BAD}/misspelt-lever.yaml:4:3: levers.opennes: unknown lever 'opennes' (did you mean 'openness'?)`,
      ],
    );
  });

  it('a misspelt parameter, with a suggestion', async () => {
    await rejects(
      ['run', `${BAD}/misspelt-parameter.yaml`],
      [
        `policysim: error: ${BAD}/misspelt-parameter.yaml:4:3: parameters.ftz_trad: unknown parameter 'ftz_trad' (did you mean 'ftz_trade'?)`,
      ],
    );
  });

  it('a misspelt key inside a lever setting, with a suggestion', async () => {
    await rejects(
      ['run', `${BAD}/lever-setting-typo.yaml`],
      [
        /^policysim: error: tests\/fixtures\/bad\/lever-setting-typo\.yaml:4:20: levers\.ftz\.form: unknown key 'form'.* \(did you mean 'from'\?\)$/,
      ],
    );
  });

  it('a wrong type', async () => {
    await rejects(
      ['run', `${BAD}/wrong-type.yaml`],
      [`policysim: error: ${BAD}/wrong-type.yaml:3:7: seed: expected a number, got the string "soon"`],
    );
  });

  it('a lever start year outside the horizon', async () => {
    await rejects(
      ['run', `${BAD}/lever-outside-horizon.yaml`],
      [
        `policysim: error: ${BAD}/lever-outside-horizon.yaml:5:26: levers.ftz.from: year 2040 is outside the horizon 2015-2030`,
      ],
    );
  });

  it('a horizon that ends before it starts', async () => {
    await rejects(
      ['run', `${BAD}/horizon-backwards.yaml`],
      [
        `policysim: error: ${BAD}/horizon-backwards.yaml:3:30: horizon.end: horizon end (2020) must be after its start (2030)`,
      ],
    );
  });

  it('a target for an unknown indicator', async () => {
    await rejects(
      ['run', `${BAD}/target-unknown-indicator.yaml`],
      [
        `policysim: error: ${BAD}/target-unknown-indicator.yaml:4:16: targets[0].indicator: unknown indicator 'trade_dependance' (did you mean 'trade_dependence'?)`,
      ],
    );
  });

  it('a target for an unknown region', async () => {
    await rejects(
      ['run', `${BAD}/target-unknown-region.yaml`],
      [
        `policysim: error: ${BAD}/target-unknown-region.yaml:5:13: targets[0].region: unknown region 'liaoninq' (did you mean 'liaoning'?)`,
      ],
    );
  });

  it('three mistakes in one file give three lines', async () => {
    await rejects(
      ['run', `${BAD}/three-mistakes.yaml`],
      [
        `policysim: error: ${BAD}/three-mistakes.yaml:4:3: levers.ftzz: unknown lever 'ftzz' (did you mean 'ftz'?)`,
        `policysim: error: ${BAD}/three-mistakes.yaml:5:13: levers.corridor: value 3 is outside the range of lever 'corridor' [0, 1] (capacity index (0 = as in 2015, 1 = the full China-Russia-Mongolia rail and sea corridor programme))`,
        `policysim: error: ${BAD}/three-mistakes.yaml:7:3: parameters.gdp_growht: unknown parameter 'gdp_growht' (did you mean 'gdp_growth'?)`,
      ],
    );
  });

  it("a model file that does not exist is reported at the scenario's `model:` field", async () => {
    // today: "policysim: error: ../models/does-not-exist.yaml: model file not found" — no scenario, line or field
    await rejects(
      ['run', `${BAD}/missing-model.yaml`],
      [/^policysim: error: tests\/fixtures\/bad\/missing-model\.yaml:3:8: model: .*not found/],
    );
  });
});

describe('model files (through a scenario that uses them)', () => {
  const model = (name: string): string => resolve(`tests/fixtures/models/${name}.yaml`);

  it('equations with an unknown symbol, a disallowed function, property access, constructor, __proto__, process, import(...)', async () => {
    const f = model('bad-equations');
    await rejects(
      ['run', `${BAD}/model-bad-equations.yaml`],
      [
        `policysim: error: ${f}:10:48: states.unknown_symbol.next: unknown symbol 'growht' in "unknown_symbol * (1 + growht)" (did you mean 'growth'?)`,
        `policysim: error: ${f}:11:53: states.disallowed_function.next: function 'random' is not allowed in "random(disallowed_function)" (allowed: ${Object.keys(FUNCTIONS).join(', ')})`,
        `policysim: error: ${f}:12:49: states.property_access.next: property access and indexing are not allowed in an equation in "growth.b"`,
        `policysim: error: ${f}:13:50: states.uses_constructor.next: 'constructor' is not allowed in an equation in "constructor"`,
        `policysim: error: ${f}:14:44: states.uses_proto.next: '__proto__' is not allowed in an equation in "__proto__ + 1"`,
        `policysim: error: ${f}:15:46: states.uses_process.next: 'process' is not allowed in an equation in "process"`,
        `policysim: error: ${f}:16:45: states.uses_import.next: 'import' is not allowed in an equation in "import(growth)"`,
      ],
    );
  });

  it('a cycle among auxiliaries, named', async () => {
    await rejects(
      ['run', `${BAD}/model-cycle.yaml`],
      [
        `policysim: error: ${model('bad-cycle')}:7:10: auxiliaries.first: auxiliaries form a cycle: first → second → third → first`,
      ],
    );
  });

  it('a missing initial value', async () => {
    await rejects(
      ['run', `${BAD}/model-missing-initial.yaml`],
      [`policysim: error: ${model('bad-missing-initial')}:8:5: states.y.initial: missing required field`],
    );
  });

  it('an equation that divides by a state that reaches 0: names the equation, region and year', async () => {
    await failsWhileRunning(
      ['run', 'tests/fixtures/scenarios/nonfinite.yaml'],
      [
        `policysim: failed: ${model('nonfinite')}:10:13: auxiliaries.per_unit: equation gave Infinity for Region B in 2023 (check divisions by zero, logs of non-positive numbers and parameter values)`,
      ],
    );
  });

  it('an indicator that takes the log of a negative number: names the equation, region and year', async () => {
    await failsWhileRunning(
      ['run', 'tests/fixtures/scenarios/nonfinite-log.yaml'],
      [
        `policysim: failed: ${model('nonfinite-log')}:16:54: indicators.log_level: equation gave NaN for Region A in 2023 (check divisions by zero, logs of non-positive numbers and parameter values)`,
      ],
    );
  });
});

describe('--set and command-line options', () => {
  it('--set with an unknown name suggests the closest lever or parameter', async () => {
    await rejects(
      ['run', '--set', 'ftzz=1'],
      ["policysim: error: --set ftzz=1: unknown lever or parameter 'ftzz' (did you mean 'ftz'?)"],
    );
  });

  it('--set out of range', async () => {
    await rejects(
      ['run', '--set', 'ftz=2'],
      ["policysim: error: --set ftz=2: value 2 is outside the range of lever 'ftz' [0, 1]"],
    );
    await rejects(
      ['run', '--set', 'gdp_growth.jilin=0.5'],
      ["policysim: error: --set gdp_growth.jilin=0.5: value 0.5 is outside the range of 'gdp_growth' [-0.03, 0.09]"],
    );
  });

  it('run --indicators with an unknown indicator is rejected like compare does (not an empty table)', async () => {
    await rejects(
      ['run', '--indicators', 'trade_dependance'],
      ["policysim: error: --indicators: unknown indicator 'trade_dependance' (did you mean 'trade_dependence'?)"],
    );
  });

  it('compare with an unknown indicator or region', async () => {
    await rejects(
      ['compare', 'scenarios/baseline.yaml', 'scenarios/ftz.yaml', '--indicators', 'rd_intensty'],
      ["policysim: error: --indicators: unknown indicator 'rd_intensty' (did you mean 'rd_intensity'?)"],
    );
    await rejects(
      ['compare', 'scenarios/baseline.yaml', 'scenarios/ftz.yaml', '--regions', 'jilln'],
      ["policysim: error: --regions: unknown region 'jilln' (did you mean 'jilin'?)"],
    );
  });

  it('an unknown command, and no command', async () => {
    await rejects(['runn'], ['policysim: usage error: Did you mean run?', "Run 'policysim --help' for usage."]);
    await rejects([], [/^policysim: usage error: give a command: run, /, "Run 'policysim --help' for usage."]);
  });
});
