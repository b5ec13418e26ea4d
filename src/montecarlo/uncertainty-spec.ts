import { existsSync } from 'node:fs';
import { basename, dirname, isAbsolute, join } from 'node:path';
import * as z from 'zod';
import type { ParameterInfo } from '../model/compiled-model.js';
import { equationsReading, shockableEquations } from '../model/shockable.js';
import { ADJUSTMENTS, type Adjustment, adjust } from '../scenario/adjustment.js';
import { type LoadOptions, loadScenario, ScenarioError } from '../scenario/load-scenario.js';
import type { Scenario } from '../scenario/scenario.js';
import { type Diagnostic, sortDiagnostics, UserError } from '../util/diagnostics.js';
import { Problems, prefixPath } from '../util/problems.js';
import { checkSchema, salvage, valueAt } from '../util/schema-check.js';
import { didYouMean } from '../util/suggest.js';
import { type PathKey, readYamlFile, type YamlSource } from '../util/yaml-source.js';
import { type CorrelationKind, validateCorrelation } from './correlation.js';
import {
  compileQuantile,
  type Distribution,
  lognormalFromMeanSd,
  type Problem,
  validateDistribution,
  validateLognormalMeanSd,
} from './distributions.js';

/**
 * The uncertainties (X) of a scenario: distributions on parameters, yearly shocks on equations, and
 * correlations between the uncertain parameters. Kept apart from levers (L) and the model (R).
 */

const finite = z.number().refine(Number.isFinite, { message: 'must be a finite number' });
const common = {
  /** replace: the draw is the value; scale: the draw multiplies the scenario's value; shift: adds to it. */
  apply: z.enum(ADJUSTMENTS).default('replace'),
  /** For a regional parameter: independent draws per region instead of one shared draw. */
  per_region: z.boolean().default(false),
  note: z.string().optional(),
};
export const DistributionSchema = z.discriminatedUnion('dist', [
  z.strictObject({ dist: z.literal('normal'), mean: finite, sd: finite, ...common }),
  z.strictObject({ dist: z.literal('truncnormal'), mean: finite, sd: finite, min: finite, max: finite, ...common }),
  z.strictObject({
    dist: z.literal('lognormal'),
    median: finite.optional(),
    sigma: finite.optional(),
    mean: finite.optional(),
    sd: finite.optional(),
    ...common,
  }),
  z.strictObject({ dist: z.literal('uniform'), min: finite, max: finite, ...common }),
  z.strictObject({ dist: z.literal('triangular'), min: finite, mode: finite, max: finite, ...common }),
  z.strictObject({ dist: z.literal('beta'), alpha: finite, beta: finite, min: finite, max: finite, ...common }),
  z.strictObject({
    dist: z.literal('choice'),
    values: z.array(finite).min(1),
    weights: z.array(finite).min(1),
    ...common,
  }),
  z.strictObject({
    dist: z.literal('empirical'),
    /** Equally likely rows: a number each, or with per_region one number per region (model order). */
    values: z.array(z.union([finite, z.array(finite).min(1)])).min(1),
    /** Parameters with the same joint name take the same row in every run. */
    joint: z.string().min(1).optional(),
    ...common,
  }),
]);

export const ShockSchema = z.strictObject({
  /** Standard deviation of the yearly term (its stationary sd for AR(1)). */
  sd: finite,
  /** AR(1) persistence ρ in [0, 1): 0 = independent each year. */
  persistence: finite.default(0),
  /** For a regional equation: one shock shared by all regions instead of one per region. */
  common: z.boolean().default(false),
  note: z.string().optional(),
});

export const UncertaintiesSchema = z.strictObject({
  include: z.string().min(1).optional(),
  parameters: z.record(z.string(), DistributionSchema).default({}),
  shocks: z.record(z.string(), ShockSchema).default({}),
  correlation: z
    .strictObject({
      kind: z.enum(['gaussian', 'rank']).default('rank'),
      variables: z.array(z.string().min(1)).min(2),
      matrix: z.array(z.array(finite)),
    })
    .optional(),
});
type UncertaintiesFile = z.infer<typeof UncertaintiesSchema>;

export interface UncertainParameter {
  readonly name: string;
  readonly dist: Distribution;
  readonly apply: Adjustment;
  /** Parameter-vector slots this draw writes, grouped by draw: one group, or one per region. */
  readonly slotGroups: readonly (readonly number[])[];
}

export interface ShockSpec {
  readonly equation: string;
  readonly sd: number;
  readonly persistence: number;
  readonly common: boolean;
}

