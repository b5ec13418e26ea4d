import { move, transferableSymbol, valueSymbol } from 'piscina';
import type { BlockResult, WorkerTask } from './messages.js';
import { blockTransferList, RunBlockEvaluator } from './run-block.js';

/**
 * The thread side of the pool: instantiates the scenario's kernel image once per thread, then
 * evaluates blocks of runs. Imports the kernel and the message types — never pool code, nor the
 * compiler or the file loaders. Result buffers are transferred, not copied.
 */
const evaluators = new Map<string, RunBlockEvaluator>();

export default function evaluateBlock(task: WorkerTask): unknown {
  let ev = evaluators.get(task.image.id);
  if (!ev) {
    ev = new RunBlockEvaluator(task.image);
    evaluators.set(task.image.id, ev);
  }
  const result: BlockResult = ev.evaluate(task.request, task.binning);
  if (!result.ok) return result;
  return move({ [transferableSymbol]: blockTransferList(result), [valueSymbol]: result } as unknown as Parameters<
    typeof move
  >[0]);
}
