/**
 * The small dense matrix every design in src/sweep/design/ produces, and the one error type they throw.
 *
 * A Matrix is row-major: element (r, c) lives at `data[r * cols + c]`. Rows are design points (model
 * runs), columns are factors in the order of `problem.names`.
 */

/**
 * A bad design parameter or a design/output mismatch. The message always starts with the parameter
 * name (`samples: must be a positive integer (got 0)`); `param` carries that name on its own so a
 * caller can map it back to a location in a scenario or sweep file.
 */
export class DesignError extends Error {
  override readonly name = 'DesignError';
  /** The offending parameter: `samples`, `trajectories`, `levels`, `outputs`, `names`, ... */
  readonly param: string;

  constructor(param: string, detail: string) {
    super(`${param}: ${detail}`);
    this.param = param;
  }
}

export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  /** Row-major values, length rows × cols. */
  readonly data: Float64Array;
}

/** A rows × cols matrix of zeros. */
export function createMatrix(rows: number, cols: number): Matrix {
  if (!Number.isSafeInteger(rows) || rows < 0)
    throw new DesignError('rows', `must be a whole number >= 0 (got ${rows})`);
  if (!Number.isSafeInteger(cols) || cols < 0)
    throw new DesignError('cols', `must be a whole number >= 0 (got ${cols})`);
  return { rows, cols, data: new Float64Array(rows * cols) };
}

/** Nested plain arrays (e.g. for JSON). */
export function matrixToRows(m: Matrix): number[][] {
  const out: number[][] = [];
  for (let r = 0; r < m.rows; r++) out.push(Array.from(m.data.subarray(r * m.cols, (r + 1) * m.cols)));
  return out;
}
