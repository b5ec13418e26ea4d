import type { ChainLink, Expr } from './expression.js';

/**
 * JavaScript source for one checked expression. `ref` maps a symbol to an access expression that the
 * compiler built itself (a typed-array slot or a local variable), so the output contains only numbers,
 * operators, Math functions and compiler-made names.
 */
export function emit(e: Expr, ref: (name: string) => string, hoist?: Hoist): string {
  const code = emitNode(e, ref, hoist);
  return hoist && isHoistCandidate(e) ? hoist(e, code) : code;
}

/** The nodes a Hoist is offered: powers and calls (the two-run kernel offers its own the same ones). */
export const isHoistCandidate = (e: Expr): boolean => e.kind === 'call' || (e.kind === 'binary' && e.op === '^');

/**
 * Lets the compiler replace an expensive sub-expression (a power or a function call) by a name
 * computed once per step, when the sub-expression reads nothing that varies by region.
 */
export type Hoist = (e: Expr, code: string) => string;

function emitNode(e: Expr, ref: (name: string) => string, hoist?: Hoist): string {
  const emit_ = (x: Expr): string => emit(x, ref, hoist);
  switch (e.kind) {
    case 'num':
      return numberLiteral(e.value);
    case 'sym':
      return ref(e.name);
    case 'unary': {
      const a = emit_(e.arg);
      if (e.op === 'neg') return `(-${a})`;
      if (e.op === 'plus') return `(+${a})`;
      return `(${a} === 0 ? 1 : 0)`;
    }
    case 'binary': {
      const l = emit_(e.left);
      const r = emit_(e.right);
      switch (e.op) {
        case '^':
          return `Math.pow(${l}, ${r})`;
        case 'and':
          return `((${l} !== 0 && ${r} !== 0) ? 1 : 0)`;
        case 'or':
          return `((${l} !== 0 || ${r} !== 0) ? 1 : 0)`;
        case '<':
        case '>':
        case '<=':
        case '>=':
          return `(${l} ${e.op} ${r} ? 1 : 0)`;
        case '==':
          return `(${l} === ${r} ? 1 : 0)`;
        case '!=':
          return `(${l} !== ${r} ? 1 : 0)`;
        default:
          return `(${l} ${e.op} ${r})`;
      }
    }
    case 'chain':
      return emitChain(e.first, e.rest, emit_);
    case 'call': {
      const args = e.args.map(emit_);
      switch (e.fn) {
        case 'clamp':
          return `Math.min(Math.max(${args[0]}, ${args[1]}), ${args[2]})`;
        case 'log':
          return args.length === 2 ? `(Math.log(${args[0]}) / Math.log(${args[1]}))` : `Math.log(${args[0]})`;
        case 'ifelse':
          throw new Error('ifelse is lowered to a conditional by the parser');
        default:
          return `Math.${e.fn}(${args.join(', ')})`;
      }
    }
    case 'cond':
      return `(${emit_(e.test)} !== 0 ? ${emit_(e.then)} : ${emit_(e.else)})`;
  }
}

/**
 * JavaScript evaluates `a + b - c * d` left to right as mathjs's nesting does, so a chain needs no
 * inner brackets (every operand emitted here is a literal, a slot, a call or bracketed). V8 keeps a
 * run of one operator flat but nests a level at each change of operator, and overflows its stack
 * near 10,000 changes; a chain with many changes between + and - is therefore written with + alone,
 * `a + b + (-c)`, which IEEE 754 defines to be the same number as `a + b - c`.
 */
const MAX_OPERATOR_CHANGES = 64;
function emitChain(first: Expr, rest: readonly ChainLink[], emit_: (x: Expr) => string): string {
  let changes = 0;
  for (let i = 1; i < rest.length; i++) if (rest[i]!.op !== rest[i - 1]!.op) changes++;
  const plusOnly = changes > MAX_OPERATOR_CHANGES;
  const parts: string[] = [emit_(first)];
  for (const { op, arg } of rest) {
    const a = emit_(arg);
    parts.push(plusOnly && op === '-' ? ` + (-${a})` : ` ${op} ${a}`);
  }
  return `(${parts.join('')})`;
}

/** A literal that parses back to exactly the same double. */
export function numberLiteral(v: number): string {
  if (!Number.isFinite(v)) throw new Error(`non-finite constant ${v} cannot be emitted`);
  const s = String(v);
  return v < 0 || Object.is(v, -0) ? `(${s})` : s;
}
