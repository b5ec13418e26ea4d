/**
 * A report from policysim JSON results: one section per result with its header (what was computed,
 * with which version, and the command that computes it again), the verdict or probability tables,
 * and the charts rendered to inline SVG.
 */
import { policysimVersion } from '../../util/version.js';
import { wilsonInterval } from '../../util/wilson.js';
import { backtestCharts, OVERALL, seriesName } from './backtest-charts.js';
import { calibrateCharts } from './calibrate-charts.js';
import { compareCharts } from './compare-charts.js';
import { discoverCharts, isRestricted, limitText } from './discover-charts.js';
import { mcCharts, NEVER } from './mc-charts.js';
import { esc, type Fact, facts, figure, page, table } from './page.js';
import { pairedCharts } from './paired-charts.js';
import type {
  BacktestDoc,
  BacktestSummary,
  CalibrateDoc,
  CompareDoc,
  DiscoverDoc,
  McDoc,
  PairedDoc,
  ResultDoc,
  RunDoc,
  SeekDoc,
  SeekProbe,
  SweepDoc,
} from './result-docs.js';
import { regionNames, runCharts } from './run-charts.js';
import { knobTitle, seekCharts } from './seek-charts.js';
import { renderSvg } from './svg.js';
import { sweepCharts } from './sweep-charts.js';
import { type Chart, type ChartOptions, fmt, type ObservedPoint, pct } from './theme.js';

export interface ReportOptions extends ChartOptions {
  /** The date printed in the header (the CLI takes SOURCE_DATE_EPOCH when set, for reproducible files). */
  readonly date: Date;
}

/** How to read each kind of chart: the figure captions (the README says the same). */
export const HOW_TO_READ = {
  run: 'One line per province and for the Northeast (thick); the national reference is dashed. A diamond marks each target at its year and reference value, with the verdict beside it.',
  compare:
    'Top: each scenario’s path. Bottom: each scenario minus the first, every year; the dots are the differences at the compared years (the table’s numbers).',
  fan: 'Shaded: the middle 90% (p5–p95, light) and 50% (p25–p75, dark) of the runs; solid: the median; dashed: the deterministic path (no draws); dotted: the reference’s median. A diamond marks a target with its probability.',
  probabilities:
    'Each dot is the share of runs that reach the target in its year; the whisker is its 95% Wilson interval, the Monte Carlo error (more runs make it narrower).',
  firstYear: `Share of runs by the first year in which the target is met; the grey bar “${NEVER}” is the runs that never meet it within the horizon.`,
  oat: 'Each bar runs from the base case (black line) to the output with the factor at its low (orange) or high (blue) end, all else at base; factors ranked by swing |high − low|.',
  sobol:
    'S1: the share of the output’s variance a factor explains alone; ST: alone and through interactions. Whiskers: bootstrap intervals. Ranked by ST; ST ≈ 0 means the factor does not matter.',
  morris:
    'μ* (right): overall influence; σ (up): interactions or non-linearity. Factors near the origin can be fixed; grey whiskers: the bootstrap interval of μ*.',
  lhs: 'Each point is one row of the Latin hypercube: a factor’s value against the output. A slope means the factor drives the output; a cloud means it does not.',
  observed: 'Black dots: observed values (the observed file).',
  grid: 'The output for each combination of the two factors; for probabilities, each cell shows the share of futures and its 95% Wilson interval.',
  tradeoff:
    'Each point is a box of PRIM’s peeling, from all runs (bottom right) to the smallest box (top left); its colour and the numbers: how many inputs it restricts. Ringed: the box chosen (the densest with enough coverage); diamond: the box reported, after pasting and dropping restrictions chance explains as well.',
  limits:
    'Each input from the smallest to the largest of its draws (grey); blue: the part the reported box keeps. Inputs without blue are unrestricted: the target does not depend on them in this box.',
  seek: 'Each point is a setting tried (green: meets the target, orange: does not); dashed: the threshold (the target’s reference, or the probability required); whiskers: 95% Wilson intervals; ringed: the answer, the cheapest setting found to meet it.',
  pairedTarget:
    'Each scenario’s probability of reaching the target on the same futures; whiskers: 95% Wilson intervals; "better than the first": the share of futures in which it does strictly better than the first scenario.',
  pairedDifference:
    'Each scenario minus the first in the same future: thin bar, the middle 90% of futures (p5–p95); thick bar, the middle 50%; black tick, the median; dot, the mean; dashed: no difference.',
  backtestCoverage:
    'For each observed series and for all observations: the share of observations inside the 50% (blue) and 90% (orange) bands; whiskers: its 95% Clopper–Pearson interval; dashed: nominal. A whisker clear of its dashed line to the left: bands too narrow; to the right: too wide. Few observations give long whiskers.',
  backtestPit:
    'How many observations fall at each share of runs below them (PIT); dashed: what a calibrated model gives on average (uniform). Piled at both ends: bands too narrow; in the middle: too wide; to the right: the model runs low.',
  backtestObservations:
    'Each scored observation (dot; orange outside the 90% band) against the runs for its year: thin bar p5–p95, thick bar p25–p75, tick the median.',
  calibrateFit:
    'Each fitted parameter (dot) within its declared range (grey), whiskers ±2 standard errors from the curvature, tick the starting value; the label says how well the observations identify it.',
  calibrateResiduals:
    'Fitted minus observed for each observation, in units of its error (sd); beyond the dashed ±2 lines (orange) the fit misses by more than the error allows.',
  calibratePosterior:
    'Each uncertain draw before (prior, grey) and after weighting the runs by the observations (posterior, blue): dot the mean, bar the 90% interval. A posterior much narrower than its prior: the data inform it; the same: they do not.',
  calibrateBands:
    'Light: the prior’s 90% band (all runs alike); dark: the posterior predictive 90% band (runs weighted by the observations); line: the posterior median; black dots: the observations.',
} as const;

