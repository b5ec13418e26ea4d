import type { Expr } from './expression.js';

/**
 * JavaScript source for one checked expression. `ref` maps a symbol to an access expression that the
 * compiler built itself (a typed-array slot or a local variable), so the output contains only numbers,
 * operators, Math functions and compiler-made names.
 */
export function emit(e: Expr, ref: (name: string) => string, hoist?: Hoist): string {
  const code = emitNode(e, ref, hoist);
  return hoist && (e.kind === 'call' || (e.kind === 'binary' && e.op === '^')) ? hoist(e, code) : code;
}

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

/** A literal that parses back to exactly the same double. */
export function numberLiteral(v: number): string {
  if (!Number.isFinite(v)) throw new Error(`non-finite constant ${v} cannot be emitted`);
  const s = String(v);
  return v < 0 || Object.is(v, -0) ? `(${s})` : s;
}
