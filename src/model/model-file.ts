import * as z from 'zod';

/**
 * The schema of a model file: the relations (R) of the XLRM split, plus the parameters and levers
 * the relations read. One schema is the single source of truth for both validation and the types.
 * It is built on first use: a built-in model's precompiled image (model-image.ts) needs none, and
 * zod's set-up of it is then left out of `run` and `validate`.
 */

function schemas() {
  const finite = z.number().refine(Number.isFinite, { message: 'must be a finite number' });
  const text = z.string().min(1);
  /** An equation; a bare number (`weight: 1`) is the equation of that constant. */
  const equation = z.union([z.string().min(1), finite.transform((n) => String(n))]);
  /** Units may be empty for dimensionless quantities. */
  const unit = z.string();

  /** A number for every region, or one number for all. */
  const perRegionNumbers = z.record(z.string(), finite);

  const ParameterSchema = z.strictObject({
    /** One value: a global parameter (the same everywhere, overridable as a whole). */
    value: finite.optional(),
    /** One value per region: a regional parameter (overridable per region). */
    values: perRegionNumbers.optional(),
    unit,
    range: z.tuple([finite, finite]),
    source: text,
    description: z.string().optional(),
  });

  const LeverSchema = z.strictObject({
    unit,
    range: z.tuple([finite, finite]),
    default: finite.default(0),
    description: text,
    /** Indicators the lever should move (documentation, and checked lever by lever in the tests). */
    acts_on: z.array(text).min(1),
    /** Whether a scenario may set the lever per region (free trade zone in Liaoning only, say). */
    per_region: z.boolean().default(true),
    paper: z.string().optional(),
  });

  const initialValue = z.union([finite, equation]);

  const StateSchema = z.strictObject({
    unit,
    /** A number or an expression over parameters; or a mapping of region to either. */
    initial: z.union([initialValue, z.record(z.string(), initialValue)]),
    next: equation,
    source: text,
    description: z.string().optional(),
    /** The state's domain (GDP ≥ 0, a share in [0, 100]): a run that leaves it fails like a NaN does. */
    min: finite.optional(),
    max: finite.optional(),
  });

  const AuxiliarySchema = z.union([
    equation,
    z.strictObject({ expr: equation, unit: z.string().optional(), description: z.string().optional() }),
  ]);

  const IndicatorSchema = z.strictObject({
    label: text,
    unit,
    expr: equation,
    /** How the provinces combine into an aggregate: a plain sum, or a mean weighted by an expression. */
    aggregate: z.union([z.literal('sum'), z.strictObject({ weight: equation })]),
    /** The national (reference) counterpart, an expression over global states and parameters. */
    reference: equation.optional(),
    decimals: z.number().int().min(0).max(6).default(2),
    description: z.string().optional(),
    /** The indicator's domain, checked for each province's value like a state's. */
    min: finite.optional(),
    max: finite.optional(),
  });

  const named = z.strictObject({ name: text });

  const ModelFileSchema = z.strictObject({
    name: text,
    title: text,
    description: z.string().optional(),
    base_year: z.number().int().min(1900).max(2200),
    regions: z.record(z.string(), named),
    aggregates: z.record(z.string(), z.strictObject({ name: text, regions: z.array(text).min(1) })).default({}),
    reference: z.strictObject({ id: text, name: text }).optional(),
    parameters: z.record(z.string(), ParameterSchema).default({}),
    levers: z.record(z.string(), LeverSchema).default({}),
    globals: z
      .strictObject({
        states: z.record(z.string(), StateSchema).default({}),
        auxiliaries: z.record(z.string(), AuxiliarySchema).default({}),
      })
      .default({ states: {}, auxiliaries: {} }),
    states: z.record(z.string(), StateSchema),
    auxiliaries: z.record(z.string(), AuxiliarySchema).default({}),
    indicators: z.record(z.string(), IndicatorSchema),
    /** The indicators that `compare` and `mc` tables show when no --indicators is given (default: all). */
    headline: z.array(text).optional(),
  });

  return { ParameterSchema, LeverSchema, StateSchema, AuxiliarySchema, IndicatorSchema, ModelFileSchema };
}

type Schemas = ReturnType<typeof schemas>;
let built: Schemas | undefined;
/** The model file schema, built on the first call. */
export const modelFileSchema = (): Schemas['ModelFileSchema'] => (built ??= schemas()).ModelFileSchema;

export type ModelFile = z.infer<Schemas['ModelFileSchema']>;
export type ParameterDecl = z.infer<Schemas['ParameterSchema']>;
export type LeverDecl = z.infer<Schemas['LeverSchema']>;
export type StateDecl = z.infer<Schemas['StateSchema']>;
export type AuxiliaryDecl = z.infer<Schemas['AuxiliarySchema']>;
export type IndicatorDecl = z.infer<Schemas['IndicatorSchema']>;
