import { NonFiniteValue } from '../model/compiled-model.js';
import type { RunnableModel } from '../model/kernel-image.js';
import { type Diagnostic, formatDiagnostic, RunError } from '../util/diagnostics.js';

/**
 * Runs the compiled kernel over the years, reusing its buffers: one Projector per thread, many runs.
 * It runs the optimised kernel (src/model/passes/optimise.ts) unchecked; only when a year comes out
 * non-finite (or a value left its declared domain, which the fast kernels mark with a NaN in a spare
 * state slot) is the straightforward checked kernel re-run to name the equation, region and year.
 *
 * The optimised kernel reads a per-year table that `prepare` computes from the levers and the
 * parameters no uncertainty draws. run() prepares it again only when a parameter slot or a lever
 * cell that the table reads differs from what it was prepared from (so repeated projections of one
 * scenario, and sweep rows whose kernel hoists nothing their factors move, prepare once); the table
 * is a function of those inputs alone, so reusing it gives the same numbers bit for bit. A Monte
 * Carlo fixes the scenario once (fix()) and then calls runFixed() per run, which compares only the
 * parameters (the levers are fixed by contract).
 */
export class Projector {
  /** Outputs: (year − base year) × seriesCount + series. Overwritten by each run. */
  readonly out: Float64Array;
  private readonly state: Float64Array;
  private readonly table: Float64Array;
  private readonly emptyShocks = new Float64Array(0);
  /** What the table was prepared from: parameter slots and values, lever cells (years 1..) and values. */
  private readonly preparedParams: Int32Array;
  private readonly preparedValues: Float64Array;
  private readonly preparedLeverCells: Int32Array;
  private readonly preparedLeverValues: Float64Array;
  /** Whether the table holds anything yet. */
  private prepared = false;
  private fixedLevers: Float64Array | undefined;
  /** The columns a pruned kernel writes (the others are never written), or undefined: all of them. */
  private readonly checkedColumns: Int32Array | undefined;

  constructor(
    readonly model: RunnableModel,
    /** Last simulated year (inclusive). */
    readonly endYear: number,
  ) {
    this.years = endYear - model.baseYear + 1;
    this.out = new Float64Array(this.years * model.seriesCount);
    this.state = new Float64Array(model.stateCount + model.optimised.hiddenStates);
    this.table = new Float64Array(this.years * model.optimised.yearBlock);
    this.preparedParams = Int32Array.from(model.optimised.preparedParams);
    this.preparedValues = new Float64Array(this.preparedParams.length);
    // prepare reads years 1.. (the base year is init's): every lever column it reads, in each of them.
    const cols = model.optimised.preparedLevers;
    this.preparedLeverCells = new Int32Array(Math.max(0, this.years - 1) * cols.length);
    for (let yi = 1, k = 0; yi < this.years; yi++)
      for (const c of cols) this.preparedLeverCells[k++] = yi * model.leverBlock + c;
    this.preparedLeverValues = new Float64Array(this.preparedLeverCells.length);
    const written = model.optimised.computedSeries;
    // A kernel pruned by year leaves the other years' rows unwritten: only the rows written are read.
    const years = (model.optimised.computedYears ?? []).filter((yi) => yi < this.years);
    const byYear = model.optimised.computedYears !== undefined && years.length < this.years;
    this.checkedColumns = written.length < model.seriesCount || byYear ? Int32Array.from(written) : undefined;
    const rowYears = byYear ? years : Array.from({ length: this.years }, (_, yi) => yi);
    this.checkedRows = Int32Array.from(rowYears, (yi) => yi * model.seriesCount);
  }
  /** Offsets of the rows (years) the check reads when it reads checkedColumns. */
  private readonly checkedRows: Int32Array;
  readonly years: number;

  /** Project; returns `out`, or throws a NonFiniteRun describing the first failing equation. */
  run(params: Float64Array, levers: Float64Array, shocks: Float64Array = this.emptyShocks): Float64Array {
    this.fixedLevers = undefined;
    if (!this.prepared || !this.sameParams(params) || !this.sameLevers(levers)) this.prepare(params, levers);
    return this.project(params, levers, shocks);
  }

  /** Fix the levers (and the parameters no draw changes) for the runs that follow with runFixed(). */
  fix(params: Float64Array, levers: Float64Array): void {
    this.prepare(params, levers);
    this.fixedLevers = levers;
  }

  /**
   * Project with the levers given to fix(); `params` may differ from fix()'s in any slot. The outputs
   * go to `out` (as long as `this.out`; columns the kernel does not write keep what they held), or
   * `this.out`, which is returned. `outFinite`, when given, tells whether every value of `out` is
   * finite instead of the scan here (a caller with a faster one: the Monte Carlo's SIMD scan).
   */
  runFixed(
    params: Float64Array,
    shocks: Float64Array = this.emptyShocks,
    out = this.out,
    outFinite?: (out: Float64Array) => boolean,
  ): Float64Array {
    const levers = this.fixedLevers;
    if (!levers) throw new Error('runFixed() before fix()');
    if (!this.sameParams(params)) this.prepare(params, levers);
    if (out.length !== this.out.length) throw new RangeError(`${out.length} outputs for ${this.out.length}`);
    return this.project(params, levers, shocks, out, outFinite);
  }

  // Object.is: a NaN input or −0 for +0 must not reuse a table computed from another value.
  private sameParams(params: Float64Array): boolean {
    const slots = this.preparedParams;
    const values = this.preparedValues;
    for (let i = 0; i < slots.length; i++) if (!Object.is(params[slots[i]!], values[i])) return false;
    return true;
  }

