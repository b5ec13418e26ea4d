import { extname } from 'node:path';
import type { Argv } from 'yargs';
import type { CompiledModel } from '../model/compiled-model.js';
import { UserError } from '../util/diagnostics.js';
import { didYouMean } from '../util/suggest.js';

export type OutputFormat = 'table' | 'csv' | 'json' | 'html';

/** Options several commands share, declared once. */
export function withOutputOptions<T>(y: Argv<T>) {
  return y
    .option('format', {
      choices: ['table', 'csv', 'json', 'html'] as const,
      describe: "output format (default: from --out's extension, else table)",
    })
    .option('out', {
      type: 'string',
      describe:
        'write to this file (atomically); its extension sets the format: .json .csv .html, .txt or none = table',
    });
}

/** What each file extension of `--out` means. */
const EXTENSION_FORMAT: Readonly<Record<string, OutputFormat>> = {
  '.json': 'json',
  '.csv': 'csv',
  '.html': 'html',
  '.htm': 'html',
  '.txt': 'table',
  '': 'table',
};

/**
 * The format of a command's output: `--out`'s extension decides (so `--out r.json` never writes a
 * table), `--format` may repeat it but not contradict it, and without `--out` it is `--format` or the
 * table. An extension with no meaning needs `--format`.
 */
export function outputFormat(a: { format?: OutputFormat; out?: string }): OutputFormat {
  if (a.out === undefined) return a.format ?? 'table';
  const ext = extname(a.out).toLowerCase();
  const implied = Object.hasOwn(EXTENSION_FORMAT, ext) ? EXTENSION_FORMAT[ext] : undefined;
  if (implied === undefined) {
    if (a.format) return a.format;
    throw new UserError({
      path: '--out',
      message: `cannot tell the format from the extension '${ext}' of ${a.out}`,
      hint: 'use .json, .csv, .html or .txt, or give --format',
    });
  }
  if (a.format && a.format !== implied)
    throw new UserError({
      path: '--format',
      message: `${a.format} contradicts --out ${a.out}, which is written as ${implied}`,
      hint: `drop --format, or give the file the extension of ${a.format}`,
    });
  return implied;
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