export interface UncertaintySpec {
  readonly parameters: readonly UncertainParameter[];
  readonly shocks: readonly ShockSpec[];
  readonly correlation?: {
    readonly kind: CorrelationKind;
    readonly variables: readonly string[];
    readonly matrix: readonly (readonly number[])[];
  };
}

/** What the uncertainties are checked against: the scenario's model and file. */
export type UncertaintyContext = Pick<Scenario, 'raw' | 'source' | 'file' | 'model'> & {
  /** The scenario's parameter values (shift and scale apply to them); the model's defaults if absent. */
  readonly params?: Float64Array;
};

/**
 * Load a scenario and check its uncertainties; when the scenario has problems, its uncertainties are
 * still checked against its model, and all problems are reported together.
 */
export function loadScenarioWithUncertainties(
  file: string,
  options: LoadOptions = {},
  /** More checks of the loaded scenario (its observed file, say), reported with the uncertainties' problems. */
  also?: (scenario: Scenario) => void,
): { scenario: Scenario; spec: UncertaintySpec } {
  let scenario: Scenario;
  try {
    scenario = loadScenario(file, options);
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    let more: readonly Diagnostic[] = [];
    try {
      checkUncertainties(e.partial);
    } catch (u) {
      if (!(u instanceof UserError)) throw u;
      more = u.diagnostics;
    }
    // Still a ScenarioError: a caller may check more of what the scenario names (its observed file).
    throw new ScenarioError(sortDiagnostics([...e.diagnostics, ...more]), e.partial);
  }
  const problems: Diagnostic[] = [];
  const collect = <T>(check: () => T): T | undefined => {
    try {
      return check();
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      for (const d of e.diagnostics) problems.push(d);
      return undefined;
    }
  };
  const spec = collect(() => checkUncertainties(scenario));
  if (also) collect(() => also(scenario));
  // Each check's problems in its own order: those of one file stay together.
  if (!spec || problems.length > 0) throw new UserError(problems);
  return { scenario, spec };
}

