import * as z from 'zod';
import type { Diagnostic } from './diagnostics.js';
import { pathString } from './problems.js';
import { closest, didYouMean, suggestValue } from './suggest.js';
import type { PathKey, YamlSource } from './yaml-source.js';

/**
 * Check parsed YAML against a zod schema and turn every issue into a located Diagnostic with a
 * message written for the person who wrote the file.
 */
export function checkSchema<S extends z.ZodType>(
  schema: S,
  source: YamlSource,
): { value: z.infer<S> | undefined; diagnostics: Diagnostic[] } {
  const parsed = schema.safeParse(source.data);
  if (parsed.success) return { value: parsed.data, diagnostics: [] };
  const diagnostics: Diagnostic[] = [];
  // Not push(...list): one issue may carry 200,000 unknown keys, too many arguments for a call.
  for (const issue of parsed.error.issues)
    for (const d of issueToDiagnostics(issue, schema, source)) diagnostics.push(d);
  return { value: undefined, diagnostics };
}

/** The one path format (src/util/problems.ts), here too for the loaders that import it with checkSchema. */
export { pathString };

function issueToDiagnostics(issue: z.core.$ZodIssue, schema: z.ZodType, source: YamlSource): Diagnostic[] {
  const path = issue.path.filter((k): k is PathKey => typeof k === 'string' || typeof k === 'number');
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = keysAt(schema, path);
      return issue.keys.map((key) => {
        if (known.includes(key)) {
          // Known to another form of a union (a lever's `path` beside `value`): the mix is the mistake.
          return {
            location: source.locateKey([...path, key]),
            path: pathString([...path, key]),
            message: `'${key}' belongs to another form of this setting and cannot be combined with the other keys given here`,
          };
        }
        const hint = didYouMean(key, known);
        return {
          location: source.locateKey([...path, key]),
          path: pathString([...path, key]),
          message: `unknown key '${key}'${known.length ? `; expected one of: ${known.join(', ')}` : ''}`,
          ...(hint ? { hint } : {}),
        };
      });
    }
    case 'invalid_type': {
      const actual = valueAt(source.data, path);
      if (actual === undefined) {
        return [
          {
            location: source.locate(path),
            path: pathString(path),
            message: `missing required field (expected ${describeExpected(issue.expected)})`,
          },
        ];
      }
      return [
        {
          location: source.locate(path),
          path: pathString(path),
          message: `expected ${describeExpected(issue.expected)}, got ${describeValue(actual)}`,
        },
      ];
    }
    case 'invalid_union': {
      const actual = valueAt(source.data, path);
      // A discriminated union (a distribution's `dist:`) lists the values its discriminator takes.
      const options = (issue as { options?: unknown[] }).options;
      if (Array.isArray(options) && options.length > 0 && issue.errors.length === 0) {
        const known = options.map(String);
        if (actual === undefined)
          return [
            {
              location: source.locate(path),
              path: pathString(path),
              message: `missing required field (expected one of ${known.join(', ')})`,
            },
          ];
        const hint = typeof actual === 'string' ? suggestValue(actual, known) : undefined;
        return [
          {
            location: source.locate(path),
            path: pathString(path),
            message: `expected one of ${known.join(', ')}, got ${describeValue(actual)}`,
            ...(hint ? { hint } : {}),
          },
        ];
      }
      if (actual === undefined)
        return [{ location: source.locate(path), path: pathString(path), message: 'missing required field' }];
      // For a mapping, report the problems of the object form it comes closest to (e.g. a lever
      // setting with a misspelt key), rather than "does not match any form".
      const branch = closestBranch(issue.errors, actual);
      if (branch)
        return branch.flatMap((sub) =>
          issueToDiagnostics({ ...sub, path: [...path, ...sub.path] } as z.core.$ZodIssue, schema, source),
        );
      return [
        {
          location: source.locate(path),
          path: pathString(path),
          message:
            issue.message && !issue.message.startsWith('Invalid input')
              ? issue.message
              : `unexpected value ${describeValue(actual)}`,
        },
      ];
    }
    case 'invalid_value': {
      const actual = valueAt(source.data, path);
      const options = issue.values.map((v) => String(v));
      const hint = typeof actual === 'string' ? suggestValue(actual, options) : undefined;
      return [
        {
          location: source.locate(path),
          path: pathString(path),
          message: `expected one of ${options.join(', ')}, got ${describeValue(actual)}`,
          ...(hint ? { hint } : {}),
        },
      ];
    }
    case 'too_small':
    case 'too_big': {
      const actual = valueAt(source.data, path);
      const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum;
      const what = issue.origin === 'array' ? 'entries' : issue.origin === 'string' ? 'characters' : '';
      const rel =
        issue.code === 'too_small' ? (issue.inclusive ? 'at least' : 'above') : issue.inclusive ? 'at most' : 'below';
      const got = issue.origin === 'array' && Array.isArray(actual) ? `${actual.length}` : describeValue(actual);
      return [
        {
          location: source.locate(path),
          path: pathString(path),
          message: `must be ${rel} ${String(bound)}${what ? ` ${what}` : ''} (got ${got})`,
        },
      ];
    }
    default:
      return [{ location: source.locate(path), path: pathString(path), message: issue.message }];
  }
}

