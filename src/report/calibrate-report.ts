import type { PosteriorResult } from '../evidence/importance.js';
import type { PointFitResult } from '../evidence/point-fit.js';
import { evidenceManifest } from '../manifest/manifest.js';
import type { Scenario } from '../scenario/scenario.js';
import { printable } from '../util/printable.js';
import { fixed, jsonText, percent, renderTable } from './format.js';
import { modelLegend, NO_META, provenance, type ResultMeta } from './result-meta.js';
import { csvCell } from './run-report.js';

/** Calibration output: point fit and posterior as a table, residuals as CSV, all as JSON (`policysim.calibrate/2`). */

export interface CalibrationReport {
  readonly scenario: Scenario;
  readonly observedFile: string;
  readonly fit: PointFitResult;
  readonly posterior?: PosteriorResult;
  readonly posteriorFile?: string;
}

const sig = (x: number): string => (Number.isFinite(x) ? String(Number(x.toPrecision(4))) : '-');

export function renderCalibrateTable(r: CalibrationReport): string {
  const { fit, posterior } = r;
  const parts = [
    `Calibration: ${printable(r.scenario.name)} against ${printable(r.observedFile)}`,
    `\nPoint fit (weighted least squares within each parameter's range; errors: the observations' sd, else ${percent(fit.relativeError, 0)} of the value)`,
    renderTable(
      [['parameter', 'start', 'fitted', 'std error', 'range', 'identification']],
      fit.parameters.map((p) => [
        p.label,
        sig(p.start),
        sig(p.value),
        sig(p.standardError),
        `[${p.range[0]}, ${p.range[1]}]`,
        p.identification,
      ]),
    ),
    `chi-square ${sig(fit.chiSquare)} on ${fit.degreesOfFreedom} degree(s) of freedom (${fit.informativeObservations} observations move with the fitted parameters); condition number of the curvature ${sig(fit.conditionNumber)}; ${fit.iterations} iterations`,
  ];
  const pairs: string[] = [];
  fit.parameters.forEach((p, a) => {
    fit.parameters.forEach((q, b) => {
      const c = fit.correlation[a]![b]!;
      if (b > a && Math.abs(c) > 0.5) pairs.push(`${p.label} ~ ${q.label} ${fixed(c, 2)}`);
    });
  });
  if (fit.parameters.length > 1)
    parts.push(`correlated estimates (|r| > 0.5): ${pairs.length ? pairs.join('; ') : 'none'}`);
  parts.push(
    `\nResiduals (fitted − observed)\n${renderTable(
      [['indicator', 'region', 'year', 'observed', 'fitted', 'residual', 'sd', 'residual/sd']],
      fit.residuals.map((x) => [
        x.observation.indicator,
        x.observation.region,
        String(x.observation.year),
        sig(x.observation.value),
        sig(x.fitted),
        sig(x.residual),
        sig(x.sd),
        fixed(x.standardized, 2),
      ]),
    )}`,
  );
  for (const w of fit.warnings) parts.push(`warning: ${w}`);
  if (posterior) {
    parts.push(
      `\nPosterior by importance reweighting (${posterior.runs} prior runs, seed ${posterior.seed}; effective sample size ${fixed(posterior.effectiveSampleSize, 1)})`,
    );
    parts.push(
      renderTable(
        [['draw', 'apply', 'prior mean', 'prior 90%', 'posterior mean', 'posterior 90%', 'posterior sd']],
        posterior.parameters.map((p) => [
          p.label,
          p.apply,
          sig(p.priorMean),
          `[${sig(p.priorLow)}, ${sig(p.priorHigh)}]`,
          sig(p.mean),
          `[${sig(p.low)}, ${sig(p.high)}]`,
          sig(p.sd),
        ]),
      ),
    );
    for (const b of posterior.bands) {
      const last = b.years.length - 1;
      parts.push(
        `  ${b.indicator} ${b.region} ${b.years[last]}: prior 90% [${sig(b.priorP5[last]!)}, ${sig(b.priorP95[last]!)}], posterior 90% [${sig(b.p5[last]!)}, ${sig(b.p95[last]!)}]`,
      );
    }
    for (const t of posterior.targets)
      parts.push(
        `  target ${printable(t.name)}: probability ${percent(t.prior, 1)} prior, ${percent(t.posterior, 1)} posterior`,
      );
    for (const w of posterior.warnings) parts.push(`warning: ${w}`);
    if (r.posteriorFile)
      parts.push(`posterior uncertainties written to ${r.posteriorFile} (${posterior.sample.length} joint rows)`);
  }
  return `${parts.join('\n')}\n`;
}

export function renderCalibrateCsv(r: CalibrationReport): string {
  const lines = ['indicator,region,year,observed,sd,fitted,residual,standardized'];
  for (const x of r.fit.residuals)
    lines.push(
      [
        csvCell(x.observation.indicator),
        csvCell(x.observation.region),
        x.observation.year,
        x.observation.value,
        x.sd,
        x.fitted,
        x.residual,
        x.standardized,
      ].join(','),
    );
  return `${lines.join('\n')}\n`;
}

const nf = (x: number): number | null => (Number.isFinite(x) ? x : null);

/** The JSON document of a calibration (README: "Calibration JSON"); the HTML report reads it. */
export function calibrateResultJson(r: CalibrationReport, meta: ResultMeta = NO_META): object {
  const { fit, posterior } = r;
  return {
    schema: 'policysim.calibrate/2',
    scenario: { name: r.scenario.name, file: r.scenario.file },
    observedFile: r.observedFile,
    fit: {
      relativeError: fit.relativeError,
      parameters: fit.parameters.map((p) => ({ ...p, standardError: nf(p.standardError) })),
      chiSquare: fit.chiSquare,
      degreesOfFreedom: fit.degreesOfFreedom,
      informativeObservations: fit.informativeObservations,
      conditionNumber: nf(fit.conditionNumber),
      correlation: fit.correlation.map((row) => row.map(nf)),
      iterations: fit.iterations,
      residuals: fit.residuals.map((x) => ({
        indicator: x.observation.indicator,
        region: x.observation.region,
        year: x.observation.year,
        observed: x.observation.value,
        sd: x.sd,
        fitted: x.fitted,
        residual: x.residual,
        standardized: x.standardized,
      })),
      warnings: fit.warnings,
    },
    ...(posterior
      ? {
          posterior: {
            runs: posterior.runs,
            seed: posterior.seed,
            effectiveSampleSize: posterior.effectiveSampleSize,
            maxWeight: posterior.maxWeight,
            parameters: posterior.parameters,
            bands: posterior.bands,
            targets: posterior.targets,
            sampleRows: posterior.sample.length,
            ...(r.posteriorFile ? { file: r.posteriorFile } : {}),
            warnings: posterior.warnings,
          },
        }
      : {}),
    ...modelLegend(r.scenario.model),
    ...provenance(meta),
    manifest: evidenceManifest(
      'calibrate',
      r.scenario,
      r.observedFile,
      posterior?.seed ?? null,
      posterior?.runs ?? null,
      {
        fit: fit.parameters.map((p) => p.label),
        relativeError: fit.relativeError,
        ...(posterior ? { posteriorRows: posterior.sample.length } : {}),
      },
    ),
  };
}

export function renderCalibrateJson(r: CalibrationReport, meta: ResultMeta = NO_META): string {
  return jsonText(calibrateResultJson(r, meta));
}