/** Check a scenario's uncertainties against its model; every problem at once. */
export function checkUncertainties(scenario: UncertaintyContext): UncertaintySpec {
  const raw = scenario.raw.uncertainties;
  if (raw === undefined) return { parameters: [], shocks: [] };
  const all = new Problems(scenario.source);
  const main = parseSection(scenario.source, ['uncertainties'], raw, all);
  const parts: { file: UncertaintiesFile; src: YamlSource; base: PathKey[] }[] = [];
  if (main.include) {
    // Relative to the scenario, kept relative when the scenario's path is, for the messages.
    const incPath = isAbsolute(main.include) ? main.include : join(dirname(scenario.file), main.include);
    if (!existsSync(incPath)) {
      all.at(['uncertainties', 'include'], `included file not found: ${main.include}`);
    } else {
      let incSrc: YamlSource | undefined;
      try {
        incSrc = readYamlFile(incPath, 'uncertainties file', {
          location: scenario.source.locate(['uncertainties', 'include']),
          path: 'uncertainties.include',
          name: main.include,
        });
      } catch (e) {
        if (!(e instanceof UserError)) throw e;
        all.add(e.diagnostics);
      }
      if (incSrc) {
        const included = all.inFile(incSrc);
        const inc = parseSection(incSrc, [], incSrc.data, all);
        if (inc.include) included.at(['include'], 'an included uncertainties file cannot include another');
        parts.push({ file: inc, src: incSrc, base: [] });
      }
    }
  }
  parts.push({ file: main, src: scenario.source, base: ['uncertainties'] });

  const model = scenario.model;
  // Names under parameters: as written, well-formed or not (a broken one is not "missing" elsewhere).
  const givenAtAll = new Set(parts.flatMap((p) => keysOf(valueAt(p.src.data, [...p.base, 'parameters']))));
  const params = new Map<string, UncertainParameter>();
  const declaredAt = new Map<string, { src: YamlSource; at: PathKey[] }>();
  const shocks = new Map<string, ShockSpec>();
  let correlation: UncertaintySpec['correlation'];
  let correlationAt: { src: YamlSource; base: PathKey[] } | undefined;
  const shockable = shockableEquations(model.file);
  const equations = shockable.map((e) => e.name);

  /** "did you mean", or for a parameter or lever the equations that read it (where its shock belongs). */
  const shockHint = (name: string): string | undefined => {
    const close = didYouMean(name, equations);
    if (close) return close;
    const kind = model.parameters.some((p) => p.name === name)
      ? 'parameter'
      : model.levers.some((l) => l.name === name)
        ? 'lever'
        : undefined;
    if (!kind) return undefined;
    const readers = equationsReading(shockable, name);
    const what =
      kind === 'parameter'
        ? `'${name}' is a parameter: give it a distribution under parameters:`
        : `'${name}' is a lever`;
    return readers.length > 0 ? `${what}, or shock an equation that reads it: ${readers.join(', ')}` : what;
  };

  for (const { file, src, base } of parts) {
    const problems = all.inFile(src, base);
    for (const [name, d] of Object.entries(file.parameters)) {
      const p = model.parameters.find((q) => q.name === name);
      if (!p) {
        const lever = model.levers.find((l) => l.name === name);
        problems.atKey(
          ['parameters', name],
          `unknown parameter '${name}'`,
          lever
            ? `'${name}' is a lever; put uncertainty on its effect parameters instead`
            : didYouMean(
                name,
                model.parameters.map((q) => q.name),
              ),
        );
        continue;
      }
      const dist = toDistribution(d);
      const wrong =
        d.dist === 'lognormal'
          ? lognormalProblems(d)
          : d.dist === 'empirical'
            ? empiricalProblems(d, p.scope === 'global' ? 1 : model.regions.length)
            : validateDistribution(dist);
      for (const pr of wrong) problems.at(['parameters', name, ...pr.path], pr.message);
      if (wrong.length > 0) continue;
      // The values a draw gives the parameter, as a plain override is checked: the draw itself
      // (replace), or the scenario's value shifted or scaled by it, in every region it applies to.
      const outside = drawnOutsideRange(dist, d.apply, p, scenario.params ?? model.defaultParams(), model);
      if (outside) {
        problems.at(['parameters', name], outside);
        continue;
      }
      if (d.per_region && p.scope === 'global') {
        problems.at(
          ['parameters', name, 'per_region'],
          `'${name}' is one value for all regions; per_region does not apply`,
        );
        continue;
      }
      const slotGroups =
        p.scope === 'global'
          ? [[p.offset]]
          : d.per_region
            ? model.regions.map((_, r) => [p.offset + r])
            : [model.regions.map((_, r) => p.offset + r)];
      params.set(name, { name, dist, apply: d.apply, slotGroups });
      declaredAt.set(name, { src, at: [...base, 'parameters', name, 'values'] });
    }
    for (const [eq, s] of Object.entries(file.shocks)) {
      if (!equations.includes(eq)) {
        problems.atKey(
          ['shocks', eq],
          `unknown equation '${eq}'; a shock attaches to one of: ${equations.join(', ')}`,
          shockHint(eq),
        );
        continue;
      }
      if (!(s.sd > 0)) problems.at(['shocks', eq, 'sd'], `standard deviation must be > 0 (got ${s.sd})`);
      if (!(s.persistence >= 0 && s.persistence < 1))
        problems.at(['shocks', eq, 'persistence'], `persistence must be in [0, 1) (got ${s.persistence})`);
      shocks.set(eq, { equation: eq, sd: s.sd, persistence: s.persistence, common: s.common });
    }
    if (file.correlation) {
      correlation = {
        kind: file.correlation.kind,
        variables: file.correlation.variables,
        matrix: file.correlation.matrix,
      };
      correlationAt = { src, base };
    }
  }
  checkJointTables(params, all, declaredAt);
  if (correlation && correlationAt) {
    const { src, base } = correlationAt;
    const problems = all.inFile(src, base);
    correlation.variables.forEach((v, i) => {
      if (!params.has(v) && givenAtAll.has(v)) return; // its distribution has a problem, reported already
      if (!params.has(v))
        problems.at(
          ['correlation', 'variables', i],
          `'${v}' has no distribution under uncertainties.parameters`,
          didYouMean(v, [...params.keys()]),
        );
      else if (params.get(v)!.dist.kind === 'empirical')
        problems.at(
          ['correlation', 'variables', i],
          `'${v}' is an empirical table; its rows already carry its dependence`,
        );
      else if (params.get(v)!.slotGroups.length > 1)
        problems.at(['correlation', 'variables', i], `'${v}' is drawn per region and cannot be correlated`);
      if (correlation!.variables.indexOf(v) !== i)
        problems.at(['correlation', 'variables', i], `'${v}' is listed twice`);
    });
    const k = correlation.variables.length;
    if (correlation.matrix.length !== k || correlation.matrix.some((row) => row.length !== k)) {
      problems.at(['correlation', 'matrix'], `must be ${k}×${k} to match the ${k} variables`);
    } else {
      for (const pr of validateCorrelation(correlation.matrix, correlation.kind))
        problems.at(['correlation', 'matrix'], pr.message);
    }
  }
  all.throwIfAny();
  return { parameters: [...params.values()], shocks: [...shocks.values()], ...(correlation ? { correlation } : {}) };
}

