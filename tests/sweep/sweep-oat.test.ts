/**
 * One-at-a-time swings against runs computed independently of the sweep code:
 *
 * - tests/fixtures/sweep/oat-levers.yaml sets its levers from the horizon start (no `from:`), so each
 *   design row must equal `policysim run tests/fixtures/sweep/trade-thresholds.yaml --set NAME=VALUE ...`
 *   with every factor set to the row's value (the CLI in-process, all 17 rows; that the built binary
 *   prints the bytes of the in-process CLI is checked once, in tests/cli/spawned.test.ts).
 * - scenarios/sweeps/tornado-levers.yaml sets its levers `from: 2017`, which --set cannot express; each
 *   row is compared with the scenario file itself plus `levers: { NAME: { value: V, from: 2017 } }`,
 *   loaded by the scenario loader and projected (the scenario path, not the sweep's lever writer).
 *
 * Agreement is required to 1e-12 relative to max(1, |value|) (measured: identical).
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { projectScenario } from '../../src/project/project-scenario.js';
import type { RunResultJson } from '../../src/report/run-result.js';
import { scenarioFromSource } from '../../src/scenario/load-scenario.js';
import type { OatResult } from '../../src/sweep/design/index.js';
import type { SweepResult } from '../../src/sweep/run-sweep.js';
import type { OutputDecl } from '../../src/sweep/sweep-file.js';
import { parseYamlText } from '../../src/util/yaml-source.js';
import { cli } from '../cli/harness.js';
import { FIX, relDiff, sweepInProcess, xRow, yAt } from '../fixtures/sweep/helpers.js';

const TOL = 1e-12;

/** What a sweep output should be, read from a `run --format json` document. */
function expectedFromRun(doc: RunResultJson, o: OutputDecl): number {
  if ('indicator' in o) {
    const s = doc.series.find((x) => x.indicator === o.indicator && x.region === o.region);
    if (!s) throw new Error(`no series ${o.indicator}/${o.region} in the run`);
    return s.values[doc.years.indexOf(o.year)]!;
  }
  if (typeof o.target !== 'number') throw new Error('targets by number only here');
  const t = doc.targets[o.target - 1]!;
  switch (o.metric) {
    case 'gap':
      return t.gap;
    case 'value':
      return t.value;
    case 'reached':
      return t.reached ? 1 : 0;
    case 'first_year':
      return t.firstYearReached ?? doc.scenario.horizon.end + 1;
    default:
      throw new Error(`metric ${o.metric} is not deterministic`);
  }
}

function oatOf(r: SweepResult, k: number): OatResult {
  const a = r.analyses[k]!;
  if (a.method !== 'oat') throw new Error(`expected an oat analysis, got ${a.method}`);
  return a.result;
}

/** `--set` arguments that put every factor at its value in design row i. */
function setArgs(r: SweepResult, i: number): string[] {
  const x = xRow(r, i);
  return r.sweep.factors.flatMap((f, j) => ['--set', `${f.name}=${String(x[j])}`]);
}

