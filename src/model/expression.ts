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
  /**
   * `a + b - c + ...` or `a * b * c ...` (three operands or more): mathjs's left-nested chain as a
   * flat list, evaluated left to right exactly as the nesting would be. A sum of 2,000 terms is one
   * node, not 2,000 levels. Additive chains mix + and -; multiplicative ones hold a single operator.
   */
  | { readonly kind: 'chain'; readonly first: Expr; readonly rest: readonly ChainLink[] }
  | { readonly kind: 'call'; readonly fn: FunctionName; readonly args: readonly Expr[] }
  | { readonly kind: 'cond'; readonly test: Expr; readonly then: Expr; readonly else: Expr };

export interface ChainLink {
  readonly op: '+' | '-' | '*' | '/';
  readonly arg: Expr;
}

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

/** An equation may be at most this many characters long (a 2,000-term sum is about 8,000). */
export const MAX_EQUATION_CHARS = 100_000;
/**
 * and nest at most this deep: brackets, function calls, operators and conditionals each add a
 * level, except that a chain of + and - (or of * alone, or / alone) is one level however long.
 */
export const MAX_EQUATION_DEPTH = 100;

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
  if (text.length > MAX_EQUATION_CHARS) {
    throw new ExpressionError(
      `equation too long: ${text.length.toLocaleString('en-US')} characters (at most ${MAX_EQUATION_CHARS.toLocaleString('en-US')})`,
    );
  }
  // mathjs parses brackets recursively: refuse deep ones before it sees them.
  if (bracketDepth(text) > MAX_EQUATION_DEPTH) throw tooDeep();
  let root: MathNode;
  try {
    root = mathParse(text);
  } catch (e) {
    // The other recursive constructs (a ^ b ^ c ..., - - - x) exhaust the stack only far beyond the limit.
    if (e instanceof RangeError) throw tooDeep();
    throw new ExpressionError(`cannot parse equation: ${(e as Error).message}`);
  }
  return convert(root, isKnown, suggest);
}

function tooDeep(): ExpressionError {
  return new ExpressionError(
    `equation nested too deeply (at most ${MAX_EQUATION_DEPTH} levels of brackets, calls and operators; a chain of + and - counts once)`,
  );
}

function bracketDepth(text: string): number {
  let depth = 0;
  let max = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 40 || c === 91 || c === 123) max = Math.max(max, ++depth);
    else if (c === 41 || c === 93 || c === 125) depth--;
  }
  return max;
}

type Known = (n: string) => boolean;
type Suggest = (n: string) => string | undefined;

/** A converted node waiting for its children: they are on the `done` stack, leftmost deepest. */
type Task =
  | { readonly enter: MathNode; readonly level: number }
  | { readonly exit: (children: Expr[]) => Expr; readonly count: number };

const ADDITIVE = new Set(['add', 'subtract']);
/** Left-associative operators whose chains become one flat node (not ^, comparisons or logic). */
const CHAINABLE = new Set(['add', 'subtract', 'multiply', 'divide']);

/**
 * mathjs's tree to ours, without recursion (a long sum is a left-nested tree thousands deep): an
 * explicit stack visits the nodes left to right, so the first problem reported is the leftmost,
 * and levels are counted on the way down so that a deep tree is refused early.
 */
