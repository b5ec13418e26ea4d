/**
 * Full factorial grid over explicit factor levels.
 *
 * Row-count contract: rows = Π_i levels[i].length.
 * Row order: the last factor varies fastest (C / row-major order, like Python's itertools.product):
 * for levels [[a0, a1], [b0, b1, b2]] the rows are (a0,b0) (a0,b1) (a0,b2) (a1,b0) (a1,b1) (a1,b2).
 * Levels are factor values as the model receives them; `problem.toValue` is not applied.
 */
import { createMatrix, DesignError, type Matrix } from './matrix.js';
import { checkOutputs, checkSameFactors, factorCount, type Outputs, type Problem, type RowCount } from './problem.js';

/** Designs larger than this are refused rather than allocated. */
export const MAX_GRID_ROWS = 10_000_000;

export interface GridSampleOptions {
  /** levels[i]: the values of factor i, in the order they should appear. */
  readonly levels: readonly (readonly number[])[];
}

export interface GridDesign {
  readonly method: 'grid';
  readonly names: readonly string[];
  readonly levels: readonly (readonly number[])[];
  readonly rows: number;
  /** The row-count contract in words, e.g. `Π levels = 3×4`. */
  readonly contract: string;
  /** Factor values, rows × D. */
  readonly X: Matrix;
}

export interface GridResult {
  readonly names: readonly string[];
  readonly levels: readonly (readonly number[])[];
  readonly X: Matrix;
  readonly Y: Float64Array;
}

/** Two-factor results shaped as a table: `values` row i / column j is Y at (rowLevels[i], colLevels[j]). */
export interface GridTable {
  readonly rowFactor: string;
  readonly colFactor: string;
  readonly rowLevels: readonly number[];
  readonly colLevels: readonly number[];
  readonly values: Matrix;
}

/** Rows of a full factorial with these numbers of levels per factor. */
export function rowCount(levelCounts: readonly number[]): RowCount {
  return { rows: levelCounts.reduce((p, n) => p * n, 1), contract: `Π levels = ${levelCounts.join('×')}` };
}

function gridContract(levels: readonly (readonly number[])[]): string {
  return rowCount(levels.map((l) => l.length)).contract;
}

export function sample(problem: Problem, options: GridSampleOptions): GridDesign {
  const D = factorCount(problem);
  const levelsIn = options.levels;
  if (!Array.isArray(levelsIn) || levelsIn.length === 0) {
    throw new DesignError('levels', `must give a list of levels for each of the ${D} factors (got none)`);
  }
  if (levelsIn.length !== D) {
    throw new DesignError('levels', `expected one list of levels per factor (${D}), got ${levelsIn.length}`);
  }
  let rows = 1;
  const levels: number[][] = [];
  for (let i = 0; i < D; i++) {
    const l = levelsIn[i];
    const name = problem.names[i]!;
    if (!Array.isArray(l) || l.length === 0) throw new DesignError('levels', `factor "${name}" has no levels`);
    for (const v of l) {
      if (typeof v !== 'number' || !Number.isFinite(v))
        throw new DesignError('levels', `factor "${name}" has a level that is not a finite number (${String(v)})`);
    }
    levels.push([...l]);
    rows *= l.length;
  }
  const contract = gridContract(levels);
  if (rows > MAX_GRID_ROWS) {
    throw new DesignError(
      'levels',
      `the full factorial has ${rows} rows (${contract}), more than the limit of ${MAX_GRID_ROWS}`,
    );
  }
  const X = createMatrix(rows, D);
  // Mixed-radix counter, last digit fastest.
  const digit = new Array<number>(D).fill(0);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < D; c++) X.data[r * D + c] = levels[c]![digit[c]!]!;
    for (let c = D - 1; c >= 0; c--) {
      const next = digit[c]! + 1;
      if (next < levels[c]!.length) {
        digit[c] = next;
        break;
      }
      digit[c] = 0;
    }
  }
  return { method: 'grid', names: [...problem.names], levels, rows, contract, X };
}

/** Nothing to estimate: checks the outputs against the design and returns both together. */
export function analyze(problem: Problem, design: GridDesign, Y: Outputs): GridResult {
  factorCount(problem);
  checkSameFactors(problem, design.names);
  const expected = design.levels.reduce((p, l) => p * l.length, 1);
  const y = checkOutputs(Y, expected, gridContract(design.levels));
  return { names: [...problem.names], levels: design.levels, X: design.X, Y: y };
}

/** For a two-factor grid: the outputs as a table, rows = levels of factor 0, columns = levels of factor 1. */
export function table(problem: Problem, design: GridDesign, Y: Outputs): GridTable {
  const result = analyze(problem, design, Y);
  if (result.names.length !== 2) {
    throw new DesignError('levels', `a table needs exactly 2 factors, the grid has ${result.names.length}`);
  }
  const rowLevels = result.levels[0]!;
  const colLevels = result.levels[1]!;
  // Last factor fastest, so Y is already the row-major table.
  const values: Matrix = { rows: rowLevels.length, cols: colLevels.length, data: Float64Array.from(result.Y) };
  return {
    rowFactor: result.names[0]!,
    colFactor: result.names[1]!,
    rowLevels: [...rowLevels],
    colLevels: [...colLevels],
    values,
  };
}