interface Section {
  readonly heading: string;
  readonly lede: string;
  readonly facts: Fact[];
  readonly tables: string[];
  readonly charts: { chart: Chart; caption: string }[];
}

function provenance(doc: { command?: string | null; policysimVersion?: string }): Fact[] {
  return [
    { term: 'policysim', value: doc.policysimVersion ?? 'unknown' },
    ...(doc.command ? [{ term: 'command', value: doc.command, code: true }] : []),
  ];
}

/** Each chart with its caption, chosen by how its id ends (the first suffix that matches), else `otherwise`. */
function captioned(
  charts: readonly Chart[],
  bySuffix: readonly (readonly [string, string])[],
  otherwise: string,
): { chart: Chart; caption: string }[] {
  return charts.map((chart) => ({
    chart,
    caption: bySuffix.find(([suffix]) => chart.id.endsWith(suffix))?.[1] ?? otherwise,
  }));
}

/** The model file a result's manifest names (sweep, backtest, calibrate), if any. */
function modelFacts(doc: { manifest?: { inputs?: { model?: { path: string } } } }): Fact[] {
  return doc.manifest?.inputs?.model ? [{ term: 'model', value: doc.manifest.inputs.model.path }] : [];
}

/** The observed file a run or mc result was shown against, if any. */
function observedFacts(doc: { observedFile?: string }): Fact[] {
  return doc.observedFile ? [{ term: 'observed', value: doc.observedFile }] : [];
}

/** A caption, with the observed points explained when the chart has them. */
function withObserved(caption: string, o: ChartOptions): string {
  return (o.observed?.length ?? 0) > 0 ? `${caption} ${HOW_TO_READ.observed}` : caption;
}

function horizonText(h: { start: number; end: number }): string {
  return `${h.start}–${h.end}`;
}

function verdictTable(doc: RunDoc): string {
  const names = regionNames(doc);
  const rows = doc.targets.map((t) => {
    const d = doc.indicators.find((i) => i.name === t.indicator)?.decimals ?? 2;
    return [
      t.name,
      t.reached ? 'REACHED' : 'NOT REACHED',
      `${t.year}: ${names.get(t.region) ?? t.region} ${fmt(t.value, d)} vs ${fmt(t.reference, d)}`,
      `${t.gap >= 0 ? '+' : ''}${fmt(t.gap, d)}`,
      t.firstYearReached === null ? `not within ${horizonText(doc.scenario.horizon)}` : String(t.firstYearReached),
      t.requiredGrowth === null ? 'n/a' : `${fmt(100 * t.requiredGrowth, 1)}% a year`,
    ];
  });
  return table(['target', 'verdict', 'value vs reference', 'gap', 'first reached', 'growth needed'], rows, [3]);
}

function runSection(doc: RunDoc, prefix: string, o: ChartOptions): Section {
  const s = doc.scenario;
  return {
    heading: `Run: ${s.name}`,
    lede: s.description.trim(),
    facts: [
      { term: 'scenario file', value: s.file },
      { term: 'model', value: s.model },
      { term: 'horizon', value: horizonText(s.horizon) },
      ...(s.overrides.length > 0
        ? [
            {
              term: 'overrides',
              value: s.overrides.map((v) => `${v.name}${v.region ? `.${v.region}` : ''}=${v.value}`).join(', '),
            },
          ]
        : []),
      { term: 'kind', value: 'deterministic projection (no random draws)' },
      ...observedFacts(doc),
      ...provenance(doc),
    ],
    tables: doc.targets.length > 0 ? [`<h3>Targets</h3>${verdictTable(doc)}`] : [],
    charts: runCharts(doc, prefix, o).map((chart) => ({ chart, caption: withObserved(HOW_TO_READ.run, o) })),
  };
}

