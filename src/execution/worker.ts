import { move, transferableSymbol, valueSymbol } from 'piscina';
import { slotBuffers } from '../montecarlo/block-slots.js';
import type { BlockResult, BlockTask, CellsTask } from '../montecarlo/messages.js';
import { blockTransferList, cellsTransferList, RunBlockEvaluator } from '../montecarlo/run-block.js';
import type { RowEvaluator } from '../sweep/row-evaluator.js';
import type { SweepTask } from '../sweep/sweep-messages.js';

/**
 * The thread side of the pool (pool-evaluator.ts), the entry of every worker thread: the top of its
 * own stack, as cli/main.ts is of the main thread's. A task is a Monte Carlo block, a block of runs
 * kept at a few cells (backtest, calibrate) or a block of sweep rows; each thread instantiates an
 * image (a scenario's kernel, or a sweep) once, by id, and keeps it.
 * Imports the Monte Carlo evaluator and the message types — never pool code, nor the compiler or the
 * file loaders. The sweep's evaluator is imported on a thread's first sweep task: it generates
 * kernels (src/model/compile.ts, and the schema code that comes with it), which a Monte Carlo thread
 * need not load and keep (~5 MB of heap per thread). A block's statistics go to the shared slot the
 * task names (block-slots.ts), other result buffers are transferred, not copied; a failure of the
 * model (a run or a row gave NaN) comes back as data.
 */
export type WorkerTask = BlockTask | CellsTask | SweepTask;

const blocks = new Map<string, RunBlockEvaluator>();
const rows = new Map<string, RowEvaluator>();
let sweepModule: Promise<typeof import('../sweep/row-evaluator.js')> | undefined;

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
    const { request, binning, slot } = task;
    if (!slot) {
      const result: BlockResult = ev.evaluate(request, binning);
      return result.ok ? transferred(result, blockTransferList(result)) : result;
    }
    const { targets, horizon } = ev.image;
    const span = horizon.end - horizon.start + 1;
    const result = ev.evaluate(request, binning, slotBuffers(slot, binning, request.runCount, targets.length, span));
    return result.ok ? transferred(result, recordsTransferList(result)) : result;
  }
  return evaluateRows(task);
}

async function evaluateRows(task: SweepTask): Promise<unknown> {
  sweepModule ??= import('../sweep/row-evaluator.js');
  let ev = rows.get(task.image.id);
  if (!ev) {
    ev = new (await sweepModule).RowEvaluator(task.image);
    rows.set(task.image.id, ev);
  }
  const result = ev.evaluate(task.X, task.rows);
  return result.ok ? transferred(result, [result.Y.buffer as ArrayBuffer]) : result;
}

/** A block's buffers other than its statistics (which are in its shared slot): records and cells, if asked for. */
function recordsTransferList(r: BlockResult): ArrayBuffer[] {
  if (!r.ok) return [];
  return [
    ...(r.saved ? [r.saved.buffer as ArrayBuffer] : []),
    ...(r.cellValues ? [r.cellValues.buffer as ArrayBuffer] : []),
  ];
}

function transferred(value: object, buffers: readonly ArrayBuffer[]): unknown {
  return move({ [transferableSymbol]: buffers, [valueSymbol]: value } as unknown as Parameters<typeof move>[0]);
}
