import type { Argv } from 'yargs';

/** Options several commands share, declared once. */
export function withOutputOptions<T>(y: Argv<T>) {
  return y
    .option('format', { choices: ['table', 'csv', 'json'] as const, default: 'table' as const, describe: 'output format' })
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