describe('OAT rows = `policysim run --set` (levers from the horizon start)', () => {
  const SCENARIO = `${FIX}/trade-thresholds.yaml`;
  let r: SweepResult;
  beforeAll(async () => {
    r = await sweepInProcess(`${FIX}/oat-levers.yaml`);
  });

  it('lays out 1 + 2D rows around the bases: scenario value, middle of the range, or the explicit base', () => {
    expect(r.sweep.factors.map((f) => f.name)).toEqual([
      'ftz',
      'parks',
      'openness',
      'corridor',
      'soe_reform',
      'rd_push',
      'invest_env',
      'national_td_floor',
    ]);
    expect(r.X.rows).toBe(17);
    // ftz etc. 0 (the scenario's value); parks 3 (0 is outside [1, 5]); openness 0.25 (base:); floor 30 (the model's value).
    expect(Array.from(xRow(r, 0))).toEqual([0, 3, 0.25, 0, 0, 0, 0, 30]);
    expect(Array.from(xRow(r, 3))).toEqual([0, 1, 0.25, 0, 0, 0, 0, 30]);
    expect(Array.from(xRow(r, 16))).toEqual([0, 3, 0.25, 0, 0, 0, 0, 34]);
  });

  it('every row, every output equals the run with the same --set values (target gap, reached, value, first year, series)', async () => {
    const outputs = r.sweep.raw.outputs;
    let worst = 0;
    for (let i = 0; i < r.X.rows; i++) {
      const run = await cli('run', SCENARIO, ...setArgs(r, i), '--format', 'json');
      expect(run.code, run.stderr).toBe(0);
      const doc = JSON.parse(run.stdout) as RunResultJson;
      outputs.forEach((o, k) => {
        const want = expectedFromRun(doc, o);
        const got = yAt(r, i, k);
        worst = Math.max(worst, relDiff(got, want));
        expect(
          relDiff(got, want),
          `row ${i} (${setArgs(r, i)
            .filter((_, n) => n % 2)
            .join(' ')}), output '${r.sweep.outputs[k]!.label}': sweep ${got}, run ${want}`,
        ).toBeLessThanOrEqual(TOL);
      });
    }
    expect(worst).toBeLessThanOrEqual(TOL);
  });

  it('the swings are the differences of those runs, and the outputs are not trivially constant', () => {
    const gap = oatOf(r, 0);
    const j = r.sweep.factors.findIndex((f) => f.name === 'openness');
    expect(gap.baseOutput).toBe(yAt(r, 0, 0));
    expect(gap.low[j]).toBe(yAt(r, 1 + 2 * j, 0));
    expect(gap.high[j]).toBe(yAt(r, 2 + 2 * j, 0));
    expect(gap.swing[j]).toBe(Math.abs(yAt(r, 2 + 2 * j, 0) - yAt(r, 1 + 2 * j, 0)));
    // reached flips with openness; the first year Liaoning reaches 21% moves with ftz.
    expect(oatOf(r, 1).swing[j]).toBe(1);
    const ftz = oatOf(r, 4);
    expect(ftz.low[0]).toBe(2036);
    expect(ftz.high[0]).toBeLessThan(2036);
  });
});

describe('scenarios/sweeps/tornado-levers.yaml (levers from 2017) = the scenario with the lever set from 2017', () => {
  const FILE = 'scenarios/sweeps/trade-question.yaml';
  const text = readFileSync(FILE, 'utf8');
  /** trade-question.yaml with extra lever settings, through the scenario loader. */
  const project = (levers: string) => {
    if (/^levers:/m.test(text)) throw new Error(`${FILE} now has levers: of its own; merge instead of appending`);
    return projectScenario(scenarioFromSource(parseYamlText(`${text}\nlevers:\n${levers}`, FILE)));
  };
  let r: SweepResult;
  beforeAll(async () => {
    r = await sweepInProcess('scenarios/sweeps/tornado-levers.yaml');
  });

  it('every row, every output matches the projection of the scenario with that lever from 2017', () => {
    const outputs = r.sweep.raw.outputs;
    expect(r.X.rows).toBe(15);
    for (let i = 0; i < r.X.rows; i++) {
      const x = xRow(r, i);
      const lines = r.sweep.factors.map((f, j) => `  ${f.name}: { value: ${String(x[j])}, from: 2017 }`).join('\n');
      const p = project(lines);
      const { model } = p.scenario;
      outputs.forEach((o, k) => {
        let want: number;
        if ('indicator' in o)
          want = p.values[(o.year - model.baseYear) * model.seriesCount + model.seriesIndex(o.indicator, o.region)!]!;
        else if (typeof o.target === 'number' && o.metric === 'gap') want = p.verdicts[o.target - 1]!.gap;
        else throw new Error('unexpected output in tornado-levers.yaml');
        const got = yAt(r, i, k);
        expect(
          relDiff(got, want),
          `row ${i}, output '${r.sweep.outputs[k]!.label}': sweep ${got}, scenario ${want}`,
        ).toBeLessThanOrEqual(TOL);
      });
    }
  });

  it('`from: 2017` matters: the ftz-high row differs from ftz = 1 from the horizon start, and the base row is the baseline', () => {
    const j = r.sweep.factors.findIndex((f) => f.name === 'ftz');
    const fromStart = project('  ftz: 1');
    const from2017 = project('  ftz: { value: 1, from: 2017 }');
    expect(yAt(r, 2 + 2 * j, 0)).toBe(from2017.verdicts[0]!.gap);
    expect(Math.abs(fromStart.verdicts[0]!.gap - from2017.verdicts[0]!.gap)).toBeGreaterThan(0.01);
    expect(yAt(r, 0, 0)).toBe(project('  ftz: 0').verdicts[0]!.gap);
  });
});
