import { ExpressionError, parseExpression, symbolsOf } from './expression.js';
import type { AuxiliaryDecl, ModelFile } from './model-file.js';

/**
 * The equations a Monte Carlo shock may add a yearly term to: every auxiliary and every state's
 * next-year equation, regional or global. One list for the uncertainties check and for `describe`.
 */
export interface ShockableEquation {
  readonly name: string;
  readonly kind: 'auxiliary' | 'state';
  /** A regional equation gets one shock per region (unless `common: true`); a global one, one shock. */
  readonly scope: 'regional' | 'global';
  readonly unit?: string;
  readonly description?: string;
  /** The equation's text, for finding which equations read a parameter. */
  readonly expr: string;
}

export function shockableEquations(file: ModelFile): ShockableEquation[] {
  const aux =
    (scope: 'regional' | 'global') =>
    ([name, a]: [string, AuxiliaryDecl]): ShockableEquation => ({
      name,
      kind: 'auxiliary',
      scope,
      ...(typeof a === 'object' && a.unit !== undefined ? { unit: a.unit } : {}),
      ...(typeof a === 'object' && a.description ? { description: a.description } : {}),
      expr: typeof a === 'string' ? a : a.expr,
    });
  const state =
    (scope: 'regional' | 'global') =>
    ([name, s]: [string, ModelFile['states'][string]]): ShockableEquation => ({
      name,
      kind: 'state',
      scope,
      unit: s.unit,
      ...(s.description ? { description: s.description } : {}),
      expr: s.next,
    });
  return [
    ...Object.entries(file.auxiliaries).map(aux('regional')),
    ...Object.entries(file.states).map(state('regional')),
    ...Object.entries(file.globals.auxiliaries).map(aux('global')),
    ...Object.entries(file.globals.states).map(state('global')),
  ];
}

/** The shockable equations that read `name` (a parameter, say): where a shock on it would go. */
export function equationsReading(equations: readonly ShockableEquation[], name: string): string[] {
  return equations
    .filter((e) => {
      try {
        return symbolsOf(parseExpression(e.expr, () => true)).includes(name);
      } catch (err) {
        if (err instanceof ExpressionError) return false;
        throw err;
      }
    })
    .map((e) => e.name);
}