/** Parameters sharing a `joint` table must have the same number of rows (row k of each is one draw). */
function checkJointTables(
  params: Map<string, UncertainParameter>,
  problems: Problems,
  declaredAt: Map<string, { src: YamlSource; at: PathKey[] }>,
): void {
  const rowsOf = new Map<string, { name: string; rows: number }>();
  for (const p of params.values()) {
    if (p.dist.kind !== 'empirical' || p.dist.joint === undefined) continue;
    const first = rowsOf.get(p.dist.joint);
    if (!first) rowsOf.set(p.dist.joint, { name: p.name, rows: p.dist.rows.length });
    else if (first.rows !== p.dist.rows.length) {
      const where = declaredAt.get(p.name)!;
      problems
        .inFile(where.src)
        .at(
          where.at,
          `joint table '${p.dist.joint}' has ${first.rows} rows for '${first.name}' but ${p.dist.rows.length} here`,
        );
    }
  }
}

function parseSection(src: YamlSource, base: PathKey[], data: unknown, problems: Problems): UncertaintiesFile {
  // Check the section with locations relative to the whole file.
  const view: YamlSource = {
    file: src.file,
    data,
    locate: (p) => src.locate([...base, ...p]),
    locateKey: (p) => src.locateKey([...base, ...p]),
  };
  const { value, diagnostics } = checkSchema(UncertaintiesSchema, view);
  problems.add(diagnostics.map((d) => ({ ...d, path: prefixPath(base, d.path) })));
  // The well-formed parts are checked against the model all the same.
  return value ?? salvage(UncertaintiesSchema, data).value;
}

/** The checked YAML form of a distribution → the sampling form (validate with validateDistribution). */
export function toDistribution(d: z.infer<typeof DistributionSchema>): Distribution {
  switch (d.dist) {
    case 'normal':
      return { kind: 'normal', mean: d.mean, sd: d.sd };
    case 'truncnormal':
      return { kind: 'truncnormal', mean: d.mean, sd: d.sd, min: d.min, max: d.max };
    case 'lognormal':
      if (d.median !== undefined && d.sigma !== undefined)
        return { kind: 'lognormal', median: d.median, sigma: d.sigma };
      if (d.mean !== undefined && d.sd !== undefined && d.mean > 0 && d.sd > 0)
        return lognormalFromMeanSd(d.mean, d.sd);
      return { kind: 'lognormal', median: d.median ?? 1, sigma: d.sigma ?? 1 };
    case 'uniform':
      return { kind: 'uniform', min: d.min, max: d.max };
    case 'triangular':
      return { kind: 'triangular', min: d.min, mode: d.mode, max: d.max };
    case 'beta':
      return { kind: 'beta', alpha: d.alpha, beta: d.beta, min: d.min, max: d.max };
    case 'choice':
      return { kind: 'choice', values: d.values, weights: d.weights };
    case 'empirical':
      return {
        kind: 'empirical',
        rows: d.values.map((v) => (Array.isArray(v) ? v : [v])),
        ...(d.joint !== undefined ? { joint: d.joint } : {}),
      };
  }
}

/** An empirical table's rows: numbers, or with per_region a list of one number per region. */
function empiricalProblems(
  d: Extract<z.infer<typeof DistributionSchema>, { dist: 'empirical' }>,
  regions: number,
): Problem[] {
  const problems: Problem[] = [];
  d.values.forEach((v, i) => {
    if (d.per_region && (!Array.isArray(v) || v.length !== regions))
      problems.push({
        path: ['values', i],
        message: `with per_region: true each row must list ${regions} values, one per region in model order`,
      });
    else if (!d.per_region && Array.isArray(v))
      problems.push({
        path: ['values', i],
        message: 'each row must be one number (a list per row needs per_region: true)',
      });
  });
  return problems.length > 0 ? problems : validateDistribution(toDistribution(d));
}

function lognormalProblems(d: Extract<z.infer<typeof DistributionSchema>, { dist: 'lognormal' }>): Problem[] {
  const byMedian = d.median !== undefined || d.sigma !== undefined;
  const byMoments = d.mean !== undefined || d.sd !== undefined;
  if (byMedian && byMoments) return [{ path: [], message: 'give either median and sigma, or mean and sd, not both' }];
  if (byMedian) {
    if (d.median === undefined || d.sigma === undefined)
      return [{ path: [], message: 'lognormal needs both median and sigma' }];
    return validateDistribution({ kind: 'lognormal', median: d.median, sigma: d.sigma });
  }
  if (d.mean === undefined || d.sd === undefined)
    return [{ path: [], message: 'lognormal needs median and sigma, or mean and sd' }];
  return validateLognormalMeanSd(d.mean, d.sd);
}