/**
 * Among the branches of a union, the one a mapping or list was most likely meant as: a branch that
 * failed only inside it (not on its type), with the fewest problems. Undefined when none fits.
 */
function closestBranch(
  branches: readonly (readonly z.core.$ZodIssue[])[],
  actual: unknown,
): readonly z.core.$ZodIssue[] | undefined {
  if (actual === null || typeof actual !== 'object') return undefined;
  // A list fits only a list form: its problems are all inside the list (`levers.ftz[1].from`).
  const misfit = Array.isArray(actual)
    ? (i: z.core.$ZodIssue) => i.path.length === 0
    : (i: z.core.$ZodIssue) => i.path.length === 0 && i.code === 'invalid_type';
  let best: readonly z.core.$ZodIssue[] | undefined;
  for (const b of branches) {
    if (b.length === 0 || b.some(misfit)) continue;
    if (!best || b.length < best.length) best = b;
  }
  return best;
}

function describeExpected(expected: string): string {
  if (expected === 'record' || expected === 'object') return 'a mapping';
  if (expected === 'array' || expected === 'tuple') return 'a list';
  if (expected === 'int') return 'a whole number';
  return `a ${expected}`;
}

export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  if (typeof v === 'string') return `the string ${JSON.stringify(v)}`;
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return `${typeof v} ${String(v)}`;
}

export function valueAt(data: unknown, path: readonly PathKey[]): unknown {
  let cur: unknown = data;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    if (!Object.hasOwn(cur, k)) return undefined;
    cur = (cur as Record<string | number, unknown>)[k];
  }
  return cur;
}

/**
 * The keys an object schema accepts at `path`, found by walking the schema itself. Unions are
 * followed into every branch (a lever setting is a union of a number, two object forms and a list
 * of them), and the keys of all object branches that fit are offered.
 */
function keysAt(schema: z.ZodType, path: readonly PathKey[]): string[] {
  let current: z.ZodType[] = expand(schema);
  for (const k of path) {
    const next: z.ZodType[] = [];
    for (const s of current) {
      if (s instanceof z.ZodObject) {
        const child = (s.shape as Record<string, z.ZodType>)[String(k)];
        if (child) next.push(...expand(child));
      } else if (s instanceof z.ZodRecord) next.push(...expand(s._zod.def.valueType as z.ZodType));
      else if (s instanceof z.ZodArray && typeof k === 'number') next.push(...expand(s.element as z.ZodType));
    }
    current = next;
  }
  const keys = new Set<string>();
  for (const s of current)
    if (s instanceof z.ZodObject) for (const key of Object.keys(s.shape as object)) keys.add(key);
  return [...keys];
}

/** A schema with wrappers removed and unions flattened into their branches. */
function expand(s: z.ZodType | undefined): z.ZodType[] {
  const u = unwrap(s);
  if (!u) return [];
  if (u instanceof z.ZodUnion) return (u.options as z.ZodType[]).flatMap(expand);
  return [u];
}

