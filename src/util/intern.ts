/**
 * The number of `key` in `index`: the one it has, or the next (index.size), which `add` is then given
 * to store what it numbers. The compiler's get-or-add for per-year slots, WebAssembly types and locals,
 * so equal keys share one number and numbers follow first use.
 */
export function intern<K>(index: Map<K, number>, key: K, add?: (n: number) => void): number {
  let n = index.get(key);
  if (n === undefined) {
    n = index.size;
    index.set(key, n);
    add?.(n);
  }
  return n;
}
