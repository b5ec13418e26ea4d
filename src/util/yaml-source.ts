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
  type Pair,
  parseDocument,
  visit,
  type YAMLMap,
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
  // Duplicate keys are found below with one set per mapping: the parser's own check compares each
  // key with every earlier one (20,000 keys took 20 s).
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: false });
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
  const keyProblems: Diagnostic[] = [];
  const keyProblem = (key: Node, message: string): void => {
    const start = key.range?.[0];
    const p = start === undefined ? undefined : lineCounter.linePos(start);
    keyProblems.push({ location: { file, ...(p ? { line: p.line, column: p.col } : {}) }, path: '', message });
  };
  visit(doc, {
    Map(_, map) {
      const seen = new Set<unknown>();
      for (const pair of map.items) {
        if (!isScalar(pair.key)) continue;
        if (seen.has(pair.key.value)) keyProblem(pair.key, 'invalid YAML: Map keys must be unique');
        seen.add(pair.key.value);
      }
    },
    Pair(_, pair) {
      if (isScalar(pair.key) && pair.key.value === '__proto__')
        keyProblem(pair.key, "the key '__proto__' is not allowed");
    },
  });
  if (keyProblems.length > 0) throw new UserError(keyProblems);
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
        const pair = keyIndex(node).get(String(last));
        if (pair && isNode(pair.key)) return toLoc(pair.key);
      }
      return toLoc(nearestNode(doc, path).node);
    },
  };
}

/**
 * A mapping's pairs by key text (`2019` and '2019' alike: paths carry number keys as strings), built
 * once per mapping: locating every key of a mapping stays linear in its size.
 */
const keyIndexes = new WeakMap<YAMLMap, Map<string, Pair>>();
function keyIndex(map: YAMLMap): Map<string, Pair> {
  let index = keyIndexes.get(map);
  if (!index) {
    index = new Map();
    for (const it of map.items) {
      if (!isPair(it)) continue;
      const k = isScalar(it.key) ? String(it.key.value) : String(it.key);
      if (!index.has(k)) index.set(k, it as Pair);
    }
    keyIndexes.set(map, index);
  }
  return index;
}

function nearestNode(doc: Document, path: readonly PathKey[]): { node: Node | null; complete: boolean } {
  let node: Node | null = doc.contents as Node | null;
  for (const key of path) {
    let next: unknown;
    if (isMap(node)) next = keyIndex(node).get(String(key))?.value;
    else if (isSeq(node) && typeof key === 'number') next = node.get(key, true);
    if (!isNode(next)) return { node, complete: false };
    node = next;
  }
  return { node, complete: true };
}

function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return (i < 0 ? s : s.slice(0, i)).replace(/ at line \d+, column \d+:?$/, '');
}
