import { type Diagnostic, UserError } from '../util/diagnostics.js';
import {
  NUMBER_FLAGS,
  type NumberFlagName,
  numberFlags,
  WHOLE_FLAGS,
  type WholeFlagName,
  wholeFlags,
} from './options.js';

/** What yargs knows of a command's options (`getOptions()` of the instance a middleware receives). */
export interface DeclaredOptions {
  readonly array: readonly string[];
  readonly boolean: readonly string[];
}

const isWhole = (name: string): name is WholeFlagName => Object.hasOwn(WHOLE_FLAGS, name);
const isNumber = (name: string): name is NumberFlagName => (NUMBER_FLAGS as readonly string[]).includes(name);

/**
 * Flags typed without their value, and single-valued flags typed twice (a usage error). yargs turns
 * `--out` at the end of the line (or before another flag, or `--out=`) into '', an array flag
 * (`--fit`, `--regions`) into [] or drops its last occurrence, and a number flag (`--precision`) into
 * nothing at all: each command would then take the flag as not given and silently use its default.
 * The tokens as typed tell what was meant.
 *
 * Whole-number and number flags are left to `wholeFlags` and `numberFlags` (options.ts), which each
 * command calls with its own flags and which say what value is expected; when another flag is at fault
 * they are parsed here too, so that every bad flag is reported at once, in the order typed.
 */
export function checkFlagValues(tokens: readonly string[], declared: DeclaredOptions, parsed: object): void {
  const problems: Diagnostic[] = [];
  const seen = new Map<string, number>();
  const isBoolean = (name: string): boolean =>
    declared.boolean.includes(name) || (name.startsWith('no-') && declared.boolean.includes(name.slice(3)));
  const typed: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t === '--') break;
    if (!t.startsWith('--') || t.length === 2) continue;
    const eq = t.indexOf('=');
    const name = eq < 0 ? t.slice(2) : t.slice(2, eq);
    if (!typed.includes(name)) typed.push(name);
    if (name === 'help' || isBoolean(name) || isWhole(name) || isNumber(name)) continue;
    seen.set(name, (seen.get(name) ?? 0) + 1);
    const next = tokens[i + 1];
    // A value is the text after '=', or the next token unless it is another flag (`-1` is a value).
    const missing = eq >= 0 ? t.slice(eq + 1).trim() === '' : next === undefined || /^--?[a-zA-Z]/.test(next);
    if (missing && !problems.some((p) => p.path === `--${name}`))
      problems.push({ path: `--${name}`, message: 'needs a value' });
  }
  for (const [name, n] of seen)
    if (n > 1 && !declared.array.includes(name))
      problems.push({ path: `--${name}`, message: `given ${n} times; give it once` });
  if (problems.length === 0) return;

  const args = parsed as Record<string, unknown>;
  const collect = (parse: () => unknown): void => {
    try {
      parse();
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      for (const d of e.diagnostics) problems.push(d);
    }
  };
  const arrays = (n: string): boolean => declared.array.includes(n);
  collect(() =>
    wholeFlags(
      args,
      typed.filter(isWhole).filter((n) => !arrays(n)),
      typed.filter(isWhole).filter(arrays),
    ),
  );
  collect(() => numberFlags(args, typed.filter(isNumber)));
  const at = (d: Diagnostic): number => typed.indexOf(d.path.slice(2));
  throw new UserError(
    problems
      .map((d, i) => ({ d, i }))
      .sort((x, y) => at(x.d) - at(y.d) || x.i - y.i)
      .map((x) => x.d),
  );
}
