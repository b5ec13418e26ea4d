import { WasmModule } from '../../util/wasm.js';
import { BOOTSTRAP_WASM_BASE64 } from './bootstrap-wasm.js';
import type { IndexStream } from './stats.js';

/**
 * The sums a Saltelli bootstrap resample needs (sobol.ts): per output, a table of N rows (one per row
 * group) of `width` terms; per resample, N picks (group numbers, repeats allowed); per output and
 * resample, the sum of every column over the picked rows in pick order, and the sum of squared
 * deviations of f(A) and f(B) (two columns of the table's last block) about the mean of column 0 / 2N.
 *
 * Done by bootstrap.wat, two columns per f64x2 instruction, 16 columns per pass over the picks: every
 * column still adds its terms one pick after another in pick order, so every sum is the double the
 * plain loop (`sumsInJs`, also the fallback when the tables do not fit a WebAssembly memory) gives.
 * Measured on sobol-trade-gap (2 outputs, width 32, N = 1,024, 500 resamples): ~20 ms of the plain
 * loops (V8 does not vectorise them) against ~3 ms here.
 */
export const SUM_BLOCK = 16;

/** What every sum function takes: the table, its row stride, the picks, their count, the block, the sums. */
type SumArgs = [terms: number, stride: number, pick: number, n: number, col: number, out: number];

interface BootstrapExports {
  sum16(...a: SumArgs): void;
  [sumvar: `sumvar${number}`]: (...a: [...SumArgs, m: number]) => number;
  sum16draw(...a: [...SumArgs, rng: number, into: number, range: number, scratch: number]): void;
}

const bootstrap = new WasmModule<BootstrapExports>(BOOTSTRAP_WASM_BASE64);
/** Tables larger than this are summed in JavaScript (a wasm32 memory tops out at 4 GB). */
const MAX_WASM_BYTES = 2 ** 31;

interface Instance {
  readonly ex: BootstrapExports;
  readonly buffer: ArrayBuffer;
}
/** An instance given back by release(), for the next analysis that fits in its memory. */
let idle: Instance | undefined;

export interface GroupSums {
  /** The current resample's picks: fill (or draw them with sum), then call sum(). */
  readonly pick: Int32Array;
  /** Column sums of the last sum(), columns 0 .. ab − 1 (the others are not sums). */
  readonly sums: Float64Array;
  /**
   * Sums of table `t` over the picks; returns Σ_k (f(A) − m)² + (f(B) − m)², m = sums[0] / (2N).
   * With `draw`, also draws the next resample's N picks from it (as draw.fill would), which next()
   * then makes the current ones.
   */
  sum(t: number, draw?: IndexStream): number;
  /** The picks drawn by the last sum(t, draw) become `pick`. */
  next(): void;
  /** Done: the memory may be reused by the next groupSums (nothing here may be read after). */
  release(): void;
}

/**
 * Sums over `tables`, each N × width (width a multiple of SUM_BLOCK), with f(A) and f(B) in columns
 * `ab` and `ab` + 1 of the last block (`ab` even, at least SUM_BLOCK: the first block gives the mean).
 */
export function groupSums(tables: readonly Float64Array[], N: number, width: number, ab: number): GroupSums {
  const pickBytes = Math.ceil((4 * N) / 16) * 16;
  const tableBytes = N * width * 8;
  // Two pick buffers (this resample's, the next one's), the generator's state, the sums, the tables.
  // + the draws' uniforms (sum16draw's scratch: N doubles, one more when N is odd).
  const bytes = 2 * pickBytes + 32 + width * 8 + tables.length * tableBytes + 8 * (N + 1);
  if (bytes > MAX_WASM_BYTES) return sumsInJs(tables, N, width, ab);
  let inst = idle;
  idle = undefined;
  if (!inst || inst.buffer.byteLength < bytes) {
    try {
      // A new memory at the size needed, not a grown one: see util/wasm.ts.
      const { exports, buffer } = bootstrap.instantiate(bytes);
      inst = { ex: exports, buffer };
    } catch (e) {
      // Memory that cannot be had: the same sums, in JavaScript.
      if (e instanceof RangeError) return sumsInJs(tables, N, width, ab);
      throw e;
    }
  }
  return new WasmSums(inst, tables, N, width, ab, pickBytes, tableBytes);
}

