/**
 * Every JSON result carries the manifest (issue 11, point 5): for each command that writes JSON —
 * run, compare, mc, paired mc, sweep, seek, discover (from a Monte Carlo and from a runs file),
 * backtest, calibrate, and merge of mc and of sweep parts — the manifest names the command, the
 * versions (policysim, random streams, Node, V8), seed and runs, and exactly the input files read,
 * each with the sha256 of its bytes as computed here from the file itself.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { RANDOM_STREAM } from '../../src/montecarlo/rng.js';
import { cli, ROOT } from '../cli/harness.js';

const dir = mkdtempSync(join(tmpdir(), 'policysim-manifest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const sha = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

const MODEL = 'src/models/northeast.yaml';
const UNC = 'scenarios/uncertainties/northeast.yaml';
const PAPER = 'scenarios/paper-proposals.yaml';
/** The files of a scenario of scenarios/ (the built-in model, the shared uncertainties). */
const ofScenario = (file: string, n = ''): Record<string, string> => ({
  [`scenario${n}`]: file,
  [`model${n}`]: MODEL,
  [`uncertainties${n}`]: UNC,
});

interface Expected {
  readonly command: string;
  /** Role → the file (from the repository root) whose bytes the sha256 must be of. */
  readonly files: Record<string, string>;
  readonly seed: number | null;
  readonly runs: number | null;
}

async function json(...argv: string[]): Promise<Record<string, unknown>> {
  const r = await cli(...argv);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Record<string, unknown>;
}

function expectManifest(doc: Record<string, unknown>, e: Expected): void {
  const m = doc.manifest as {
    command: string;
    policysim: string;
    randomStream: string;
    node: string;
    v8: string;
    inputs: Record<string, { path: string; sha256: string }>;
    seed: number | null;
    runs: number | null;
    shard?: unknown;
  };
  expect(m, 'manifest').toBeDefined();
  expect(m.command).toBe(e.command);
  expect([m.policysim, m.randomStream, m.node, m.v8]).toEqual([
    VERSION,
    RANDOM_STREAM,
    process.versions.node,
    process.versions.v8,
  ]);
  expect(Object.keys(m.inputs).sort()).toEqual(Object.keys(e.files).sort());
  for (const [role, file] of Object.entries(e.files))
    expect(m.inputs[role]!.sha256, role).toBe(sha(resolve(ROOT, file)));
  expect([m.seed, m.runs]).toEqual([e.seed, e.runs]);
  expect(m.shard).toBeUndefined();
}