/** Unbounded distributions are checked between these quantiles (documented in the README). */
export const RANGE_CHECK_QUANTILES = [0.001, 0.999] as const;

/**
 * The ends of what a distribution draws: its support when bounded, else its 0.1% and 99.9% points
 * (a normal shift of ±2 on a growth rate is caught; the far tails of a normal, which any range
 * would cut, are not held against it).
 */
export function drawnSpan(d: Distribution): { span: [number, number]; bounded: boolean } {
  const support = boundedSupport(d);
  if (support) return { span: support, bounded: true };
  const q = compileQuantile(d);
  return { span: [q(RANGE_CHECK_QUANTILES[0]), q(RANGE_CHECK_QUANTILES[1])], bounded: false };
}

/**
 * A message when `values` (what a parameter is given: a draw or a factor's ends) applied to the
 * scenario's value with `apply` leave the parameter's range, in any region it applies to.
 */
export function appliedOutsideRange(
  ends: readonly [number, number],
  apply: Adjustment,
  p: Pick<ParameterInfo, 'name' | 'range' | 'scope' | 'offset' | 'unit'>,
  params: Float64Array,
  model: Pick<UncertaintyContext['model'], 'regions'>,
  slots: readonly number[] = p.scope === 'global' ? [p.offset] : model.regions.map((_, r) => p.offset + r),
  what = 'the values',
): string | undefined {
  const [lo, hi] = p.range;
  for (const slot of slots) {
    const base = params[slot]!;
    const a = adjust(apply, base, ends[0]);
    const b = adjust(apply, base, ends[1]);
    const [min, max] = a <= b ? [a, b] : [b, a];
    if (min >= lo && max <= hi) continue;
    const region = p.scope === 'global' ? '' : ` for ${model.regions[slot - p.offset]?.id}`;
    const how =
      apply === 'replace'
        ? ''
        : ` (the scenario's value ${base}${region} ${apply === 'shift' ? 'shifted' : 'scaled'} by [${fmt(ends[0])}, ${fmt(ends[1])}])`;
    return `${what} span [${fmt(min)}, ${fmt(max)}]${how}, outside the range of '${p.name}' [${lo}, ${hi}]${p.unit ? ` (${p.unit})` : ''}`;
  }
  return undefined;
}

function drawnOutsideRange(
  d: Distribution,
  apply: Adjustment,
  p: ParameterInfo,
  params: Float64Array,
  model: UncertaintyContext['model'],
): string | undefined {
  const { span, bounded } = drawnSpan(d);
  const what = bounded
    ? apply === 'replace'
      ? 'the draws'
      : 'the values'
    : `the draws' ${RANGE_CHECK_QUANTILES[0] * 100}%-${RANGE_CHECK_QUANTILES[1] * 100}% range gives values that`;
  return appliedOutsideRange(span, apply, p, params, model, undefined, what);
}

function fmt(x: number): string {
  return String(Number(x.toPrecision(6)));
}

function boundedSupport(d: Distribution): [number, number] | undefined {
  switch (d.kind) {
    case 'uniform':
    case 'triangular':
    case 'beta':
    case 'truncnormal':
      return [d.min, d.max];
    case 'choice':
      // A loop, not Math.min(...values): a million values would overflow the call stack.
      return d.values.reduce<[number, number]>(
        ([lo, hi], v) => [Math.min(lo, v), Math.max(hi, v)],
        [Infinity, -Infinity],
      );
    case 'empirical': {
      let lo = Infinity;
      let hi = -Infinity;
      for (const row of d.rows)
        for (const v of row) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      return [lo, hi];
    }
    default:
      return undefined;
  }
}

/**
 * Check a shared uncertainties file on its own (`policysim validate uncertainties/northeast.yaml`)
 * against a model: the file is checked exactly as when a scenario next to it includes it.
 */
export function checkUncertaintiesFile(file: string, model: UncertaintyContext['model']): UncertaintySpec {
  const nowhere: YamlSource = { file, data: {}, locate: () => ({ file }), locateKey: () => ({ file }) };
  return checkUncertainties({
    file,
    source: nowhere,
    model,
    raw: { uncertainties: { include: basename(file) } } as UncertaintyContext['raw'],
  });
}

function keysOf(v: unknown): string[] {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.keys(v) : [];
}
