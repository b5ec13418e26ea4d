import { move } from 'piscina';
import { loadSweep } from './load-sweep.js';
import { RowEvaluator } from './row-evaluator.js';
import type { SweepTask } from './sweep-messages.js';

/** Thread side of a sweep: rows of factor values in, outputs out (transferred). */
const evaluators = new Map<string, RowEvaluator>();

export default function evaluateRows(task: SweepTask): unknown {
  let ev = evaluators.get(task.sweepFile);
  if (!ev) {
    ev = new RowEvaluator(loadSweep(task.sweepFile));
    evaluators.set(task.sweepFile, ev);
  }
  return move(ev.evaluate(task.X, task.rows));
}
