/**
 * The standard normal CDF Φ(x) = erfc(−x/√2) / 2, computed exactly as @stdlib/stats-base-dists-normal-cdf
 * 0.3.1 does with its erfc and exp (@stdlib/math-base-special-erfc and -exp 0.2.5, FreeBSD msun's s_erf.c
 * and Cephes' reduction): the same operations in the same order on the same constants, so the same
 * doubles (tests/montecarlo/normal-cdf.test.ts holds the two to each other bit for bit, the copula's
 * uniforms and every truncated normal depend on them).
 *
 * Why not stdlib itself: loading its ~30 small modules cost ~28 ms in every process and worker thread
 * that draws through a copula, and its ldexp goes through arrays and heap numbers (~84 ns a call
 * against ~25 here). Here 2^k is a bit pattern and every polynomial is written out.
 */

const TINY = 1.0e-300;
/** 2^-56 */
const SMALL = 1.3877787807814457e-17;
const ERX = 8.45062911510467529297e-1;
const PPC = 1.28379167095512558561e-1;
const PAC = -2.36211856075265944077e-3;
const RAC = -9.86494403484714822705e-3;
const RBC = -9.86494292470009928597e-3;

const LN2_HI = 6.9314718036912381649e-1;
const LN2_LO = 1.90821492927058770002e-10;
const LOG2_E = Math.LOG2E;
const EXP_OVERFLOW = 7.09782712893383973096e2;
const EXP_UNDERFLOW = -7.4513321910194110842e2;
const NEAR_ZERO = 1.0 / (1 << 28);

/** Scratch for the bits of a double: [low, high] words on a little-endian machine, as stdlib's LOW is 0. */
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const LOW = LITTLE_ENDIAN ? 0 : 1;
const HIGH = 1 - LOW;

/** 2^e for an exponent of a normal double (−1022 <= e <= 1023). */
function pow2(e: number): number {
  u32[LOW] = 0;
  u32[HIGH] = (e + 1023) << 20;
  return f64[0]!;
}

/**
 * stdlib's ldexp(y, k) for the y of exp (a normal double near 1): y · 2^k, with its edges — 0 when
 * the result's exponent is below −1074, ±∞ above 1023, and a subnormal result rounded once, from
 * y · 2^(k + 52).
 */
function ldexp(y: number, k: number): number {
  if (k === 0 || y === 0 || !Number.isFinite(y)) return y;
  f64[0] = y;
  const e = k + (((u32[HIGH]! >>> 20) & 0x7ff) - 1023);
  if (e < -1074) return y < 0 ? -0 : 0;
  if (e > 1023) return y < 0 ? -Infinity : Infinity;
  if (e <= -1023) return y * pow2(k + 52) * 2.220446049250313e-16;
  // y · 2^k is normal, so exact; 2^k itself may not be (k = 1024 with y < 1, k = −1023 with y >= 1).
  return k > 1023 ? y * 2 * pow2(k - 1) : k < -1022 ? y * 0.5 * pow2(k + 1) : y * pow2(k);
}

/** stdlib's exp(x). */
export function stdlibExp(x: number): number {
  if (Number.isNaN(x) || x === Infinity) return x;
  if (x === -Infinity) return 0;
  if (x > EXP_OVERFLOW) return Infinity;
  if (x < EXP_UNDERFLOW) return 0;
  if (x > -NEAR_ZERO && x < NEAR_ZERO) return 1 + x;
  const k = Math.trunc(x < 0 ? LOG2_E * x - 0.5 : LOG2_E * x + 0.5);
  const hi = x - k * LN2_HI;
  const lo = k * LN2_LO;
  // expmulti(hi, lo, k)
  const r = hi - lo;
  const t = r * r;
  const c =
    r -
    t *
      (0.16666666666666602 +
        t *
          (-0.0027777777777015593 +
            t * (0.00006613756321437934 + t * (-0.0000016533902205465252 + t * 4.1381367970572385e-8))));
  const y = 1.0 - (lo - (r * c) / (2.0 - c) - hi);
  return ldexp(y, k);
}