function convert(root: MathNode, isKnown: Known, suggest: Suggest): Expr {
  const work: Task[] = [{ enter: root, level: 1 }];
  const done: Expr[] = [];
  const later = (count: number, exit: (children: Expr[]) => Expr, children: MathNode[], level: number): void => {
    work.push({ exit, count });
    for (let i = children.length - 1; i >= 0; i--) work.push({ enter: children[i]!, level });
  };
  while (work.length > 0) {
    const task = work.pop()!;
    if ('exit' in task) {
      const children = task.count === 0 ? [] : done.splice(done.length - task.count);
      done.push(task.exit(children));
      continue;
    }
    const node = task.enter;
    const level = task.level;
    if (level > MAX_EQUATION_DEPTH) throw tooDeep();
    const n = node as MathNode & Record<string, unknown>;
    switch (node.type) {
      case 'ConstantNode': {
        const v = n['value'];
        if (typeof v !== 'number' || !Number.isFinite(v)) {
          throw new ExpressionError(
            `only finite numbers are allowed as constants (got ${typeof v === 'number' ? String(v) : JSON.stringify(v)})`,
          );
        }
        done.push({ kind: 'num', value: v });
        break;
      }
      case 'SymbolNode': {
        const name = String(n['name']);
        if (FORBIDDEN_NAMES.has(name)) throw new ExpressionError(`'${name}' is not allowed in an equation`);
        if (!isKnown(name)) {
          const s = suggest(name);
          throw new ExpressionError(`unknown symbol '${name}'`, s);
        }
        done.push({ kind: 'sym', name });
        break;
      }
      case 'ParenthesisNode':
        work.push({ enter: n['content'] as MathNode, level });
        break;
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
          later(1, ([arg]) => ({ kind: 'unary', op, arg: arg! }), args, level + 1);
          break;
        }
        if (args.length !== 2 || op === 'neg' || op === 'plus' || op === 'not')
          throw new ExpressionError(`operator '${String(n['op'])}' used with ${args.length} operands`);
        const chain = CHAINABLE.has(fnName) ? chainOf(n, fnName) : undefined;
        if (!chain || chain.ops.length < 2) {
          later(2, ([left, right]) => ({ kind: 'binary', op, left: left!, right: right! }), args, level + 1);
          break;
        }
        const { ops } = chain;
        later(
          chain.operands.length,
          ([first, ...rest]) => ({ kind: 'chain', first: first!, rest: rest.map((arg, i) => ({ op: ops[i]!, arg })) }),
          chain.operands,
          level + 1,
        );
        break;
      }
      case 'FunctionNode': {
        const fnNode = n['fn'] as MathNode & Record<string, unknown>;
        if (fnNode.type !== 'SymbolNode') throw new ExpressionError('only named functions may be called');
        const name = String(fnNode['name']);
        if (FORBIDDEN_NAMES.has(name)) throw new ExpressionError(`'${name}' is not allowed in an equation`);
        if (!Object.hasOwn(FUNCTIONS, name)) {
          throw new ExpressionError(
            `function '${name}' is not allowed`,
            `allowed: ${Object.keys(FUNCTIONS).join(', ')}`,
          );
        }
        const fn = name as FunctionName;
        const margs = n['args'] as MathNode[];
        later(
          margs.length,
          (args) => {
            const [lo, hi] = FUNCTIONS[fn];
            if (args.length < lo || args.length > hi) {
              const want = lo === hi ? `${lo}` : hi === Infinity ? `at least ${lo}` : `${lo} or ${hi}`;
              throw new ExpressionError(
                `function '${name}' takes ${want} argument${want === '1' ? '' : 's'}, got ${args.length}`,
              );
            }
            if (fn === 'ifelse') return { kind: 'cond', test: args[0]!, then: args[1]!, else: args[2]! };
            return { kind: 'call', fn, args };
          },
          margs,
          level + 1,
        );
        break;
      }
      case 'ConditionalNode':
        later(
          3,
          ([test, then, otherwise]) => ({ kind: 'cond', test: test!, then: then!, else: otherwise! }),
          [n['condition'] as MathNode, n['trueExpr'] as MathNode, n['falseExpr'] as MathNode],
          level + 1,
        );
        break;
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
  return done[0]!;
}

/**
 * The operands and operators along the left spine of `a op b op c ...`: + and - together, or one of
 * * and / alone (so that the JavaScript emitted for a long chain is one flat expression). Brackets
 * on the left spine change nothing: `(a + b) + c` is evaluated as `a + b + c`.
 */
function chainOf(node: MathNode, fnName: string): { operands: MathNode[]; ops: ChainLink['op'][] } {
  const same = (f: string): boolean => (ADDITIVE.has(fnName) ? ADDITIVE.has(f) : f === fnName);
  const ops: ChainLink['op'][] = [];
  const rights: MathNode[] = [];
  let cur = node as MathNode & Record<string, unknown>;
  for (;;) {
    while (cur.type === 'ParenthesisNode') cur = cur['content'] as MathNode & Record<string, unknown>;
    const args = cur['args'] as MathNode[] | undefined;
    if (cur.type !== 'OperatorNode' || !same(String(cur['fn'])) || args?.length !== 2) break;
    ops.push(MATHJS_OPS[String(cur['fn'])] as ChainLink['op']);
    rights.push(args[1]!);
    cur = args[0] as MathNode & Record<string, unknown>;
  }
  ops.reverse();
  rights.reverse();
  return { operands: [cur, ...rights], ops };
}

/** Every symbol an expression reads, in first-use order. */
export function symbolsOf(e: Expr, out: string[] = []): string[] {
  const seen = new Set(out);
  const walk = (x: Expr): void => {
    switch (x.kind) {
      case 'num':
        break;
      case 'sym':
        if (!seen.has(x.name)) {
          seen.add(x.name);
          out.push(x.name);
        }
        break;
      case 'unary':
        walk(x.arg);
        break;
      case 'binary':
        walk(x.left);
        walk(x.right);
        break;
      case 'chain':
        walk(x.first);
        for (const link of x.rest) walk(link.arg);
        break;
      case 'call':
        for (const a of x.args) walk(a);
        break;
      case 'cond':
        walk(x.test);
        walk(x.then);
        walk(x.else);
        break;
    }
  };
  walk(e);
  return out;
}
