import type { BacktestResult, CoverageSummary } from '../evidence/backtest.js';
import { evidenceManifest } from '../manifest/manifest.js';
import type { Scenario } from '../scenario/scenario.js';
import { printable } from '../util/printable.js';
import { fixed, jsonText, percent, renderTable } from './format.js';
import { modelLegend, NO_META, provenance, type ResultMeta } from './result-meta.js';
import { csvCell } from './run-report.js';

/** Backtest output: table, CSV (one row per observation), JSON (`policysim.backtest/2`). */

const BAND_TEXT = {
  below90: 'below 90%',
  below50: 'in 90%, below 50%',
  inside50: 'in 50%',
  above50: 'in 90%, above 50%',
  above90: 'above 90%',
} as const;

function decimalsOf(scenario: Scenario, indicator: string): number {
  return scenario.model.indicators.find((i) => i.name === indicator)?.decimals ?? 2;
}

function coverageLine(label: string, s: CoverageSummary): string {
  const iv = (i: [number, number]) => `[${percent(i[0], 0)}, ${percent(i[1], 0)}]`;
  return `${label}: ${s.n} obs; 50% band held ${s.inside50} (${percent(s.coverage50, 0)}, 95% CI ${iv(s.interval50)}); 90% band held ${s.inside90} (${percent(s.coverage90, 0)}, 95% CI ${iv(s.interval90)}); PIT histogram ${s.pitHistogram.join('/')}; verdict: ${s.verdict}`;
}

export function renderBacktestTable(r: BacktestResult, scenario: Scenario): string {
  const parts = [
    `Backtest: ${printable(scenario.name)} against ${printable(r.observedFile)} (${r.runs} runs, seed ${r.seed})`,
    `Bands are the Monte Carlo percentiles of the scenario's uncertainties; PIT = share of runs below the observation; CRPS in the indicator's unit (exact for these ${r.runs} runs).`,
  ];
  const base = r.skipped.filter((s) => s.reason === 'base year').length;
  const held = r.skipped.filter((s) => s.reason === 'fixed');
  if (base > 0)
    parts.push(`Not scored: ${base} observation(s) in the base year ${scenario.model.baseYear} (data, not forecasts).`);
  if (held.length > 0)
    parts.push(
      `Not scored: ${held.length} observation(s) the model holds fixed in every run (${held
        .map((s) => `${s.observation.indicator} ${s.observation.region} ${s.observation.year}`)
        .join(', ')}): no band to grade.`,
    );
  const rows = r.scores.map((s) => {
    const o = s.observation;
    const d = decimalsOf(scenario, o.indicator);
    return [
      o.indicator,
      o.region,
      String(o.year),
      fixed(o.value, d),
      fixed(s.p5, d),
      fixed(s.p50, d),
      fixed(s.p95, d),
      BAND_TEXT[s.band],
      fixed(s.pit, 3),
      fixed(s.crps, d + 1),
      fixed(s.error, d),
      Number.isFinite(s.errorPercent) ? `${fixed(s.errorPercent, 1)}%` : '',
      printable(o.basis ?? ''),
    ];
  });
  parts.push(
    `\n${renderTable([['indicator', 'region', 'year', 'observed', 'p5', 'median', 'p95', 'band', 'PIT', 'CRPS', 'error', 'error %', 'basis']], rows)}`,
  );
  parts.push('\nCoverage (nominal 50% and 90%; the interval is where the true rate plausibly lies)');
  for (const s of r.series) {
    const d = decimalsOf(scenario, s.indicator);
    parts.push(`  ${coverageLine(`${s.indicator} ${s.region}`, s)}`);
    parts.push(
      `    median error: bias ${fixed(s.bias, d)} (${fixed(s.biasPercent, 1)}%), median |error| ${fixed(s.medianAbsError, d)} (${fixed(s.medianAbsErrorPercent, 1)}%), mean CRPS ${fixed(s.meanCrps, d + 1)}`,
    );
    for (const b of s.breaks)
      parts.push(`    statistical break in ${b.year}: basis ${JSON.stringify(b.from)} -> ${JSON.stringify(b.to)}`);
  }
  parts.push(`  ${coverageLine('overall', r.overall)}`);
  parts.push(
    `    median error: bias ${fixed(r.overall.biasPercent, 1)}% of the observed value on average, median |error| ${fixed(r.overall.medianAbsErrorPercent, 1)}%`,
  );
  if (r.overall.n < 10)
    parts.push(
      `  note: ${r.overall.n} observations cannot show a miscalibration unless it is gross; read the intervals.`,
    );
  parts.push(`\nVerdict: bands ${r.overall.verdict} (${r.overall.n} observations).`);
  return `${parts.join('\n')}\n`;
}

