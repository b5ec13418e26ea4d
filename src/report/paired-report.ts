import type { PairedResult } from '../decision/paired-run.js';
import type { Summary } from '../decision/robustness.js';
import { cliOverrides, makeManifest, scenariosInputs } from '../manifest/manifest.js';
import { RANDOM_STREAM } from '../montecarlo/rng.js';
import type { Target } from '../scenario/scenario.js';
import { fixed, renderTable, shown } from './format.js';
import { mcResultJson, renderMcTable } from './mc-report.js';
import { NO_META, provenance, type ResultMeta } from './result-meta.js';
import { csvCell, regionName } from './run-report.js';

const DIFF_STATS = ['mean', 'sd', 'p5', 'p25', 'p50', 'p75', 'p95'] as const;

function referenceText(t: Target): string | number {
  return t.reference.kind === 'value' ? t.reference.value : `${t.reference.region} ${t.reference.indicator}`;
}

/** policysim.paired/2 (README: "Paired Monte Carlo JSON"). */
export function pairedResultJson(p: PairedResult, meta: ResultMeta = NO_META): object {
  const names = p.results.map((r) => r.scenario.name);
  const a = p.analysis;
  return {
    schema: 'policysim.paired/2',
    seed: p.seed,
    randomStream: RANDOM_STREAM,
    runsRequested: p.runsRequested,
    runs: p.runs,
    partial: p.partial,
    pairing: 'common random numbers: run k of every scenario draws from the stream of (seed, k)',
    scenarios: p.results.map((r, i) => ({ name: names[i], file: r.scenario.file, satisficing: a.satisficing[i] })),
    targets: a.targets.map((t) => ({
      name: t.target.name,
      indicator: t.target.indicator,
      region: t.target.region,
      year: t.target.year,
      direction: t.target.direction,
      reference: referenceText(t.target),
      scenarios: names.map((scenario, i) => ({
        scenario,
        declared: t.declaredBy[i],
        probability: t.probability[i],
        runsReached: t.runsReached[i],
        probabilityBetterThanFirst: t.probabilityBetter[i],
        regretMean: t.regretMean[i],
        regretP90: t.regretP90[i],
      })),
    })),
    differences: a.differences.map((d) => ({
      indicator: d.indicator,
      region: d.region,
      year: d.year,
      scenarios: names.map((scenario, i) => ({ scenario, ...pickDiff(d.difference[i]!) })),
    })),
    monteCarlo: p.results.map((r) => mcResultJson(r)),
    ...provenance(meta),
    manifest: makeManifest({
      command: 'mc',
      inputs: scenariosInputs(p.results.map((r) => r.scenario)),
      overrides: p.results[0] ? cliOverrides(p.results[0].scenario) : [],
      seed: p.seed,
      runs: p.runsRequested,
    }),
  };
}

function pickDiff(s: Summary): Record<(typeof DIFF_STATS)[number], number> {
  return Object.fromEntries(DIFF_STATS.map((k) => [k, s[k]])) as Record<(typeof DIFF_STATS)[number], number>;
}

export function renderPairedJson(p: PairedResult, meta: ResultMeta = NO_META): string {
  return `${JSON.stringify(pairedResultJson(p, meta), null, 2)}\n`;
}

export function renderPairedTable(
  p: PairedResult,
  opts: { indicators?: readonly string[]; regions?: readonly string[]; step?: number },
): string {
  const names = p.results.map((r) => shown(r.scenario.name));
  const model = p.results[0]!.scenario.model;
  const a = p.analysis;
  const parts = p.results.map((r) => renderMcTable(r, opts));
  parts.push(
    `Paired: ${names.length} scenarios on the same ${p.runs} futures (seed ${p.seed}${p.partial ? `; PARTIAL: ${p.runs} of ${p.runsRequested}` : ''}); differences against '${names[0]}'`,
  );
  for (const t of a.targets) {
    const unit = model.indicators.find((i) => i.name === t.target.indicator);
    const d = unit?.decimals ?? 2;
    parts.push(`\n${shown(t.target.name)}`);
    parts.push(
      renderTable(
        [['scenario', 'P(reached)', 'P(better than first)', 'regret mean', 'regret p90']],
        names.map((n, i) => [
          `${n}${t.declaredBy[i] ? '' : ' *'}`,
          `${fixed(100 * t.probability[i]!, 1)}%`,
          i === 0 ? '-' : `${fixed(100 * t.probabilityBetter[i]!, 1)}%`,
          fixed(t.regretMean[i]!, d),
          fixed(t.regretP90[i]!, d),
        ]),
      ),
    );
  }
  if (a.targets.some((t) => t.declaredBy.some((x) => !x)))
    parts.push("  * not one of this scenario's own targets (judged on its runs all the same)");
  if (a.differences.length > 0) {
    parts.push(`\nDifference from '${names[0]}' (same future, run by run)`);
    const rows: string[][] = [];
    for (const diff of a.differences) {
      const dec = model.indicators.find((i) => i.name === diff.indicator)?.decimals ?? 2;
      names.forEach((n, i) => {
        if (i === 0) return;
        const s = diff.difference[i]!;
        rows.push([
          diff.indicator,
          regionName(model, diff.region),
          String(diff.year),
          n,
          ...(['mean', 'p5', 'p25', 'p50', 'p75', 'p95'] as const).map((k) => fixed(s[k], dec)),
        ]);
      });
    }
    parts.push(
      renderTable([['indicator', 'region', 'year', 'scenario', 'mean', 'p5', 'p25', 'p50', 'p75', 'p95']], rows),
    );
  }
  parts.push('\nRobustness: share of futures meeting all of its own targets (satisficing)');
  names.forEach((n, i) => {
    const s = a.satisficing[i];
    parts.push(`  ${n}: ${s === null || s === undefined ? 'no targets' : `${fixed(100 * s, 1)}%`}`);
  });
  parts.push(
    "\nRegret: in each future, the best scenario's gap to the target minus this one's (target units; 0 = the best).",
  );
  return `${parts.join('\n')}\n`;
}

/** Long format: one row per statistic. */
export function renderPairedCsv(p: PairedResult): string {
  const names = p.results.map((r) => r.scenario.name);
  const a = p.analysis;
  const lines = ['section,scenario,name,indicator,region,year,statistic,value'];
  const row = (...cells: (string | number | null)[]): void =>
    void lines.push(cells.map((c) => (typeof c === 'string' ? csvCell(c) : c === null ? '' : String(c))).join(','));
  for (const t of a.targets) {
    names.forEach((n, i) => {
      const base = ['target', n, t.target.name, t.target.indicator, t.target.region, t.target.year] as const;
      row(...base, 'probability', t.probability[i]!);
      row(...base, 'probabilityBetterThanFirst', t.probabilityBetter[i]!);
      row(...base, 'regretMean', t.regretMean[i]!);
      row(...base, 'regretP90', t.regretP90[i]!);
    });
  }
  for (const d of a.differences)
    names.forEach((n, i) => {
      for (const k of DIFF_STATS) row('difference', n, '', d.indicator, d.region, d.year, k, d.difference[i]![k]);
    });
  names.forEach((n, i) => row('robustness', n, '', '', '', '', 'satisficing', a.satisficing[i] ?? null));
  return `${lines.join('\n')}\n`;
}
