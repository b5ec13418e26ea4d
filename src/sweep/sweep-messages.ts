import type { SweepImage } from './row-evaluator.js';

/** What crosses the thread boundary for a sweep. */
export interface SweepTask {
  readonly kind: 'sweep-rows';
  /** The sweep as data; a worker instantiates it once (cached by id) and keeps it. */
  readonly image: SweepImage;
  /** Rows × factors, row-major. */
  readonly X: Float64Array;
  readonly rows: number;
}