describe('every JSON output carries the manifest, with the content hashes of its inputs', () => {
  it('run, compare, mc, paired mc', async () => {
    expectManifest(await json('run', PAPER, '--format', 'json'), {
      command: 'run',
      files: ofScenario(PAPER),
      seed: null,
      runs: null,
    });
    expectManifest(await json('compare', 'scenarios/baseline.yaml', 'scenarios/ftz.yaml', '--format', 'json'), {
      command: 'compare',
      files: { ...ofScenario('scenarios/baseline.yaml'), ...ofScenario('scenarios/ftz.yaml', '2') },
      seed: null,
      runs: null,
    });
    expectManifest(await json('mc', PAPER, '--runs', '300', '--seed', '3', '--workers', '0', '--format', 'json'), {
      command: 'mc',
      files: ofScenario(PAPER),
      seed: 3,
      runs: 300,
    });
    const paired = ['mc', 'scenarios/ftz.yaml', 'scenarios/openness.yaml', '--runs', '100', '--seed', '5'];
    expectManifest(await json(...paired, '--workers', '0', '--format', 'json'), {
      command: 'mc',
      files: { ...ofScenario('scenarios/ftz.yaml'), ...ofScenario('scenarios/openness.yaml', '2') },
      seed: 5,
      runs: 100,
    });
  });

  it('sweep, seek, discover (Monte Carlo and runs file)', async () => {
    const sweep = 'scenarios/sweeps/tornado-levers.yaml';
    expectManifest(await json('sweep', sweep, '--workers', '0', '--format', 'json'), {
      command: 'sweep',
      files: { sweep, scenario: 'scenarios/sweeps/trade-question.yaml', model: MODEL, uncertainties: UNC },
      seed: 1, // the default seed of a sweep file without one
      runs: null,
    });
    const target = 'scenarios/ftz-openness-2025.yaml';
    const seek = ['seek', target, '--package', '--target', '2', '--probability', '0.15', '--runs', '100'];
    expectManifest(await json(...seek, '--format', 'json'), {
      command: 'seek',
      files: ofScenario(target),
      seed: 2016,
      runs: 100,
    });
    expectManifest(await json('discover', target, '--target', '2', '--runs', '400', '--format', 'json'), {
      command: 'discover',
      files: ofScenario(target),
      seed: 2016,
      runs: 400,
    });
    const csv = join(dir, 'runs.csv');
    await json('mc', target, '--runs', '300', '--workers', '0', '--save-runs', csv, '--format', 'json');
    const fromFile = await json('discover', '--runs-file', csv, '--target', '2', '--format', 'json');
    const m = fromFile.manifest as { inputs: { runs: { path: string; sha256: string } } };
    expect(m.inputs.runs.path).toBe(csv);
    expect(m.inputs.runs.sha256).toBe(sha(csv));
    expectManifest(fromFile, {
      command: 'discover',
      files: { runs: csv },
      seed: null,
      runs: null,
    });
  });

  it('backtest, calibrate', async () => {
    const observed = 'scenarios/observed/paper-2016.csv';
    const bt = ['backtest', 'scenarios/baseline.yaml', '--observed', observed, '--runs', '200', '--seed', '4'];
    expectManifest(await json(...bt, '--format', 'json'), {
      command: 'backtest',
      files: { ...ofScenario('scenarios/baseline.yaml'), observed },
      seed: 4,
      runs: 200,
    });
    const hindcast = 'scenarios/observed/hindcast.yaml';
    const cal = await json('calibrate', hindcast, '--fit', 'td_trend', '--no-posterior', '--format', 'json');
    expectManifest(cal, {
      command: 'calibrate',
      files: {
        scenario: hindcast,
        model: 'scenarios/observed/hindcast-model.yaml',
        observed: 'scenarios/observed/history-2003-2015.csv',
      },
      seed: (cal.manifest as { seed: number | null }).seed,
      runs: (cal.manifest as { runs: number | null }).runs,
    });
  });

  it('merge of mc parts and of sweep parts: the manifest of the unsharded job, without the shard', async () => {
    const scen = 'tests/fixtures/mc/closed-form.yaml';
    const parts: string[] = [];
    for (const i of [0, 1]) {
      const out = join(dir, `mc-${i}.json`);
      await cli('mc', scen, '--runs', '600', '--seed', '9', '--workers', '0', '--shard', `${i}/2`, '--out', out);
      parts.push(out);
    }
    const merged = await json('merge', ...parts, '--format', 'json');
    const single = await json('mc', scen, '--runs', '600', '--seed', '9', '--workers', '0', '--format', 'json');
    expect(merged.manifest).toEqual(single.manifest);
    expectManifest(merged, {
      command: 'mc',
      files: { scenario: scen, model: 'tests/fixtures/mc/models/closed-form.yaml' },
      seed: 9,
      runs: 600,
    });
    const sweep = 'scenarios/sweeps/tornado-levers.yaml';
    const sparts: string[] = [];
    for (const i of [0, 1]) {
      const out = join(dir, `sweep-${i}.json`);
      await cli('sweep', sweep, '--workers', '0', '--shard', `${i}/2`, '--out', out);
      sparts.push(out);
    }
    expectManifest(await json('merge', ...sparts, '--format', 'json'), {
      command: 'sweep',
      files: { sweep, scenario: 'scenarios/sweeps/trade-question.yaml', model: MODEL, uncertainties: UNC },
      seed: 1, // the default seed of a sweep file without one
      runs: null,
    });
  });
});