function compareSection(doc: CompareDoc, prefix: string): Section {
  const first = doc.runs[0]!;
  return {
    heading: `Compare: ${doc.scenarios.join(' · ')}`,
    lede: doc.runs.map((r) => `${r.scenario.name}: ${r.scenario.description.trim()}`).join(' — '),
    facts: [
      { term: 'scenarios', value: doc.runs.map((r) => `${r.scenario.name} (${r.scenario.file})`).join(', ') },
      { term: 'model', value: first.scenario.model },
      { term: 'horizon', value: horizonText(first.scenario.horizon) },
      ...provenance(doc),
    ],
    tables: doc.runs
      .filter((r) => r.targets.length > 0)
      .map((r) => `<h3>Targets — ${esc(r.scenario.name)}</h3>${verdictTable(r)}`),
    charts: compareCharts(doc, prefix).map((chart) => ({ chart, caption: HOW_TO_READ.compare })),
  };
}

function mcSection(doc: McDoc, prefix: string, o: ChartOptions): Section {
  const s = doc.scenario;
  const rows = doc.targets.map((t) => [
    t.name,
    pct(t.probability),
    `${pct(t.probabilityLow)} – ${pct(t.probabilityHigh)}`,
    `${t.runsReached} of ${doc.runs}`,
    t.firstYearReached.median === null ? `not within ${horizonText(s.horizon)}` : String(t.firstYearReached.median),
    t.deterministic.reached ? 'REACHED' : 'NOT REACHED',
  ]);
  const charts = mcCharts(doc, prefix, o).map((chart) => ({
    chart,
    caption: chart.id.includes('-fan-')
      ? withObserved(HOW_TO_READ.fan, o)
      : chart.id.endsWith('-probabilities')
        ? HOW_TO_READ.probabilities
        : HOW_TO_READ.firstYear,
  }));
  return {
    heading: `Monte Carlo: ${s.name}`,
    lede: s.description.trim(),
    facts: [
      { term: 'scenario file', value: s.file },
      { term: 'model', value: s.model },
      { term: 'horizon', value: horizonText(s.horizon) },
      { term: 'seed', value: String(doc.seed) },
      {
        term: 'runs',
        value: doc.partial ? `${doc.runs} of ${doc.runsRequested} (PARTIAL: interrupted)` : String(doc.runs),
      },
      ...observedFacts(doc),
      ...provenance(doc),
    ],
    tables:
      rows.length > 0
        ? [
            `<h3>Targets</h3>${table(
              [
                'target',
                'probability',
                '95% interval (Wilson)',
                'runs reaching it',
                'median first year',
                'deterministic path',
              ],
              rows,
              [1, 2, 3],
            )}`,
          ]
        : [],
    charts,
  };
}

function sweepTable(doc: SweepDoc, k: number): string {
  const out = doc.outputs[k]!;
  const a = out.analysis;
  const n = (key: string): number[] => a[key] as number[];
  const ranked = (a.ranking as number[] | undefined) ?? [];
  const d = out.decimals;
  switch (doc.design) {
    case 'sobol':
      return table(
        ['factor', 'S1', 'S1 interval', 'ST', 'ST interval'],
        ranked.map((i) => [
          a.names[i]!,
          fmt(n('S1')[i], 3),
          `${fmt(n('S1Low')[i], 3)} – ${fmt(n('S1High')[i], 3)}`,
          fmt(n('ST')[i], 3),
          `${fmt(n('STLow')[i], 3)} – ${fmt(n('STHigh')[i], 3)}`,
        ]),
        [1, 2, 3, 4],
      );
    case 'morris':
      return table(
        ['factor', 'μ', 'μ*', 'μ* interval', 'σ'],
        ranked.map((i) => [
          a.names[i]!,
          fmt(n('mu')[i], d + 1),
          fmt(n('muStar')[i], d + 1),
          `${fmt(n('muStarLow')[i], d + 1)} – ${fmt(n('muStarHigh')[i], d + 1)}`,
          fmt(n('sigma')[i], d + 1),
        ]),
        [1, 2, 3, 4],
      );
    case 'oat':
      return table(
        ['factor', 'output at low', 'output at high', 'swing'],
        ranked.map((i) => [a.names[i]!, fmt(n('low')[i], d), fmt(n('high')[i], d), fmt(n('swing')[i], d)]),
        [1, 2, 3],
      );
    case 'lhs':
      return table(
        ['factor', 'Pearson r', 'Spearman ρ'],
        ranked.map((i) => [a.names[i]!, fmt(n('pearson')[i], 3), fmt(n('spearman')[i], 3)]),
        [1, 2],
      );
    default: {
      const values = n('values');
      const low = a.probabilityLow as number[] | undefined;
      const high = a.probabilityHigh as number[] | undefined;
      const levels = a.levels as number[][];
      // Rows in the CSV's order: the last factor fastest.
      const rows = values.map((v, r) => {
        let rest = r;
        const x = levels.map(() => 0);
        for (let j = levels.length - 1; j >= 0; j--) {
          x[j] = levels[j]![rest % levels[j]!.length]!;
          rest = Math.floor(rest / levels[j]!.length);
        }
        return [
          ...x.map((xv) => String(xv)),
          fmt(v, d),
          ...(low && high ? [`${fmt(low[r], 3)} – ${fmt(high[r], 3)}`] : []),
        ];
      });
      return table([...a.names, 'value', ...(low ? ['95% interval (Wilson)'] : [])], rows, [
        a.names.length,
        a.names.length + 1,
      ]);
    }
  }
}

