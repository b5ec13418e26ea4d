import { intern } from '../../util/intern.js';
import type { Expr } from '../expression.js';

/**
 * The optimising pass over checked expression trees: it rewrites a kernel equation so that work
 * which cannot change where the kernel computes it is done less often. It works on any model; what
 * it knows of one is only how each symbol varies, given by the compiler as a level:
 *
 * - 0: constant for a scenario (numbers, `pi`, parameters no uncertainty draws);
 * - YEAR: changes with the year, the same in every run (`t`, `year`, levers);
 * - DRAW: changes from run to run, constant within a run (drawn parameters);
 * - STATE: changes within a run (states, shocked equations, anything reading them).
 *
 * A node's level is the union of its children's. Three rewrites, each replacing a node by a compiler
 * name (a symbol that no model can spell, resolved by `ref`):
 *
 * 1. hoisting per scenario and year: a maximal operation of level ⊆ YEAR (levers, the year,
 *    undrawn parameters) is computed once per year before any run, by the `prepare` function, into
 *    a table H (years × slots); the kernel reads it;
 * 2. hoisting per run: a maximal DRAW-level operation containing a call, a power or a division is
 *    computed once per run (in the run's init) into a hidden state slot;
 * 3. strength reduction: `x ^ (t + k)` (or `year + k`, k a whole number, exponent >= 0 from the
 *    first step) with x constant within a run becomes a running product carried across years in a
 *    hidden state slot: x^(1+k) at init (by Math.pow, so exact when it is x^0), times x after each step.
 *
 * 4. (opt-in, `memo`: a sweep's rows) memo per run and year: a call, power or division of level
 *    DRAW|YEAR whose symbols are only parameters and the year (`memoSymbol`) is computed for every year
 *    into a table that the projection reuses while the parameters it reads are those it was made
 *    from (see generate.ts: the fused projection keeps the last two such tables). Successive design
 *    rows often share those parameters (a Saltelli row changes one factor), so e.g. `p ^ (t − 1)`
 *    with p a factor is computed per distinct p instead of per row and year.
 *
 * 1, 2 and 4 compute the same operations on the same values, so the results are bit-identical to the
 * straightforward kernel. 3 is not: repeated multiplication rounds once per year, so after n years
 * the factor differs from Math.pow by at most about n ulps (relative 2.2e-16·n; over a 100-year
 * horizon, ~2e-14). The tests state the tolerance they allow for it.
 *
 * The walks are iterative (explicit stacks), so a very deep equation cannot overflow the call stack.
 */
export const YEAR = 1;
export const DRAW = 2;
export const STATE = 4;

/** Level of a symbol, decided by the compiler (see above). */
export type LevelOf = (name: string) => number;

/** Compiler names of rewritten nodes: `#` cannot start a model symbol (they are identifiers). */
const YEAR_SLOT = '#y';
const HIDDEN_SLOT = '#s';
const MEMO_SLOT = '#m';

/** Children of a node, in evaluation order. */
function children(e: Expr): readonly Expr[] {
  switch (e.kind) {
    case 'num':
    case 'sym':
      return [];
    case 'unary':
      return [e.arg];
    case 'binary':
      return [e.left, e.right];
    case 'chain':
      return [e.first, ...e.rest.map((l) => l.arg)];
    case 'call':
      return e.args;
    case 'cond':
      return [e.test, e.then, e.else];
  }
}

/** A copy of `e` with its children replaced (same kind and operator). */
function withChildren(e: Expr, c: readonly Expr[]): Expr {
  switch (e.kind) {
    case 'num':
    case 'sym':
      return e;
    case 'unary':
      return { kind: 'unary', op: e.op, arg: c[0]! };
    case 'binary':
      return { kind: 'binary', op: e.op, left: c[0]!, right: c[1]! };
    case 'chain':
      return { kind: 'chain', first: c[0]!, rest: e.rest.map((l, i) => ({ op: l.op, arg: c[i + 1]! })) };
    case 'call':
      return { kind: 'call', fn: e.fn, args: c };
    case 'cond':
      return { kind: 'cond', test: c[0]!, then: c[1]!, else: c[2]! };
  }
}

/** Visit every node after its children, without recursion. */
function postOrder(root: Expr, visit: (e: Expr) => void): void {
  // Each frame keeps its children: a chain of 20,000 operands must not rebuild its list per operand.
  const stack: { e: Expr; c: readonly Expr[]; i: number }[] = [{ e: root, c: children(root), i: 0 }];
  while (stack.length > 0) {
    const top = stack[stack.length - 1]!;
    if (top.i < top.c.length) {
      const e = top.c[top.i++]!;
      stack.push({ e, c: children(e), i: 0 });
    } else {
      stack.pop();
      visit(top.e);
    }
  }
}

