import { readFileSync, statSync } from 'node:fs';
import {
  type Document,
  isMap,
  isNode,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  parseDocument,
  visit,
} from 'yaml';
import { type Diagnostic, type SourceLocation, UserError } from './diagnostics.js';

export type PathKey = string | number;

/**
 * A parsed YAML file that remembers where each value came from, so that a schema problem found on
 * the plain data can be reported at its line and column.
 */
export interface YamlSource {
  readonly file: string;
  readonly data: unknown;
  /** Location of the value at `path`; of the nearest existing ancestor if the value is missing. */
  locate(path: readonly PathKey[]): SourceLocation;
  /** Location of the key (not the value) at `path`: where an unknown key is best reported. */
  locateKey(path: readonly PathKey[]): SourceLocation;
}

export function readYamlFile(file: string, what = 'file'): YamlSource {
  let text: string;
  try {
    if (statSync(file).isDirectory()) {
      throw new UserError({ location: { file }, path: '', message: `is a directory, expected a YAML ${what}` });
    }
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if (e instanceof UserError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : String((e as Error).message);
    throw new UserError({ location: { file }, path: '', message: `cannot read ${what}: ${why}` });
  }
  return parseYamlText(text, file, what);
}

export function parseYamlText(text: string, file: string, what = 'file'): YamlSource {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    const diags: Diagnostic[] = doc.errors.map((err) => {
      const pos = err.linePos?.[0] ?? lineCounter.linePos(err.pos[0]);
      return {
        location: { file, ...(pos ? { line: pos.line, column: pos.col } : {}) },
        path: '',
        message: `invalid YAML: ${firstLine(err.message)}`,
      };
    });
    throw new UserError(diags);
  }
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
    throw new UserError({
      location: { file, line: 1, column: 1 },
      path: '',
      message: `empty ${what}: expected a YAML mapping`,
    });
  }
  // A `__proto__` key would be dropped (or replace a prototype) on the way to plain objects.
  const protoKeys: Diagnostic[] = [];
  visit(doc, {
    Pair(_, pair) {
      if (isScalar(pair.key) && pair.key.value === '__proto__') {
        const start = pair.key.range?.[0];
        const p = start === undefined ? undefined : lineCounter.linePos(start);
        protoKeys.push({
          location: { file, ...(p ? { line: p.line, column: p.col } : {}) },
          path: '',
          message: "the key '__proto__' is not allowed",
        });
      }
    },
  });
  if (protoKeys.length > 0) throw new UserError(protoKeys);
  const data = doc.toJS({ maxAliasCount: 100 }) as unknown;

  const toLoc = (node: Node | null | undefined): SourceLocation => {
    const start = node?.range?.[0];
    if (start === undefined) return { file };
    const p = lineCounter.linePos(start);
    return { file, line: p.line, column: p.col };
  };

  return {
    file,
    data,
    locate(path) {
      return toLoc(nearestNode(doc, path).node);
    },
    locateKey(path) {
      const parentPath = path.slice(0, -1);
      const last = path[path.length - 1];
      const { node, complete } = nearestNode(doc, parentPath);
      if (complete && isMap(node) && last !== undefined) {
        const pair = node.items.find((it) => isPair(it) && isScalar(it.key) && String(it.key.value) === String(last));
        if (pair && isNode(pair.key)) return toLoc(pair.key);
      }
      return toLoc(nearestNode(doc, path).node);
    },
  };
}

function nearestNode(doc: Document, path: readonly PathKey[]): { node: Node | null; complete: boolean } {
  let node: Node | null = doc.contents as Node | null;
  for (const key of path) {
    let next: unknown;
    if (isMap(node)) {
      // YAML reads `2019:` as a number key; paths carry it as a string.
      next = node.get(key, true) ?? node.get(String(key), true);
      if (next === undefined && typeof key === 'string' && /^-?\d+$/.test(key)) next = node.get(Number(key), true);
    } else if (isSeq(node) && typeof key === 'number') next = node.get(key, true);
    if (!isNode(next)) return { node, complete: false };
    node = next;
  }
  return { node, complete: true };
}

function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return (i < 0 ? s : s.slice(0, i)).replace(/ at line \d+, column \d+:?$/, '');
}
