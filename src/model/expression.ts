import { createRequire } from 'node:module';
import type { MathNode } from 'mathjs/number';

/**
 * Model equations: mathjs syntax in, a small checked tree out.
 *
 * mathjs only parses; its tree is translated into our own `Expr` and every node kind, operator,
 * function and symbol is checked on the way. Code generation sees only `Expr`, so nothing a user
 * wrote can reach the generated JavaScript except numbers and names we have resolved ourselves.
 */

export type Expr =
  | { readonly kind: 'num'; readonly value: number }
  | { readonly kind: 'sym'; readonly name: string }
  | { readonly kind: 'unary'; readonly op: UnaryOp; readonly arg: Expr }
  | { readonly kind: 'binary'; readonly op: BinaryOp; readonly left: Expr; readonly right: Expr }
  | { readonly kind: 'call'; readonly fn: FunctionName; readonly args: readonly Expr[] }
  | { readonly kind: 'cond'; readonly test: Expr; readonly then: Expr; readonly else: Expr };

export type UnaryOp = 'neg' | 'plus' | 'not';
export type BinaryOp = '+' | '-' | '*' | '/' | '^' | '<' | '>' | '<=' | '>=' | '==' | '!=' | 'and' | 'or';

/** Functions an equation may call, with their allowed argument counts. */
export const FUNCTIONS = {
  min: [2, Infinity],
  max: [2, Infinity],
  exp: [1, 1],
  log: [1, 2],
  sqrt: [1, 1],
  abs: [1, 1],
  sin: [1, 1],
  cos: [1, 1],
  pow: [2, 2],
  clamp: [3, 3],
  ifelse: [3, 3],
} as const satisfies Record<string, readonly [number, number]>;
export type FunctionName = keyof typeof FUNCTIONS;

const MATHJS_OPS: Record<string, UnaryOp | BinaryOp | undefined> = {
  unaryMinus: 'neg',
  unaryPlus: 'plus',
  not: 'not',
  add: '+',
  subtract: '-',
  multiply: '*',
  divide: '/',
  pow: '^',
  smaller: '<',
  larger: '>',
  smallerEq: '<=',
  largerEq: '>=',
  equal: '==',
  unequal: '!=',
  and: 'and',
  or: 'or',
};

/**
 * Names that must never be resolved, whatever the model declares: they are how code escapes a
 * sandbox in JavaScript, so they get their own message rather than "unknown symbol".
 */
export const FORBIDDEN_NAMES = new Set([
  'constructor',
  '__proto__',
  'prototype',
  'process',
  'import',
  'require',
  'eval',
  'Function',
  'globalThis',
  'global',
  'window',
  'this',
  'module',
  'exports',
  'arguments',
  'new',
  'delete',
  '__defineGetter__',
  '__defineSetter__',
  '__lookupGetter__',
  '__lookupSetter__',
  'toString',
  'valueOf',
]);

/** Names the equations get for free. */
export const BUILTIN_SYMBOLS = ['year', 't', 'pi'] as const;

export class ExpressionError extends Error {
  constructor(
    message: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'ExpressionError';
  }
}

let parser: ((text: string) => MathNode) | undefined;
function mathParse(text: string): MathNode {
  if (!parser) {
    // Loaded on first use (~1 s of CPU on a busy machine): a built-in model read from its build-time
    // image (model-image.ts), and commands that compile nothing, never load it.
    const { create, parseDependencies } = createRequire(import.meta.url)(
      'mathjs/number',
    ) as typeof import('mathjs/number');
    parser = create({ parseDependencies: parseDependencies! }).parse as (text: string) => MathNode;
  }
  return parser(text);
}

/**
 * Parse and check one equation. `isKnown` says whether a symbol may be used here; `suggest` gives a
 * "did you mean" for one that may not. Throws ExpressionError with a message for the user.
 */
export function parseExpression(
  text: string,
  isKnown: (name: string) => boolean,
  suggest: (name: string) => string | undefined = () => undefined,
): Expr {
  if (typeof text !== 'string' || text.trim() === '') throw new ExpressionError('empty equation');
  let root: MathNode;
  try {
    root = mathParse(text);
  } catch (e) {
    throw new ExpressionError(`cannot parse equation: ${(e as Error).message}`);
  }
  return convert(root, isKnown, suggest);
}

