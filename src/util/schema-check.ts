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
  for (const issue of parsed.error.issues) diagnostics.push(...issueToDiagnostics(issue, schema, source));
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
        return [{ location: source.locate(path), path: pathString(path), message: `missing required field (expected ${describeExpected(issue.expected)})` }];
      }
      return [{ location: source.locate(path), path: pathString(path), message: `expected ${describeExpected(issue.expected)}, got ${describeValue(actual)}` }];
    }
    case 'invalid_union': {
      const actual = valueAt(source.data, path);
      if (actual === undefined) return [{ location: source.locate(path), path: pathString(path), message: 'missing required field' }];
      return [{ location: source.locate(path), path: pathString(path), message: issue.message && !issue.message.startsWith('Invalid input') ? issue.message : `unexpected value ${describeValue(actual)}` }];
    }
    case 'invalid_value': {
      const actual = valueAt(source.data, path);
      const options = issue.values.map((v) => String(v));
      const hint = typeof actual === 'string' ? didYouMean(actual, options) : undefined;
      return [{ location: source.locate(path), path: pathString(path), message: `expected one of ${options.join(', ')}, got ${describeValue(actual)}`, ...(hint ? { hint } : {}) }];
    }
    case 'too_small':
    case 'too_big': {
      const actual = valueAt(source.data, path);
      const bound = issue.code === 'too_small' ? issue.minimum : issue.maximum;
      const what = issue.origin === 'array' ? 'entries' : issue.origin === 'string' ? 'characters' : '';
      const rel = issue.code === 'too_small' ? (issue.inclusive ? 'at least' : 'above') : issue.inclusive ? 'at most' : 'below';
      const got = issue.origin === 'array' && Array.isArray(actual) ? `${actual.length}` : describeValue(actual);
      return [{ location: source.locate(path), path: pathString(path), message: `must be ${rel} ${String(bound)}${what ? ' ' + what : ''} (got ${got})` }];
    }
    default:
      return [{ location: source.locate(path), path: pathString(path), message: issue.message }];
  }
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
    if (!Object.prototype.hasOwnProperty.call(cur, k)) return undefined;
    cur = (cur as Record<string | number, unknown>)[k];
  }
  return cur;
}

/** The keys an object schema accepts at `path`, found by walking the schema itself. */
function keysAt(schema: z.ZodType, path: readonly PathKey[]): string[] {
  let s: z.ZodType | undefined = schema;
  for (const k of path) {
    s = unwrap(s);
    if (s instanceof z.ZodObject) s = (s.shape as Record<string, z.ZodType>)[String(k)];
    else if (s instanceof z.ZodRecord) s = s._zod.def.valueType as z.ZodType;
    else if (s instanceof z.ZodArray) s = s.element as z.ZodType;
    else if (s instanceof z.ZodUnion) s = (s.options as z.ZodType[]).find((o) => unwrap(o) instanceof z.ZodObject);
    else return [];
    if (!s) return [];
  }
  s = unwrap(s);
  if (s instanceof z.ZodUnion) s = (s.options as z.ZodType[]).map(unwrap).find((o) => o instanceof z.ZodObject);
  return s instanceof z.ZodObject ? Object.keys(s.shape as object) : [];
}

function unwrap(s: z.ZodType | undefined): z.ZodType | undefined {
  let cur = s;
  while (cur instanceof z.ZodOptional || cur instanceof z.ZodDefault || cur instanceof z.ZodNullable) {
    cur = cur._zod.def.innerType as z.ZodType;
  }
  return cur;
}