function unwrap(s: z.ZodType | undefined): z.ZodType | undefined {
  let cur = s;
  while (cur instanceof z.ZodOptional || cur instanceof z.ZodDefault || cur instanceof z.ZodNullable) {
    cur = cur._zod.def.innerType as z.ZodType;
  }
  return cur;
}

/**
 * The well-formed part of data that failed its schema, so that the checks of meaning can run on every
 * part that is well-formed and all problems are reported together (the schema problems themselves
 * come from checkSchema). Unknown keys are dropped; an entry of a mapping or a list (a lever setting,
 * a target) that does not fit is left out — of a top-level list, left as a hole (`undefined`) so the
 * other entries keep their index; an object inside an entry fails as a whole when a field it has does
 * not fit. Top-level fields that do not fit are listed in `failed` and take their defaults (or stay
 * missing): checks that depend on them must be skipped.
 */
export function salvage<S extends z.ZodType>(schema: S, data: unknown): { value: z.infer<S>; failed: Set<string> } {
  const failed = new Set<string>();
  const top = unwrap(schema);
  const out: Record<string, unknown> = {};
  if (!(top instanceof z.ZodObject) || !isPlainObject(data)) return { value: out as z.infer<S>, failed };
  const shape = top.shape as Record<string, z.ZodType>;
  // A field written under a misspelt key (`sample:` for `samples:`) is given, not missing: its absence
  // is the unknown key already reported, not a second problem.
  for (const key of Object.keys(data)) {
    if (Object.hasOwn(shape, key)) continue;
    const meant = closest(key, Object.keys(shape));
    if (meant !== undefined && !Object.hasOwn(data, meant)) failed.add(meant);
  }
  for (const [key, child] of Object.entries(shape)) {
    const got = Object.hasOwn(data, key) ? salvagePart(child, data[key], true) : undefined;
    if (got?.ok) {
      out[key] = got.value;
      continue;
    }
    if (got) failed.add(key);
    const fallback = child.safeParse(undefined);
    if (fallback.success && fallback.data !== undefined) out[key] = fallback.data;
    else if (!fallback.success) failed.add(key);
  }
  return { value: out as z.infer<S>, failed };
}

type Part = { ok: true; value: unknown } | { ok: false };

function salvagePart(schema: z.ZodType, data: unknown, topField: boolean): Part {
  const whole = schema.safeParse(data);
  if (whole.success) return { ok: true, value: whole.data };
  const u = unwrap(schema);
  if (u instanceof z.ZodObject && isPlainObject(data)) {
    // Unknown keys dropped; any field given that does not fit fails the object.
    const known: Record<string, unknown> = {};
    for (const key of Object.keys(u.shape as object)) if (Object.hasOwn(data, key)) known[key] = data[key];
    const r = u.safeParse(known);
    return r.success ? { ok: true, value: r.data } : { ok: false };
  }
  if (u instanceof z.ZodRecord && isPlainObject(data)) {
    const keyType = u._zod.def.keyType as z.ZodType;
    const valueType = u._zod.def.valueType as z.ZodType;
    const kept: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(data)) {
      if (!keyType.safeParse(k).success) continue;
      const r = salvagePart(valueType, v, false);
      if (r.ok) kept[k] = r.value;
    }
    return { ok: true, value: kept };
  }
  if (u instanceof z.ZodUnion && data !== null && typeof data === 'object') {
    // The first form that fits once its unknown keys are dropped (a lever setting with a misspelt key).
    for (const option of u.options as z.ZodType[]) {
      const r = salvagePart(option, data, topField);
      if (r.ok) return r;
    }
    return { ok: false };
  }
  if (u instanceof z.ZodArray && Array.isArray(data) && topField) {
    const element = u.element as z.ZodType;
    return {
      ok: true,
      value: data.map((v) => salvagePart(element, v, false)).map((r) => (r.ok ? r.value : undefined)),
    };
  }
  return { ok: false };
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}
