import { existsSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { withUncertainties } from '../model/compile.js';
import { cellIndex, leverSlot, projectionGrid } from '../model/layout.js';
import { compileQuantile, type QuantileFn, validateDistribution } from '../montecarlo/distributions.js';
import {
  appliedOutsideRange,
  loadScenarioWithUncertainties,
  RANGE_CHECK_QUANTILES,
  toDistribution,
  type UncertaintySpec,
} from '../montecarlo/uncertainty-spec.js';
import type { Adjustment } from '../scenario/adjustment.js';
import { loadScenario } from '../scenario/load-scenario.js';
import { regionMembers, settableRegionIds } from '../scenario/regions.js';
import type { Scenario } from '../scenario/scenario.js';
import { checkSeriesRef } from '../scenario/series-ref.js';
import { type Diagnostic, sortDiagnostics, UserError } from '../util/diagnostics.js';
import { Problems } from '../util/problems.js';
import { checkSchema, salvage } from '../util/schema-check.js';
import { didYouMean } from '../util/suggest.js';
import { type PathKey, readYamlFile, type YamlSource } from '../util/yaml-source.js';
import { MAX_GRID_ROWS } from './design/grid.js';
import { grid, lhs, morris, oat, SOBOL_MAX_POINTS, sobol } from './design/index.js';
import { type SweepFile, SweepFileSchema } from './sweep-file.js';

/** A lever or a parameter, in the role of a factor the sweep varies. */
export interface Factor {
  readonly name: string;
  readonly kind: 'parameter' | 'lever';
  readonly lo: number;
  readonly hi: number;
  readonly levels: readonly number[] | undefined;
  readonly base: number;
  /** Unit interval → value: linear over [lo, hi], or the quantile of the factor's distribution. */
  readonly toValue: QuantileFn;
  readonly apply: Adjustment;
  /** Parameter slots written. */
  readonly paramSlots: readonly number[];
  /** Lever: index, the regions it applies to, first year index it applies in. */
  readonly lever?: { readonly index: number; readonly regions: readonly number[]; readonly fromYi: number };
}

/**
 * One analysed output per design row. Target metrics: `value` and `gap` (value − reference) in the
 * target year, `reached` (1 or 0), `probability` (share of the Monte Carlo futures that reach it), and
 * `first_year`: the first year of the horizon in which the target is met, where "never within the
 * horizon" is encoded as horizon end + 1 (e.g. 2036 for a horizon ending 2035), so the output stays a
 * number that the designs can analyse and that sorts after every year reached.
 */
export type SweepOutput =
  | { readonly label: string; readonly kind: 'series'; readonly at: number }
  | {
      readonly label: string;
      readonly kind: 'target';
      readonly target: number;
      readonly metric: 'value' | 'gap' | 'reached' | 'first_year' | 'probability';
    };

/** The most design rows (model evaluations) a sweep may have, whatever its design. */
export const MAX_SWEEP_ROWS = MAX_GRID_ROWS;

/** Default number of levels of a grid factor given by a range. */
export const DEFAULT_GRID_LEVELS = 5;

/**
 * The design's row-count contract (src/sweep/design/index.ts) for the file's design parameters, and
 * the field that sets it; undefined when the parameters are missing or invalid (reported elsewhere).
 */
export function designRows(raw: SweepFile): { rows: number; contract: string; field: PathKey[] } | undefined {
  const factors = Object.values(raw.factors);
  const D = factors.length;
  switch (raw.design) {
    case 'grid':
    case 'policy-grid':
      return { ...grid.rowCount(factors.map((f) => f.levels?.length ?? DEFAULT_GRID_LEVELS)), field: ['factors'] };
    case 'oat':
      return { ...oat.rowCount(D), field: ['factors'] };
    case 'lhs':
      return raw.samples === undefined || raw.samples < 1
        ? undefined
        : { ...lhs.rowCount(raw.samples), field: ['samples'] };
    case 'morris':
      return raw.trajectories === undefined || raw.trajectories < 2
        ? undefined
        : { ...morris.rowCount(raw.trajectories, D), field: ['trajectories'] };
    case 'sobol':
      return raw.samples === undefined || raw.samples < 1
        ? undefined
        : { ...sobol.rowCount(raw.samples, D, raw.second_order), field: ['samples'] };
  }
}

export interface Sweep {
  readonly file: string;
  /** The parsed file, to locate a problem found later (design or analysis) at its field. */
  readonly source: YamlSource;
  readonly raw: SweepFile;
  readonly scenario: Scenario;
  readonly spec: UncertaintySpec;
  readonly factors: readonly Factor[];
  readonly outputs: readonly SweepOutput[];
  readonly mc: { readonly runs: number; readonly seed: number } | undefined;
}

/** `source`: the file already read (validate reads each file to tell its kind), not read again. */
export function loadSweep(file: string, source?: YamlSource): Sweep {
  if (!existsSync(file)) throw new UserError({ location: { file }, path: '', message: 'sweep file not found' });
  const src = source ?? readYamlFile(file, 'sweep file');
  const { value, diagnostics } = checkSchema(SweepFileSchema, src);
  if (value) return buildSweep(src, value, new Set(), []);
  // Shape problems: the well-formed parts are still checked against the scenario and its model.
  if (src.data === null || typeof src.data !== 'object' || Array.isArray(src.data))
    throw new UserError(sortDiagnostics(diagnostics));
  const { value: partial, failed } = salvage(SweepFileSchema, src.data);
  try {
    return buildSweep(src, partial, failed, diagnostics);
  } catch (e) {
    // A check of meaning that trips over a part left out: the shape problems alone, never an internal error.
    if (e instanceof UserError) throw e;
    throw new UserError(sortDiagnostics(diagnostics));
  }
}

/** The scenario a sweep starts from; problems with the reference itself are located at `scenario:`. */
function sweepScenario(
  src: YamlSource,
  raw: SweepFile,
  needsMc: boolean,
  problems: Problems,
): { scenario: Scenario; spec: UncertaintySpec } | undefined {
  // Joined, not resolved: the path stays as relative as the sweep file's (like an observed file's), so
  // the output and its manifest do not depend on where the repository sits.
  const scenarioPath = isAbsolute(raw.scenario) ? raw.scenario : join(dirname(src.file), raw.scenario);
  // Missing, a directory, a device, too large: located at `scenario:` (then read by the loader).
  try {
    readYamlFile(scenarioPath, 'scenario file', {
      location: src.locate(['scenario']),
      path: 'scenario',
      name: raw.scenario,
    });
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    problems.add(e.diagnostics);
    return undefined;
  }
  try {
    if (!needsMc) return { scenario: loadScenario(scenarioPath), spec: { parameters: [], shocks: [] } };
    const { scenario, spec } = loadScenarioWithUncertainties(scenarioPath);
    if (spec.shocks.length === 0) return { scenario, spec };
    // The checked model's kernel generated again with shock slots: no second read or check.
    const model = withUncertainties(scenario.model, { shocked: spec.shocks.map((s) => s.equation) });
    return { scenario: { ...scenario, model }, spec };
  } catch (e) {
    if (!(e instanceof UserError)) throw e;
    problems.add(e.diagnostics);
    return undefined;
  }
}

function buildSweep(
  src: YamlSource,
  raw: SweepFile,
  /** Top-level fields that are not well-formed (reported in `earlier`): the checks needing them are skipped. */
  failed: ReadonlySet<string>,
  earlier: readonly Diagnostic[],
): Sweep {
  const problems = new Problems(src);
  problems.add(earlier);
  const needsMc =
    raw.design === 'policy-grid' || (raw.outputs ?? []).some((o) => o && 'target' in o && o.metric === 'probability');
  const loaded = failed.has('scenario') ? undefined : sweepScenario(src, raw, needsMc, problems);
  if (!loaded) throw new UserError(sortDiagnostics(problems.diagnostics));
  const { scenario, spec } = loaded;
  // A partial file (see salvage) may lack its factors or outputs, or have holes among the outputs.
  const factorsIn = raw.factors ?? {};
  const outputsIn = raw.outputs ?? [];
  const { model, horizon } = scenario;
  const regionIds = model.regions.map((r) => r.id);
  const names = [...model.levers.map((l) => l.name), ...model.parameters.map((p) => p.name)];

  // Design parameters
  if (raw.design === 'sobol' || raw.design === 'lhs') {
    if (raw.samples === undefined && !failed.has('samples'))
      problems.at(['design'], `design '${raw.design}' needs samples: (a positive whole number)`);
    else if (raw.samples !== undefined && raw.samples < 1)
      problems.at(['samples'], `must be a positive whole number (got ${raw.samples})`);
  }
  if (raw.design === 'morris') {
    if (raw.trajectories === undefined && !failed.has('trajectories'))
      problems.at(['design'], "design 'morris' needs trajectories: (a whole number >= 2)");
    else if (raw.trajectories !== undefined && raw.trajectories < 2)
      problems.at(['trajectories'], `must be a whole number >= 2 (got ${raw.trajectories})`);
    if (raw.levels !== undefined && (raw.levels < 2 || raw.levels % 2 !== 0))
      problems.at(['levels'], `must be an even whole number >= 2 (got ${raw.levels})`);
  }
  let sobolTooLong = false;
  if (raw.design === 'sobol' && raw.samples !== undefined && raw.samples >= 1) {
    // The Sobol sequence is exact for its first 2^20 points; the design skips the first max(2^⌈log2 N⌉, 16).
    const skip = Math.max(2 ** Math.ceil(Math.log2(raw.samples)), 16);
    sobolTooLong = skip + raw.samples > SOBOL_MAX_POINTS;
    if (sobolTooLong)
      problems.at(['samples'], `must be at most ${SOBOL_MAX_POINTS / 2} for a Sobol design (got ${raw.samples})`);
  }
  // Every design's size is bounded before anything is allocated: X alone is rows × factors numbers.
  const size = raw.factors && raw.design ? designRows(raw) : undefined;
  if (size && size.rows > MAX_SWEEP_ROWS && !sobolTooLong) {
    const message = `the ${raw.design} design would have ${size.rows} rows (${size.contract}), more than the limit of ${MAX_SWEEP_ROWS} model evaluations`;
    // A factor's levels make the size: shown at the factor's name.
    if (size.field[0] === 'factors') problems.atKey(size.field, message);
    else problems.at(size.field, message);
  }
  if (raw.design === 'policy-grid' && !raw.monte_carlo && !failed.has('monte_carlo'))
    problems.at(['design'], "design 'policy-grid' needs monte_carlo: { runs: N }");

  const everyRegion = regionIds.map((_, i) => i);
  /**
   * A factor's `regions:` as region indices, for levers and parameters alike: an aggregate stands for
   * its member provinces, a province for itself (each once, in the order given); an unknown id is a
   * located problem with a suggestion. Undefined when any id is unknown.
   */
  const resolveRegions = (ids: readonly string[], at: PathKey[]): number[] | undefined => {
    const out: number[] = [];
    let ok = true;
    ids.forEach((rid, k) => {
      const members = regionMembers(model, rid);
      if (!members) {
        problems.at([...at, k], `unknown region '${rid}'`, didYouMean(rid, settableRegionIds(model)));
        ok = false;
        return;
      }
      for (const m of members) if (!out.includes(m)) out.push(m);
    });
    return ok ? out : undefined;
  };
  // Parameters the Monte Carlo futures draw with apply: replace (only probability outputs run futures).
  const mcOutputs = outputsIn.some((o) => o && 'target' in o && o.metric === 'probability');
  const replacedByDraws = new Set(
    mcOutputs ? spec.parameters.filter((p) => p.apply === 'replace').map((p) => p.name) : [],
  );

  const factors: Factor[] = [];
  for (const [name, f] of Object.entries(factorsIn)) {
    const path: PathKey[] = ['factors', name];
    const lever = model.levers.find((l) => l.name === name);
    const param = model.parameters.find((p) => p.name === name);
    if (!lever && !param) {
      problems.atKey(path, `unknown factor '${name}': not a lever or parameter of the model`, didYouMean(name, names));
      continue;
    }
    const bounds = lever ? lever.range : param!.range;
    let lo: number;
    let hi: number;
    if (f.range) [lo, hi] = f.range;
    // A loop, not Math.min(...levels): 200,000 levels would overflow the call stack.
    else if (f.levels)
      [lo, hi] = f.levels.reduce(([a, b], v) => [Math.min(a, v), Math.max(b, v)], [Infinity, -Infinity]);
    else if (f.dist) [lo, hi] = [NaN, NaN];
    else {
      problems.at(path, 'needs a range: [low, high], levels: [...] or dist:');
      continue;
    }
    if (f.range && !(hi > lo)) {
      problems.at([...path, 'range'], `empty range: high (${hi}) must be above low (${lo})`);
      continue;
    }
    const checkBounds = (v: number, at: PathKey[]): void => {
      if ((lever || f.apply === 'replace') && (v < bounds[0] || v > bounds[1]))
        problems.at(at, `value ${v} is outside the range of '${name}' [${bounds[0]}, ${bounds[1]}]`);
    };
    if (f.range) {
      checkBounds(lo, [...path, 'range']);
      checkBounds(hi, [...path, 'range']);
    }
    f.levels?.forEach((v, i) => checkBounds(v, [...path, 'levels', i]));
    let toValue: QuantileFn = (u) => lo + u * (hi - lo);
    if (f.dist) {
      const d = f.dist;
      if (d.dist === 'lognormal') {
        problems.at(
          [...path, 'dist'],
          'lognormal factors are not supported in sweeps; use a range or another distribution',
        );
        continue;
      }
      const dist = toDistribution(d);
      const probs = validateDistribution(dist);
      for (const p of probs) problems.at([...path, 'dist'], p.message);
      if (probs.length === 0) {
        toValue = compileQuantile(dist);
        // Morris and Saltelli points sit on the faces of the unit cube, where an unbounded quantile is infinite.
        if (
          (raw.design === 'morris' || raw.design === 'sobol') &&
          !(Number.isFinite(toValue(0)) && Number.isFinite(toValue(1)))
        ) {
          problems.at(
            [...path, 'dist'],
            `design '${raw.design}' samples the ends of each factor's range; use a bounded distribution (uniform, triangular, beta, truncnormal, choice)`,
          );
        }
        // Without a range, the ends a grid or tornado uses: the support, or the 5% and 95% points of an unbounded distribution.
        if (!f.range && !f.levels) {
          const ends = [toValue(0), toValue(1)];
          [lo, hi] = ends.every(Number.isFinite) ? (ends as [number, number]) : [toValue(0.05), toValue(0.95)];
        }
      }
    }
    if ((raw.design === 'grid' || raw.design === 'policy-grid') && !f.levels && !f.range)
      problems.at(path, `design '${raw.design}' needs levels: [...] or a range for each factor`);
    let leverSpec: Factor['lever'];
    let paramSlots: number[] = [];
    if (lever) {
      const from = f.from ?? horizon.start;
      if (f.from !== undefined && (from < horizon.start || from > horizon.end))
        problems.at([...path, 'from'], `year ${from} is outside the horizon ${horizon.start}-${horizon.end}`);
      if (f.apply !== 'replace')
        problems.at(
          [...path, 'apply'],
          `'${name}' is a lever: the factor's value is its setting, so apply: ${f.apply} does not apply (it is for parameters)`,
        );
      if (f.regions && !lever.perRegion) {
        problems.at([...path, 'regions'], `lever '${name}' applies to all regions alike and cannot be set per region`);
        continue;
      }
      const regions = f.regions ? resolveRegions(f.regions, [...path, 'regions']) : everyRegion;
      if (!regions) continue;
      leverSpec = { index: lever.index, regions, fromYi: Math.max(1, from - model.baseYear) };
    } else {
      const p = param!;
      if (f.from !== undefined)
        problems.at([...path, 'from'], `'${name}' is a parameter; from: applies to levers only`);
      if (replacedByDraws.has(name)) {
        problems.atKey(
          path,
          `'${name}' is also drawn by the scenario's uncertainties (apply: replace), which would overwrite the factor's value in every future; remove one of them`,
        );
        continue;
      }
      if (f.regions && p.scope === 'global') {
        problems.at([...path, 'regions'], `'${name}' is one value for all regions`);
        continue;
      }
      const regions = f.regions ? resolveRegions(f.regions, [...path, 'regions']) : everyRegion;
      if (!regions) continue;
      paramSlots = p.scope === 'global' ? [p.offset] : regions.map((r) => p.offset + r);
      // Shifted or scaled values are checked against the range as a replaced one is (above): over
      // the factor's range or levels, or its distribution's support (0.1%-99.9% points if unbounded).
      if (f.apply !== 'replace') {
        const ends: [number, number] | undefined =
          f.dist && !f.range && !f.levels
            ? Number.isFinite(toValue(0)) && Number.isFinite(toValue(1))
              ? [toValue(0), toValue(1)]
              : [toValue(RANGE_CHECK_QUANTILES[0]), toValue(RANGE_CHECK_QUANTILES[1])]
            : Number.isFinite(lo) && Number.isFinite(hi)
              ? [lo, hi]
              : undefined;
        const outside = ends && appliedOutsideRange(ends, f.apply, p, scenario.params, model, paramSlots);
        if (outside) {
          problems.atKey(path, outside);
          continue;
        }
      }
    }
    const current = lever
      ? scenario.levers[leverSlot(model, model.baseYear + leverSpec!.fromYi, lever.index, leverSpec!.regions[0] ?? 0)]!
      : f.apply === 'replace'
        ? scenario.params[paramSlots[0]!]!
        : f.apply === 'scale'
          ? 1
          : 0;
    const base = f.base ?? (Number.isFinite(lo) && (current < lo || current > hi) ? (lo + hi) / 2 : current);
    factors.push({
      name,
      kind: lever ? 'lever' : 'parameter',
      lo,
      hi,
      levels: f.levels,
      base,
      toValue,
      apply: f.apply,
      paramSlots,
      ...(leverSpec ? { lever: leverSpec } : {}),
    });
  }
  if (!failed.has('factors') && Object.keys(factorsIn).length === 0)
    problems.at(['factors'], 'a sweep needs at least one factor');

  const outputs: SweepOutput[] = [];
  outputsIn.forEach((o, i) => {
    if (o === undefined) return;
    const path: PathKey[] = ['outputs', i];
    if ('indicator' in o) {
      const s = checkSeriesRef(
        model,
        o,
        { indicator: [...path, 'indicator'], region: [...path, 'region'], year: [...path, 'year'], series: path },
        horizon,
        (p, message, hint) => problems.at(p, message, hint),
        'output: indicator',
      );
      if (s !== undefined)
        outputs.push({
          label: o.name ?? `${o.indicator} ${o.region} ${o.year}`,
          kind: 'series',
          at: cellIndex(projectionGrid(model), o.year, s),
        });
      return;
    }
    const k = typeof o.target === 'number' ? o.target - 1 : scenario.targets.findIndex((t) => t.name === o.target);
    if (k < 0 || k >= scenario.targets.length) {
      problems.at(
        [...path, 'target'],
        `unknown output: the scenario has no target ${JSON.stringify(o.target)} (it has ${scenario.targets.length})`,
        typeof o.target === 'string'
          ? didYouMean(
              o.target,
              scenario.targets.map((t) => t.name),
            )
          : undefined,
      );
      return;
    }
    if (o.metric === 'probability' && !raw.monte_carlo && !failed.has('monte_carlo'))
      problems.at([...path, 'metric'], 'a probability output needs monte_carlo: { runs: N }');
    outputs.push({
      label: o.name ?? `${scenario.targets[k]!.name} [${o.metric}]`,
      kind: 'target',
      target: k,
      metric: o.metric,
    });
  });
  problems.throwIfAny();
  return {
    file: src.file,
    source: src,
    raw,
    scenario,
    spec,
    factors,
    outputs,
    mc: raw.monte_carlo ? { runs: raw.monte_carlo.runs, seed: raw.monte_carlo.seed ?? scenario.seed } : undefined,
  };
}