function sweepSection(doc: SweepDoc, prefix: string): Section {
  const captions: Record<SweepDoc['design'], string> = {
    oat: HOW_TO_READ.oat,
    sobol: HOW_TO_READ.sobol,
    morris: HOW_TO_READ.morris,
    lhs: HOW_TO_READ.lhs,
    grid: HOW_TO_READ.grid,
    'policy-grid': HOW_TO_READ.grid,
  };
  const charts = sweepCharts(doc, prefix);
  return {
    heading: `Sweep: ${doc.name} (${doc.design})`,
    lede: (doc.description ?? '').trim(),
    facts: [
      { term: 'scenario', value: doc.scenario },
      ...modelFacts(doc),
      { term: 'design', value: doc.design },
      {
        term: 'factors',
        value: doc.factors
          .map((f) => `${f.name} ${f.levels ? `[${f.levels.join(', ')}]` : `${f.low}–${f.high}`}`)
          .join('; '),
      },
      { term: 'model evaluations', value: String(doc.evaluations) },
      ...(doc.monteCarlo
        ? [{ term: 'futures per row', value: `${doc.monteCarlo.runs} (seed ${doc.monteCarlo.seed})` }]
        : []),
      { term: 'seed', value: String(doc.seed) },
      ...(doc.sample && doc.sample.of > doc.sample.X.length
        ? [{ term: 'scatter plots', value: `the first ${doc.sample.X.length} of ${doc.sample.of} rows` }]
        : []),
      ...provenance(doc),
    ],
    tables: [
      ...doc.notes.map((n) => `<p class="lede">note: ${esc(n)}</p>`),
      ...doc.outputs.map((o, k) => `<h3>${esc(o.label)}</h3>${sweepTable(doc, k)}`),
    ],
    charts: charts.map((chart) => ({ chart, caption: captions[doc.design] })),
  };
}

/**
 * The observed points a run or mc result carries in its JSON (`series[].observed`), with any given
 * in the options: so a report made later from the saved JSON shows them too.
 */
export function observedOf(doc: RunDoc | McDoc, o: ChartOptions): ChartOptions {
  const own: ObservedPoint[] = doc.series.flatMap((s) =>
    (s.observed ?? []).map((p) => ({
      indicator: s.indicator,
      region: s.region,
      year: p.year,
      value: p.value,
      ...(p.note !== undefined ? { source: p.note } : {}),
    })),
  );
  return own.length === 0 ? o : { ...o, observed: [...(o.observed ?? []), ...own] };
}

function discoverSection(doc: DiscoverDoc, prefix: string): Section {
  const src = doc.source;
  const m = doc.method;
  const chosen = doc.curve[doc.chosenBox];
  const boxRow = (
    name: string,
    b: { coverage: number; density: number; mass: number; runs: number; runsReached: number },
  ) => [name, pct(b.coverage), pct(b.density), pct(b.mass), String(b.runs), String(b.runsReached)];
  const limits = doc.box.limits.map((l) => {
    const r = isRestricted(l);
    return [
      l.parameter,
      limitText(l.min),
      l.lower === null ? (r ? '–' : 'unrestricted') : limitText(l.lower),
      l.upper === null ? (r ? '–' : '') : limitText(l.upper),
      limitText(l.max),
      l.qpValue === null ? '' : l.qpValue.toExponential(1),
    ];
  });
  return {
    heading: `Scenario discovery: ${doc.target.name}`,
    lede: doc.sentence,
    facts: [
      src.kind === 'monteCarlo'
        ? { term: 'runs from', value: `a Monte Carlo of ${src.scenario} (${src.file}), seed ${src.seed}` }
        : { term: 'runs from', value: src.file },
      { term: 'target', value: `${doc.target.index}. ${doc.target.name}` },
      { term: 'runs', value: `${doc.runs}, of which ${doc.runsReached} reach the target (${pct(doc.baseRate)})` },
      {
        term: 'method',
        value: `${m.kind}: peeling and pasting alpha ${m.peelingAlpha}, min mass ${m.minMass}, min coverage ${m.minCoverage}, restrictions kept up to quasi-p ${m.maxP}`,
      },
      ...provenance(doc),
    ],
    tables: [
      `<h3>The box</h3>${table(
        ['box', 'coverage', 'density', 'mass', 'runs', 'runs reaching the target'],
        [
          ...(chosen ? [boxRow(`box ${doc.chosenBox} of the curve (chosen)`, chosen)] : []),
          boxRow('reported (pasted, restrictions tested)', doc.box),
        ],
        [1, 2, 3, 4, 5],
      )}`,
      `<h3>Limits</h3>${table(['input', 'runs min', 'box lower', 'box upper', 'runs max', 'quasi-p-value'], limits, [1, 2, 3, 4, 5])}`,
    ],
    charts: captioned(discoverCharts(doc, prefix), [['-tradeoff', HOW_TO_READ.tradeoff]], HOW_TO_READ.limits),
  };
}

