/** What crosses the thread boundary for a sweep. */
export interface SweepTask {
  /** The worker reloads the sweep from its file (and compiles it once per thread). */
  readonly sweepFile: string;
  /** Rows × factors, row-major. */
  readonly X: Float64Array;
  readonly rows: number;
}
