import { eigs } from 'mathjs';
import { levenbergMarquardt } from 'ml-levenberg-marquardt';
import { cellIndex, projectionGrid } from '../model/layout.js';
import { Projector } from '../project/projector.js';
import type { Scenario } from '../scenario/scenario.js';
import { type Diagnostic, UserError } from '../util/diagnostics.js';
import { didYouMean } from '../util/suggest.js';
import type { Observation, ObservedSet } from './observed-file.js';

/**
 * Point calibration: bounded weighted least squares of chosen model parameters against observed
 * values, within each parameter's declared range, on the deterministic projection.
 *
 * Optimiser: ml-levenberg-marquardt (mljs), a maintained Levenberg–Marquardt with box bounds:
 * the textbook method for a smooth least-squares problem with few parameters (fmin's Nelder–Mead has
 * no bounds). It runs here on coordinates scaled to [0, 1] over each range, so one finite-difference
 * step suits every parameter. Identifiability is judged afterwards from our own central-difference
 * Jacobian J of the standardised residuals: the curvature JᵀJ gives standard errors and correlations
 * (Gauss–Newton approximation), and its eigenvalues show directions the data do not pin down.
 */

/** Relative standard error assumed for an observation without `sd`. */
export const DEFAULT_RELATIVE_ERROR = 0.02;

export interface FitUnknown {
  /** `name` or `name.region`. */
  readonly label: string;
  readonly parameter: string;
  readonly region?: string;
  /** Parameter-vector slots set to this value. */
  readonly slots: readonly number[];
  readonly range: readonly [number, number];
  readonly unit: string;
}

/** `--fit` names → unknowns: a global parameter, a regional one per region, or `name.region`. Every problem at once. */
export function resolveFitNames(scenario: Scenario, names: readonly string[]): FitUnknown[] {
  const { model } = scenario;
  const out: FitUnknown[] = [];
  const problems: Diagnostic[] = [];
  const problem = (text: string, message: string, hint?: string): void => {
    problems.push({ path: `--fit ${text}`, message, ...(hint ? { hint } : {}) });
  };
  for (const text of names) {
    const [name, region, extra] = text.split('.');
    const p = model.parameters.find((q) => q.name === name);
    if (!p || extra !== undefined || name === undefined) {
      const lever = model.levers.find((l) => l.name === name);
      if (lever) problem(text, `'${name}' is a lever, not a parameter: levers are policy choices, not fitted`);
      else
        problem(
          text,
          `unknown parameter '${name}'`,
          didYouMean(
            name ?? text,
            model.parameters.map((q) => q.name),
          ),
        );
      continue;
    }
    const base = { parameter: p.name, range: p.range, unit: p.unit };
    if (region !== undefined) {
      const r = model.regions.findIndex((q) => q.id === region);
      // An aggregate is one value shared by its provinces, as `--set NAME.AGGREGATE=V` sets it.
      const agg = model.aggregates.find((a) => a.id === region);
      if (p.scope === 'global') problem(text, `'${name}' is one value for all regions; fit it as '${name}'`);
      else if (agg) out.push({ ...base, label: text, region, slots: agg.members.map((m) => p.offset + m) });
      else if (r < 0)
        problem(
          text,
          `unknown region '${region}'`,
          didYouMean(region, [...model.regions.map((q) => q.id), ...model.aggregates.map((a) => a.id)]),
        );
      else out.push({ ...base, label: text, region, slots: [p.offset + r] });
    } else if (p.scope === 'global') out.push({ ...base, label: p.name, slots: [p.offset] });
    else
      model.regions.forEach((q, r) =>
        out.push({ ...base, label: `${p.name}.${q.id}`, region: q.id, slots: [p.offset + r] }),
      );
  }
  const labels = new Set<string>();
  const fittedBy = new Map<number, string>();
  for (const u of out) {
    if (labels.has(u.label)) problem(u.label, `'${u.label}' is given twice`);
    else {
      // An aggregate and one of its provinces (or the parameter as a whole) would fit one value twice.
      const other = u.slots.map((s) => fittedBy.get(s)).find((l) => l !== undefined);
      if (other !== undefined) problem(u.label, `overlaps '${other}': a value is fitted once`);
    }
    labels.add(u.label);
    for (const s of u.slots) if (!fittedBy.has(s)) fittedBy.set(s, u.label);
  }
  if (problems.length > 0) throw new UserError(problems);
  return out;
}

/** The standard error used for an observation: its `sd`, or the default relative error of its value. */
export function observationSd(o: Observation, relError: number, file: string): number {
  if (o.sd !== undefined) return o.sd;
  const s = relError * Math.abs(o.value);
  if (!(s > 0))
    throw new UserError({
      location: { file, line: o.line },
      path: 'sd',
      message: `observed value 0 needs an sd (a relative error of 0 is no error)`,
    });
  return s;
}

