/*
 * The C peer's Monte Carlo loop (bench/peers/c-peer.ts puts the model's data and kernel in front of
 * this file). Written as a C programmer would transcribe `policysim mc --workers 0`: per run, the
 * run's Tyche-i stream (seeded from seed and run index as in src/montecarlo/rng.ts), the draws by
 * inversion (Wichura's AS 241 for normals, the copula by its Cholesky factor), the yearly shocks, the
 * kernel year by year, then every statistics cell folded: Σ(x−c), Σ(x−c)², min, max and a histogram
 * bin, plus each target's verdict and first year. One thread, plain loops, gcc -O2.
 *
 * usage: peer RUNS SEED      folded statistics as JSON on stdout
 *        peer --det          the deterministic projection (no draws, no shocks) as JSON
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct { uint32_t a, b, c, d; } tyche;

static inline uint32_t tyche_next(tyche *s) {
  uint32_t a = s->a, b = s->b, c = s->c, d = s->d;
  b = (b << 25) ^ (b >> 7) ^ c;
  c = c - d;
  d = (d << 24) ^ (d >> 8) ^ a;
  a = a - b;
  s->b = b = (b << 20) ^ (b >> 12) ^ c;
  s->c = c = c - d;
  s->d = (d << 16) ^ (c >> 16) ^ a;
  s->a = a - b;
  return s->a;
}

static void tyche_reset(tyche *s, uint64_t seed, uint64_t run) {
  s->a = (uint32_t)(seed >> 32);
  s->b = (uint32_t)seed;
  s->c = 2654435769u ^ (uint32_t)(run >> 32);
  s->d = 1367130551u ^ (uint32_t)run;
  for (int i = 0; i < 20; i++) tyche_next(s);
}

static inline double uniform01(tyche *s) { return ((double)tyche_next(s) + 0.5) * 2.3283064365386963e-10; }

/* Wichura, AS 241 (PPND16). */
static double qnorm(double p) {
  double q = p - 0.5, r, val;
  if (fabs(q) <= 0.425) {
    r = 0.180625 - q * q;
    return q * (((((((r * 2509.0809287301226727 + 33430.575583588128105) * r + 67265.770927008700853) * r +
                    45921.953931549871457) * r + 13731.693765509461125) * r + 1971.5909503065514427) * r +
                 133.14166789178437745) * r + 3.387132872796366608) /
           (((((((r * 5226.495278852545925 + 28729.085735721942674) * r + 39307.89580009271061) * r +
                21213.794301586595867) * r + 5394.1960214247511077) * r + 687.1870074920579083) * r +
             42.313330701600911252) * r + 1.0);
  }
  r = sqrt(-log(q < 0 ? p : 1 - p));
  if (r <= 5) {
    r -= 1.6;
    val = (((((((r * 7.7454501427834140764e-4 + 0.0227238449892691845833) * r + 0.24178072517745061177) * r +
               1.27045825245236838258) * r + 3.64784832476320460504) * r + 5.7694972214606914055) * r +
            4.6303378461565452959) * r + 1.42343711074968357734) /
          (((((((r * 1.05075007164441684324e-9 + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r +
               0.14810397642748007459) * r + 0.68976733498510000455) * r + 1.6763848301838038494) * r +
            2.05319162663775882187) * r + 1.0);
  } else {
    r -= 5;
    val = (((((((r * 2.01033439929228813265e-7 + 2.71155556874348757815e-5) * r + 0.0012426609473880784386) * r +
               0.026532189526576123093) * r + 0.29656057182850489123) * r + 1.7848265399172913358) * r +
            5.4637849111641143699) * r + 6.6579046435011037772) /
          (((((((r * 2.04426310338993978564e-15 + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r +
               7.868691311456132591e-4) * r + 0.0148753612908506148525) * r + 0.13692988092273580531) * r +
            0.59983220655588793769) * r + 1.0);
  }
  return q < 0 ? -val : val;
}

static double quantile(int g, double u) {
  const double *q = DRAW_Q[g];
  switch (DRAW_KIND[g]) {
    case 0: return q[0] + u * q[1];
    case 1: return u < q[2] ? q[0] + sqrt(u * q[3]) : q[1] - sqrt((1 - u) * q[4]);
    case 2: return q[0] + q[1] * qnorm(u);
    default: return q[0] * exp(q[1] * qnorm(u));
  }
}

static double P[NP], S[NSTATE], OUT[YEARS * NS], X[YEARS * (XB > 0 ? XB : 1)];

static void sample(tyche *s) {
  double z[NCORR > 0 ? NCORR : 1], u[NCORR > 0 ? NCORR : 1];
  memcpy(P, BASE_P, sizeof P);
  for (int i = 0; i < NCORR; i++) z[i] = qnorm(uniform01(s));
  for (int i = 0; i < NCORR; i++) {
    double x = 0;
    for (int j = 0; j <= i; j++) x += COPULA[i * NCORR + j] * z[j];
    double v = 0.5 * erfc(-x * M_SQRT1_2);
    u[i] = v > 1 - 0x1p-53 ? 1 - 0x1p-53 : v > 0 ? v : 4.9406564584124654e-324;
  }
  for (int g = 0; g < NDRAWS; g++) {
    double x = quantile(g, DRAW_CORR[g] >= 0 ? u[DRAW_CORR[g]] : uniform01(s));
    for (int k = DRAW_FIRST[g]; k < DRAW_FIRST[g + 1]; k++) {
      int slot = DRAW_SLOTS[k];
      P[slot] = DRAW_APPLY[g] == 0 ? x : DRAW_APPLY[g] == 1 ? BASE_P[slot] * x : BASE_P[slot] + x;
    }
  }
  if (XB == 0) return;
  memset(X, 0, sizeof X);
  for (int g = 0; g < NSHOCKS; g++) {
    double e = SHOCK_SD[g] * qnorm(uniform01(s));
    for (int yi = 1; yi < YEARS; yi++) {
      if (yi > 1) e = SHOCK_RHO[g] * e + SHOCK_INNOV[g] * qnorm(uniform01(s));
      for (int k = SHOCK_FIRST[g]; k < SHOCK_FIRST[g + 1]; k++) X[yi * XB + SHOCK_SLOTS[k]] = e;
    }
  }
}

static void project(void) {
  kinit(P, S, OUT);
  for (int yi = 1; yi < YEARS; yi++) kstep(P, LEVERS, X, S, OUT, yi, BASE + yi);
}

static void print_array(const char *name, const double *a, long n, int comma) {
  printf("\"%s\":[", name);
  for (long i = 0; i < n; i++) printf(i ? ",%.17g" : "%.17g", a[i]);
  printf("]%s", comma ? "," : "");
}

static int meets(int t, double v, double ref) { return TARGET_ATLEAST[t] ? v >= ref : v <= ref; }

int main(int argc, char **argv) {
  if (argc == 2 && strcmp(argv[1], "--det") == 0) {
    memcpy(P, BASE_P, sizeof P);
    memset(X, 0, sizeof X);
    project();
    printf("{");
    print_array("out", OUT, (long)YEARS * NS, 0);
    printf("}\n");
    return 0;
  }
  if (argc != 3) {
    fprintf(stderr, "usage: %s RUNS SEED | --det\n", argv[0]);
    return 2;
  }
  const long runs = atol(argv[1]);
  const uint64_t seed = (uint64_t)atoll(argv[2]);
  const int stride = BINS + 2;
  double *s1 = calloc(CELLS, sizeof(double)), *s2 = calloc(CELLS, sizeof(double));
  double *mn = malloc(CELLS * sizeof(double)), *mx = malloc(CELLS * sizeof(double));
  uint32_t *hist = calloc((size_t)CELLS * stride, sizeof(uint32_t));
  double reached[NTARGETS > 0 ? NTARGETS : 1] = {0};
  double first[(NTARGETS > 0 ? NTARGETS : 1) * (SPAN + 1)];
  memset(first, 0, sizeof first);
  for (int c = 0; c < CELLS; c++) mn[c] = INFINITY, mx[c] = -INFINITY;
  tyche s;
  long bad = 0;
  for (long run = 0; run < runs; run++) {
    tyche_reset(&s, seed, (uint64_t)run);
    sample(&s);
    project();
    const double *v = OUT + HORIZON_OFFSET * NS;
    for (int c = 0; c < CELLS; c++) {
      const double x = v[c];
      if (!isfinite(x)) { bad++; continue; }
      const double d = x - CENTRE[c];
      s1[c] += d;
      s2[c] += d * d;
      if (x < mn[c]) mn[c] = x;
      if (x > mx[c]) mx[c] = x;
      const double t = (x - LO[c]) * INV_WIDTH[c];
      hist[c * stride + (t < 0 ? 0 : t < BINS ? (int)t + 1 : BINS + 1)]++;
    }
    for (int k = 0; k < NTARGETS; k++) {
      const int at = TARGET_YEAR[k] * NS;
      const double ref = TARGET_REF[k] >= 0 ? OUT[at + TARGET_REF[k]] : TARGET_REFVALUE[k];
      if (meets(k, OUT[at + TARGET_SERIES[k]], ref)) reached[k]++;
      int y = 0;
      for (; y < SPAN; y++) {
        const int row = (HORIZON_OFFSET + y) * NS;
        const double r = TARGET_REF[k] >= 0 ? OUT[row + TARGET_REF[k]] : TARGET_REFVALUE[k];
        if (meets(k, OUT[row + TARGET_SERIES[k]], r)) break;
      }
      first[k * (SPAN + 1) + y]++;
    }
  }
  if (bad) fprintf(stderr, "peer: %ld non-finite values\n", bad);
  double *mean = malloc(CELLS * sizeof(double)), *sd = malloc(CELLS * sizeof(double));
  for (int c = 0; c < CELLS; c++) {
    mean[c] = CENTRE[c] + s1[c] / runs;
    sd[c] = runs > 1 ? sqrt(fmax(0, (s2[c] - s1[c] * s1[c] / runs) / (runs - 1))) : NAN;
  }
  printf("{\"runs\":%ld,", runs);
  print_array("mean", mean, CELLS, 1);
  print_array("sd", sd, CELLS, 1);
  print_array("min", mn, CELLS, 1);
  print_array("max", mx, CELLS, 1);
  printf("\"hist\":[");
  for (long i = 0; i < (long)CELLS * stride; i++) printf(i ? ",%u" : "%u", hist[i]);
  printf("],");
  print_array("reached", reached, NTARGETS, 1);
  print_array("firstYear", first, (long)NTARGETS * (SPAN + 1), 0);
  printf("}\n");
  return 0;
}
