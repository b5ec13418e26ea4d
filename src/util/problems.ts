import { type Diagnostic, type SourceLocation, sortDiagnostics, UserError } from './diagnostics.js';
import type { PathKey } from './yaml-source.js';

/**
 * The one path format of every message: keys dotted, list indices in brackets
 * (`uncertainties.parameters.d.weights[1]`, `levers.ftz[0].from`, `correlation.matrix[0][1]`).
 */
export function pathString(path: readonly PathKey[]): string {
  let s = '';
  for (const k of path) s += typeof k === 'number' ? `[${k}]` : s === '' ? k : `.${k}`;
  return s;
}

/** `rel`, a path in the one format relative to `base` (as a check of a section reports it), from the file's root. */
export function prefixPath(base: readonly PathKey[], rel: string): string {
  const head = pathString(base);
  if (head === '' || rel === '') return head + rel;
  return rel.startsWith('[') ? head + rel : `${head}.${rel}`;
}

/** Where the values of a file are: a YAML file (src/util/yaml-source.ts) or a model file's locator. */
export interface Locator {
  readonly file: string;
  /** The value at `path`; undefined (or the file alone) when it has no place. */
  locate(path: readonly PathKey[]): SourceLocation | undefined;
  /** The key of `path` (where an unknown or duplicate name is best shown); the value's place if absent. */
  locateKey?(path: readonly PathKey[]): SourceLocation | undefined;
}

/**
 * The one collector of user mistakes: each problem located in its file (at the value of its path,
 * or at the key), its path in the one format above, all of them kept so the user sees every problem
 * at once. A loader makes one, hands views of it (`within`, `inFile`) to the checks of a part of its file or of
 * a file it includes, and throws them together (`throwIfAny`).
 */
export class Problems {
  constructor(
    private readonly src: Locator,
    /** Paths given to this view are relative to `base` (a section of the file). */
    private readonly base: readonly PathKey[] = [],
    readonly diagnostics: Diagnostic[] = [],
  ) {}

  /** A view writing into the same list, for the part of this file under `base` (relative to this view's). */
  within(base: readonly PathKey[]): Problems {
    return new Problems(this.src, [...this.base, ...base], this.diagnostics);
  }

  /** A view writing into the same list, for another file (an included one), under `base` there. */
  inFile(src: Locator, base: readonly PathKey[] = []): Problems {
    return new Problems(src, base, this.diagnostics);
  }

  /** A problem with the value at `path`. */
  at(path: readonly PathKey[], message: string, hint?: string): void {
    const full = [...this.base, ...path];
    this.push(this.src.locate(full), full, message, hint);
  }

  /** A problem with the name at `path` (an unknown key, a name set twice): shown at the key. */
  atKey(path: readonly PathKey[], message: string, hint?: string): void {
    const full = [...this.base, ...path];
    this.push((this.src.locateKey ?? this.src.locate)(full), full, message, hint);
  }

  /** A problem placed by the caller (a line and column of a CSV file), at the field `path`. */
  atLocation(location: SourceLocation, path: readonly PathKey[], message: string, hint?: string): void {
    this.push(location, [...this.base, ...path], message, hint);
  }

  /** Problems found by another check (a schema check, an included file's loader). */
  add(list: readonly Diagnostic[]): void {
    // Not push(...list): a file with 200,000 unknown keys gives as many diagnostics.
    for (const d of list) this.diagnostics.push(d);
  }

  get count(): number {
    return this.diagnostics.length;
  }

  /** Every problem so far, in file order, as one UserError. */
  throwIfAny(): void {
    if (this.diagnostics.length > 0) throw new UserError(sortDiagnostics(this.diagnostics));
  }

  private push(
    location: SourceLocation | undefined,
    path: readonly PathKey[],
    message: string,
    hint: string | undefined,
  ): void {
    this.diagnostics.push({
      location: location ?? { file: this.src.file },
      path: pathString(path),
      message,
      ...(hint ? { hint } : {}),
    });
  }
}
