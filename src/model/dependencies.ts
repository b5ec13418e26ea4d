/**
 * Order equations so that each is computed after the ones it reads. Ties keep declaration order,
 * so the generated kernel (and thus every floating-point result) is the same for the same file.
 *
 * A depth-first search in declaration order, with an explicit stack: a chain of 30,000 auxiliaries
 * declared in reverse would overflow the call stack of a recursive one.
 */
export function orderByDependency(
  names: readonly string[],
  deps: readonly (readonly number[])[],
): { order: number[]; cycle?: undefined } | { order?: undefined; cycle: number[] } {
  const n = names.length;
  const state = new Uint8Array(n); // 0 new, 1 on the path, 2 done
  const order: number[] = [];
  // The current path from a root, and for each node on it the next dependency to look at.
  const path: number[] = [];
  const next: number[] = [];
  for (let root = 0; root < n; root++) {
    if (state[root] !== 0) continue;
    state[root] = 1;
    path.push(root);
    next.push(0);
    while (path.length > 0) {
      const top = path.length - 1;
      const i = path[top]!;
      const di = deps[i] ?? [];
      const k = next[top]!;
      if (k < di.length) {
        next[top] = k + 1;
        const d = di[k]!;
        if (state[d] === 2) continue;
        if (state[d] === 1) return { cycle: path.slice(path.indexOf(d)) };
        state[d] = 1;
        path.push(d);
        next.push(0);
      } else {
        path.pop();
        next.pop();
        state[i] = 2;
        order.push(i);
      }
    }
  }
  return { order };
}
