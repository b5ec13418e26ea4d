import * as z from 'zod';

/**
 * The schema of a scenario file: which model, which horizon, the levers (L) and parameter overrides
 * it sets, the targets (M) it is judged by, and — for Monte Carlo — its uncertainties (X).
 */

const finite = z.number().refine(Number.isFinite, { message: 'must be a finite number' });
const year = z.number().int();

const regionList = z.array(z.string().min(1)).min(1);

/** A lever held at `value` from `from`, reached over `ramp` years. */
export const StepSettingSchema = z.strictObject({
  value: finite,
  from: year.optional(),
  ramp: z.number().int().min(0).default(0),
  regions: regionList.optional(),
});

/** A lever following a path: linear between the given years, held after the last. */
export const PathSettingSchema = z.strictObject({
  path: z
    .record(z.string().regex(/^\d{4}$/, 'path keys must be years like 2018'), finite)
    .refine((p) => Object.keys(p).length > 0, { message: 'a path needs at least one year: value' }),
  regions: regionList.optional(),
});

export const LeverSettingSchema = z.union([finite, StepSettingSchema, PathSettingSchema]);
export const LeverEntrySchema = z.union([
  LeverSettingSchema,
  z.array(z.union([StepSettingSchema, PathSettingSchema])).min(1),
]);

export const TargetSchema = z.strictObject({
  name: z.string().min(1).optional(),
  indicator: z.string().min(1),
  region: z.string().min(1),
  year,
  /** A number, a region whose series of the same indicator is the reference, or {indicator, region}. */
  reference: z.union([
    finite,
    z.string().min(1),
    z.strictObject({ indicator: z.string().min(1).optional(), region: z.string().min(1) }),
  ]),
  direction: z.enum(['at_least', 'at_most']).default('at_least'),
});

export const ScenarioFileSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().min(1),
  model: z.string().min(1).default('builtin:northeast'),
  horizon: z.strictObject({ start: year, end: year }).optional(),
  seed: z
    .number()
    .int()
    .min(0)
    .max(2 ** 32 - 1)
    .default(1),
  levers: z.record(z.string(), LeverEntrySchema).default({}),
  parameters: z
    .record(
      z.string(),
      z.union([
        finite,
        z
          .record(z.string(), finite)
          .refine((m) => Object.keys(m).length > 0, { message: 'give a value, or at least one region: value' }),
      ]),
    )
    .default({}),
  targets: z.array(TargetSchema).default([]),
  /** Checked by the Monte Carlo module against the model; kept opaque here. */
  uncertainties: z.unknown().optional(),
  /** Observed series (CSV, relative to this file); checked by src/evidence/observed-file.ts. */
  observed: z.string().min(1).optional(),
});

export type ScenarioFile = z.infer<typeof ScenarioFileSchema>;
export type StepSetting = z.infer<typeof StepSettingSchema>;
export type PathSetting = z.infer<typeof PathSettingSchema>;
export type LeverSetting = z.infer<typeof LeverSettingSchema>;
export type TargetDecl = z.infer<typeof TargetSchema>;
