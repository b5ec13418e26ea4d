import type { Knob } from '../decision/knobs.js';
import type { SeekOutcome } from '../decision/seek.js';
import type { ProbabilityProbe, ProjectionProbe } from '../decision/seek-run.js';
import { cliOverrides, makeManifest, scenarioInputs } from '../manifest/manifest.js';
import type { Scenario, Target } from '../scenario/scenario.js';
import { fixed, shown } from './format.js';
import { modelLegend, NO_META, provenance, type ResultMeta } from './result-meta.js';

export interface SeekReport {
  readonly scenario: Scenario;
  readonly target: Target;
  readonly knob: Knob;
  /** The probability asked for, or undefined: deterministic. */
  readonly probability: number | undefined;
  readonly runs: number | undefined;
  readonly seed: number | undefined;
  readonly outcome: SeekOutcome<ProjectionProbe> | SeekOutcome<ProbabilityProbe>;
}

/** Decimals that show a setting to its resolution. */
function decimalsFor(resolution: number): number {
  return resolution >= 1 ? 0 : Math.min(12, Math.ceil(-Math.log10(resolution)));
}

/** A range end or resolution, short: six significant digits. */
const short = (x: number): string => String(Number(x.toPrecision(6)));

function probeJson(r: SeekReport, p: ProjectionProbe | ProbabilityProbe): object {
  const { x, met, score: _score, ...rest } = p;
  return { x, setting: r.knob.describe(x), met, ...rest };
}

/** The settings tried next to the answer: the closest on either side. */
function neighbours<P extends { x: number }>(probes: readonly P[], x: number): P[] {
  const below = probes.filter((p) => p.x < x).sort((a, b) => b.x - a.x)[0];
  const above = probes.filter((p) => p.x > x).sort((a, b) => a.x - b.x)[0];
  return [below, above].filter((p): p is P => p !== undefined);
}

/** policysim.seek/2 (README: "Seek JSON"). */
export function seekResultJson(r: SeekReport, meta: ResultMeta = NO_META): object {
  const { outcome, knob, target } = r;
  const sorted = [...(outcome.probes as (ProjectionProbe | ProbabilityProbe)[])].sort((a, b) => a.x - b.x);
  return {
    schema: 'policysim.seek/2',
    scenario: { name: r.scenario.name, file: r.scenario.file },
    target: {
      name: target.name,
      indicator: target.indicator,
      region: target.region,
      year: target.year,
      direction: target.direction,
    },
    mode: r.probability === undefined ? 'deterministic' : 'probability',
    probability: r.probability ?? null,
    runs: r.runs ?? null,
    seed: r.seed ?? null,
    knob: {
      kind: knob.kind,
      ...knob.summary,
      range: [knob.domain.lo, knob.domain.hi],
      cheapest: knob.domain.cheap,
      resolution: knob.domain.resolution,
    },
    status: outcome.status,
    answer: outcome.answer ? probeJson(r, outcome.answer) : null,
    neighbours: outcome.answer ? neighbours(sorted, outcome.answer.x).map((p) => probeJson(r, p)) : [],
    best: probeJson(r, outcome.best),
    probes: sorted.map((p) => probeJson(r, p)),
    sentence: seekSentence(r),
    // The target's unit and decimals for the report's chart (policysim report reads the JSON alone).
    ...modelLegend(r.scenario.model),
    ...provenance(meta),
    manifest: makeManifest({
      command: 'seek',
      inputs: scenarioInputs(r.scenario),
      overrides: cliOverrides(r.scenario),
      seed: r.seed ?? null,
      runs: r.runs ?? null,
    }),
  };
}

export function renderSeekJson(r: SeekReport, meta: ResultMeta = NO_META): string {
  return `${JSON.stringify(seekResultJson(r, meta), null, 2)}\n`;
}

function settingText(r: SeekReport, x: number): string {
  const { knob } = r;
  const d = decimalsFor(knob.domain.resolution);
  if (knob.kind === 'package')
    return `${fixed(100 * x, Math.max(0, d - 2))}% of the scenario's levers (factor ${fixed(x, d)})`;
  const s = knob.summary as { lever: string; regions: string[]; vary: string };
  const set = knob.describe(x) as { value: number; from: number; ramp: number };
  const where = `in ${s.regions.join(', ')}`;
  const valueText = fixed(set.value, s.vary === 'value' ? d : 3).replace(/\.?0+$/, '') || '0';
  return `${s.lever} = ${valueText} ${where}, from ${set.from}${set.ramp > 1 ? ` over a ${set.ramp}-year ramp` : ''}`;
}

function outcomeText(r: SeekReport, p: ProjectionProbe | ProbabilityProbe): string {
  if ('probability' in p)
    return `probability ${fixed(100 * p.probability, 1)}% (95% Wilson interval ${fixed(100 * p.low, 1)}-${fixed(100 * p.high, 1)}%, ${p.runsReached} of ${p.runs} runs)`;
  const dec = r.scenario.model.indicators.find((i) => i.name === r.target.indicator)?.decimals ?? 2;
  return `${fixed(p.value, dec)} vs ${fixed(p.reference, dec)} (gap ${fixed(p.gap, dec)})`;
}

export function seekSentence(r: SeekReport): string {
  const { outcome, knob, target } = r;
  const goal =
    r.probability === undefined
      ? shown(target.name)
      : `${shown(target.name)}, with probability ${fixed(100 * r.probability, 1)}%`;
  const vary = knob.kind === 'package' ? 'package' : (knob.summary as { vary: string }).vary;
  const what = { value: 'smallest value', from: 'latest start year', ramp: 'longest ramp', package: 'smallest share' }[
    vary
  ];
  if (outcome.status === 'notReachable') {
    const b = outcome.best;
    return `${goal}: not reachable within the ${knob.kind === 'package' ? 'package factor' : "lever's"} range [${short(knob.domain.lo)}, ${short(knob.domain.hi)}]; best: ${outcomeText(r, b)} at ${settingText(r, b.x)}`;
  }
  const a = outcome.answer!;
  if (outcome.status === 'metAtCheapest')
    return `${goal}: met already at the cheapest setting, ${settingText(r, a.x)}: ${outcomeText(r, a)}`;
  return `${goal}: ${what} ${settingText(r, a.x)}: ${outcomeText(r, a)}`;
}

export function renderSeekTable(r: SeekReport): string {
  const lines = [seekSentence(r)];
  const { outcome, knob } = r;
  if (outcome.answer) {
    const sorted = [...(outcome.probes as (ProjectionProbe | ProbabilityProbe)[])].sort((a, b) => a.x - b.x);
    for (const p of neighbours(sorted, outcome.answer.x))
      lines.push(`  next setting tried: ${settingText(r, p.x)}: ${p.met ? 'met' : 'not met'}, ${outcomeText(r, p)}`);
  }
  lines.push(
    `  searched [${short(knob.domain.lo)}, ${short(knob.domain.hi)}] to a resolution of ${short(knob.domain.resolution)} (${outcome.probes.length} settings tried${r.runs ? `, each on the same ${r.runs} futures, seed ${r.seed}` : ''})`,
  );
  return `${lines.join('\n')}\n`;
}