function seekSettingText(p: SeekProbe): string {
  return Object.entries(p.setting)
    .map(([k, v]) => `${k} ${v}`)
    .join(', ');
}

function seekSection(doc: SeekDoc, prefix: string): Section {
  const probability = doc.mode === 'probability';
  const d = doc.indicators?.find((i) => i.name === doc.target.indicator)?.decimals ?? 2;
  const rows = doc.probes.map((p) => [
    seekSettingText(p),
    p.met ? 'met' : 'not met',
    ...(probability
      ? [pct(p.probability), `${pct(p.low)} – ${pct(p.high)}`, `${p.runsReached} of ${p.runs}`]
      : [fmt(p.value, d), fmt(p.reference, d), fmt(p.gap, d)]),
    doc.answer && p.x === doc.answer.x ? 'answer' : '',
  ]);
  const k = doc.knob;
  return {
    heading: `What it would take: ${doc.scenario.name}`,
    lede: doc.sentence,
    facts: [
      { term: 'scenario file', value: doc.scenario.file },
      { term: 'target', value: doc.target.name },
      {
        term: 'knob',
        value:
          k.kind === 'package'
            ? `the scenario’s levers ${(k.package ?? []).join(', ')}, scaled by one factor`
            : `${knobTitle(doc)} (${k.unit ?? ''})`,
      },
      {
        term: 'searched',
        value: `${k.range[0]} to ${k.range[1]}, cheapest at the ${k.cheapest} end, to ${k.resolution}`,
      },
      {
        term: 'met means',
        value: probability
          ? `at least ${pct(doc.probability)} of ${doc.runs} futures (seed ${doc.seed}) reach the target`
          : 'the deterministic projection reaches the target',
      },
      { term: 'result', value: doc.status },
      ...provenance(doc),
    ],
    tables: [
      `<h3>Settings tried (${doc.probes.length})</h3>${table(
        [
          'setting',
          'target',
          ...(probability
            ? ['probability', '95% interval (Wilson)', 'runs reaching it']
            : ['value', 'reference', 'gap']),
          '',
        ],
        rows,
        [2, 3, 4],
      )}`,
    ],
    charts: seekCharts(doc, prefix).map((chart) => ({ chart, caption: HOW_TO_READ.seek })),
  };
}

function pairedSection(doc: PairedDoc, prefix: string): Section {
  const names = doc.scenarios.map((s) => s.name);
  const legend = doc.monteCarlo[0];
  const decimals = (ind: string): number => legend?.indicators.find((i) => i.name === ind)?.decimals ?? 2;
  const regions = new Map((legend?.regions ?? []).map((r) => [r.id, r.name]));
  const targetTables = doc.targets.map((t) => {
    const d = decimals(t.indicator);
    const rows = t.scenarios.map((s, i) => {
      const w = wilsonInterval(s.runsReached, doc.runs);
      return [
        `${s.scenario}${s.declared ? '' : ' *'}`,
        pct(s.probability),
        `${pct(w.low)} – ${pct(w.high)}`,
        i === 0 ? '–' : pct(s.probabilityBetterThanFirst),
        fmt(s.regretMean, d),
        fmt(s.regretP90, d),
      ];
    });
    return `<h3>${esc(t.name)}</h3>${table(
      ['scenario', 'probability', '95% interval (Wilson)', 'better than the first', 'regret mean', 'regret p90'],
      rows,
      [1, 2, 3, 4, 5],
    )}`;
  });
  const undeclared = doc.targets.some((t) => t.scenarios.some((s) => !s.declared));
  const diffRows = doc.differences.flatMap((df) =>
    df.scenarios.slice(1).map((s) => {
      const d = decimals(df.indicator);
      return [
        df.indicator,
        regions.get(df.region) ?? df.region,
        String(df.year),
        s.scenario,
        fmt(s.mean, d),
        fmt(s.p5, d),
        fmt(s.p50, d),
        fmt(s.p95, d),
      ];
    }),
  );
  return {
    heading: `Paired Monte Carlo: ${names.join(' · ')}`,
    lede: `Every scenario on the same ${doc.runs} futures (common random numbers); differences and regret are taken future by future, against ${names[0]}.`,
    facts: [
      { term: 'scenarios', value: doc.scenarios.map((s) => `${s.name} (${s.file})`).join(', ') },
      ...(legend ? [{ term: 'model', value: legend.scenario.model }] : []),
      ...(legend ? [{ term: 'horizon', value: horizonText(legend.scenario.horizon) }] : []),
      { term: 'seed', value: String(doc.seed) },
      {
        term: 'runs',
        value: doc.partial ? `${doc.runs} of ${doc.runsRequested} (PARTIAL: interrupted)` : String(doc.runs),
      },
      {
        term: 'satisficing',
        value: doc.scenarios
          .map((s) => `${s.name} ${s.satisficing === null ? 'no targets' : pct(s.satisficing)}`)
          .join(', '),
      },
      ...provenance(doc),
    ],
    tables: [
      ...targetTables,
      ...(undeclared
        ? ['<p class="lede">* not one of this scenario’s own targets (judged on its runs all the same)</p>']
        : []),
      ...(diffRows.length > 0
        ? [
            `<h3>Difference from ${esc(names[0]!)} (same future, run by run)</h3>${table(
              ['indicator', 'region', 'year', 'scenario', 'mean', 'p5', 'median', 'p95'],
              diffRows,
              [4, 5, 6, 7],
            )}`,
          ]
        : []),
    ],
    charts: pairedCharts(doc, prefix).map((chart) => ({
      chart,
      caption: chart.id.includes('-paired-diff-') ? HOW_TO_READ.pairedDifference : HOW_TO_READ.pairedTarget,
    })),
  };
}