/** stdlib's erfc(x). */
export function stdlibErfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x === Infinity) return 0;
  if (x === -Infinity) return 2;
  if (x === 0) return 1;
  const sign = x < 0;
  const ax = sign ? -x : x;
  if (ax < 0.84375) {
    if (ax < SMALL) return 1.0 - x;
    const z = x * x;
    const r =
      PPC +
      z *
        (-0.3250421072470015 + z * (-0.02848174957559851 + z * (-0.005770270296489442 + z * -0.000023763016656650163)));
    const s =
      1.0 +
      z *
        (0.39791722395915535 +
          z *
            (0.0650222499887673 +
              z * (0.005081306281875766 + z * (0.00013249473800432164 + z * -0.000003960228278775368))));
    const y = r / s;
    if (x < 0.25) return 1.0 - (x + x * y);
    let rr = x * y;
    rr += x - 0.5;
    return 0.5 - rr;
  }
  if (ax < 1.25) {
    const s = ax - 1.0;
    const p =
      PAC +
      s *
        (0.41485611868374833 +
          s *
            (-0.3722078760357013 +
              s *
                (0.31834661990116175 +
                  s * (-0.11089469428239668 + s * (0.035478304325618236 + s * -0.002166375594868791)))));
    const q =
      1.0 +
      s *
        (0.10642088040084423 +
          s *
            (0.540397917702171 +
              s *
                (0.07182865441419627 +
                  s * (0.12617121980876164 + s * (0.01363708391202905 + s * 0.011984499846799107)))));
    return sign ? 1.0 + ERX + p / q : 1.0 - ERX - p / q;
  }
  if (ax < 28.0) {
    const s0 = 1.0 / (ax * ax);
    let r: number;
    let s: number;
    if (ax < 2.857142857142857) {
      r =
        RAC +
        s0 *
          (-0.6938585727071818 +
            s0 *
              (-10.558626225323291 +
                s0 *
                  (-62.375332450326006 +
                    s0 *
                      (-162.39666946257347 +
                        s0 * (-184.60509290671104 + s0 * (-81.2874355063066 + s0 * -9.814329344169145))))));
      s =
        1.0 +
        s0 *
          (19.651271667439257 +
            s0 *
              (137.65775414351904 +
                s0 *
                  (434.56587747522923 +
                    s0 *
                      (645.3872717332679 +
                        s0 *
                          (429.00814002756783 +
                            s0 * (108.63500554177944 + s0 * (6.570249770319282 + s0 * -0.0604244152148581)))))));
    } else {
      if (x < -6.0) return 2.0 - TINY;
      r =
        RBC +
        s0 *
          (-0.799283237680523 +
            s0 *
              (-17.757954917754752 +
                s0 *
                  (-160.63638485582192 +
                    s0 * (-637.5664433683896 + s0 * (-1025.0951316110772 + s0 * -483.5191916086514)))));
      s =
        1.0 +
        s0 *
          (30.33806074348246 +
            s0 *
              (325.7925129965739 +
                s0 *
                  (1536.729586084437 +
                    s0 *
                      (3199.8582195085955 +
                        s0 * (2553.0504064331644 + s0 * (474.52854120695537 + s0 * -22.44095244658582))))));
    }
    // ax to 20 bits of mantissa (its low word zeroed), so that z·z is exact
    f64[0] = ax;
    u32[LOW] = 0;
    const z = f64[0]!;
    const e = stdlibExp(-(z * z) - 0.5625) * stdlibExp((z - ax) * (z + ax) + r / s);
    return sign ? 2.0 - e / ax : e / ax;
  }
  return sign ? 2.0 - TINY : TINY * TINY;
}

/** Φ(x), as @stdlib/stats-base-dists-normal-cdf's cdf(x, 0, 1). */
export function normalCdfStd(x: number): number {
  if (Number.isNaN(x)) return NaN;
  return 0.5 * stdlibErfc(-(x - 0) / (1 * Math.SQRT2));
}
