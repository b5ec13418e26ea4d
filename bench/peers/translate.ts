/**
 * Translates the engine's straightforward generated kernel (the `init` and `step` sources of a kernel
 * image, before the optimising pass) into C and into numpy, line by line, for the benchmark peers.
 *
 * The generated kernel has few statement shapes (`const NAME = EXPR;`, `S[k] = EXPR;`,
 * `OUT[o + k] = NAME;`, the domain marks `if (COND) S[k] = NaN;`) and expressions made of slots,
 * numbers, arithmetic and a few Math functions. Anything else is refused with the line, so a model
 * the peers cannot follow fails loudly instead of being measured wrongly.
 */

type Tok = { kind: 'num' | 'id' | 'op'; text: string };

const MATH = new Set(['pow', 'exp', 'log', 'sqrt', 'min', 'max', 'abs']);
const ARRAYS = new Set(['P', 'S', 'L', 'X', 'OUT']);
/** Integer locals of the generated kernel (offsets into the arrays). */
const INT_LOCALS = new Set(['lb', 'xb', 'o', 'yi', 'year']);
const LOCAL = /^(t|lb|xb|o|yi|year|BASE|LB|XB|NS|[a-z]+\d+(_\d+)?)$/;

function tokens(src: string, line: string): Tok[] {
  const out: Tok[] = [];
  const re = /\s*(?:(\d+(?:\.\d+)?(?:e[+-]?\d+)?)|(Math\.[a-z]+|[A-Za-z_]\w*)|(\|\||&&|<=|>=|[-+*/()[\],<>]))/y;
  let i = 0;
  while (i < src.length) {
    if (/^\s*$/.test(src.slice(i))) break;
    re.lastIndex = i;
    const m = re.exec(src);
    if (!m) throw new Error(`peer translation: cannot read '${src.slice(i).trim()}' in: ${line}`);
    i = re.lastIndex;
    if (m[1] !== undefined) out.push({ kind: 'num', text: m[1] });
    else if (m[2] !== undefined) {
      const id = m[2];
      if (id.startsWith('Math.')) {
        if (!MATH.has(id.slice(5))) throw new Error(`peer translation: ${id} is not supported, in: ${line}`);
      } else if (!ARRAYS.has(id) && id !== 'NaN' && !LOCAL.test(id))
        throw new Error(`peer translation: unknown name '${id}' in: ${line}`);
      out.push({ kind: 'id', text: id });
    } else out.push({ kind: 'op', text: m[3]! });
  }
  return out;
}

/** C: doubles everywhere but in array subscripts; Math.* from libm. */
function cExpr(src: string, line: string): string {
  let depth = 0;
  return tokens(src, line)
    .map((t) => {
      if (t.text === '[') depth++;
      if (t.text === ']') depth--;
      if (t.kind === 'num') return depth === 0 && /^\d+$/.test(t.text) ? `${t.text}.0` : t.text;
      if (t.text === 'NaN') return 'NAN';
      if (t.text.startsWith('Math.')) {
        const f = t.text.slice(5);
        return f === 'min' ? 'fmin' : f === 'max' ? 'fmax' : f === 'abs' ? 'fabs' : f;
      }
      return t.text;
    })
    .join(' ');
}

/** numpy: every value may be a scalar or an array over the batch of runs. */
function pyExpr(src: string, line: string): string {
  return tokens(src, line)
    .map((t) => {
      if (t.text === 'NaN') return 'nan';
      if (t.text === '||' || t.text === '&&')
        throw new Error(`peer translation: a logical operator outside a domain mark, in: ${line}`);
      if (t.text.startsWith('Math.')) {
        const f = t.text.slice(5);
        return `np.${f === 'min' ? 'minimum' : f === 'max' ? 'maximum' : f === 'pow' ? 'power' : f}`;
      }
      return t.text;
    })
    .join(' ');
}

export interface KernelHeader {
  readonly BASE: number;
  readonly LB: number;
  readonly XB: number;
  readonly NS: number;
}

interface Parsed {
  readonly header: KernelHeader;
  readonly body: readonly string[];
}