function convert(node: MathNode, isKnown: (n: string) => boolean, suggest: (n: string) => string | undefined): Expr {
  const n = node as MathNode & Record<string, unknown>;
  const rec = (child: MathNode): Expr => convert(child, isKnown, suggest);
  switch (node.type) {
    case 'ConstantNode': {
      const v = n['value'];
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new ExpressionError(
          `only finite numbers are allowed as constants (got ${typeof v === 'number' ? String(v) : JSON.stringify(v)})`,
        );
      }
      return { kind: 'num', value: v };
    }
    case 'SymbolNode': {
      const name = String(n['name']);
      if (FORBIDDEN_NAMES.has(name)) throw new ExpressionError(`'${name}' is not allowed in an equation`);
      if (!isKnown(name)) {
        const s = suggest(name);
        throw new ExpressionError(`unknown symbol '${name}'`, s);
      }
      return { kind: 'sym', name };
    }
    case 'ParenthesisNode':
      return rec(n['content'] as MathNode);
    case 'OperatorNode': {
      const fnName = String(n['fn']);
      const op = MATHJS_OPS[fnName];
      const args = n['args'] as MathNode[];
      if (op === undefined) {
        throw new ExpressionError(
          `operator '${String(n['op'])}' is not allowed`,
          'allowed: + - * / ^, comparisons, and, or, not',
        );
      }
      if (args.length === 1 && (op === 'neg' || op === 'plus' || op === 'not')) {
        return { kind: 'unary', op, arg: rec(args[0]!) };
      }
      if (args.length === 2 && op !== 'neg' && op !== 'plus' && op !== 'not') {
        return { kind: 'binary', op, left: rec(args[0]!), right: rec(args[1]!) };
      }
      throw new ExpressionError(`operator '${String(n['op'])}' used with ${args.length} operands`);
    }
    case 'FunctionNode': {
      const fnNode = n['fn'] as MathNode & Record<string, unknown>;
      if (fnNode.type !== 'SymbolNode') throw new ExpressionError('only named functions may be called');
      const name = String(fnNode['name']);
      if (FORBIDDEN_NAMES.has(name)) throw new ExpressionError(`'${name}' is not allowed in an equation`);
      if (!Object.hasOwn(FUNCTIONS, name)) {
        throw new ExpressionError(`function '${name}' is not allowed`, `allowed: ${Object.keys(FUNCTIONS).join(', ')}`);
      }
      const fn = name as FunctionName;
      const args = (n['args'] as MathNode[]).map(rec);
      const [lo, hi] = FUNCTIONS[fn];
      if (args.length < lo || args.length > hi) {
        const want = lo === hi ? `${lo}` : hi === Infinity ? `at least ${lo}` : `${lo} or ${hi}`;
        throw new ExpressionError(
          `function '${name}' takes ${want} argument${want === '1' ? '' : 's'}, got ${args.length}`,
        );
      }
      if (fn === 'ifelse') return { kind: 'cond', test: args[0]!, then: args[1]!, else: args[2]! };
      return { kind: 'call', fn, args };
    }
    case 'ConditionalNode':
      return {
        kind: 'cond',
        test: rec(n['condition'] as MathNode),
        then: rec(n['trueExpr'] as MathNode),
        else: rec(n['falseExpr'] as MathNode),
      };
    case 'AccessorNode':
    case 'IndexNode':
      throw new ExpressionError('property access and indexing are not allowed in an equation');
    case 'AssignmentNode':
    case 'FunctionAssignmentNode':
      throw new ExpressionError('assignments and function definitions are not allowed in an equation');
    case 'RelationalNode':
      throw new ExpressionError('chained comparisons are not allowed', 'write (a < b) and (b < c)');
    case 'BlockNode':
      throw new ExpressionError('an equation is one expression; separators like ";" are not allowed');
    default:
      throw new ExpressionError(
        `${node.type.replace(/Node$/, '').toLowerCase()} expressions are not allowed in an equation`,
      );
  }
}

/** Every symbol an expression reads, in first-use order. */
export function symbolsOf(e: Expr, out: string[] = []): string[] {
  switch (e.kind) {
    case 'num':
      break;
    case 'sym':
      if (!out.includes(e.name)) out.push(e.name);
      break;
    case 'unary':
      symbolsOf(e.arg, out);
      break;
    case 'binary':
      symbolsOf(e.left, out);
      symbolsOf(e.right, out);
      break;
    case 'call':
      for (const a of e.args) symbolsOf(a, out);
      break;
    case 'cond':
      symbolsOf(e.test, out);
      symbolsOf(e.then, out);
      symbolsOf(e.else, out);
      break;
  }
  return out;
}