export interface FittedParameter {
  readonly label: string;
  readonly unit: string;
  readonly range: readonly [number, number];
  readonly start: number;
  readonly value: number;
  /** From the curvature of the weighted sum of squares; NaN when not identified. */
  readonly standardError: number;
  readonly atBound: boolean;
  /** What the data say about this parameter, in words. */
  readonly identification: string;
}

export interface Residual {
  readonly observation: Observation;
  readonly sd: number;
  readonly fitted: number;
  /** fitted − observed. */
  readonly residual: number;
  /** residual / sd. */
  readonly standardized: number;
}

export interface PointFitResult {
  readonly parameters: readonly FittedParameter[];
  readonly residuals: readonly Residual[];
  /** Σ standardized². */
  readonly chiSquare: number;
  /** Informative observations (those some fitted parameter moves) − fitted parameters. */
  readonly degreesOfFreedom: number;
  readonly informativeObservations: number;
  readonly correlation: readonly (readonly number[])[];
  /** Largest / smallest eigenvalue of the range-scaled curvature; Infinity when singular. */
  readonly conditionNumber: number;
  readonly iterations: number;
  readonly relativeError: number;
  readonly warnings: readonly string[];
}

export function pointFit(
  scenario: Scenario,
  observed: ObservedSet,
  unknowns: readonly FitUnknown[],
  relError = DEFAULT_RELATIVE_ERROR,
): PointFitResult {
  const obs = observed.observations;
  const n = obs.length;
  const P = unknowns.length;
  if (n < 2 || n < P)
    throw new UserError({
      location: { file: observed.file },
      path: '--fit',
      message: `${n} observation(s) cannot determine ${P} parameter(s): give at least ${Math.max(2, P)} observations, or fit fewer parameters`,
    });
  const { model } = scenario;
  const projector = new Projector(model, scenario.horizon.end);
  const params = scenario.params.slice();
  const sds = obs.map((o) => observationSd(o, relError, observed.file));
  const grid = projectionGrid(model);
  const cells = obs.map((o) => cellIndex(grid, o.year, o.series));
  const lo = unknowns.map((u) => u.range[0]);
  const span = unknowns.map((u) => u.range[1] - u.range[0]);
  // The ends map to the declared bounds exactly (lo + 1·span can round past hi).
  const toValues = (scaled: readonly number[]): number[] =>
    scaled.map((s, j) => (s >= 1 ? unknowns[j]!.range[1] : s <= 0 ? lo[j]! : lo[j]! + s * span[j]!));
  const predict = (values: readonly number[]): Float64Array => {
    unknowns.forEach((u, j) => {
      for (const s of u.slots) params[s] = values[j]!;
    });
    const out = projector.run(params, scenario.levers);
    return Float64Array.from(cells, (c) => out[c]!);
  };
  const start = unknowns.map((u) => Math.min(u.range[1], Math.max(u.range[0], scenario.params[u.slots[0]!]!)));
  let fit: { parameterValues: number[]; iterations: number };
  try {
    // Standardised residuals against zero with unit weights: ml-levenberg-marquardt 5.1.0 mishandles a
    // per-point weights array (checked: uniform weights of 0.1 moved the optimum of a linear fit).
    fit = levenbergMarquardt(
      { x: obs.map((_, i) => i), y: obs.map(() => 0) },
      (scaled: number[]) => {
        const m = predict(toValues(scaled));
        return (x: number) => (m[x]! - obs[x]!.value) / sds[x]!;
      },
      {
        initialValues: start.map((v, j) => (span[j]! > 0 ? (v - lo[j]!) / span[j]! : 0)),
        minValues: unknowns.map(() => 0),
        maxValues: unknowns.map(() => 1),
        gradientDifference: 1e-6,
        centralDifference: true,
        maxIterations: 200,
        errorTolerance: 1e-14,
        damping: 1e-3,
      },
    );
  } catch (e) {
    throw new UserError({ path: '--fit', message: `the fit could not proceed: ${(e as Error).message}` });
  }
  const best = toValues(fit.parameterValues);
  const fitted = predict(best);
  const residuals: Residual[] = obs.map((o, i) => {
    const r = fitted[i]! - o.value;
    return { observation: o, sd: sds[i]!, fitted: fitted[i]!, residual: r, standardized: r / sds[i]! };
  });
  const chiSquare = residuals.reduce((a, r) => a + r.standardized * r.standardized, 0);

  // Jacobian of standardized residuals in range-scaled coordinates (central differences; one-sided at a bound).
  const J: number[][] = obs.map(() => new Array<number>(P).fill(0));
  const scaledBest = fit.parameterValues;
  for (let j = 0; j < P; j++) {
    const h = 1e-5;
    const up = Math.min(1, scaledBest[j]! + h);
    const down = Math.max(0, scaledBest[j]! - h);
    const at = (s: number) => predict(toValues(scaledBest.map((v, k) => (k === j ? s : v))));
    const mu = at(up);
    const md = at(down);
    for (let i = 0; i < n; i++) J[i]![j] = (mu[i]! - md[i]!) / (up - down) / sds[i]!;
  }
  predict(best);
  const F: number[][] = Array.from({ length: P }, (_, a) =>
    Array.from({ length: P }, (_, b) => J.reduce((acc, row) => acc + row[a]! * row[b]!, 0)),
  );
  const { values: eigValues, vectors } = symmetricEigen(F);
  const lmax = Math.max(...eigValues);
  const lmin = Math.min(...eigValues);
  const conditionNumber = lmin > lmax * 1e-12 && lmax > 0 ? lmax / lmin : Infinity;
  // Covariance in scaled units: V diag(1/λ) Vᵀ over the identified directions only.
  const cov: number[][] = Array.from({ length: P }, () => new Array<number>(P).fill(0));
  const unidentified = new Set<number>();
  eigValues.forEach((lam, k) => {
    const v = vectors[k]!;
    if (!(lam > lmax * 1e-12) || lmax === 0) {
      v.forEach((x, j) => {
        if (Math.abs(x) > 0.1) unidentified.add(j);
      });
      return;
    }
    for (let a = 0; a < P; a++) for (let b = 0; b < P; b++) cov[a]![b]! += (v[a]! * v[b]!) / lam;
  });
  const se = unknowns.map((_, j) => (unidentified.has(j) ? NaN : Math.sqrt(cov[j]![j]!) * span[j]!));
  const correlation = unknowns.map((_, a) =>
    unknowns.map((_, b) => {
      if (unidentified.has(a) || unidentified.has(b)) return a === b ? 1 : NaN;
      return cov[a]![b]! / Math.sqrt(cov[a]![a]! * cov[b]![b]!);
    }),
  );
  const warnings: string[] = [];
  // Observations that no fitted parameter moves (anchors, base-year data) carry no information.
  const informative = J.filter((row) => row.some((x) => Math.abs(x) > 1e-12)).length;
  const dof = informative - P;
  if (dof < 0)
    throw new UserError({
      location: { file: observed.file },
      path: '--fit',
      message: `only ${informative} observation(s) depend on the fitted parameters, too few to determine ${P}: fit fewer parameters`,
    });
  if (dof === 0)
    warnings.push(
      `as many parameters as informative observations (${informative}): the fit passes through the data and says nothing about its error`,
    );
  else if (chiSquare / dof > 4)
    warnings.push(
      `chi-square per degree of freedom is ${(chiSquare / dof).toFixed(1)}: the model misses the data by more than the stated errors; the standard errors are too small`,
    );
  const parameters: FittedParameter[] = unknowns.map((u, j) => {
    const atBound = fit.parameterValues[j]! <= 1e-9 || fit.parameterValues[j]! >= 1 - 1e-9;
    let identification: string;
    const column = J.map((row) => row[j]!);
    if (column.every((x) => Math.abs(x) < 1e-12)) identification = 'not identified: no observation depends on it';
    else if (unidentified.has(j)) {
      const partners = unknowns.filter((_, k) => k !== j && unidentified.has(k)).map((q) => q.label);
      identification = `not identified separately${partners.length ? ` from ${partners.join(', ')}` : ''}: only a combination is fixed by the data`;
    } else if (atBound)
      identification = 'at the bound of its range: the data pull it further; the standard error does not apply';
    else if (se[j]! > 0.25 * span[j]!)
      identification = 'weakly identified: the standard error is over a quarter of its range';
    else {
      const strong = unknowns.filter((_, k) => k !== j && Math.abs(correlation[j]![k]!) > 0.95).map((q) => q.label);
      identification = strong.length
        ? `identified jointly with ${strong.join(', ')} (|correlation| > 0.95)`
        : 'well identified';
    }
    return {
      label: u.label,
      unit: u.unit,
      range: u.range,
      start: start[j]!,
      value: best[j]!,
      standardError: se[j]!,
      atBound,
      identification,
    };
  });
  return {
    parameters,
    residuals,
    chiSquare,
    degreesOfFreedom: dof,
    informativeObservations: informative,
    correlation,
    conditionNumber,
    iterations: fit.iterations,
    relativeError: relError,
    warnings,
  };
}

/** Eigenvalues and eigenvectors of a small symmetric matrix (mathjs). */
function symmetricEigen(m: number[][]): { values: number[]; vectors: number[][] } {
  if (m.length === 1) return { values: [m[0]![0]!], vectors: [[1]] };
  const r = eigs(m) as unknown as { eigenvectors: { value: number; vector: number[] }[] };
  return { values: r.eigenvectors.map((e) => e.value), vectors: r.eigenvectors.map((e) => [...e.vector]) };
}
