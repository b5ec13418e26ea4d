import type { RunnableModel } from '../model/kernel-image.js';
import { adjust } from '../scenario/adjustment.js';
import { type Copula, fillStandardNormals, makeCopula } from './correlation.js';
import { compileQuantile, empiricalRow, normalQuantileStd, type QuantileFn } from './distributions.js';
import { RunStream } from './rng.js';
import type { UncertaintySpec } from './uncertainty-spec.js';

/**
 * Turns (seed, run index) into one future: a parameter vector and the yearly shock terms.
 *
 * Draw order is fixed — correlated normals first, then each uncertain parameter in declaration order
 * (one uniform per draw group), then each shock slot year by year — so run k's draws depend on
 * nothing but the seed, k and the scenario.
 */
export class RunSampler {
  private readonly quantiles: QuantileFn[];
  private readonly correlatedIndex: Int32Array;
  private readonly copula: Copula | undefined;
  private readonly z: Float64Array;
  private readonly u: Float64Array;
  /** Per shock spec: the shock slots it feeds, grouped by independent draw. */
  private readonly shockGroups: { sd: number; rho: number; innovation: number; groups: number[][] }[];
  /** Columns of `draws`: one per parameter draw group. */
  readonly drawLabels: string[];
  readonly draws: Float64Array;
  /** Per parameter: the index of its joint empirical table in `jointU`, or -1. */
  private readonly jointIndex: Int32Array;
  /** This run's uniform for each joint table (NaN until its first member draws it). */
  private readonly jointU: Float64Array;
  /** Reset for each run: seeding is integer arithmetic on this one object. */
  private readonly stream = new RunStream();

  constructor(
    readonly model: RunnableModel,
    readonly spec: UncertaintySpec,
    private readonly baseParams: Float64Array,
    /** Simulated years, base year included. */
    readonly years: number,
  ) {
    this.quantiles = spec.parameters.map((p) => compileQuantile(p.dist));
    this.correlatedIndex = new Int32Array(spec.parameters.length).fill(-1);
    if (spec.correlation) {
      spec.correlation.variables.forEach((v, i) => {
        const k = spec.parameters.findIndex((p) => p.name === v);
        if (k >= 0) this.correlatedIndex[k] = i;
      });
      this.copula = makeCopula(spec.correlation.matrix, spec.correlation.kind);
    }
    const jointNames: string[] = [];
    this.jointIndex = Int32Array.from(spec.parameters, (p) => {
      if (p.dist.kind !== 'empirical' || p.dist.joint === undefined) return -1;
      if (!jointNames.includes(p.dist.joint)) jointNames.push(p.dist.joint);
      return jointNames.indexOf(p.dist.joint);
    });
    this.jointU = new Float64Array(jointNames.length);
    const k = spec.correlation?.variables.length ?? 0;
    this.z = new Float64Array(k);
    this.u = new Float64Array(k);
    this.drawLabels = spec.parameters.flatMap((p) =>
      p.slotGroups.length === 1 ? [p.name] : p.slotGroups.map((_, r) => `${p.name}.${model.regions[r]!.id}`),
    );
    this.draws = new Float64Array(this.drawLabels.length);
    this.shockGroups = spec.shocks.map((s) => {
      const slots = model.shockSlots.filter((x) => x.equation === s.equation).map((x) => x.slot);
      const groups = s.common ? [slots] : slots.map((x) => [x]);
      return { sd: s.sd, rho: s.persistence, innovation: s.sd * Math.sqrt(1 - s.persistence * s.persistence), groups };
    });
  }

  /** Fill `params` and `shocks` (years × model.shockBlock) for run `runIndex`. */
  sample(seed: number, runIndex: number, params: Float64Array, shocks: Float64Array): void {
    this.stream.reset(seed, runIndex);
    const next = this.stream.next;
    const { spec, baseParams } = this;
    params.set(baseParams);
    if (this.copula) {
      fillStandardNormals(next, this.z);
      this.copula.correlate(this.z, this.u);
    }
    let col = 0;
    this.jointU.fill(NaN);
    for (let i = 0; i < spec.parameters.length; i++) {
      const p = spec.parameters[i]!;
      const q = this.quantiles[i]!;
      const ci = this.correlatedIndex[i]!;
      if (p.dist.kind === 'empirical') {
        // One uniform picks a row for all of the parameter's draw groups (and, with `joint`, for
        // every parameter of the table: the first member to be drawn draws it).
        const ji = this.jointIndex[i]!;
        let u: number;
        if (ji < 0) u = next();
        else {
          if (Number.isNaN(this.jointU[ji]!)) this.jointU[ji] = next();
          u = this.jointU[ji]!;
        }
        const row = p.dist.rows[empiricalRow(p.dist.rows.length, u)]!;
        p.slotGroups.forEach((group, g) => {
          const x = row[g]!;
          this.draws[col++] = x;
          for (const slot of group)
            params[slot] =
              p.apply === 'replace' ? x : p.apply === 'scale' ? baseParams[slot]! * x : baseParams[slot]! + x;
        });
        continue;
      }
      for (const group of p.slotGroups) {
        const x = q(ci >= 0 ? this.u[ci]! : next());
        this.draws[col++] = x;
        for (const slot of group) {
          params[slot] = adjust(p.apply, baseParams[slot]!, x);
        }
      }
    }
    const block = this.model.shockBlock;
    if (block === 0) return;
    shocks.fill(0);
    for (const s of this.shockGroups) {
      for (const group of s.groups) {
        // Start from the stationary distribution so every year has the stated sd.
        let e = s.sd * normalQuantileStd(next());
        for (let yi = 1; yi < this.years; yi++) {
          if (yi > 1) e = s.rho * e + s.innovation * normalQuantileStd(next());
          for (const slot of group) shocks[yi * block + slot] = e;
        }
      }
    }
  }
}
