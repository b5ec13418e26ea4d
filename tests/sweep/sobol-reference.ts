/**
 * The straightforward Saltelli/Sobol' analysis (the textbook loops src/sweep/design/sobol.ts had before
 * its estimators were reduced to precomputed terms), kept here as the reference the optimised one
 * must equal bit for bit: per resample, per index, one loop over the picked row groups.
 */
import type { sobol } from '../../src/sweep/design/index.js';
import {
  type BootstrapSummary,
  normalQuantile,
  randomIndex,
  sampleSd,
  sortedQuantile,
  stream,
} from '../../src/sweep/design/stats.js';

/** The percentile interval from the sorted replicates and SALib's half-width: what summarizeReplicates must give. */
export function referenceSummary(replicates: Float64Array, confLevel: number): BootstrapSummary {
  const sorted = Float64Array.from(replicates).sort();
  const alpha = (1 - confLevel) / 2;
  return {
    low: sortedQuantile(sorted, alpha),
    high: sortedQuantile(sorted, 1 - alpha),
    halfWidth: normalQuantile(0.5 + confLevel / 2) * sampleSd(replicates),
  };
}

interface Blocks {
  N: number;
  D: number;
  A: Float64Array;
  B: Float64Array;
  AB: Float64Array[];
  BA: Float64Array[];
}

interface Estimates {
  S1: Float64Array;
  ST: Float64Array;
  S2: Float64Array | null;
}

function estimate(blocks: Blocks, pick: Int32Array, secondOrder: boolean, out: Estimates): void {
  const { N, D, A, B, AB, BA } = blocks;
  let s = 0;
  for (let k = 0; k < N; k++) {
    const n = pick[k]!;
    s += A[n]! + B[n]!;
  }
  const m = s / (2 * N);
  let ss = 0;
  for (let k = 0; k < N; k++) {
    const n = pick[k]!;
    const da = A[n]! - m;
    const db = B[n]! - m;
    ss += da * da + db * db;
  }
  const variance = ss / (2 * N);
  if (!(variance > 0)) {
    out.S1.fill(0);
    out.ST.fill(0);
    out.S2?.fill(0);
    return;
  }
  for (let i = 0; i < D; i++) {
    const ab = AB[i]!;
    let first = 0;
    let total = 0;
    for (let k = 0; k < N; k++) {
      const n = pick[k]!;
      const a = A[n]!;
      const x = ab[n]!;
      first += B[n]! * (x - a);
      total += (a - x) * (a - x);
    }
    out.S1[i] = first / N / variance;
    out.ST[i] = total / N / (2 * variance);
  }
  if (secondOrder && out.S2 !== null) {
    for (let i = 0; i < D; i++) {
      const ba = BA[i]!;
      for (let j = i + 1; j < D; j++) {
        const ab = AB[j]!;
        let v = 0;
        for (let k = 0; k < N; k++) {
          const n = pick[k]!;
          v += ba[n]! * ab[n]! - A[n]! * B[n]!;
        }
        out.S2[i * D + j] = v / N / variance - out.S1[i]! - out.S1[j]!;
      }
    }
  }
}

/** The reference analysis: point indices and every bootstrap summary, as plain numbers. */
export function referenceAnalyze(
  D: number,
  N: number,
  secondOrder: boolean,
  y: Float64Array,
  resamples: number,
  seed: number,
  confLevel = 0.95,
): Pick<sobol.SobolResult, 'S1' | 'S1Low' | 'S1High' | 'S1Conf' | 'ST' | 'STLow' | 'STHigh' | 'STConf'> & {
  S2: number[];
  S2Low: number[];
  S2High: number[];
  S2Conf: number[];
} {
  const groupSize = secondOrder ? 2 * D + 2 : D + 2;
  const rows = N * groupSize;
  let sum = 0;
  for (const v of y) sum += v;
  const m = sum / rows;
  let ss = 0;
  for (const v of y) ss += (v - m) * (v - m);
  const sd = Math.sqrt(ss / rows);
  const scale = sd > 0 ? 1 / sd : 1;
  const blocks: Blocks = {
    N,
    D,
    A: new Float64Array(N),
    B: new Float64Array(N),
    AB: Array.from({ length: D }, () => new Float64Array(N)),
    BA: secondOrder ? Array.from({ length: D }, () => new Float64Array(N)) : [],
  };
  for (let n = 0; n < N; n++) {
    const first = n * groupSize;
    const at = (r: number): number => (y[first + r]! - m) * scale;
    blocks.A[n] = at(0);
    for (let i = 0; i < D; i++) blocks.AB[i]![n] = at(1 + i);
    if (secondOrder) for (let i = 0; i < D; i++) blocks.BA[i]![n] = at(1 + D + i);
    blocks.B[n] = at(groupSize - 1);
  }
  const fresh = (): Estimates => ({
    S1: new Float64Array(D),
    ST: new Float64Array(D),
    S2: secondOrder ? new Float64Array(D * D) : null,
  });
  const point = fresh();
  const pick = new Int32Array(N);
  for (let k = 0; k < N; k++) pick[k] = k;
  estimate(blocks, pick, secondOrder, point);
  const rng = stream(seed, 'saltelli-bootstrap');
  const pairs: [number, number][] = [];
  if (secondOrder) for (let i = 0; i < D; i++) for (let j = i + 1; j < D; j++) pairs.push([i, j]);
  const repS1 = Array.from({ length: D }, () => new Float64Array(resamples));
  const repST = Array.from({ length: D }, () => new Float64Array(resamples));
  const repS2 = pairs.map(() => new Float64Array(resamples));
  const rep = fresh();
  for (let b = 0; b < resamples; b++) {
    for (let k = 0; k < N; k++) pick[k] = randomIndex(rng, N);
    estimate(blocks, pick, secondOrder, rep);
    for (let i = 0; i < D; i++) {
      repS1[i]![b] = rep.S1[i]!;
      repST[i]![b] = rep.ST[i]!;
    }
    pairs.forEach(([i, j], p) => {
      repS2[p]![b] = rep.S2![i * D + j]!;
    });
  }
  const s1 = repS1.map((r) => referenceSummary(r, confLevel));
  const st = repST.map((r) => referenceSummary(r, confLevel));
  const s2 = repS2.map((r) => referenceSummary(r, confLevel));
  return {
    S1: Array.from(point.S1),
    S1Low: s1.map((s) => s.low),
    S1High: s1.map((s) => s.high),
    S1Conf: s1.map((s) => s.halfWidth),
    ST: Array.from(point.ST),
    STLow: st.map((s) => s.low),
    STHigh: st.map((s) => s.high),
    STConf: st.map((s) => s.halfWidth),
    S2: pairs.map(([i, j]) => point.S2![i * D + j]!),
    S2Low: s2.map((s) => s.low),
    S2High: s2.map((s) => s.high),
    S2Conf: s2.map((s) => s.halfWidth),
  };
}
