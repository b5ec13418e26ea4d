import { dirname, resolve } from 'node:path';
import type { CompiledModel } from '../src/model/compiled-model.js';
import { Projector } from '../src/project/projector.js';
import { DEFAULT_SCENARIO, loadScenario } from '../src/scenario/load-scenario.js';
import type { Scenario } from '../src/scenario/scenario.js';
import { compareKernels, createHandwrittenNortheast } from './northeast-handwritten.js';
import { DEFAULT_OPTIONS, measure, type SuiteOptions, type SuiteResult, type TaskSpec } from './suite.js';

/**
 * The kernel suite: one deterministic projection through Projector.run, one year of model.step, and
 * the generated kernel against the hand-written one over a full projection.
 *
 * Targets (from the issue): a projection of the default scenario (2015–2035) < 20 µs median; the
 * generated kernel ≤ 1.25 × the hand-written one.
 */
export const PROJECTION_TARGET_NS = 20_000;
export const RATIO_TARGET = 1.25;
export const MATCH_TOLERANCE = 1e-9;

export const PAPER_PROPOSALS = resolve(dirname(DEFAULT_SCENARIO), 'paper-proposals.yaml');

/** Years 2015..horizon end inclusive (21 rows for 2015–2035). */
const yearsOf = (s: Scenario): number => s.horizon.end - s.model.baseYear + 1;

/** Aborts (throws) unless the hand-written kernel reproduces the generated one on `scenario`. */
export function checkHandwrittenMatches(scenario: Scenario): {
  maxRelDiff: number;
  exactMatches: number;
  values: number;
} {
  const c = compareKernels(scenario.model, scenario.params, scenario.levers, yearsOf(scenario));
  if (!(c.maxRelDiff <= MATCH_TOLERANCE)) {
    const w = c.worst;
    throw new Error(
      `hand-written kernel differs from the generated one on ${scenario.name}: max relative difference ${c.maxRelDiff}` +
        (w ? ` at ${w.series} ${w.year} (generated ${w.generated}, hand-written ${w.handwritten})` : ''),
    );
  }
  return c;
}

/** The generated kernel over a full projection, unchecked: init + (years − 1) steps. */
function generatedProjection(
  model: CompiledModel,
  P: Float64Array,
  L: Float64Array,
  years: number,
): () => Float64Array {
  const S = new Float64Array(model.stateCount);
  const out = new Float64Array(years * model.seriesCount);
  const X = new Float64Array(0);
  const { init, step, baseYear } = model;
  return () => {
    init(P, S, out);
    for (let yi = 1; yi < years; yi++) step(P, L, X, S, out, yi, baseYear + yi);
    return out;
  };
}

