import type { Argv } from 'yargs';
import type { CompiledModel } from '../model/compiled-model.js';
import { UserError } from '../util/diagnostics.js';
import { didYouMean } from '../util/suggest.js';

/** Options several commands share, declared once. */
export function withOutputOptions<T>(y: Argv<T>) {
  return y
    .option('format', {
      choices: ['table', 'csv', 'json'] as const,
      default: 'table' as const,
      describe: 'output format',
    })
    .option('out', { type: 'string', describe: 'write the output to this file (atomically) instead of stdout' });
}

export function withSetOption<T>(y: Argv<T>) {
  return y.option('set', {
    type: 'string',
    array: true,
    default: [] as string[],
    describe: 'override a lever or parameter: NAME=VALUE or NAME.REGION=VALUE (repeatable)',
  });
}

/** `--indicators` names must be the model's. */
export function checkIndicators(names: readonly string[], model: CompiledModel): void {
  const known = model.indicators.map((i) => i.name);
  for (const i of names) {
    if (!known.includes(i))
      throw new UserError({
        path: '--indicators',
        message: `unknown indicator '${i}'`,
        hint: didYouMean(i, known) ?? `known: ${known.join(', ')}`,
      });
  }
}

/** `--regions` names must be provinces, aggregates or the reference. */
export function checkRegions(names: readonly string[], model: CompiledModel): void {
  const known = [
    ...model.regions.map((r) => r.id),
    ...model.aggregates.map((r) => r.id),
    ...(model.reference ? [model.reference.id] : []),
  ];
  for (const r of names) {
    if (!known.includes(r))
      throw new UserError({
        path: '--regions',
        message: `unknown region '${r}'`,
        hint: didYouMean(r, known) ?? `known: ${known.join(', ')}`,
      });
  }
}

/** A whole-number option within bounds, or a usage error naming the flag. */
export function wholeNumber(flag: string, v: number, min: number, max: number): void {
  if (!Number.isSafeInteger(v) || v < min || v > max)
    throw new UserError({ path: `--${flag}`, message: `must be a whole number from ${min} to ${max} (got ${v})` });
}
