/**
 * One error type for user mistakes, rendered in one place.
 *
 * Everything a user can get wrong (a scenario, a model file, a sweep file, a CLI flag) is reported as
 * one or more Diagnostics; they are collected, not thrown one at a time, so a file with five mistakes
 * shows five lines. A UserError leads to exit code 2 and never prints a stack trace.
 */

import { escapeControl } from './terminal-text.js';

export interface SourceLocation {
  readonly file: string;
  /** 1-based; absent when the problem has no single place in the file (for example a missing key). */
  readonly line?: number;
  readonly column?: number;
}

export interface Diagnostic {
  readonly location?: SourceLocation;
  /** Dotted path of the field, e.g. `levers.ftz.from`; empty for whole-file problems. */
  readonly path: string;
  readonly message: string;
  /** "did you mean ..." or another short hint. */
  readonly hint?: string;
}

export class UserError extends Error {
  readonly diagnostics: readonly Diagnostic[];
  constructor(diagnostics: readonly Diagnostic[] | Diagnostic) {
    const list = Array.isArray(diagnostics) ? diagnostics : [diagnostics as Diagnostic];
    super(renderDiagnostics(list).slice(0, -1));
    this.name = 'UserError';
    this.diagnostics = list;
  }
}

/**
 * A failure while running — the input was valid but the model or the machine failed (an equation gave
 * NaN, a disk is full): exit code 1 in every command. `diagnostics` locate it when it has a place (the
 * failing equation in its model file); they are printed instead of the message.
 */
export class RunError extends Error {
  readonly diagnostics: readonly Diagnostic[];
  constructor(message: string, diagnostics: readonly Diagnostic[] = []) {
    super(message);
    this.name = 'RunError';
    this.diagnostics = diagnostics;
  }
}

/** At most this many problems are printed for one failure; the rest are counted. */
export const MAX_DIAGNOSTICS_SHOWN = 50;

/**
 * The lines printed for a list of problems: the first MAX_DIAGNOSTICS_SHOWN, each behind `prefix`,
 * then "... and K more problems". A file with 200,000 unknown keys stays readable (and fast).
 */
export function renderDiagnostics(list: readonly Diagnostic[], prefix = ''): string {
  let out = '';
  const shown = Math.min(list.length, MAX_DIAGNOSTICS_SHOWN);
  for (let i = 0; i < shown; i++) out += `${prefix}${formatDiagnostic(list[i]!)}\n`;
  const rest = list.length - shown;
  if (rest > 0) out += `${prefix}... and ${rest.toLocaleString('en-US')} more problem${rest === 1 ? '' : 's'}\n`;
  return out;
}

/** One problem on one line. Text from files is shown with its control characters escaped. */
export function formatDiagnostic(d: Diagnostic): string {
  let where = '';
  if (d.location) {
    where = d.location.file;
    if (d.location.line !== undefined) {
      where += `:${d.location.line}`;
      if (d.location.column !== undefined) where += `:${d.location.column}`;
    }
    where += ': ';
  }
  const field = d.path ? `${d.path}: ` : '';
  const hint = d.hint ? ` (${d.hint})` : '';
  return escapeControl(`${where}${field}${d.message}${hint}`);
}

/**
 * Stable ordering so that the same file always gives the same report: by file (in the order the files
 * first appear: a scenario before the uncertainties file it includes), then by line and column, so
 * that the problems of two files are not interleaved; problems with no file come last.
 */
export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  const fileOrder = new Map<string, number>();
  for (const d of list) {
    const f = d.location?.file;
    if (f !== undefined && !fileOrder.has(f)) fileOrder.set(f, fileOrder.size);
  }
  const fileRank = (d: Diagnostic): number => (d.location ? fileOrder.get(d.location.file)! : Number.MAX_SAFE_INTEGER);
  return [...list].sort((a, b) => {
    const fa = fileRank(a);
    const fb = fileRank(b);
    if (fa !== fb) return fa - fb;
    const la = a.location?.line ?? Number.MAX_SAFE_INTEGER;
    const lb = b.location?.line ?? Number.MAX_SAFE_INTEGER;
    if (la !== lb) return la - lb;
    const ca = a.location?.column ?? 0;
    const cb = b.location?.column ?? 0;
    if (ca !== cb) return ca - cb;
    return a.path.localeCompare(b.path);
  });
}

/**
 * Run independent checks and report the problems of all of them at once (one UserError): each runs even
 * when one before it failed. When none fails, their values, in order (flag parsers return what they parsed).
 */
export function checkAll<T extends unknown[]>(...checks: { [K in keyof T]: () => T[K] }): T {
  const problems: Diagnostic[] = [];
  const values = checks.map((check) => {
    try {
      return check();
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      for (const d of e.diagnostics) problems.push(d);
      return undefined;
    }
  });
  if (problems.length > 0) throw new UserError(problems);
  return values as T;
}
