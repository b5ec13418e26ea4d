import * as z from 'zod';
import { DistributionSchema } from '../montecarlo/uncertainty-spec.js';
import { ADJUSTMENTS } from '../scenario/adjustment.js';

/**
 * The schema of a sweep file: a scenario to start from, the factors to vary (levers or parameters),
 * the design, and the outputs to analyse.
 */

const finite = z.number().refine(Number.isFinite, { message: 'must be a finite number' });

export const FactorSchema = z.strictObject({
  /** [low, high]: mapped from the unit interval linearly (or through `dist`). */
  range: z.tuple([finite, finite]).optional(),
  /** Explicit levels, for grid and policy-grid designs. */
  levels: z.array(finite).min(1).optional(),
  /** A distribution whose quantiles map the unit interval (Sobol, LHS, Morris). */
  dist: DistributionSchema.optional(),
  /** One-at-a-time base value (default: the scenario's value, or the middle of the range). */
  base: finite.optional(),
  /** Parameters: replace (default), scale or shift the scenario's value. */
  apply: z.enum(ADJUSTMENTS).default('replace'),
  /** Levers: the year the setting starts (default: the horizon start) and the provinces. */
  from: z.number().int().optional(),
  regions: z.array(z.string().min(1)).min(1).optional(),
});

export const OutputSchema = z.union([
  z.strictObject({
    indicator: z.string().min(1),
    region: z.string().min(1),
    year: z.number().int(),
    name: z.string().optional(),
  }),
  z.strictObject({
    /** A target of the scenario, by 1-based index or by name. */
    target: z.union([z.number().int().min(1), z.string().min(1)]),
    metric: z.enum(['value', 'gap', 'reached', 'first_year', 'probability']).default('gap'),
    name: z.string().optional(),
  }),
]);

export const SweepFileSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().min(1),
  scenario: z.string().min(1),
  design: z.enum(['grid', 'oat', 'lhs', 'morris', 'sobol', 'policy-grid']),
  /** Sobol: base samples N (rows N·(D+2), or N·(2D+2) with second order). LHS: rows. */
  samples: z.number().int().optional(),
  /** Morris: trajectories r (rows r·(D+1)) and grid levels p. */
  trajectories: z.number().int().optional(),
  levels: z.number().int().optional(),
  second_order: z.boolean().default(false),
  seed: z.number().int().min(0).default(1),
  bootstrap: z.number().int().min(10).max(100000).default(500),
  factors: z.record(z.string(), FactorSchema),
  outputs: z.array(OutputSchema).min(1),
  /** Monte Carlo futures per design row (probability outputs, policy-grid). */
  monte_carlo: z
    .strictObject({ runs: z.number().int().min(1).max(1_000_000), seed: z.number().int().min(0).optional() })
    .optional(),
});

export type SweepFile = z.infer<typeof SweepFileSchema>;
export type FactorDecl = z.infer<typeof FactorSchema>;
export type OutputDecl = z.infer<typeof OutputSchema>;