export function renderBacktestCsv(r: BacktestResult): string {
  const head = 'indicator,region,year,observed,sd,basis,p5,p25,p50,p75,p95,band,pit,crps,error,error_percent';
  const lines = r.scores.map((s) => {
    const o = s.observation;
    return [
      o.indicator,
      o.region,
      o.year,
      o.value,
      o.sd ?? '',
      csvCell(o.basis ?? ''),
      s.p5,
      s.p25,
      s.p50,
      s.p75,
      s.p95,
      s.band,
      s.pit,
      s.crps,
      s.error,
      Number.isFinite(s.errorPercent) ? s.errorPercent : '',
    ].join(',');
  });
  return `${[head, ...lines].join('\n')}\n`;
}

const finiteOrNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

function summaryJson(s: CoverageSummary) {
  return {
    n: s.n,
    inside50: s.inside50,
    inside90: s.inside90,
    coverage50: finiteOrNull(s.coverage50),
    coverage90: finiteOrNull(s.coverage90),
    interval50: s.interval50,
    interval90: s.interval90,
    pitHistogram: s.pitHistogram,
    meanCrps: finiteOrNull(s.meanCrps),
    bias: finiteOrNull(s.bias),
    biasPercent: finiteOrNull(s.biasPercent),
    medianAbsError: finiteOrNull(s.medianAbsError),
    medianAbsErrorPercent: finiteOrNull(s.medianAbsErrorPercent),
    verdict: s.verdict,
  };
}

/** The JSON document of a backtest (README: "Backtest JSON"); the HTML report reads it. */
export function backtestResultJson(r: BacktestResult, scenario: Scenario, meta: ResultMeta = NO_META): object {
  return {
    schema: 'policysim.backtest/2',
    scenario: { name: scenario.name, file: scenario.file, horizon: scenario.horizon },
    observedFile: r.observedFile,
    runs: r.runs,
    seed: r.seed,
    nominal: [0.5, 0.9],
    observations: r.scores.map((s) => ({
      indicator: s.observation.indicator,
      region: s.observation.region,
      year: s.observation.year,
      observed: s.observation.value,
      ...(s.observation.sd !== undefined ? { sd: s.observation.sd } : {}),
      ...(s.observation.basis !== undefined ? { basis: s.observation.basis } : {}),
      p5: s.p5,
      p25: s.p25,
      p50: s.p50,
      p75: s.p75,
      p95: s.p95,
      band: s.band,
      pit: s.pit,
      crps: s.crps,
      error: s.error,
      errorPercent: finiteOrNull(s.errorPercent),
    })),
    skipped: r.skipped.map((s) => ({
      indicator: s.observation.indicator,
      region: s.observation.region,
      year: s.observation.year,
      reason: s.reason,
    })),
    series: r.series.map((s) => ({ indicator: s.indicator, region: s.region, breaks: s.breaks, ...summaryJson(s) })),
    overall: summaryJson(r.overall),
    breaks: r.breaks,
    ...modelLegend(scenario.model),
    ...provenance(meta),
    manifest: evidenceManifest('backtest', scenario, r.observedFile, r.seed, r.runs),
  };
}

export function renderBacktestJson(r: BacktestResult, scenario: Scenario, meta: ResultMeta = NO_META): string {
  return jsonText(backtestResultJson(r, scenario, meta));
}