/** The level of an expression: the union of its symbols' levels. */
export function levelOfExpr(e: Expr, levelOf: LevelOf): number {
  let level = 0;
  postOrder(e, (n) => {
    if (n.kind === 'sym') level |= levelOf(n.name);
  });
  return level;
}

/** The slot of `code` in `slots` (equal code shares one), added if new. */
function slotOf(slots: string[], index: Map<string, number>, code: string): number {
  return intern(index, code, () => slots.push(code));
}

const isExpensive = (e: Expr): boolean => e.kind === 'call' || (e.kind === 'binary' && (e.op === '^' || e.op === '/'));

/**
 * A hidden state slot of the optimised kernel: a value computed once per run, or a running power
 * (base code, and its exponent in the first step, t = 1).
 */
export type HiddenSlot =
  | { readonly kind: 'run'; readonly code: string; readonly tree: SlotTree }
  | { readonly kind: 'power'; readonly base: string; readonly first: number; readonly tree: SlotTree };

/**
 * The tree a hidden slot computes (the whole value, or a running power's base) and the region whose
 * symbols it reads: what a backend other than the JavaScript one (generate-pair.ts) compiles it from.
 */
export interface SlotTree {
  readonly expr: Expr;
  readonly region: number;
}

/** The exponent offset k of `t + k`, `t - k`, `year ± k` (k a whole number), or undefined. */
function yearOffset(e: Expr, baseYear: number): number | undefined {
  const offsetOf = (name: string): number | undefined => (name === 't' ? 0 : name === 'year' ? baseYear : undefined);
  if (e.kind === 'sym') return offsetOf(e.name);
  if (e.kind !== 'binary' || (e.op !== '+' && e.op !== '-')) return undefined;
  const { left, right } = e;
  if (left.kind === 'sym' && right.kind === 'num' && Number.isInteger(right.value)) {
    const base = offsetOf(left.name);
    return base === undefined ? undefined : e.op === '+' ? base + right.value : base - right.value;
  }
  if (e.op === '+' && right.kind === 'sym' && left.kind === 'num' && Number.isInteger(left.value)) {
    const base = offsetOf(right.name);
    return base === undefined ? undefined : base + left.value;
  }
  return undefined;
}

/**
 * Collects the hoisted slots of one kernel while its equations are rewritten. `emit` turns a
 * sub-expression into code for the region being rewritten (slot references made by the compiler);
 * equal code shares one slot.
 */
export class KernelOptimiser {
  /** Code of each per-year slot, computed by `prepare` (reads t, year, lb, P, L). */
  readonly yearSlots: string[] = [];
  /** Hidden state slots in order of creation: per-run values (computed at init from P) and running powers. */
  readonly hidden: HiddenSlot[] = [];
  /** Code of each memo slot (rewrite 4; reads t, year, P only). */
  readonly memoSlots: string[] = [];
  private readonly yearIndex = new Map<string, number>();
  private readonly hiddenIndex = new Map<string, number>();
  private readonly memoIndex = new Map<string, number>();

  constructor(
    private readonly levelOf: LevelOf,
    private readonly baseYear: number,
    /** Rewrite 3 (running powers); off, the optimised kernel is bit-identical to the straightforward one. */
    private readonly strengthReduction = true,
    /** Rewrite 4, given which symbols a memo slot may read (parameters, t, year); off when undefined. */
    private readonly memoSymbol?: (name: string) => boolean,
  ) {}

  /**
   * The equation with hoisted and strength-reduced nodes replaced by compiler names; `region`: the
   * region whose symbols `emit` resolves (kept with each hidden slot's tree).
   */
  rewrite(root: Expr, emit: (e: Expr) => string, region = 0): Expr {
    const level = new Map<Expr, number>();
    const out = new Map<Expr, Expr>();
    postOrder(root, (n) => {
      const c = children(n);
      let l = n.kind === 'sym' ? this.levelOf(n.name) : 0;
      for (const x of c) l |= level.get(x)!;
      level.set(n, l);
      // A node to hoist keeps its original tree until its parent (or the root) decides.
      out.set(
        n,
        c.length === 0 || this.hoistable(n, l)
          ? n
          : withChildren(
              n,
              c.map((x) => this.place(x, level, out, emit, region)),
            ),
      );
    });
    return this.place(root, level, out, emit, region);
  }

  /** Whether `e` of level `l` would be moved out of the step as a whole. */
  private hoistable(e: Expr, l: number): boolean {
    if (l & STATE) return false;
    if ((l & DRAW) === 0) return true;
    if (l === DRAW) return this.containsExpensive(e);
    return this.runningPower(e) !== undefined || this.memoable(e);
  }

  /** Rewrite 4 applies: an expensive node reading only what `memoSymbol` allows. */
  private memoable(e: Expr): boolean {
    const allowed = this.memoSymbol;
    if (!allowed || !isExpensive(e)) return false;
    let ok = true;
    postOrder(e, (n) => {
      if (n.kind === 'sym' && !allowed(n.name)) ok = false;
    });
    return ok;
  }

