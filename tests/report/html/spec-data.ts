/** Reading a Vega-Lite specification back: the inline data each named layer draws. */

type Node = Record<string, unknown>;

/**
 * The rows drawn by the layer (or view) named `name`: its own `data.values`, else the nearest
 * enclosing view's (Vega-Lite's inheritance, a facet's `spec` included). Throws when no such layer exists, so a renamed layer
 * cannot make a test pass vacuously.
 */
export function layerData(spec: unknown, name: string): Record<string, unknown>[] {
  const found: Record<string, unknown>[][] = [];
  const walk = (node: unknown, inherited: Record<string, unknown>[] | undefined): void => {
    if (Array.isArray(node)) {
      for (const n of node) walk(n, inherited);
      return;
    }
    if (!node || typeof node !== 'object') return;
    const n = node as Node;
    const own = (n.data as { values?: Record<string, unknown>[] } | undefined)?.values;
    const data = own ?? inherited;
    if (n.name === name) found.push(data ?? []);
    for (const key of ['layer', 'concat', 'vconcat', 'hconcat', 'spec']) if (key in n) walk(n[key], data);
  };
  walk(spec, undefined);
  if (found.length !== 1) throw new Error(`expected one layer named '${name}', found ${found.length}`);
  return found[0]!;
}

/** Every layer name of a specification. */
export function layerNames(spec: unknown): string[] {
  const names: string[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    const n = node as Node;
    if (typeof n.name === 'string') names.push(n.name);
    for (const key of ['layer', 'concat', 'vconcat', 'hconcat', 'spec']) if (key in n) walk(n[key]);
  };
  walk(spec);
  return names;
}