/** The sums in WebAssembly (a class, so that callers see one call target whatever the instance). */
class WasmSums implements GroupSums {
  private readonly ex: BootstrapExports;
  private readonly picks: readonly [Int32Array, Int32Array];
  private readonly state: Float64Array;
  readonly sums: Float64Array;
  private readonly rng: number;
  private readonly out: number;
  private readonly first: number;
  private readonly last: number;
  private readonly sumvar: BootstrapExports[`sumvar${number}`];
  private readonly stride: number;
  /** sum16draw's scratch: the draws' uniforms, after the tables. */
  private readonly scratch: number;
  private current = 0;

  constructor(
    private readonly inst: Instance,
    tables: readonly Float64Array[],
    private readonly N: number,
    width: number,
    ab: number,
    private readonly pickBytes: number,
    private readonly tableBytes: number,
  ) {
    const { ex, buffer: buf } = inst;
    this.ex = ex;
    this.rng = 2 * pickBytes;
    this.out = this.rng + 32;
    this.first = this.out + width * 8;
    this.scratch = this.first + tables.length * tableBytes;
    tables.forEach((t, k) => new Float64Array(buf, this.first + k * tableBytes, N * width).set(t));
    this.picks = [new Int32Array(buf, 0, N), new Int32Array(buf, pickBytes, N)];
    this.state = new Float64Array(buf, this.rng, 4);
    this.sums = new Float64Array(buf, this.out, width);
    this.last = width / SUM_BLOCK - 1;
    if (ab < this.last * SUM_BLOCK || ab < SUM_BLOCK || ab % 2 !== 0 || ab + 2 > width)
      throw new Error(`groupSums: f(A) at column ${ab} is not in the last block of ${width}`);
    this.sumvar = ex[`sumvar${(ab - this.last * SUM_BLOCK) / 2}`]!;
    this.stride = width * 8;
  }

  get pick(): Int32Array {
    return this.picks[this.current]!;
  }

  next(): void {
    this.current ^= 1;
  }

  release(): void {
    idle = this.inst;
  }

  sum(t: number, draw?: IndexStream): number {
    const { ex, N, stride, out, last } = this;
    const at = this.first + t * this.tableBytes;
    const from = this.current * this.pickBytes;
    if (draw) {
      draw.saveState(this.state);
      ex.sum16draw(at, stride, from, N, 0, out, this.rng, (this.current ^ 1) * this.pickBytes, N, this.scratch);
      draw.loadState(this.state);
    } else ex.sum16(at, stride, from, N, 0, out);
    for (let b = 1; b < last; b++) ex.sum16(at, stride, from, N, b * SUM_BLOCK * 8, out + b * SUM_BLOCK * 8);
    const m = this.sums[0]! / (2 * N);
    return this.sumvar(at, stride, from, N, last * SUM_BLOCK * 8, out + last * SUM_BLOCK * 8, m);
  }
}

/** The same sums by plain loops, in the same order (the reference the WebAssembly is tested against). */
export function sumsInJs(tables: readonly Float64Array[], N: number, width: number, ab: number): GroupSums {
  const picks = [new Int32Array(N), new Int32Array(N)] as const;
  let current = 0;
  const sums = new Float64Array(width);
  return {
    get pick(): Int32Array {
      return picks[current]!;
    },
    sums,
    next(): void {
      current ^= 1;
    },
    release(): void {},
    sum(t: number, draw?: IndexStream): number {
      const terms = tables[t]!;
      const pick = picks[current]!;
      draw?.fill(picks[current ^ 1]!, N);
      sums.fill(0);
      for (let k = 0; k < N; k++) {
        const r = pick[k]! * width;
        for (let c = 0; c < ab; c++) sums[c] = sums[c]! + terms[r + c]!;
      }
      const m = sums[0]! / (2 * N);
      let ss = 0;
      for (let k = 0; k < N; k++) {
        const r = pick[k]! * width;
        const da = terms[r + ab]! - m;
        const db = terms[r + ab + 1]! - m;
        ss += da * da + db * db;
      }
      return ss;
    },
  };
}
