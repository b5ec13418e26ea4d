/**
 * The Monte Carlo's target counts — per target, the runs that meet it and the first year each run meets
 * it in — for runs whose values are rows in a WebAssembly memory (the two-run kernel's, where the fold
 * buffers them): one call into targets.wat per run, instead of TargetMeasure's reached() and
 * firstYear() in JavaScript (~0.18 µs a run for paper-proposals' four targets). Targets that scan the
 * same years the same way share one scan, as RunBlockEvaluator's firstYearFrom has them do.
 */

import type { TargetMeasure } from '../project/targets.js';
import { align16, type WasmMemory, WasmModule } from '../util/wasm.js';
import { TARGETS_WASM_BASE64 } from './targets-wasm.js';

interface TargetsExports {
  meet(
    row: number,
    scans: number,
    nscans: number,
    targets: number,
    ntargets: number,
    firsts: number,
    reached: number,
  ): void;
}

const targetsModule = new WasmModule<TargetsExports>(TARGETS_WASM_BASE64);
/** Bytes of a scan's record and of a target's (see targets.wat). */
const SCAN = 40;
const TARGET = 32;

/** The meter's regions from `base`: scan and target records, scan results, the counters. */
function layout(base: number, scans: number, targets: number, span: number) {
  const scanAt = align16(base);
  const targetAt = scanAt + SCAN * scans;
  const firsts = targetAt + TARGET * targets;
  const reached = Math.ceil((firsts + 4 * scans) / 8) * 8;
  const firstYear = reached + 8 * targets;
  return { scanAt, targetAt, firsts, reached, firstYear, end: firstYear + 8 * targets * (span + 1) };
}

/** The distinct first-year scans of `measures`, and each measure's. */
function scansOf(measures: readonly TargetMeasure[]): { keys: string[]; scanOf: number[] } {
  const keys: string[] = [];
  const scanOf = measures.map((m) => {
    const i = keys.indexOf(m.firstYearKey);
    if (i >= 0) return i;
    keys.push(m.firstYearKey);
    return keys.length - 1;
  });
  return { keys, scanOf };
}

export class TargetMeter {
  private readonly call: (row: number) => void;
  /** The counters in the memory: per target the runs that met it, and its first-year histogram. */
  private readonly reached: Float64Array;
  private readonly firstYear: Float64Array;

  /** Bytes a meter of `measures` over a horizon of `span` years needs in a memory. */
  static bytes(measures: readonly TargetMeasure[], span: number): number {
    // + 15: the base is rounded up to 16.
    return layout(0, scansOf(measures).keys.length, measures.length, span).end + 15;
  }

  /**
   * On `memory` from byte `base`, for `measures` over a horizon of `span` years (each histogram: the
   * years, then "never"), its counters at zero.
   */
  constructor(memory: WasmMemory, base: number, measures: readonly TargetMeasure[], span: number) {
    const { keys, scanOf } = scansOf(measures);
    const at = layout(base, keys.length, measures.length, span);
    const view = new DataView(memory.buffer);
    keys.forEach((_, s) => {
      const l = measures[scanOf.indexOf(s)]!.layout;
      const rec = at.scanAt + SCAN * s;
      view.setInt32(rec, 8 * l.firstCell, true);
      view.setInt32(rec + 4, l.years, true);
      view.setInt32(rec + 8, 8 * l.rowStep, true);
      view.setInt32(rec + 12, 8 * (l.toRef ?? 0), true);
      view.setInt32(rec + 16, l.toRef === undefined ? 0 : 1, true);
      view.setFloat64(rec + 24, l.sign, true);
      view.setFloat64(rec + 32, l.sign * l.refValue, true);
    });
    measures.forEach((m, k) => {
      const l = m.layout;
      const rec = at.targetAt + TARGET * k;
      view.setInt32(rec, 8 * l.valueAt, true);
      // A fixed reference still names a readable cell (its own), which the select then ignores.
      view.setInt32(rec + 4, 8 * (l.refAt ?? l.valueAt), true);
      view.setInt32(rec + 8, l.refAt === undefined ? 0 : 1, true);
      view.setInt32(rec + 12, l.atLeast ? 1 : 0, true);
      view.setInt32(rec + 16, scanOf[k]!, true);
      view.setInt32(rec + 20, at.firstYear + 8 * k * (span + 1), true);
      view.setFloat64(rec + 24, l.refValue, true);
    });
    this.reached = new Float64Array(memory.buffer, at.reached, measures.length);
    this.firstYear = new Float64Array(memory.buffer, at.firstYear, measures.length * (span + 1));
    this.reset();
    const { meet } = targetsModule.instantiateOn(memory);
    this.call = (row) => meet(row, at.scanAt, keys.length, at.targetAt, measures.length, at.firsts, at.reached);
  }

  /** Counts the run whose values start at byte `row` of the memory (a projection's outputs). */
  add(row: number): void {
    this.call(row);
  }

  /** Zeroes the counts (a block that failed may have left some). */
  reset(): void {
    this.reached.fill(0);
    this.firstYear.fill(0);
  }

  /** Adds the counts since the last drain to `reached` and `firstYear` (laid out as the memory's), and zeroes them. */
  drain(reached: Float64Array, firstYear: Float64Array): void {
    for (let k = 0; k < reached.length; k++) reached[k]! += this.reached[k]!;
    for (let i = 0; i < firstYear.length; i++) firstYear[i]! += this.firstYear[i]!;
    this.reset();
  }
}