function summaryRow(label: string, s: BacktestSummary, d: number): string[] {
  const iv = (i: readonly [number, number]) => `${pct(i[0])} – ${pct(i[1])}`;
  return [
    label,
    String(s.n),
    `${s.inside50} (${pct(s.coverage50)})`,
    iv(s.interval50),
    `${s.inside90} (${pct(s.coverage90)})`,
    iv(s.interval90),
    s.pitHistogram.join(' / '),
    fmt(s.meanCrps, d + 1),
    s.bias === null ? `${fmt(s.biasPercent, 1)}%` : `${fmt(s.bias, d)} (${fmt(s.biasPercent, 1)}%)`,
    s.medianAbsError === null
      ? `${fmt(s.medianAbsErrorPercent, 1)}%`
      : `${fmt(s.medianAbsError, d)} (${fmt(s.medianAbsErrorPercent, 1)}%)`,
    s.verdict,
  ];
}

const BAND_TEXT: Record<BacktestDoc['observations'][number]['band'], string> = {
  below90: 'below 90%',
  below50: 'in 90%, below 50%',
  inside50: 'in 50%',
  above50: 'in 90%, above 50%',
  above90: 'above 90%',
};

/** The backtest's one-line verdict, with the counts it rests on. */
export function backtestVerdict(doc: BacktestDoc): string {
  const o = doc.overall;
  const iv = (i: readonly [number, number]) => `95% interval ${pct(i[0])} – ${pct(i[1])}`;
  return `Verdict: bands ${o.verdict} (${o.n} observations): the 90% band held ${o.inside90} of ${o.n} (${iv(o.interval90)}), the 50% band ${o.inside50} (${iv(o.interval50)}).`;
}

