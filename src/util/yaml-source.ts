import {
  Composer,
  type CST,
  type Document,
  isAlias,
  isMap,
  isNode,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  type Node,
  type Pair,
  Parser,
  visit,
  type YAMLMap,
} from 'yaml';
import { type Diagnostic, type SourceLocation, UserError } from './diagnostics.js';
import { type FileReference, readInputFile } from './input-file.js';

/** Mappings and lists nested deeper than this are refused (a scenario needs about 6). */
export const MAX_YAML_DEPTH = 100;
/**
 * The yaml package's guard against alias expansion ("billion laughs"): an anchor may be used by at
 * most 100 aliases, fewer when what it names holds aliases itself (uses multiply).
 */
export const MAX_YAML_ALIASES = 100;

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

export function readYamlFile(file: string, what = 'file', from?: FileReference): YamlSource {
  return parseYamlText(readInputFile(file, what, from), file, what);
}

export function parseYamlText(text: string, file: string, what = 'file'): YamlSource {
  const lineCounter = new LineCounter();
  const at = (offset: number | undefined): SourceLocation => {
    if (offset === undefined) return { file };
    const p = lineCounter.linePos(offset);
    return { file, line: p.line, column: p.col };
  };
  const fail = (diags: Diagnostic[]): never => {
    throw new UserError(diags);
  };

  // The parser is iterative, but composing and converting the tree recurse: bound the depth on the
  // concrete syntax tree first, before anything recursive sees it.
  const tokens = [...new Parser(lineCounter.addNewLine).parse(text)];
  const deep = tooDeep(tokens, MAX_YAML_DEPTH);
  if (deep !== undefined) {
    fail([
      {
        location: at(deep),
        path: '',
        message: `invalid YAML: nested more than ${MAX_YAML_DEPTH} levels deep (mappings and lists may nest at most ${MAX_YAML_DEPTH} levels)`,
      },
    ]);
  }
  // uniqueKeys is checked below in one pass: the yaml package compares each key with every other.
  const docs = [...new Composer({ prettyErrors: false, uniqueKeys: false }).compose(tokens, true, text.length)];
  // The syntax tree is not needed past this point: let it go before the data is built (peak memory).
  tokens.length = 0;
  const doc = docs[0]!;
  const diags: Diagnostic[] = [];
  const yamlProblem = (pos: readonly number[], message: string): void => {
    diags.push({ location: at(pos[0]), path: '', message: `invalid YAML: ${firstLine(message)}` });
  };
  for (const err of doc.errors) yamlProblem(err.pos, err.message);
  // Warnings are errors here: an unknown tag (`!!js/function`, `!foo`) would otherwise be dropped
  // silently and its value read as plain text.
  for (const w of doc.warnings) {
    if (w.code === 'TAG_RESOLVE_FAILED') {
      const tag = /^!\S*/.exec(text.slice(w.pos[0]))?.[0];
      diags.push({
        location: at(w.pos[0]),
        path: '',
        message: `invalid YAML: unknown tag${tag ? ` '${tag}'` : ''} (only the standard tags such as !!str are understood: remove it)`,
      });
    } else yamlProblem(w.pos, w.message);
  }
  if (docs.length > 1) yamlProblem(docs[1]!.range, 'a file holds one YAML document; this is a second one');
  if (diags.length > 0) fail(diags);
  if (doc.contents === null || (isScalar(doc.contents) && doc.contents.value === null)) {
    fail([{ location: { file, line: 1, column: 1 }, path: '', message: `empty ${what}: expected a YAML mapping` }]);
  }

  // An alias names the last node before it with that anchor (as the yaml package resolves it).
  const anchors = new Map<string, unknown>();
  let firstAlias: number | undefined;
  visit(doc, (_, node, path) => {
    if (isAlias(node)) {
      firstAlias ??= node.range?.[0];
      const target = anchors.get(node.source);
      // One that names nothing, or its own ancestor (an endless structure), is a located error rather
      // than a ReferenceError or a cycle in the data.
      if (target === undefined || path.includes(target as never))
        diags.push({
          location: at(node.range?.[0]),
          path: '',
          message:
            target === undefined
              ? `invalid YAML: alias '*${node.source}' refers to no anchor before it (define '&${node.source}' first)`
              : `invalid YAML: alias '*${node.source}' is inside the value it names (a structure without end)`,
        });
      return;
    }
    if ((isMap(node) || isSeq(node) || isScalar(node)) && node.anchor) anchors.set(node.anchor, node);
    if (!isMap(node)) return;
    const seen = new Set<string>();
    for (const pair of node.items) {
      if (!isScalar(pair.key)) continue;
      const v = pair.key.value;
      // A `__proto__` key would be dropped (or replace a prototype) on the way to plain objects.
      if (v === '__proto__')
        diags.push({ location: at(pair.key.range?.[0]), path: '', message: "the key '__proto__' is not allowed" });
      const id = `${typeof v}:${String(v)}`;
      if (seen.has(id)) yamlProblem([pair.key.range?.[0] ?? 0], 'Map keys must be unique');
      seen.add(id);
    }
  });
  if (diags.length > 0) fail(diags);
  let data: unknown;
  try {
    // maxAliasCount counts the anchor itself: MAX + 1 lets exactly MAX aliases of a plain value through.
    data = doc.toJS({ maxAliasCount: MAX_YAML_ALIASES + 1 }) as unknown;
  } catch (e) {
    if (!(e instanceof ReferenceError) && !(e instanceof RangeError)) throw e;
    fail([
      {
        location: at(firstAlias),
        path: '',
        message: `invalid YAML: aliases expand too much (an anchor may be used at most ${MAX_YAML_ALIASES} times, fewer when it holds aliases itself)`,
      },
    ]);
  }

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
        const pair = pairOf(node, last);
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
    if (isMap(node)) next = pairOf(node, key)?.value;
    else if (isSeq(node) && typeof key === 'number') next = node.get(key, true);
    if (!isNode(next)) return { node, complete: false };
    node = next;
  }
  return { node, complete: true };
}

