import type { RunnableModel } from '../model/kernel-image.js';
import { adjust } from '../scenario/adjustment.js';
import { type Copula, makeCopula } from './correlation.js';
import { compileQuantileBatch, type Distribution, normalQuantilesStd, type QuantileBatch } from './distributions.js';
import { StreamBatch } from './rng.js';
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
 * run is: the stream's uniforms into one buffer, the normal quantiles they need, the copula, one loop
 * per distribution kind, then the slots and the shock paths. Every value is computed by the same
 * operations on the same uniform as drawing them one by one in that order would, so the numbers are
 * the same bit for bit (tests/montecarlo/run-sampler.test.ts holds it to a one-by-one reference).
 */
export class RunSampler {
  /** Columns of `draws`: one per parameter draw group. */
  readonly drawLabels: string[];
  readonly draws: Float64Array;
  /** Uniforms the stream gives a run, in draw order. */
  private readonly uniformCount: number;
  /** This run's uniforms (0..uniformCount), then the copula's correlated uniforms (k of them). */
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
  /** Shock uniforms are u[shockFirst..uniformCount); their standard normals, in the same order. */
  private readonly shockFirst: number;
  private readonly shockNormals: Float64Array;
  /** The independent shock paths, in draw order. */
  private readonly paths: readonly ShockPath[];
  /** Whether the paths write every slot of years 1.. (then only year 0 needs zeroing). */
  private readonly pathsCoverBlock: boolean;
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
    this.shockFirst = next;
    const perPath = years > 2 ? years - 1 : 1;
    this.paths = groups.map((g, i) => ({ ...g, first: i * perPath }));
    this.shockNormals = new Float64Array(groups.length * perPath);
    this.uniformCount = next + this.shockNormals.length;
    const covered = new Set(groups.flatMap((g) => [...g.slots]));
    this.pathsCoverBlock = Array.from({ length: block }, (_, s) => covered.has(s)).every(Boolean);

    this.u = new Float64Array(this.uniformCount + k);
    this.batch = new StreamBatch(this.uniformCount);
    const fromU = (s: number): number => (s >= UNIFORM_LIMIT ? this.uniformCount + (s - UNIFORM_LIMIT) : s);
    this.quantiles = compileQuantileBatch(
      dists,
      src.map(fromU),
      dists.map((_, col) => col),
    );
    this.z = new Float64Array(k);
    this.copulaOut = this.u.subarray(this.uniformCount, this.uniformCount + k);
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

  /** Run `runIndex`'s stream into u[0..uniformCount), from the batch (filled if the run is not in it). */
  private runUniforms(seed: number, runIndex: number): void {
    const cached =
      seed === this.batchSeed && runIndex >= this.batchFirst && runIndex < this.batchEnd && Number.isInteger(runIndex);
    if (!cached) {
      // Checks the seed and the run index.
      this.batch.fill(seed, runIndex);
      this.batchSeed = seed;
      this.batchFirst = runIndex;
      this.batchEnd = Math.min(runIndex + StreamBatch.RUNS, Number.MAX_SAFE_INTEGER + 1);
    }
    this.u.set(this.batch.runs[runIndex - this.batchFirst]!);
  }

  /** Fill `params` and `shocks` (years × model.shockBlock) for run `runIndex`. */
  sample(seed: number, runIndex: number, params: Float64Array, shocks: Float64Array): void {
    const { u, draws, baseParams } = this;
    this.runUniforms(seed, runIndex);
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
    const block = this.model.shockBlock;
    if (block === 0) return;
    const z = this.shockNormals;
    normalQuantilesStd(u, this.shockFirst, z.length, z, 0);
    const years = this.years;
    // Loops, not shocks.fill(): the two fill() calls cost ~80 ns per run, more than their few stores.
    const zeroTo = this.pathsCoverBlock ? block : years * block;
    for (let i = 0; i < zeroTo; i++) shocks[i] = 0;
    for (let i = years * block; i < shocks.length; i++) shocks[i] = 0;
    // Two paths at a time: each path's recursion is a chain of dependent multiply-adds, and two
    // independent chains overlap in the processor (~1.5× faster on two paths over 20 years).
    const paths = this.paths;
    let p = 0;
    for (; p + 1 < paths.length; p += 2) writePathPair(paths[p]!, paths[p + 1]!, z, shocks, years, block);
    if (p < paths.length) writePath(paths[p]!, z, shocks, years, block);
  }
}

/** An independent AR(1) shock path: its first normal (then one per year from the second), sd, terms, slots. */
interface ShockPath {
  readonly first: number;
  readonly sd: number;
  readonly rho: number;
  readonly innovation: number;
  readonly slots: Int32Array;
}

/**
 * Path `a`'s value in years 1.. into its slots of `shocks` (years × block). It starts from the
 * stationary distribution, so every year has the stated sd; year y >= 2 draws normal first + y − 1.
 * The slots are written in the loop, not by a helper: a double passed to a call that V8 does not
 * inline is boxed, one heap number per year and path.
 */
function writePath(a: ShockPath, z: Float64Array, shocks: Float64Array, years: number, block: number): void {
  const { rho, innovation, slots } = a;
  let at = a.first;
  let e = a.sd * z[at++]!;
  for (let yi = 1; yi < years; yi++) {
    if (yi > 1) e = rho * e + innovation * z[at++]!;
    const row = yi * block;
    for (let m = 0; m < slots.length; m++) shocks[row + slots[m]!] = e;
  }
}

/** writePath(a), then writePath(b), year by year together: the same numbers, a later path's last. */
function writePathPair(
  a: ShockPath,
  b: ShockPath,
  z: Float64Array,
  shocks: Float64Array,
  years: number,
  block: number,
): void {
  const { rho: rhoA, innovation: innovationA, slots: slotsA } = a;
  const { rho: rhoB, innovation: innovationB, slots: slotsB } = b;
  let atA = a.first;
  let atB = b.first;
  let ea = a.sd * z[atA++]!;
  let eb = b.sd * z[atB++]!;
  for (let yi = 1; yi < years; yi++) {
    if (yi > 1) {
      ea = rhoA * ea + innovationA * z[atA++]!;
      eb = rhoB * eb + innovationB * z[atB++]!;
    }
    const row = yi * block;
    for (let m = 0; m < slotsA.length; m++) shocks[row + slotsA[m]!] = ea;
    for (let m = 0; m < slotsB.length; m++) shocks[row + slotsB[m]!] = eb;
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