function backtestSection(doc: BacktestDoc, prefix: string): Section {
  const s = doc.scenario;
  const dec = (ind: string): number => doc.indicators.find((i) => i.name === ind)?.decimals ?? 2;
  const names = regionNames(doc);
  const skipped = doc.skipped.map((k) => `${k.indicator} ${names.get(k.region) ?? k.region} ${k.year} (${k.reason})`);
  const rows = doc.observations.map((o) => {
    const d = dec(o.indicator);
    return [
      o.indicator,
      names.get(o.region) ?? o.region,
      String(o.year),
      fmt(o.observed, d),
      fmt(o.p5, d),
      fmt(o.p50, d),
      fmt(o.p95, d),
      BAND_TEXT[o.band],
      fmt(o.pit, 3),
      fmt(o.crps, d + 1),
      fmt(o.error, d),
      o.errorPercent === null ? '' : `${fmt(o.errorPercent, 1)}%`,
    ];
  });
  const summaries = [
    ...doc.series.map((x) => summaryRow(seriesName(doc, x.indicator, x.region), x, dec(x.indicator))),
    summaryRow(OVERALL, doc.overall, 2),
  ];
  const charts = captioned(
    backtestCharts(doc, prefix),
    [
      ['-coverage', HOW_TO_READ.backtestCoverage],
      ['-pit', HOW_TO_READ.backtestPit],
    ],
    HOW_TO_READ.backtestObservations,
  );
  return {
    heading: `Backtest: ${s.name}`,
    lede: backtestVerdict(doc),
    facts: [
      { term: 'scenario file', value: s.file },
      ...modelFacts(doc),
      { term: 'horizon', value: horizonText(s.horizon) },
      { term: 'observed', value: doc.observedFile },
      { term: 'seed', value: String(doc.seed) },
      { term: 'runs', value: String(doc.runs) },
      ...(skipped.length > 0 ? [{ term: 'not scored', value: skipped.join('; ') }] : []),
      ...(doc.breaks.length > 0
        ? [
            {
              term: 'statistical breaks',
              value: doc.breaks
                .map((b) => `${b.indicator} ${names.get(b.region) ?? b.region} ${b.year}: “${b.from}” → “${b.to}”`)
                .join('; '),
            },
          ]
        : []),
      ...provenance(doc),
    ],
    tables: [
      `<h3>Coverage (nominal 50% and 90%)</h3>${table(
        [
          'series',
          'observations',
          '50% band held',
          '95% interval',
          '90% band held',
          '95% interval',
          'PIT histogram (5 bins)',
          'mean CRPS',
          'bias (median − observed)',
          'median |error|',
          'verdict',
        ],
        summaries,
        [1, 2, 3, 4, 5, 7, 8, 9],
      )}`,
      ...(doc.overall.n < 10
        ? [
            `<p class="lede">${doc.overall.n} observations cannot show a miscalibration unless it is gross: read the intervals.</p>`,
          ]
        : []),
      `<h3>Observations (${doc.observations.length} scored)</h3>${table(
        ['indicator', 'region', 'year', 'observed', 'p5', 'median', 'p95', 'band', 'PIT', 'CRPS', 'error', 'error %'],
        rows,
        [3, 4, 5, 6, 8, 9, 10, 11],
      )}`,
    ],
    charts,
  };
}

const sig4 = (x: number | null): string =>
  x === null || !Number.isFinite(x) ? 'n/a' : String(Number(x.toPrecision(4)));

function warningsHtml(list: readonly string[]): string[] {
  return list.map((w) => `<p class="warning">warning: ${esc(w)}</p>`);
}

function calibrateSection(doc: CalibrateDoc, prefix: string): Section {
  const { fit, posterior: post } = doc;
  const names = regionNames(doc);
  const lede = [
    `Point fit of ${fit.parameters.map((p) => p.label).join(', ')} to ${fit.residuals.length} observations: χ² ${sig4(fit.chiSquare)} on ${fit.degreesOfFreedom} degree(s) of freedom.`,
    ...(post
      ? [
          `Posterior from ${post.runs} prior runs: effective sample size ${fmt(post.effectiveSampleSize, 1)}${post.effectiveSampleSize < 100 ? ' (collapsed: see the warning)' : ''}.`,
        ]
      : []),
  ].join(' ');
  const charts = captioned(
    calibrateCharts(doc, prefix),
    [
      ['-fit', HOW_TO_READ.calibrateFit],
      ['-residuals', HOW_TO_READ.calibrateResiduals],
      ['-posterior', HOW_TO_READ.calibratePosterior],
    ],
    HOW_TO_READ.calibrateBands,
  );
  return {
    heading: `Calibration: ${doc.scenario.name}`,
    lede,
    facts: [
      { term: 'scenario file', value: doc.scenario.file },
      ...modelFacts(doc),
      { term: 'observed', value: doc.observedFile },
      { term: 'errors', value: `each observation’s sd, else ${pct(fit.relativeError)} of its value` },
      ...(post
        ? [
            { term: 'seed', value: String(post.seed) },
            { term: 'runs', value: `${post.runs} prior runs` },
            {
              term: 'effective sample size',
              value: `${fmt(post.effectiveSampleSize, 1)} of ${post.runs} runs (largest weight ${pct(post.maxWeight)})`,
            },
            ...(post.file ? [{ term: 'posterior file', value: `${post.file} (${post.sampleRows} joint rows)` }] : []),
          ]
        : [{ term: 'posterior', value: 'not computed (point fit only)' }]),
      ...provenance(doc),
    ],
    tables: [
      ...warningsHtml([...fit.warnings, ...(post?.warnings ?? [])]),
      `<h3>Point fit (weighted least squares within each range)</h3>${table(
        ['parameter', 'start', 'fitted', 'std error', 'range', 'identification'],
        fit.parameters.map((p) => [
          p.label,
          sig4(p.start),
          sig4(p.value),
          sig4(p.standardError),
          `${p.range[0]} – ${p.range[1]}`,
          p.identification,
        ]),
        [1, 2, 3],
      )}`,
      `<p class="lede">χ² ${sig4(fit.chiSquare)} on ${fit.degreesOfFreedom} degree(s) of freedom (${fit.informativeObservations} observations move with the fitted parameters); condition number of the curvature ${sig4(fit.conditionNumber)}; ${fit.iterations} iterations.</p>`,
      `<h3>Residuals (fitted − observed)</h3>${table(
        ['indicator', 'region', 'year', 'observed', 'fitted', 'residual', 'sd', 'residual / sd'],
        fit.residuals.map((r) => [
          r.indicator,
          names.get(r.region) ?? r.region,
          String(r.year),
          sig4(r.observed),
          sig4(r.fitted),
          sig4(r.residual),
          sig4(r.sd),
          fmt(r.standardized, 2),
        ]),
        [3, 4, 5, 6, 7],
      )}`,
      ...(post
        ? [
            `<h3>Posterior by importance reweighting</h3>${table(
              ['draw', 'apply', 'prior mean', 'prior 90%', 'posterior mean', 'posterior 90%', 'posterior sd'],
              post.parameters.map((p) => [
                p.label,
                p.apply,
                sig4(p.priorMean),
                `${sig4(p.priorLow)} – ${sig4(p.priorHigh)}`,
                sig4(p.mean),
                `${sig4(p.low)} – ${sig4(p.high)}`,
                sig4(p.sd),
              ]),
              [2, 3, 4, 5, 6],
            )}`,
            ...(post.targets.length > 0
              ? [
                  `<h3>Target probabilities</h3>${table(
                    ['target', 'prior', 'posterior'],
                    post.targets.map((t) => [t.name, pct(t.prior), pct(t.posterior)]),
                    [1, 2],
                  )}`,
                ]
              : []),
          ]
        : []),
    ],
    charts,
  };
}