/**
 * The pair of a mapping with the given key, through an index built once per mapping: locating every
 * one of 200,000 unknown keys by scanning the mapping each time would take minutes. YAML reads
 * `2019:` as a number key and paths carry it as a string, so keys are compared as text.
 */
const pairIndex = new WeakMap<YAMLMap, Map<string, Pair>>();
function pairOf(map: YAMLMap, key: PathKey): Pair | undefined {
  let index = pairIndex.get(map);
  if (!index) {
    index = new Map();
    for (const it of map.items) {
      if (isPair(it) && isScalar(it.key)) {
        const k = String(it.key.value);
        if (!index.has(k)) index.set(k, it as Pair);
      }
    }
    pairIndex.set(map, index);
  }
  return index.get(String(key));
}

/** Offset of the first collection nested deeper than `max`, walking the syntax tree without recursion. */
function tooDeep(tokens: readonly CST.Token[], max: number): number | undefined {
  const stack: [CST.Token | null | undefined, number][] = [];
  for (const t of tokens) if (t.type === 'document') stack.push([t.value, 0]);
  let first: number | undefined;
  while (stack.length > 0) {
    const [t, depth] = stack.pop()!;
    if (!t || !(t.type === 'block-map' || t.type === 'block-seq' || t.type === 'flow-collection')) continue;
    if (depth + 1 > max) {
      if (first === undefined || t.offset < first) first = t.offset;
      continue;
    }
    for (const it of t.items) {
      if (it.key) stack.push([it.key, depth + 1]);
      if (it.value) stack.push([it.value, depth + 1]);
    }
  }
  return first;
}

function firstLine(s: string): string {
  const i = s.indexOf('\n');
  return (i < 0 ? s : s.slice(0, i)).replace(/ at line \d+, column \d+:?$/, '');
}