  /** `e` as its parent sees it: a compiler name if it is hoisted, else its rewritten tree. */
  private place(
    e: Expr,
    level: Map<Expr, number>,
    out: Map<Expr, Expr>,
    emit: (e: Expr) => string,
    region: number,
  ): Expr {
    const l = level.get(e)!;
    if (children(e).length === 0 || !this.hoistable(e, l)) return out.get(e)!;
    if ((l & DRAW) === 0)
      return { kind: 'sym', name: `${YEAR_SLOT}${slotOf(this.yearSlots, this.yearIndex, emit(e))}` };
    const p = l === DRAW ? undefined : this.runningPower(e);
    if (l !== DRAW && !p)
      return { kind: 'sym', name: `${MEMO_SLOT}${slotOf(this.memoSlots, this.memoIndex, emit(e))}` };
    const slot: HiddenSlot = p
      ? { kind: 'power', base: emit(p.base), first: p.first, tree: { expr: p.base, region } }
      : { kind: 'run', code: emit(e), tree: { expr: e, region } };
    const key = slot.kind === 'power' ? `^${slot.first} ${slot.base}` : `= ${slot.code}`;
    let k = this.hiddenIndex.get(key);
    if (k === undefined) {
      k = this.hidden.length;
      this.hidden.push(slot);
      this.hiddenIndex.set(key, k);
    }
    return { kind: 'sym', name: `${HIDDEN_SLOT}${k}` };
  }

  private containsExpensive(e: Expr): boolean {
    let found = false;
    postOrder(e, (n) => {
      if (isExpensive(n)) found = true;
    });
    return found;
  }

  /** `x ^ (t + k)` with x of level DRAW and exponent >= 0 from the first step on. */
  private runningPower(e: Expr): { base: Expr; first: number } | undefined {
    if (!this.strengthReduction) return undefined;
    let base: Expr | undefined;
    let exponent: Expr | undefined;
    if (e.kind === 'binary' && e.op === '^') [base, exponent] = [e.left, e.right];
    else if (e.kind === 'call' && e.fn === 'pow') [base, exponent] = [e.args[0], e.args[1]];
    if (!base || !exponent || levelOfExpr(base, this.levelOf) !== DRAW) return undefined;
    const k = yearOffset(exponent, this.baseYear);
    if (k === undefined || 1 + k < 0 || !Number.isSafeInteger(1 + k)) return undefined;
    return { base, first: 1 + k };
  }

  /**
   * Code for a compiler name made by rewrite(), given where the slots live: the per-year table's row
   * (`H[hb + i]`) and the first hidden state slot, or (`locals`) hidden slot k in the local local(k).
   */
  ref(name: string, hiddenBase: number, locals = false): string | undefined {
    if (name.startsWith(YEAR_SLOT)) return `H[hb + ${name.slice(YEAR_SLOT.length)}]`;
    // Memo slots live in the fused projection's table; elsewhere their code is computed in place.
    if (name.startsWith(MEMO_SLOT)) {
      const k = Number(name.slice(MEMO_SLOT.length));
      return locals ? `M[mo + ${k}]` : `(${this.memoSlots[k]!})`;
    }
    if (!name.startsWith(HIDDEN_SLOT)) return undefined;
    const k = Number(name.slice(HIDDEN_SLOT.length));
    return locals ? this.local(k) : `S[${hiddenBase + k}]`;
  }

  /** The local variable that holds hidden slot k in a loop that keeps them in locals. */
  local(k: number): string {
    return `x${k}`;
  }

  /** Whether `name` is a compiler name made by rewrite() (a slot, the same in every region). */
  isSlot(name: string): boolean {
    return name.startsWith(YEAR_SLOT) || name.startsWith(HIDDEN_SLOT) || name.startsWith(MEMO_SLOT);
  }

  /** Hidden state slots the optimised kernel appends to the model's states. */
  get hiddenStates(): number {
    return this.hidden.length;
  }

  /** Init lines: per-run values, and each running power's first-step value. */
  initLines(hiddenBase: number): string[] {
    return this.hidden.map((h, i) =>
      h.kind === 'run'
        ? `S[${hiddenBase + i}] = ${h.code};`
        : `S[${hiddenBase + i}] = Math.pow(${h.base}, ${h.first});`,
    );
  }

  /** Step lines that carry each running power to the next year (after every equation has read it). */
  advanceLines(hiddenBase: number, locals = false): string[] {
    const lines: string[] = [];
    this.hidden.forEach((h, i) => {
      const at = locals ? this.local(i) : `S[${hiddenBase + i}]`;
      if (h.kind === 'power') lines.push(`${at} = ${at} * ${h.base};`);
    });
    return lines;
  }
}