function sectionOf(doc: ResultDoc, prefix: string, o: ChartOptions): Section {
  switch (doc.schema) {
    case 'policysim.run/2':
      return runSection(doc, prefix, observedOf(doc, o));
    case 'policysim.compare/2':
      return compareSection(doc, prefix);
    case 'policysim.mc/2':
      return mcSection(doc, prefix, observedOf(doc, o));
    case 'policysim.sweep/2':
      return sweepSection(doc, prefix);
    case 'policysim.discover/2':
      return discoverSection(doc, prefix);
    case 'policysim.seek/2':
      return seekSection(doc, prefix);
    case 'policysim.paired/2':
      return pairedSection(doc, prefix);
    case 'policysim.backtest/2':
      return backtestSection(doc, prefix);
    case 'policysim.calibrate/2':
      return calibrateSection(doc, prefix);
  }
}

/** Every chart of a result, in page order (what the browser test expects to find). */
export function chartsOf(doc: ResultDoc, prefix: string, o: ChartOptions = {}): Chart[] {
  return sectionOf(doc, prefix, o).charts.map((c) => c.chart);
}

function titleOf(doc: ResultDoc): string {
  switch (doc.schema) {
    case 'policysim.run/2':
    case 'policysim.mc/2':
      return doc.scenario.name;
    case 'policysim.compare/2':
      return doc.scenarios.join(' vs ');
    case 'policysim.sweep/2':
      return doc.name;
    case 'policysim.discover/2':
      return `discovery: ${doc.target.name}`;
    case 'policysim.seek/2':
      return `${doc.scenario.name}: what it would take`;
    case 'policysim.paired/2':
      return doc.scenarios.map((s) => s.name).join(' vs ');
    case 'policysim.backtest/2':
      return `backtest: ${doc.scenario.name}`;
    case 'policysim.calibrate/2':
      return `calibration: ${doc.scenario.name}`;
  }
}

/** The report: one section per result, charts rendered now; the same results and date give the same bytes. */
export async function renderHtmlReport(docs: readonly ResultDoc[], o: ReportOptions): Promise<string> {
  const parts: string[] = [];
  const date = o.date.toISOString().slice(0, 10);
  parts.push(`<h1>policysim report: ${esc(docs.map(titleOf).join(', '))}</h1>`);
  parts.push(`<p class="lede">Made ${esc(date)} with policysim ${esc(policysimVersion())}.</p>`);
  for (const [k, doc] of docs.entries()) {
    const s = sectionOf(doc, `r${k + 1}`, o);
    const figures: string[] = [];
    for (const { chart, caption } of s.charts) figures.push(figure(chart.id, await renderSvg(chart.spec), caption));
    parts.push(
      `<section class="result" id="r${k + 1}">`,
      `<h2>${esc(s.heading)}</h2>`,
      s.lede ? `<p class="lede">${esc(s.lede)}</p>` : '',
      facts([...s.facts, { term: 'date', value: date }]),
      ...s.tables,
      ...figures,
      '</section>',
    );
  }
  const footer = `Charts: Vega-Lite, rendered to SVG when the report was written; colours: Okabe–Ito. This file loads nothing from the network.`;
  return page(`policysim: ${docs.map(titleOf).join(', ')}`, parts.filter((p) => p !== '').join('\n'), esc(footer));
}