export async function run(partial: Partial<SuiteOptions> = {}): Promise<SuiteResult> {
  const options: SuiteOptions = { ...DEFAULT_OPTIONS, ...partial };
  const baseline = loadScenario(DEFAULT_SCENARIO);
  const paper = loadScenario(PAPER_PROPOSALS);
  const model = baseline.model;
  const years = yearsOf(baseline);
  if (years !== 21 || yearsOf(paper) !== 21) throw new Error(`expected 2015–2035 scenarios, got ${years} years`);

  // Correctness first: the yardstick must compute the same numbers (all levers active in paper-proposals).
  const matchPaper = checkHandwrittenMatches(paper);
  const matchBaseline = checkHandwrittenMatches(baseline);

  const NS = model.seriesCount;
  const last = (years - 1) * NS;
  // Sinks: every operation's output feeds a checksum that is printed, so no work can be dropped.
  // Each task also counts its operations, so the per-operation checksum is deterministic.
  const sinks = new Map<string, { sum: number; ops: number }>();
  const sinkFor = (name: string): { sum: number; ops: number } => {
    const s = { sum: 0, ops: 0 };
    sinks.set(name, s);
    return s;
  };
  /** A checksum of one output table: the last year's row (every state feeds some series in it). */
  const rowSum = (out: Float64Array): number => {
    let acc = 0;
    for (let i = last; i < last + NS; i++) acc += out[i]!;
    return acc;
  };

  /** `batch` projections a sample, each one's output feeding the sink (one last-year cell, in turn). */
  const batchTask = (name: string, batch: number, project: () => Float64Array): TaskSpec => {
    const sink = sinkFor(name);
    return {
      name,
      opsPerSample: batch,
      fn: () => {
        let acc = 0;
        for (let k = 0; k < batch; k++) acc += project()[last + (k % NS)]!;
        sink.sum += acc;
        sink.ops += batch;
      },
    };
  };

  // 1. Projector.run on the default scenario (and on paper-proposals, all levers on).
  const projTask = (name: string, s: Scenario, batch: number): TaskSpec => {
    const projector = new Projector(s.model, s.horizon.end);
    const P = s.params,
      L = s.levers;
    return batchTask(name, batch, () => projector.run(P, L));
  };

  // 2. One year of model.step: a sample restores the 2015 state, then steps 2016..2035, `reps` times.
  const stepTask = (name: string, s: Scenario, reps: number): TaskSpec => {
    const m = s.model;
    const S0 = new Float64Array(m.stateCount);
    const out = new Float64Array(years * NS);
    m.init(s.params, S0, out);
    const S = new Float64Array(m.stateCount);
    const X = new Float64Array(0);
    const P = s.params,
      L = s.levers,
      step = m.step,
      base = m.baseYear;
    const sink = sinkFor(name);
    return {
      name,
      opsPerSample: reps * (years - 1),
      fn: () => {
        for (let r = 0; r < reps; r++) {
          S.set(S0);
          for (let yi = 1; yi < years; yi++) step(P, L, X, S, out, yi, base + yi);
        }
        sink.sum += rowSum(out);
        sink.ops += 1;
      },
    };
  };

  // 3. Generated vs hand-written over a full projection (no finiteness checks in either).
  const genTask = (name: string, s: Scenario, batch: number): TaskSpec =>
    batchTask(name, batch, generatedProjection(s.model, s.params, s.levers, years));
  const handTask = (name: string, s: Scenario, batch: number): TaskSpec => {
    const hw = createHandwrittenNortheast(s.model);
    const out = new Float64Array(years * NS);
    const P = s.params,
      L = s.levers;
    return batchTask(name, batch, () => hw.project(P, L, out, years));
  };

  const PROJ = 'projection: Projector.run, baseline 2015–2035';
  const PROJ_PAPER = 'projection: Projector.run, paper-proposals 2015–2035';
  const STEP = 'kernel: model.step, one year (baseline)';
  const GEN = 'generated kernel: init + 20 steps, baseline';
  const HAND = 'hand-written kernel: 2015–2035, baseline';
  const GEN_PAPER = 'generated kernel: init + 20 steps, paper-proposals';
  const HAND_PAPER = 'hand-written kernel: 2015–2035, paper-proposals';

  const single = await measure(
    [projTask(PROJ, baseline, 8), projTask(PROJ_PAPER, paper, 8), stepTask(STEP, baseline, 10)],
    options,
  );
  const pairs = await measure(
    [
      genTask(GEN, baseline, 8),
      handTask(HAND, baseline, 8),
      genTask(GEN_PAPER, paper, 8),
      handTask(HAND_PAPER, paper, 8),
    ],
    options,
    options.rounds,
  );
  const byName = new Map([...single, ...pairs].map((t) => [t.name, t]));
  const p50 = (n: string): number => byName.get(n)!.p50Ns;

  const ratio = p50(GEN) / p50(HAND);
  const ratioPaper = p50(GEN_PAPER) / p50(HAND_PAPER);
  const projOk = p50(PROJ) < PROJECTION_TARGET_NS;
  const ratioOk = ratio <= RATIO_TARGET;
  const withTargets = [...single, ...pairs].map((t) => {
    if (t.name === PROJ) return { ...t, target: { label: '< 20 µs', met: projOk } };
    if (t.name === GEN) return { ...t, target: { label: `≤ ${RATIO_TARGET} × hand-written`, met: ratioOk } };
    if (t.name === GEN_PAPER)
      return { ...t, target: { label: `≤ ${RATIO_TARGET} × hand-written`, met: ratioPaper <= RATIO_TARGET } };
    return t;
  });

  // Checksums: per-operation means of deterministic values (independent of how many ops ran).
  let checksum = 0;
  for (const s of sinks.values()) checksum += s.ops > 0 ? s.sum / s.ops : 0;

  const round = (x: number, d = 1): number => Number(x.toFixed(d));
  return {
    suite: 'kernel',
    title: 'Kernel: projection, year step, generated vs hand-written (median per operation)',
    tasks: withTargets,
    summary: {
      projection_p50_ns: round(p50(PROJ)),
      projection_paper_p50_ns: round(p50(PROJ_PAPER)),
      step_p50_ns: round(p50(STEP)),
      generated_p50_ns: round(p50(GEN)),
      handwritten_p50_ns: round(p50(HAND)),
      ratio_generated_over_handwritten: round(ratio, 3),
      generated_paper_p50_ns: round(p50(GEN_PAPER)),
      handwritten_paper_p50_ns: round(p50(HAND_PAPER)),
      ratio_paper: round(ratioPaper, 3),
      projector_overhead_ns: round(p50(PROJ) - p50(GEN)),
      projection_target_met: projOk,
      ratio_target_met: ratioOk,
      match_max_rel_diff: Math.max(matchPaper.maxRelDiff, matchBaseline.maxRelDiff),
      checksum: Number(checksum.toPrecision(12)),
      time_ms: options.timeMs,
      rounds: options.rounds,
      node: process.version,
    },
    notes: [
      `hand-written kernel matches the generated one: paper-proposals ${matchPaper.exactMatches}/${matchPaper.values} values bit-identical, ` +
        `baseline ${matchBaseline.exactMatches}/${matchBaseline.values}; max relative difference ${Math.max(matchPaper.maxRelDiff, matchBaseline.maxRelDiff)} (limit ${MATCH_TOLERANCE})`,
      `ratio generated / hand-written: baseline ${ratio.toFixed(3)}, paper-proposals ${ratioPaper.toFixed(3)} (target ≤ ${RATIO_TARGET})`,
      `Projector.run overhead over the bare generated kernel (finiteness checks, call): ${(p50(PROJ) - p50(GEN)).toFixed(0)} ns per projection`,
      `step: median per year; each sample restores the 2015 state (26 doubles) before stepping 2016..2035`,
    ],
    ok: projOk && ratioOk,
  };
}
