import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { resolveModelPath } from '../model/model-path.js';
import { RANDOM_STREAM } from '../montecarlo/rng.js';
import { DEFAULT_MODEL } from '../scenario/defaults.js';
import type { Scenario } from '../scenario/scenario.js';
import type { Sweep } from '../sweep/load-sweep.js';
import { policysimVersion } from '../util/version.js';

/**
 * What a result was computed from, so that any output says how to reproduce it and parts of one job
 * can be checked for compatibility before they are merged: content hashes of every input file, the
 * --set overrides, the versions that decide the numbers (policysim, the random streams, Node and V8),
 * and the run's own settings. Nothing in it depends on the machine, the time, the worker count or (in
 * a final result) the shard plan, so it never breaks the byte-identity of outputs.
 */
export interface Manifest {
  readonly command: string;
  readonly policysim: string;
  readonly randomStream: string;
  readonly node: string;
  readonly v8: string;
  /** By role (scenario, model, uncertainties, sweep): the path as given and the sha256 of its bytes. */
  readonly inputs: Readonly<Record<string, InputFile>>;
  readonly overrides: readonly string[];
  readonly seed: number | null;
  readonly runs: number | null;
  /** Set only in partial-state files: which part of the job it is. */
  readonly shard?: ShardInfo;
  /** Further settings that change results (e.g. the stopping rule, design rows). */
  readonly settings?: Readonly<Record<string, unknown>>;
}

export interface InputFile {
  readonly path: string;
  readonly sha256: string;
}

export interface ShardInfo {
  readonly index: number;
  readonly count: number;
}

/** The hex sha256 of a file's bytes; `unreadable` for a scenario built in memory (tests) or gone since. */
export function sha256File(path: string): string {
  try {
    return createHash('sha256').update(readFileSync(path)).digest('hex');
  } catch {
    return 'unreadable';
  }
}

/** The files a scenario was read from: itself, its model and its included uncertainties. */
export function scenarioInputs(scenario: Scenario, prefix = ''): Record<string, InputFile> {
  const out: Record<string, InputFile> = {};
  out[`${prefix}scenario`] = { path: scenario.file, sha256: sha256File(scenario.file) };
  const modelRef = scenario.raw.model ?? DEFAULT_MODEL;
  out[`${prefix}model`] = {
    path: modelRef,
    sha256: sha256File(resolveModelPath(modelRef, dirname(scenario.file))),
  };
  const unc = scenario.raw.uncertainties as { include?: unknown } | undefined;
  if (unc && typeof unc.include === 'string') {
    out[`${prefix}uncertainties`] = {
      path: unc.include,
      sha256: sha256File(resolve(dirname(scenario.file), unc.include)),
    };
  }
  return out;
}

/**
 * The inputs of several scenarios (compare, paired mc): the first's under `scenario`, `model`,
 * `uncertainties`, the i-th's (from 2) under `scenario2`, `model2`, ... .
 */
export function scenariosInputs(scenarios: readonly Scenario[]): Record<string, InputFile> {
  const out: Record<string, InputFile> = {};
  scenarios.forEach((s, i) => {
    for (const [k, v] of Object.entries(scenarioInputs(s))) out[i === 0 ? k : `${k}${i + 1}`] = v;
  });
  return out;
}

/** The --set overrides of a scenario as given on the command line (NAME[.REGION]=VALUE). */
export function cliOverrides(scenario: Scenario): string[] {
  return scenario.overrides
    .filter((o) => o.fromCli)
    .map((o) => `${o.name}${o.region ? `.${o.region}` : ''}=${o.value}`);
}

export function makeManifest(m: {
  command: string;
  inputs: Record<string, InputFile>;
  overrides?: readonly string[];
  seed?: number | null;
  runs?: number | null;
  settings?: Record<string, unknown>;
}): Manifest {
  return {
    command: m.command,
    policysim: policysimVersion(),
    randomStream: RANDOM_STREAM,
    node: process.versions.node,
    v8: process.versions.v8,
    inputs: m.inputs,
    overrides: [...(m.overrides ?? [])],
    seed: m.seed ?? null,
    runs: m.runs ?? null,
    ...(m.settings ? { settings: m.settings } : {}),
  };
}

/** The manifest of a final result: the same whatever the shard plan. */
export function withoutShard(m: Manifest): Manifest {
  const { shard: _shard, ...rest } = m;
  return rest;
}

/**
 * The fields (dotted paths, e.g. `inputs.scenario.sha256`) where two manifests differ, with both
 * values; `shard` is left out (parts differ there by design).
 */
export function manifestDifferences(a: Manifest, b: Manifest): { field: string; a: string; b: string }[] {
  const fa = flatten(withoutShard(a));
  const fb = flatten(withoutShard(b));
  const out: { field: string; a: string; b: string }[] = [];
  for (const k of [...new Set([...fa.keys(), ...fb.keys()])]) {
    const va = fa.get(k) ?? '(absent)';
    const vb = fb.get(k) ?? '(absent)';
    if (va !== vb) out.push({ field: k, a: va, b: vb });
  }
  return out;
}

function flatten(v: unknown, prefix = '', out = new Map<string, string>()): Map<string, string> {
  if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
    for (const [k, x] of Object.entries(v)) flatten(x, prefix ? `${prefix}.${k}` : k, out);
  } else out.set(prefix, JSON.stringify(v));
  return out;
}

/** A Monte Carlo job's manifest (`settings.stopping` with a stopping rule). */
export function mcManifest(
  scenario: Scenario,
  overrides: readonly string[],
  seed: number,
  runs: number,
  stopping?: { precision: number; maxRuns: number },
): Manifest {
  return makeManifest({
    command: 'mc',
    inputs: scenarioInputs(scenario),
    overrides,
    seed,
    runs,
    ...(stopping ? { settings: { stopping: { precision: stopping.precision, maxRuns: stopping.maxRuns } } } : {}),
  });
}

/** A sweep's manifest: the sweep file and everything its scenario was read from. */
export function sweepManifest(sweep: Sweep, rows: number): Manifest {
  return makeManifest({
    command: 'sweep',
    inputs: { sweep: { path: sweep.file, sha256: sha256File(sweep.file) }, ...scenarioInputs(sweep.scenario) },
    seed: sweep.raw.seed,
    runs: sweep.mc?.runs ?? null,
    settings: { rows },
  });
}

/**
 * The manifest of a backtest or calibration: the scenario's files and the observed file (whose values
 * decide the scores and the fit), the --set overrides, seed, runs and the command's own settings.
 */
export function evidenceManifest(
  command: 'backtest' | 'calibrate',
  scenario: Scenario,
  observedFile: string,
  seed: number | null,
  runs: number | null,
  settings?: Record<string, unknown>,
): Manifest {
  return makeManifest({
    command,
    inputs: { ...scenarioInputs(scenario), observed: { path: observedFile, sha256: sha256File(observedFile) } },
    overrides: cliOverrides(scenario),
    seed,
    runs,
    ...(settings ? { settings } : {}),
  });
}
