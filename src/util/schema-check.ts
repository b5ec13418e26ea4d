import { z } from 'zod';
import type { Diagnostic } from './diagnostics.js';
import { didYouMean } from './suggest.js';
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

export function pathString(path: readonly PathKey[]): string {
  let s = '';
  for (const k of path) s += typeof k === 'number' ? `[${k}]` : s === '' ? k : `.${k}`;
  return s;
}

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
      const hint = typeof actual === 'string' ? didYouMean(actual, options) : undefined;
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
 * Among the branches of a union, the one a mapping was most likely meant as: a branch that failed
 * only inside the mapping (not on its type), with the fewest problems. Undefined when none fits.
 */
function closestBranch(
  branches: readonly (readonly z.core.$ZodIssue[])[],
  actual: unknown,
): readonly z.core.$ZodIssue[] | undefined {
  if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) return undefined;
  let best: readonly z.core.$ZodIssue[] | undefined;
  for (const b of branches) {
    if (b.length === 0 || b.some((i) => i.path.length === 0 && i.code === 'invalid_type')) continue;
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
