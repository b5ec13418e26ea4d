import { move, transferableSymbol, valueSymbol } from 'piscina';
import type { BlockResult, WorkerTask } from './messages.js';
import { RunBlockEvaluator, blockTransferList } from './run-block.js';

/**
 * The thread side of the pool: compiles the scenario once per thread, then evaluates blocks of runs.
 * Imports the kernel and the message types, never pool code. Result buffers are transferred, not
 * copied.
 */
const evaluators = new Map<string, RunBlockEvaluator>();

export default function evaluateBlock(task: WorkerTask): unknown {
  const key = JSON.stringify(task.setup);
  let ev = evaluators.get(key);
  if (!ev) {
    ev = new RunBlockEvaluator(task.setup);
    evaluators.set(key, ev);
  }
  const result: BlockResult = ev.evaluate(task.request, task.binning);
  if (!result.ok) return result;
  return move({ [transferableSymbol]: blockTransferList(result), [valueSymbol]: result } as unknown as Parameters<typeof move>[0]);
}
