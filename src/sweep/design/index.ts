/**
 * Sensitivity designs, SALib style: one module per method, each with `sample(problem, options)` →
 * design and `analyze(problem, design, Y, options?)` → plain arrays. Designs live in the unit
 * hypercube (grid and OAT take explicit values); `problem.toValue` maps to factor values.
 *
 *   grid    full factorial over explicit levels          rows = Π levels
 *   oat     one-at-a-time tornado                         rows = 1 + 2D
 *   lhs     Latin hypercube                               rows = n
 *   morris  Morris elementary effects                     rows = r·(D+1)
 *   sobol   Saltelli design, Sobol' indices S1/ST/S2     rows = N·(2D+2), or N·(D+2) without S2
 */
import * as grid from './grid.js';
import * as lhs from './lhs.js';
import * as morris from './morris.js';
import * as oat from './oat.js';
import * as sobol from './sobol.js';

export type { GridDesign, GridResult, GridSampleOptions, GridTable } from './grid.js';
export type { LhsDesign, LhsResult, LhsSampleOptions } from './lhs.js';
export {
  createMatrix,
  DesignError,
  type Matrix,
  matrixToRows,
} from './matrix.js';
export type { MorrisAnalyzeOptions, MorrisDesign, MorrisResult, MorrisSampleOptions } from './morris.js';
export type { OatDesign, OatResult, OatSampleOptions } from './oat.js';
export type { Outputs, Problem } from './problem.js';
export type { SobolAnalyzeOptions, SobolDesign, SobolResult, SobolSampleOptions } from './sobol.js';
export { SOBOL_MAX_POINTS } from './sobol-sequence.js';
export type { BootstrapSummary } from './stats.js';
export { grid, lhs, morris, oat, sobol };
