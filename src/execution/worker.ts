import { move, transferableSymbol, valueSymbol } from 'piscina';
import type { BlockResult, BlockTask, CellsTask } from '../montecarlo/messages.js';
import { blockTransferList, cellsTransferList, RunBlockEvaluator } from '../montecarlo/run-block.js';
import { RowEvaluator } from '../sweep/row-evaluator.js';
import type { SweepTask } from '../sweep/sweep-messages.js';

/**
 * The thread side of the pool (pool-evaluator.ts), the entry of every worker thread: the top of its
 * own stack, as cli/main.ts is of the main thread's. A task is a Monte Carlo block, a block of runs
 * kept at a few cells (backtest, calibrate) or a block of sweep rows; each thread instantiates an
 * image (a scenario's kernel, or a sweep) once, by id, and keeps it.
 * Imports the two evaluators and the message types — never pool code, nor the compiler or the file
 * loaders. Result buffers are transferred, not copied; a failure of the model (a run or a row gave
 * NaN) comes back as data.
 */
export type WorkerTask = BlockTask | CellsTask | SweepTask;

const blocks = new Map<string, RunBlockEvaluator>();
const rows = new Map<string, RowEvaluator>();

export default function evaluateTask(task: WorkerTask): unknown {
  if (task.kind === 'mc-block' || task.kind === 'mc-cells') {
    let ev = blocks.get(task.image.id);
    if (!ev) {
      ev = new RunBlockEvaluator(task.image);
      blocks.set(task.image.id, ev);
    }
    if (task.kind === 'mc-cells') {
      const kept = ev.keepCells(task.request);
      return kept.ok ? transferred(kept, cellsTransferList(kept)) : kept;
    }
    const result: BlockResult = ev.evaluate(task.request, task.binning);
    return result.ok ? transferred(result, blockTransferList(result)) : result;
  }
  let ev = rows.get(task.image.id);
  if (!ev) {
    ev = new RowEvaluator(task.image);
    rows.set(task.image.id, ev);
  }
  const result = ev.evaluate(task.X, task.rows);
  return result.ok ? transferred(result, [result.Y.buffer as ArrayBuffer]) : result;
}

function transferred(value: object, buffers: readonly ArrayBuffer[]): unknown {
  return move({ [transferableSymbol]: buffers, [valueSymbol]: value } as unknown as Parameters<typeof move>[0]);
}
