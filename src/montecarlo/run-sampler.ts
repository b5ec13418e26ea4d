import type { RunnableModel } from '../model/kernel-image.js';
import { adjust } from '../scenario/adjustment.js';
import { align16 } from '../util/wasm.js';
import { makeCopula } from './correlation.js';
import { compileQuantile, type Distribution, isClosedForm, type QuantileFn } from './distributions.js';
import { type ClosedFormDraw, ParamStage } from './param-stage.js';
import { StreamBatch } from './rng.js';
import { type ShockPath, ShockStage } from './shock-stage.js';
import type { UncertaintySpec } from './uncertainty-spec.js';

/**
 * Turns (seed, run index) into one future: a parameter vector and the yearly shock terms.
 *
 * Draw order is fixed — correlated normals first, then each uncertain parameter in declaration order
 * (one uniform per draw group; an empirical table one per parameter, or per `joint` table, drawn by
 * its first member), then each shock slot year by year — so run k's draws depend on nothing but the
 * seed, k and the scenario.
 *
 * That order fixes which uniform of the run's stream feeds which value, so the constructor turns the
 * spec into flat tables once (stream position, distribution constants, target column and slots).
 * Where the streams leave the uniforms of four runs, two stages in WebAssembly compute, four runs at a
 * time, the copula and every closed-form draw (ParamStage) and the shock paths (ShockStage); a run is
 * then its draws of the other kinds (an empirical table's row, a lognormal, …) in JavaScript, and the
 * slots. Every value is computed by the same operations on the same uniform as drawing them one by
 * one in that order would, so the numbers are the same bit for bit (tests/montecarlo/run-sampler.test.ts
 * holds it to a one-by-one reference).
 */
export class RunSampler {
  /** Columns of `draws`: one per parameter draw group. */
  readonly drawLabels: string[];
  /** Uniforms the stream gives a run, in draw order: the parameters', then the shocks'. */
  private readonly uniformCount: number;
  /** The copula and the closed-form draws of the batch's runs; each run's vector and draws. */
  private readonly paramStage: ParamStage;
  /** The draws of every other kind: their inverse CDFs, uniforms (in a run's vector) and columns. */
  private readonly otherQuantiles: readonly QuantileFn[];
  private readonly otherSrc: Int32Array;
  private readonly otherDst: Int32Array;
  /** The batch's run last sampled. */
  private current = 0;
  /** Slots each draw column sets, by how it acts on the scenario's value. */
  private readonly replaceSlots: Int32Array;
  private readonly replaceCols: Int32Array;
  private readonly scaleSlots: Int32Array;
  private readonly scaleCols: Int32Array;
  private readonly shiftSlots: Int32Array;
  private readonly shiftCols: Int32Array;
  /** The shock blocks of the batch's runs (undefined when the model has no shock slots). */
  private readonly shockStage: ShockStage | undefined;
  /**
   * The streams of four runs, filled at once (~0.15 µs per run less than one stream at a time) when a
   * run is asked for that is not among them: consecutive runs, as blocks and the pilot ask for them,
   * take one fill per four runs. [batchFirst, batchEnd) of batchSeed are in it.
   */
  private readonly batch: StreamBatch;
  private batchSeed = Number.NaN;
  private batchFirst = 0;
  private batchEnd = 0;

  constructor(
    readonly model: RunnableModel,
    readonly spec: UncertaintySpec,
    /** Read at each sample() (a sweep rewrites it per row), never copied. */
    private readonly baseParams: Float64Array,
    /** Simulated years, base year included. */
    readonly years: number,
  ) {
    const k = spec.correlation?.variables.length ?? 0;
    let next = k;
    const jointFirst = new Map<string, number>();
    // One entry per draw column (= per parameter draw group), in column order.
    const dists: Distribution[] = [];
    const src: number[] = [];
    const slotsOf: { apply: UncertaintySpec['parameters'][number]['apply']; slots: readonly number[] }[] = [];
    for (const p of spec.parameters) {
      const d = p.dist;
      if (d.kind === 'empirical') {
        // One uniform picks a row for all of the parameter's draw groups (and, with `joint`, for every
        // parameter of the table: the first member to be drawn draws it). Column g of the table is
        // the empirical distribution of group g's value.
        let at = d.joint === undefined ? undefined : jointFirst.get(d.joint);
        if (at === undefined) {
          at = next++;
          if (d.joint !== undefined) jointFirst.set(d.joint, at);
        }
        p.slotGroups.forEach((slots, g) => {
          dists.push({ kind: 'empirical', rows: d.rows.map((row) => [row[g]!]) });
          src.push(at);
          slotsOf.push({ apply: p.apply, slots });
        });
        continue;
      }
      const ci = spec.correlation?.variables.lastIndexOf(p.name) ?? -1;
      for (const slots of p.slotGroups) {
        dists.push(d);
        // A correlated parameter reads the copula's uniform (after the run's own), in every group.
        src.push(ci >= 0 ? UNIFORM_LIMIT + ci : next++);
        slotsOf.push({ apply: p.apply, slots });
      }
    }
    const block = model.shockBlock;
    const groups = block === 0 ? [] : shockPaths(model, spec);
    const perPath = years > 2 ? years - 1 : 1;
    const paths: ShockPath[] = groups.map((g, i) => ({ ...g, first: i * perPath }));
    const shockNormals = groups.length * perPath;
    this.uniformCount = next + shockNormals;

    // A correlated parameter's uniform is the copula's, after the run's own in its vector.
    const fromU = (s: number): number => (s >= UNIFORM_LIMIT ? next + (s - UNIFORM_LIMIT) : s);
    const closed: ClosedFormDraw[] = [];
    const other: number[] = [];
    dists.forEach((dist, col) => {
      if (isClosedForm(dist)) closed.push({ src: fromU(src[col]!), dst: col, dist });
      else other.push(col);
    });
    const plan = {
      uniforms: next,
      factor: spec.correlation
        ? makeCopula(spec.correlation.matrix, spec.correlation.kind).factor
        : new Float64Array(0),
      columns: dists.length,
      draws: closed,
    };
    this.otherQuantiles = other.map((col) => compileQuantile(dists[col]!));
    this.otherSrc = Int32Array.from(other, (col) => fromU(src[col]!));
    this.otherDst = Int32Array.from(other);

    const runs = StreamBatch.RUNS;
    const shockBytes = block === 0 ? 0 : align16(ShockStage.bytes(shockNormals, paths, years, block, runs));
    this.batch = new StreamBatch(this.uniformCount, shockBytes + ParamStage.bytes(plan, runs));
    const batch = this.batch;
    const uniforms = { at: batch.uniformsAt, stride: batch.uniformStride };
    this.paramStage = new ParamStage(batch.memory, batch.extraBase + shockBytes, uniforms, plan, runs);
    this.shockStage =
      block === 0
        ? undefined
        : new ShockStage(
            batch.memory,
            batch.extraBase,
            uniforms,
            { count: shockNormals, first: next },
            paths,
            years,
            block,
            runs,
          );

    const by = (apply: string): [Int32Array, Int32Array] => {
      const slots: number[] = [];
      const cols: number[] = [];
      slotsOf.forEach((s, col) => {
        if (s.apply !== apply) return;
        for (const slot of s.slots) {
          slots.push(slot);
          cols.push(col);
        }
      });
      return [Int32Array.from(slots), Int32Array.from(cols)];
    };
    [this.replaceSlots, this.replaceCols] = by('replace');
    [this.scaleSlots, this.scaleCols] = by('scale');
    [this.shiftSlots, this.shiftCols] = by('shift');

    this.drawLabels = spec.parameters.flatMap((p) =>
      p.slotGroups.length === 1 ? [p.name] : p.slotGroups.map((_, r) => `${p.name}.${model.regions[r]!.id}`),
    );
  }

