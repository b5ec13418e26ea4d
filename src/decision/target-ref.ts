import type { Target } from '../scenario/scenario.js';
import { UserError } from '../util/diagnostics.js';
import { didYouMean } from '../util/suggest.js';

/** `--target NAME_OR_INDEX`: a 1-based index or a target's exact name; returns the 0-based index. */
export function resolveTarget(targets: readonly Target[], text: string, file: string): number {
  if (targets.length === 0)
    throw new UserError({ location: { file }, path: 'targets', message: 'the scenario declares no targets' });
  if (/^\d+$/.test(text)) {
    const i = Number(text);
    if (i >= 1 && i <= targets.length) return i - 1;
    throw new UserError({
      path: '--target',
      message: `target ${i} does not exist: '${file}' has ${targets.length} target${targets.length === 1 ? '' : 's'} (1-${targets.length})`,
    });
  }
  const i = targets.findIndex((t) => t.name === text);
  if (i >= 0) return i;
  const names = targets.map((t) => t.name);
  throw new UserError({
    path: '--target',
    message: `unknown target '${text}' in ${file}`,
    hint: didYouMean(text, names) ?? `targets: ${names.map((n, k) => `${k + 1} '${n}'`).join(', ')}`,
  });
}
