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
  if (!Number.isSafeInteger(rows) || rows < 0) throw new DesignError('rows', `must be a whole number >= 0 (got ${rows})`);
  if (!Number.isSafeInteger(cols) || cols < 0) throw new DesignError('cols', `must be a whole number >= 0 (got ${cols})`);
  return { rows, cols, data: new Float64Array(rows * cols) };
}

/** Builds a matrix from nested arrays; every row must have the same length. */
export function matrixFromRows(rowsIn: readonly (readonly number[])[]): Matrix {
  const rows = rowsIn.length;
  const cols = rows === 0 ? 0 : (rowsIn[0] ?? []).length;
  const m = createMatrix(rows, cols);
  for (let r = 0; r < rows; r++) {
    const row = rowsIn[r] ?? [];
    if (row.length !== cols) throw new DesignError('rows', `row ${r} has ${row.length} values, expected ${cols}`);
    m.data.set(row, r * cols);
  }
  return m;
}

/** Nested plain arrays (e.g. for JSON). */
export function matrixToRows(m: Matrix): number[][] {
  const out: number[][] = [];
  for (let r = 0; r < m.rows; r++) out.push(Array.from(m.data.subarray(r * m.cols, (r + 1) * m.cols)));
  return out;
}

function checkIndex(m: Matrix, r: number, c: number): void {
  if (!Number.isInteger(r) || r < 0 || r >= m.rows) throw new RangeError(`row ${r} out of range [0, ${m.rows})`);
  if (!Number.isInteger(c) || c < 0 || c >= m.cols) throw new RangeError(`column ${c} out of range [0, ${m.cols})`);
}

/** Element (r, c), bounds-checked. */
export function getValue(m: Matrix, r: number, c: number): number {
  checkIndex(m, r, c);
  return m.data[r * m.cols + c]!;
}

/** Sets element (r, c), bounds-checked. */
export function setValue(m: Matrix, r: number, c: number, value: number): void {
  checkIndex(m, r, c);
  m.data[r * m.cols + c] = value;
}

/** Row r as a view into the matrix (writes go through to the matrix). */
export function getRow(m: Matrix, r: number): Float64Array {
  checkIndex(m, r, 0);
  return m.data.subarray(r * m.cols, (r + 1) * m.cols);
}

/** Column c as a fresh array. */
export function getColumn(m: Matrix, c: number): Float64Array {
  checkIndex(m, 0, c);
  const out = new Float64Array(m.rows);
  for (let r = 0; r < m.rows; r++) out[r] = m.data[r * m.cols + c]!;
  return out;
}
