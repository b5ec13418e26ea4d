import { type Diagnostic, sortDiagnostics, UserError } from '../util/diagnostics.js';
import { Problems } from '../util/problems.js';
import { checkModel, checkModelSize } from './compile/check.js';
import { checkedModel } from './compile/checked-model.js';
import { declareModel, type Locate } from './compile/declare.js';
import { generateKernel } from './compile/generate.js';
import { type Specialisation, shockSlots, type Uncertainties } from './compile/uncertainties.js';
import type { CompiledModel } from './compiled-model.js';
import type { ModelFile } from './model-file.js';
import { modelData, modelFromData } from './model-image.js';

export { MAX_KERNEL_EQUATIONS, MAX_MODEL_EQUATIONS } from './compile/check.js';
export type { Specialisation, Uncertainties } from './compile/uncertainties.js';

/**
 * The compiler, in stages (src/model/compile/): size limits, then declare (symbol table and slots),
 * check (equations parsed, whitelisted and resolved, auxiliaries ordered; every problem collected),
 * and generate (the kernel sources from the checked trees). Monte Carlo's shocks and draws are one
 * more generation from the checked model (withUncertainties), never a second read or check.
 */
export interface CompileOptions extends Uncertainties, Pick<Specialisation, 'pairKernel'> {
  /**
   * A model file with shape problems, checked for the rest: the problems already found, and the names
   * of declarations left out for not being well-formed (equations may still read them without an
   * "unknown symbol"). Such a model always ends in a UserError, never in a kernel.
   */
  readonly partial?: { readonly earlier: readonly Diagnostic[]; readonly broken: readonly string[] };
}

/**
 * Check a model file and generate its kernel. Every problem is collected and thrown at once as a
 * UserError; a model that compiles cannot produce a kernel with an unresolved name.
 */
export function compileModel(
  file: ModelFile,
  origin: string,
  locate: Locate = () => undefined,
  options: CompileOptions = {},
): CompiledModel {
  const diags: Diagnostic[] = [...(options.partial?.earlier ?? [])];
  const problems = new Problems({ file: origin, locate }, [], diags);
  const broken = options.partial?.broken ?? [];
  checkModelSize(file, origin, locate);
  const declared = declareModel(file, problems, broken);
  const { trees, headline } = checkModel(declared, problems, broken);
  if (diags.length > 0 || options.partial) throw new UserError(sortDiagnostics(diags));

  const { checked, equations } = checkedModel(declared, trees, locate);
  const slots = shockSlots(checked, options.shocked ?? []);
  return modelFromData({
    name: file.name,
    title: file.title,
    description: file.description ?? '',
    origin,
    file,
    baseYear: file.base_year,
    regions: declared.regions,
    aggregates: declared.aggregates,
    reference: declared.reference,
    parameters: declared.parameters,
    levers: declared.levers,
    indicators: declared.indicators,
    headline,
    series: declared.series,
    shockSlots: slots,
    paramCount: declared.paramCount,
    stateCount: declared.stateCount,
    leverBlock: declared.levers.length * declared.regions.length,
    shockBlock: slots.length,
    seriesCount: declared.series.length,
    sources: generateKernel(checked, equations, slots, options),
    equations,
    checkedModel: checked,
  });
}

/**
 * The model's kernel generated again for what a scenario's uncertainties move: slots for the shocked
 * equations, and the drawn parameters for the optimising pass; and for a use (Specialisation): levers
 * a sweep varies, running powers off, only the series it reads. Everything else (layout, series,
 * equation table) stays; the file is neither read nor checked again.
 */
export function withUncertainties(model: CompiledModel, u: Specialisation): CompiledModel {
  const shocked = u.shocked ?? [];
  const drawn = u.drawn ?? [];
  const plain =
    drawn.length === 0 &&
    (u.varyingLevers ?? []).length === 0 &&
    u.strengthReduction !== false &&
    u.series === undefined &&
    u.years === undefined &&
    u.rowMemo !== true &&
    u.pairKernel !== true;
  if (shocked.length === 0 && plain) return model;
  const slots = shockSlots(model.checkedModel, shocked);
  return modelFromData({
    ...modelData(model),
    shockSlots: slots,
    shockBlock: slots.length,
    sources: generateKernel(model.checkedModel, model.equations, slots, u),
  });
}
