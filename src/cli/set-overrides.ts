import type { CompiledModel } from '../model/compiled-model.js';
import type { Overrides, ScenarioOverride } from '../scenario/overrides.js';
import { regionMembers, settableRegionIds } from '../scenario/regions.js';
import { type Diagnostic, UserError } from '../util/diagnostics.js';
import { didYouMean } from '../util/suggest.js';

/**
 * `--set NAME=VALUE` and `--set NAME.REGION=VALUE` as the core takes them: typed overrides, checked
 * against the scenario's model once its file is (so the file's own problems come first). Every bad
 * `--set` is reported at once, in the order given, one line each naming the flag as typed.
 */
export function setOverrides(texts: readonly string[]): Overrides {
  if (texts.length === 0) return [];
  return (model) => {
    const out: ScenarioOverride[] = [];
    const bad: Diagnostic[] = [];
    for (const text of texts) {
      const o = parseSet(text, model);
      if ('kind' in o) out.push(o);
      else bad.push(o);
    }
    if (bad.length > 0) throw new UserError(bad);
    return out;
  };
}

/** One `--set`: the override, or the problem with it. */
export function parseSet(text: string, model: CompiledModel): ScenarioOverride | Diagnostic {
  const problem = (message: string, hint?: string): Diagnostic => ({
    path: `--set ${text}`,
    message,
    ...(hint ? { hint } : {}),
  });
  const m = /^([A-Za-z_][A-Za-z0-9_]*)(?:\.([A-Za-z_][A-Za-z0-9_]*))?=(.+)$/.exec(text.trim());
  if (!m) return problem('expected NAME=VALUE or NAME.REGION=VALUE');
  const [, name, region, raw] = m as unknown as [string, string, string | undefined, string];
  // Decimal notation only: Number() would also take '0x1', '0b1' and ' '.
  const value = /^\s*[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?\s*$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isFinite(value)) return problem(`value must be a number (got '${raw}')`);
  if (region !== undefined && !regionMembers(model, region))
    return problem(`unknown region '${region}'`, didYouMean(region, settableRegionIds(model)));
  const at = region !== undefined ? { region } : {};
  const origin = `--set ${name}${region !== undefined ? `.${region}` : ''}`;
  const lever = model.levers.find((l) => l.name === name);
  if (lever) {
    if (value < lever.range[0] || value > lever.range[1])
      return problem(`value ${value} is outside the range of lever '${name}' [${lever.range[0]}, ${lever.range[1]}]`);
    if (region !== undefined && !lever.perRegion) return problem(`lever '${name}' cannot be set per region`);
    return { kind: 'lever', name, ...at, value, origin };
  }
  const p = model.parameters.find((q) => q.name === name);
  if (!p)
    return problem(
      `unknown lever or parameter '${name}'`,
      didYouMean(name, [...model.levers.map((l) => l.name), ...model.parameters.map((q) => q.name)]),
    );
  if (value < p.range[0] || value > p.range[1])
    return problem(`value ${value} is outside the range of '${name}' [${p.range[0]}, ${p.range[1]}]`);
  if (p.scope === 'global' && region !== undefined)
    return problem(`'${name}' is one value for all regions and cannot be set per region`);
  return { kind: 'parameter', name, ...at, value, origin };
}
