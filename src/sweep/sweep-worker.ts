import { move, transferableSymbol, valueSymbol } from 'piscina';
import { RowEvaluator } from './row-evaluator.js';
import type { SweepTask } from './sweep-messages.js';

/**
 * Thread side of a sweep: rows of factor values in, outputs out (transferred), or the first failing
 * row as plain data. The sweep arrives as an image, so the worker loads neither the compiler nor the
 * file parsers.
 */
const evaluators = new Map<string, RowEvaluator>();

export default function evaluateRows(task: SweepTask): unknown {
  let ev = evaluators.get(task.image.id);
  if (!ev) {
    ev = new RowEvaluator(task.image);
    evaluators.set(task.image.id, ev);
  }
  const result = ev.evaluate(task.X, task.rows);
  if (!result.ok) return result;
  // The outputs' buffer is transferred, not copied.
  return move({
    [transferableSymbol]: [result.Y.buffer as ArrayBuffer],
    [valueSymbol]: result,
  } as unknown as Parameters<typeof move>[0]);
}