function parse(source: string, fn: 'init' | 'step'): Parsed {
  const lines = source.split('\n').map((l) => l.trim());
  const h = /^const BASE = (\d+), LB = (\d+), XB = (\d+), NS = (\d+)(, HB = \d+)?;$/.exec(lines[0] ?? '');
  if (!h) throw new Error(`peer translation: unexpected kernel header: ${lines[0]}`);
  const sig = fn === 'init' ? 'return function init(P, S, OUT) {' : 'return function step(P, L, X, S, OUT, yi, year) {';
  if (lines[1] !== sig) throw new Error(`peer translation: unexpected ${fn} signature: ${lines[1]}`);
  if (lines.at(-1) !== '};') throw new Error(`peer translation: unexpected end of ${fn}`);
  return {
    header: { BASE: Number(h[1]), LB: Number(h[2]), XB: Number(h[3]), NS: Number(h[4]) },
    body: lines.slice(2, -1).filter((l) => l !== ''),
  };
}

type Stmt =
  | { kind: 'const'; name: string; expr: string }
  | { kind: 'store'; array: 'S' | 'OUT'; index: string; expr: string }
  | { kind: 'mark'; conds: string[]; slot: string };

function statement(line: string): Stmt {
  let m = /^const ([A-Za-z_]\w*) = (.+);$/.exec(line);
  if (m) return { kind: 'const', name: m[1]!, expr: m[2]! };
  m = /^(S|OUT)\[([^\]]+)\] = (.+);$/.exec(line);
  if (m) return { kind: 'store', array: m[1] as 'S' | 'OUT', index: m[2]!, expr: m[3]! };
  m = /^if \((.+)\) S\[(\d+)\] = NaN;$/.exec(line);
  if (m) return { kind: 'mark', conds: m[1]!.split(' || '), slot: m[2]! };
  throw new Error(`peer translation: unexpected statement: ${line}`);
}

export interface Translated {
  readonly header: KernelHeader;
  readonly init: string;
  readonly step: string;
}

/** The kernel as two C functions: kinit(P, S, OUT) and kstep(P, L, X, S, OUT, yi, year). */
export function kernelToC(initSource: string, stepSource: string): Translated {
  const init = parse(initSource, 'init');
  const step = parse(stepSource, 'step');
  const body = (b: readonly string[]): string =>
    b
      .map((line) => {
        const s = statement(line);
        if (s.kind === 'const')
          return `  const ${INT_LOCALS.has(s.name) ? 'int' : 'double'} ${s.name} = ${INT_LOCALS.has(s.name) ? s.expr : cExpr(s.expr, line)};`;
        if (s.kind === 'store') return `  ${s.array}[${s.index}] = ${cExpr(s.expr, line)};`;
        return `  if (${s.conds.map((c) => cExpr(c, line)).join(' || ')}) S[${s.slot}] = NAN;`;
      })
      .join('\n');
  return {
    header: step.header,
    init: `static void kinit(const double *restrict P, double *restrict S, double *restrict OUT) {\n${body(init.body)}\n}`,
    step: `static void kstep(const double *restrict P, const double *restrict L, const double *restrict X, double *restrict S, double *restrict OUT, const int yi, const int year) {\n${body(step.body)}\n}`,
  };
}

/**
 * The kernel as two Python functions over a batch of runs: P, S, L, X and OUT are lists whose items
 * are floats (the same in every run) or arrays (one value per run), so a parameter no draw moves
 * costs a scalar operation, as a numpy programmer would write it.
 */
export function kernelToNumpy(initSource: string, stepSource: string): Translated {
  const init = parse(initSource, 'init');
  const step = parse(stepSource, 'step');
  const body = (b: readonly string[]): string =>
    b
      .map((line) => {
        const s = statement(line);
        if (s.kind === 'const') return `    ${s.name} = ${pyExpr(s.expr, line)}`;
        if (s.kind === 'store') return `    ${s.array}[${s.index}] = ${pyExpr(s.expr, line)}`;
        const cond = s.conds.map((c) => `(${pyExpr(c, line)})`).join(' | ');
        return `    S[${s.slot}] = np.where(${cond}, nan, S[${s.slot}])`;
      })
      .join('\n');
  const { BASE, LB, XB, NS } = step.header;
  return {
    header: step.header,
    init: `def init(P, S, OUT):\n    BASE, LB, XB, NS = ${BASE}, ${LB}, ${XB}, ${NS}\n${body(init.body)}`,
    step: `def step(P, L, X, S, OUT, yi, year):\n    BASE, LB, XB, NS = ${BASE}, ${LB}, ${XB}, ${NS}\n${body(step.body)}`,
  };
}