  /** The last sampled run's draws, one per column of drawLabels (a view, rewritten by the next sample()). */
  get draws(): Float64Array {
    return this.paramStage.draws[this.current]!;
  }

  /**
   * Run `runIndex`'s index in the batch, filled (and its stages computed) if the run is not in it.
   */
  private batchRun(seed: number, runIndex: number): number {
    const cached =
      seed === this.batchSeed && runIndex >= this.batchFirst && runIndex < this.batchEnd && Number.isInteger(runIndex);
    if (!cached) {
      // Checks the seed and the run index.
      this.batch.fill(seed, runIndex);
      this.batchSeed = seed;
      this.batchFirst = runIndex;
      this.batchEnd = Math.min(runIndex + StreamBatch.RUNS, Number.MAX_SAFE_INTEGER + 1);
      this.paramStage.compute();
      this.shockStage?.compute();
    }
    return runIndex - this.batchFirst;
  }

  /** Fill `params` and `shocks` (years × model.shockBlock) for run `runIndex`. */
  sample(seed: number, runIndex: number, params: Float64Array, shocks: Float64Array): void {
    const { baseParams, otherQuantiles, otherSrc, otherDst } = this;
    const inBatch = this.batchRun(seed, runIndex);
    this.current = inBatch;
    const draws = this.paramStage.draws[inBatch]!;
    if (otherQuantiles.length > 0) {
      const v = this.paramStage.vectors[inBatch]!;
      for (let i = 0; i < otherQuantiles.length; i++) draws[otherDst[i]!] = otherQuantiles[i]!(v[otherSrc[i]!]!);
    }
    params.set(baseParams);
    const { replaceSlots, replaceCols, scaleSlots, scaleCols, shiftSlots, shiftCols } = this;
    for (let i = 0; i < replaceSlots.length; i++) params[replaceSlots[i]!] = draws[replaceCols[i]!]!;
    for (let i = 0; i < scaleSlots.length; i++) {
      const s = scaleSlots[i]!;
      params[s] = adjust('scale', baseParams[s]!, draws[scaleCols[i]!]!);
    }
    for (let i = 0; i < shiftSlots.length; i++) {
      const s = shiftSlots[i]!;
      params[s] = adjust('shift', baseParams[s]!, draws[shiftCols[i]!]!);
    }
    const stage = this.shockStage;
    if (stage === undefined) return;
    const run = stage.blocks[inBatch]!;
    shocks.set(run);
    for (let i = run.length; i < shocks.length; i++) shocks[i] = 0;
  }
}

/** Source positions from here on are the copula's uniforms (k-th at UNIFORM_LIMIT + k). */
const UNIFORM_LIMIT = 2 ** 30;

/** The independent AR(1) paths of the shocks, in draw order: one per shock, or per slot unless `common`. */
function shockPaths(
  model: RunnableModel,
  spec: UncertaintySpec,
): { sd: number; rho: number; innovation: number; slots: Int32Array }[] {
  return spec.shocks.flatMap((s) => {
    const slots = model.shockSlots.filter((x) => x.equation === s.equation).map((x) => x.slot);
    const innovation = s.sd * Math.sqrt(1 - s.persistence * s.persistence);
    const groups = s.common ? [slots] : slots.map((x) => [x]);
    return groups.map((g) => ({ sd: s.sd, rho: s.persistence, innovation, slots: Int32Array.from(g) }));
  });
}
