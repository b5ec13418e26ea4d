import { UserError } from '../../util/diagnostics.js';
import { didYouMean } from '../../util/suggest.js';
import type { ShockSlot } from '../compiled-model.js';
import type { CheckedModel } from './checked-model.js';

/** What Monte Carlo changes in a checked model's kernel (see withUncertainties in ../compile.ts). */
export interface Uncertainties {
  /** Equations (auxiliary or state names) that get an additive yearly term for Monte Carlo shocks. */
  readonly shocked?: readonly string[];
  /**
   * Parameters that change from run to run (drawn by uncertainties). The optimised kernel computes
   * what depends only on the other parameters, the levers and the year once per scenario and year.
   */
  readonly drawn?: readonly string[];
}

/**
 * What a use of the kernel tells the compiler beyond the uncertainties, so that it generates a kernel
 * for that use (see withUncertainties in ../compile.ts):
 */
export interface Specialisation extends Uncertainties {
  /**
   * Levers that change from run to run (a sweep's lever factors): nothing reading them is hoisted into
   * the per-year table, so the table is prepared once for every row.
   */
  readonly varyingLevers?: readonly string[];
  /**
   * Running powers for `x ^ (t + k)` with a drawn x (default true). Off, the optimised kernel is bit for
   * bit the straightforward one (a sweep's rows then equal `policysim run` on the same inputs).
   */
  readonly strengthReduction?: boolean;
  /**
   * Series indices the use reads: every kernel variant computes only the equations they depend on
   * (output pruning); the other series' cells are left as they were. Absent: all series.
   */
  readonly series?: readonly number[];
  /**
   * Years (as indices from the base year) whose outputs the use reads: the fused projection computes
   * the indicators only in those (the states in every year). Absent: every year.
   */
  readonly years?: readonly number[];
  /**
   * Memo tables in the fused projection (rewrite 4 of passes/optimise.ts): calls, powers and divisions
   * of drawn parameters and the year, computed per distinct value of the parameters they read rather
   * than per run (bit-identical). For a sweep, whose successive rows share most factors' values.
   */
  readonly rowMemo?: boolean;
  /**
   * Also generate the two-run WebAssembly kernel (generate-pair.ts) that the Monte Carlo runs; ignored
   * with rowMemo, series or years.
   */
  readonly pairKernel?: boolean;
}

/**
 * The shock slots of the shocked equations: one a year for a global equation, one per region for a
 * regional one, in the order given. The names were checked with the uncertainties; one that is not
 * an auxiliary or a state of the model is refused here all the same.
 */
export function shockSlots(c: CheckedModel, shocked: readonly string[]): ShockSlot[] {
  const kinds = new Map(c.symbols.map(([name, kind]) => [name, kind]));
  const slots: ShockSlot[] = [];
  const seen = new Set<string>(); // `${equation}/${region}`
  for (const eq of shocked) {
    const kind = kinds.get(eq);
    if (kind !== 'gaux' && kind !== 'raux' && kind !== 'gstate' && kind !== 'rstate') {
      const n = c.names;
      const eqNames = [...n.globalAuxiliaries, ...n.globalStates, ...n.auxiliaries, ...n.states];
      throw new UserError({
        path: 'shocks',
        message: `unknown equation '${eq}' (expected an auxiliary or state of the model)`,
        hint: didYouMean(eq, eqNames) ?? '',
      });
    }
    const regional = kind === 'raux' || kind === 'rstate';
    for (let r = regional ? 0 : -1; r < (regional ? c.regionCount : 0); r++) {
      if (seen.has(`${eq}/${r}`)) continue;
      seen.add(`${eq}/${r}`);
      slots.push({ equation: eq, region: r, slot: slots.length });
    }
  }
  return slots;
}
