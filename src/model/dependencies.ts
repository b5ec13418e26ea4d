/**
 * Order equations so that each is computed after the ones it reads. Ties keep declaration order,
 * so the generated kernel (and thus every floating-point result) is the same for the same file.
 */
export function orderByDependency(
  names: readonly string[],
  deps: readonly (readonly number[])[],
): { order: number[]; cycle?: undefined } | { order?: undefined; cycle: number[] } {
  const n = names.length;
  const state = new Uint8Array(n); // 0 new, 1 on the stack, 2 done
  const order: number[] = [];
  const stack: number[] = [];
  let cycle: number[] | undefined;

  const visit = (i: number): void => {
    if (cycle || state[i] === 2) return;
    if (state[i] === 1) {
      cycle = stack.slice(stack.indexOf(i));
      return;
    }
    state[i] = 1;
    stack.push(i);
    for (const d of deps[i] ?? []) {
      visit(d);
      if (cycle) return;
    }
    stack.pop();
    state[i] = 2;
    order.push(i);
  };
  for (let i = 0; i < n && !cycle; i++) visit(i);
  return cycle ? { cycle } : { order };
}
