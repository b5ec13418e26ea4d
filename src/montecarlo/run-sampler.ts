import type { RunnableModel } from '../model/kernel-image.js';
import { adjust } from '../scenario/adjustment.js';
import { type Copula, makeCopula } from './correlation.js';
import { compileQuantileBatch, type Distribution, normalQuantilesStd, type QuantileBatch } from './distributions.js';
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
 * spec into flat tables once (stream position, distribution constants, target column and slots) and a
 * run is: the stream's parameter uniforms into one buffer, the normal quantiles they need, the copula,
 * one loop per distribution kind, then the slots; and the shock paths, computed where the streams
 * left their uniforms, four runs at a time (ShockStage, in WebAssembly). Every value is computed by
 * the same operations on the same uniform as drawing them one by one in that order would, so the numbers are
 * the same bit for bit (tests/montecarlo/run-sampler.test.ts holds it to a one-by-one reference).
 */
export class RunSampler {
  /** Columns of `draws`: one per parameter draw group. */
  readonly drawLabels: string[];
  readonly draws: Float64Array;
  /** Uniforms the stream gives a run, in draw order: the parameters', then the shocks'. */
  private readonly uniformCount: number;
  /** This run's parameter uniforms (the stream's first), then the copula's correlated uniforms (k of them). */
  private readonly u: Float64Array;
  private readonly copula: Copula | undefined;
  /** The copula's independent normals, and where its output uniforms go (views into `u`). */
  private readonly z: Float64Array;
  private readonly copulaOut: Float64Array;
  /** Every parameter draw: its uniform (in `u`) through its inverse CDF into its column of `draws`. */
  private readonly quantiles: QuantileBatch;
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
  /** Run k of the batch's parameter uniforms (views of batch.runs[k]). */
  private readonly batchParams: readonly Float64Array[];
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

    this.u = new Float64Array(next + k);
    const runs = StreamBatch.RUNS;
    this.batch = new StreamBatch(
      this.uniformCount,
      block === 0 ? 0 : ShockStage.bytes(shockNormals, paths, years, block, runs),
    );
    this.batchParams = this.batch.runs.map((r) => r.subarray(0, next));
    const batch = this.batch;
    this.shockStage =
      block === 0
        ? undefined
        : new ShockStage(
            batch.memory,
            batch.extraBase,
            { at: batch.uniformsAt, stride: batch.uniformStride },
            { count: shockNormals, first: next },
            paths,
            years,
            block,
            runs,
          );
    const fromU = (s: number): number => (s >= UNIFORM_LIMIT ? next + (s - UNIFORM_LIMIT) : s);
    this.quantiles = compileQuantileBatch(
      dists,
      src.map(fromU),
      dists.map((_, col) => col),
    );
    this.z = new Float64Array(k);
    this.copulaOut = this.u.subarray(next, next + k);
    if (spec.correlation) this.copula = makeCopula(spec.correlation.matrix, spec.correlation.kind);

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
    this.draws = new Float64Array(this.drawLabels.length);
  }

  /**
   * Run `runIndex`'s parameter uniforms (the stream's first; the shocks' follow) into u, from the
   * batch (filled, and its shock blocks computed, if the run is not in it); its index in the batch.
   */
  private runUniforms(seed: number, runIndex: number): number {
    const cached =
      seed === this.batchSeed && runIndex >= this.batchFirst && runIndex < this.batchEnd && Number.isInteger(runIndex);
    if (!cached) {
      // Checks the seed and the run index.
      this.batch.fill(seed, runIndex);
      this.batchSeed = seed;
      this.batchFirst = runIndex;
      this.batchEnd = Math.min(runIndex + StreamBatch.RUNS, Number.MAX_SAFE_INTEGER + 1);
      this.shockStage?.compute();
    }
    const k = runIndex - this.batchFirst;
    this.u.set(this.batchParams[k]!);
    return k;
  }

  /** Fill `params` and `shocks` (years × model.shockBlock) for run `runIndex`. */
  sample(seed: number, runIndex: number, params: Float64Array, shocks: Float64Array): void {
    const { u, draws, baseParams } = this;
    const inBatch = this.runUniforms(seed, runIndex);
    if (this.copula) {
      normalQuantilesStd(u, 0, this.z.length, this.z, 0);
      this.copula.correlate(this.z, this.copulaOut);
    }
    this.quantiles(u, draws);
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