  private sameLevers(levers: Float64Array): boolean {
    const cells = this.preparedLeverCells;
    const values = this.preparedLeverValues;
    for (let i = 0; i < cells.length; i++) if (!Object.is(levers[cells[i]!], values[i])) return false;
    return true;
  }

  private prepare(params: Float64Array, levers: Float64Array): void {
    const slots = this.preparedParams;
    for (let i = 0; i < slots.length; i++) this.preparedValues[i] = params[slots[i]!]!;
    const cells = this.preparedLeverCells;
    for (let i = 0; i < cells.length; i++) this.preparedLeverValues[i] = levers[cells[i]!]!;
    this.model.optimised.prepare(params, levers, this.table, this.years);
    this.prepared = true;
  }

  private project(
    params: Float64Array,
    levers: Float64Array,
    shocks: Float64Array,
    out = this.out,
    outFinite?: (out: Float64Array) => boolean,
  ): Float64Array {
    const { model, state, years, table } = this;
    const NS = model.seriesCount;
    model.optimised.project(params, levers, shocks, state, out, table, years);
    // One pass over every year's outputs and the final state: NaN and Infinity propagate through the
    // arithmetic, so a failure shows up here; checking year by year cost a quarter of a projection.
    // Not the optimised kernel's hidden slots: a value hoisted out of a branch not taken may be
    // non-finite without harm, and one that is used propagates into the states and outputs.
    const cols = this.checkedColumns;
    const finite = cols
      ? columnsFinite(out, this.checkedRows, cols) && rowFinite(state, 0, model.stateCount)
      : (outFinite ? outFinite(out) : rowFinite(out, 0, years * NS)) && rowFinite(state, 0, model.stateCount);
    if (!finite) this.diagnose(params, levers, shocks);
    return out;
  }

  private diagnose(params: Float64Array, levers: Float64Array, shocks: Float64Array): never {
    const { model, years } = this;
    const state = new Float64Array(model.stateCount);
    const out = new Float64Array(this.out.length);
    try {
      model.checkedInit(params, state, out);
      for (let yi = 1; yi < years; yi++) model.checkedStep(params, levers, shocks, state, out, yi, model.baseYear + yi);
    } catch (e) {
      if (e instanceof NonFiniteValue) throw new NonFiniteRun(model, e);
      throw e;
    }
    throw new Error(
      'internal error: the fast kernel gave a non-finite or out-of-domain value that the checked kernel did not reproduce',
    );
  }
}

/**
 * Whether the cells of `cols` are finite in every row starting at the offsets `rows`. A sum is finite
 * only if every term is (NaN and ±Infinity stay non-finite through any addition), so one addition per
 * cell answers for the common case; only a sum that overflowed is looked at cell by cell.
 */
function columnsFinite(a: Float64Array, rows: Int32Array, cols: Int32Array): boolean {
  let s0 = 0;
  let s1 = 0;
  for (let i = 0; i < rows.length; i++) {
    const o = rows[i]!;
    let k = 0;
    for (; k + 1 < cols.length; k += 2) {
      s0 += a[o + cols[k]!]!;
      s1 += a[o + cols[k + 1]!]!;
    }
    if (k < cols.length) s0 += a[o + cols[k]!]!;
  }
  if (Number.isFinite(s0 + s1)) return true;
  for (let i = 0; i < rows.length; i++)
    for (let k = 0; k < cols.length; k++) if (!Number.isFinite(a[rows[i]! + cols[k]!]!)) return false;
  return true;
}

/** Whether a[from..from + n) are all finite; as columnsFinite, by a sum first (four, to overlap the additions). */
function rowFinite(a: Float64Array, from: number, n: number): boolean {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  const end = from + n;
  let i = from;
  for (; i + 3 < end; i += 4) {
    s0 += a[i]!;
    s1 += a[i + 1]!;
    s2 += a[i + 2]!;
    s3 += a[i + 3]!;
  }
  for (; i < end; i++) s0 += a[i]!;
  if (Number.isFinite(s0 + s1 + (s2 + s3))) return true;
  for (let j = from; j < end; j++) if (!Number.isFinite(a[j]!)) return false;
  return true;
}

/**
 * An equation gave NaN or ±Infinity, or left its declared domain: the input was valid but the model failed
 * while running (exit 1, as every failure while running), located at the equation in its model file.
 */
export class NonFiniteRun extends RunError {
  readonly equation: string;
  readonly region: string | undefined;
  readonly year: number;
  readonly value: number;
  constructor(model: RunnableModel, e: NonFiniteValue) {
    const eq = model.equations[e.equation];
    const label = eq?.label ?? `equation #${e.equation}`;
    const region = e.region >= 0 ? model.regions[e.region]?.name : undefined;
    const where = `${region ? ` for ${region}` : ''} in ${e.year}`;
    // A finite value from the checked kernel is one outside the domain the model declares.
    const outside = Number.isFinite(e.value) && eq?.domain !== undefined;
    const d: Diagnostic = {
      location: eq?.location ?? { file: model.origin },
      path: label,
      message: outside
        ? `equation gave ${String(e.value)}${where}, outside its domain ${domainText(eq.domain!)}`
        : `equation gave ${String(e.value)}${where}`,
      hint: outside
        ? 'the model declares this domain (min:/max:); check parameter values, shocks and lever settings'
        : 'check divisions by zero, logs of non-positive numbers and parameter values',
    };
    super(formatDiagnostic(d), [d]);
    this.name = 'NonFiniteRun';
    this.equation = label;
    this.region = region;
    this.year = e.year;
    this.value = e.value;
  }
}

function domainText([lo, hi]: readonly [number, number]): string {
  if (!Number.isFinite(hi)) return `(min ${lo})`;
  if (!Number.isFinite(lo)) return `(max ${hi})`;
  return `[${lo}, ${hi}]`;
}
