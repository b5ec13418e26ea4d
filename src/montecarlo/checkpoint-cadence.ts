/**
 * When the next checkpoint is due, so that checkpoints cost at most CHECKPOINT_SHARE of the run time
 * by construction: after a checkpoint that took d ms, the next one waits at least
 * max(everyMs, (1/CHECKPOINT_SHARE − 1)·d), i.e. 49·d for 2%. A slow disk or a large state then
 * means fewer checkpoints, never a slower run. The first checkpoint waits `everyMs` (nothing is known
 * of its cost yet). Only *when* checkpoints are taken depends on the clock: they are taken between
 * merged blocks, and the state written is the exact merged state, so results never depend on it.
 */
export const CHECKPOINT_SHARE = 0.02;

/** The wait after a checkpoint, as a multiple of its duration: 49 for 2%. */
export const WAIT_PER_CHECKPOINT_MS = 1 / CHECKPOINT_SHARE - 1;

export class CheckpointCadence {
  private last: number;
  private waitMs: number;

  constructor(
    private readonly everyMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.last = now();
    this.waitMs = everyMs;
  }

  /** Whether a checkpoint is due now. */
  due(): boolean {
    return this.now() - this.last >= this.waitMs;
  }

  /** Write a checkpoint with `write`, timing it, and set when the next is due. */
  take(write: () => void): void {
    const start = this.now();
    write();
    const end = this.now();
    this.last = end;
    this.waitMs = Math.max(this.everyMs, WAIT_PER_CHECKPOINT_MS * (end - start));
  }

  /** The wait before the next checkpoint (ms), for tests and the bench. */
  get nextWaitMs(): number {
    return this.waitMs;
  }
}
