;; The parameter draws of a batch of runs (run-sampler.ts, ParamStage in param-stage.ts): each run's
;; parameter uniforms, where the streams left them, copied into the run's vector; the Gaussian copula's
;; correlated uniforms after them (its independent normals through the quantile, the Cholesky factor,
;; Φ, clamped into (0, 1)); then every draw whose inverse CDF has a closed form (triangular, uniform,
;; normal) from the vector into the run's draws. The same operations in the same order as the
;; JavaScript they replace (Copula.correlate in correlation.ts, compileQuantileBatch in
;; distributions.ts), so the same doubles: + − × ÷ and √ are IEEE operations in both, the quantiles are
;; shocks.wat's normals() (imported: one definition), and Φ is normal-cdf.ts's stdlib erfc and exp
;; written out again here statement for statement. Fixed code, assembled by scripts/build-fold-wasm.mjs
;; into params-wasm.ts (tests/montecarlo/normal-cdf.test.ts holds exp, erfc and Φ to stdlib's bit for
;; bit, tests/montecarlo/run-sampler.test.ts the draws to a one-draw-at-a-time reference). The memory is
;; imported and never grown (see src/util/wasm.ts).
(module
  (import "env" "memory" (memory 1))
  ;; shocks.wat's normals(src, n, dst, tails): Φ⁻¹ of n doubles (3 readable after src, room n + 3 at dst).
  (import "shocks" "normals" (func $normals (param i32 i32 i32 i32)))

  ;; 2^e: e + 1023 in the exponent field (normal-cdf.ts's pow2, the same bits for every e).
  (func $pow2 (param $e i32) (result f64)
    (f64.reinterpret_i64 (i64.shl (i64.extend_i32_u (i32.add (local.get $e) (i32.const 1023))) (i64.const 52))))

  ;; normal-cdf.ts's ldexp(y, k) (stdlib's, for the y of exp).
  (func $ldexp (param $y f64) (param $k i32) (result f64)
    (local $e i32)
    ;; k = 0, y = 0, or y not finite (y − y is NaN exactly then).
    (if (i32.or (i32.eqz (local.get $k))
                (i32.or (f64.eq (local.get $y) (f64.const 0))
                        (f64.ne (f64.sub (local.get $y) (local.get $y)) (f64.const 0))))
      (then (return (local.get $y))))
    (local.set $e
      (i32.add (local.get $k)
               (i32.sub (i32.and (i32.wrap_i64 (i64.shr_u (i64.reinterpret_f64 (local.get $y)) (i64.const 52)))
                                 (i32.const 0x7ff))
                        (i32.const 1023))))
    (if (i32.lt_s (local.get $e) (i32.const -1074))
      (then (return (select (f64.const -0) (f64.const 0) (f64.lt (local.get $y) (f64.const 0))))))
    (if (i32.gt_s (local.get $e) (i32.const 1023))
      (then (return (select (f64.const -inf) (f64.const inf) (f64.lt (local.get $y) (f64.const 0))))))
    (if (i32.le_s (local.get $e) (i32.const -1023))
      (then (return (f64.mul (f64.mul (local.get $y) (call $pow2 (i32.add (local.get $k) (i32.const 52))))
                             (f64.const 2.220446049250313e-16)))))
    (if (i32.gt_s (local.get $k) (i32.const 1023))
      (then (return (f64.mul (f64.mul (local.get $y) (f64.const 2)) (call $pow2 (i32.sub (local.get $k) (i32.const 1)))))))
    (if (i32.lt_s (local.get $k) (i32.const -1022))
      (then (return (f64.mul (f64.mul (local.get $y) (f64.const 0.5)) (call $pow2 (i32.add (local.get $k) (i32.const 1)))))))
    (f64.mul (local.get $y) (call $pow2 (local.get $k))))

  ;; normal-cdf.ts's stdlibExp(x).
  (func $exp (export "exp") (param $x f64) (result f64)
    (local $k i32) (local $dk f64) (local $hi f64) (local $lo f64) (local $r f64) (local $t f64) (local $c f64)
    (if (f64.ne (local.get $x) (local.get $x)) (then (return (local.get $x))))
    (if (f64.eq (local.get $x) (f64.const inf)) (then (return (local.get $x))))
    (if (f64.eq (local.get $x) (f64.const -inf)) (then (return (f64.const 0))))
    (if (f64.gt (local.get $x) (f64.const 709.782712893384)) (then (return (f64.const inf))))
    (if (f64.lt (local.get $x) (f64.const -745.1332191019411)) (then (return (f64.const 0))))
    (if (i32.and (f64.gt (local.get $x) (f64.const -0x1p-28)) (f64.lt (local.get $x) (f64.const 0x1p-28)))
      (then (return (f64.add (f64.const 1) (local.get $x)))))
    ;; Math.trunc of a value below 1100 in magnitude: exact as an i32.
    (local.set $k
      (i32.trunc_f64_s
        (select (f64.sub (f64.mul (f64.const 1.4426950408889634) (local.get $x)) (f64.const 0.5))
                (f64.add (f64.mul (f64.const 1.4426950408889634) (local.get $x)) (f64.const 0.5))
                (f64.lt (local.get $x) (f64.const 0)))))
    (local.set $dk (f64.convert_i32_s (local.get $k)))
    (local.set $hi (f64.sub (local.get $x) (f64.mul (local.get $dk) (f64.const 0.6931471803691238))))
    (local.set $lo (f64.mul (local.get $dk) (f64.const 1.9082149292705877e-10)))
    (local.set $r (f64.sub (local.get $hi) (local.get $lo)))
    (local.set $t (f64.mul (local.get $r) (local.get $r)))
    (local.set $c
      (f64.sub (local.get $r)
        (f64.mul (local.get $t)
          (f64.add (f64.const 0.16666666666666602)
            (f64.mul (local.get $t)
              (f64.add (f64.const -0.0027777777777015593)
                (f64.mul (local.get $t)
                  (f64.add (f64.const 0.00006613756321437934)
                    (f64.mul (local.get $t)
                      (f64.add (f64.const -0.0000016533902205465252)
                        (f64.mul (local.get $t) (f64.const 4.1381367970572385e-8))))))))))))
    (call $ldexp
      (f64.sub (f64.const 1)
        (f64.sub (f64.sub (local.get $lo)
                          (f64.div (f64.mul (local.get $r) (local.get $c)) (f64.sub (f64.const 2) (local.get $c))))
                 (local.get $hi)))
      (local.get $k)))

  ;; normal-cdf.ts's stdlibErfc(x).
  (func $erfc (export "erfc") (param $x f64) (result f64)
    (local $sign i32) (local $ax f64) (local $z f64) (local $r f64) (local $s f64) (local $y f64)
    (local $p f64) (local $q f64) (local $rr f64) (local $e f64)
    (if (f64.ne (local.get $x) (local.get $x)) (then (return (f64.const nan))))
    (if (f64.eq (local.get $x) (f64.const inf)) (then (return (f64.const 0))))
    (if (f64.eq (local.get $x) (f64.const -inf)) (then (return (f64.const 2))))
    (if (f64.eq (local.get $x) (f64.const 0)) (then (return (f64.const 1))))
    (local.set $sign (f64.lt (local.get $x) (f64.const 0)))
    (local.set $ax (select (f64.neg (local.get $x)) (local.get $x) (local.get $sign)))
    (if (f64.lt (local.get $ax) (f64.const 0.84375))
      (then
        (if (f64.lt (local.get $ax) (f64.const 1.3877787807814457e-17))
          (then (return (f64.sub (f64.const 1) (local.get $x)))))
        (local.set $z (f64.mul (local.get $x) (local.get $x)))
        (local.set $r
          (f64.add (f64.const 1.28379167095512558561e-1)
            (f64.mul (local.get $z)
              (f64.add (f64.const -0.3250421072470015)
                (f64.mul (local.get $z)
                  (f64.add (f64.const -0.02848174957559851)
                    (f64.mul (local.get $z)
                      (f64.add (f64.const -0.005770270296489442)
                        (f64.mul (local.get $z) (f64.const -0.000023763016656650163))))))))))
        (local.set $s
          (f64.add (f64.const 1)
            (f64.mul (local.get $z)
              (f64.add (f64.const 0.39791722395915535)
                (f64.mul (local.get $z)
                  (f64.add (f64.const 0.0650222499887673)
                    (f64.mul (local.get $z)
                      (f64.add (f64.const 0.005081306281875766)
                        (f64.mul (local.get $z)
                          (f64.add (f64.const 0.00013249473800432164)
                            (f64.mul (local.get $z) (f64.const -0.000003960228278775368))))))))))))
        (local.set $y (f64.div (local.get $r) (local.get $s)))
        (if (f64.lt (local.get $x) (f64.const 0.25))
          (then (return (f64.sub (f64.const 1) (f64.add (local.get $x) (f64.mul (local.get $x) (local.get $y)))))))
        (local.set $rr (f64.mul (local.get $x) (local.get $y)))
        (local.set $rr (f64.add (local.get $rr) (f64.sub (local.get $x) (f64.const 0.5))))
        (return (f64.sub (f64.const 0.5) (local.get $rr)))))
    (if (f64.lt (local.get $ax) (f64.const 1.25))
      (then
        (local.set $s (f64.sub (local.get $ax) (f64.const 1)))
        (local.set $p
          (f64.add (f64.const -2.36211856075265944077e-3)
            (f64.mul (local.get $s)
              (f64.add (f64.const 0.41485611868374833)
                (f64.mul (local.get $s)
                  (f64.add (f64.const -0.3722078760357013)
                    (f64.mul (local.get $s)
                      (f64.add (f64.const 0.31834661990116175)
                        (f64.mul (local.get $s)
                          (f64.add (f64.const -0.11089469428239668)
                            (f64.mul (local.get $s)
                              (f64.add (f64.const 0.035478304325618236)
                                (f64.mul (local.get $s) (f64.const -0.002166375594868791))))))))))))))
        (local.set $q
          (f64.add (f64.const 1)
            (f64.mul (local.get $s)
              (f64.add (f64.const 0.10642088040084423)
                (f64.mul (local.get $s)
                  (f64.add (f64.const 0.540397917702171)
                    (f64.mul (local.get $s)
                      (f64.add (f64.const 0.07182865441419627)
                        (f64.mul (local.get $s)
                          (f64.add (f64.const 0.12617121980876164)
                            (f64.mul (local.get $s)
                              (f64.add (f64.const 0.01363708391202905)
                                (f64.mul (local.get $s) (f64.const 0.011984499846799107))))))))))))))
        (if (local.get $sign)
          (then (return (f64.add (f64.add (f64.const 1) (f64.const 8.45062911510467529297e-1))
                                 (f64.div (local.get $p) (local.get $q))))))
        (return (f64.sub (f64.sub (f64.const 1) (f64.const 8.45062911510467529297e-1))
                         (f64.div (local.get $p) (local.get $q))))))
    (if (f64.lt (local.get $ax) (f64.const 28))
      (then
        (local.set $z (f64.div (f64.const 1) (f64.mul (local.get $ax) (local.get $ax))))
        (if (f64.lt (local.get $ax) (f64.const 2.857142857142857))
          (then
            (local.set $r
              (f64.add (f64.const -9.86494403484714822705e-3)
                (f64.mul (local.get $z)
                  (f64.add (f64.const -0.6938585727071818)
                    (f64.mul (local.get $z)
                      (f64.add (f64.const -10.558626225323291)
                        (f64.mul (local.get $z)
                          (f64.add (f64.const -62.375332450326006)
                            (f64.mul (local.get $z)
                              (f64.add (f64.const -162.39666946257347)
                                (f64.mul (local.get $z)
                                  (f64.add (f64.const -184.60509290671104)
                                    (f64.mul (local.get $z)
                                      (f64.add (f64.const -81.2874355063066)
                                        (f64.mul (local.get $z) (f64.const -9.814329344169145))))))))))))))))
            (local.set $s
              (f64.add (f64.const 1)
                (f64.mul (local.get $z)
                  (f64.add (f64.const 19.651271667439257)
                    (f64.mul (local.get $z)
                      (f64.add (f64.const 137.65775414351904)
                        (f64.mul (local.get $z)
                          (f64.add (f64.const 434.56587747522923)
                            (f64.mul (local.get $z)
                              (f64.add (f64.const 645.3872717332679)
                                (f64.mul (local.get $z)
                                  (f64.add (f64.const 429.00814002756783)
                                    (f64.mul (local.get $z)
                                      (f64.add (f64.const 108.63500554177944)
                                        (f64.mul (local.get $z)
                                          (f64.add (f64.const 6.570249770319282)
                                            (f64.mul (local.get $z) (f64.const -0.0604244152148581)))))))))))))))))))
          (else
            (if (f64.lt (local.get $x) (f64.const -6))
              (then (return (f64.sub (f64.const 2) (f64.const 1e-300)))))
            (local.set $r
              (f64.add (f64.const -9.86494292470009928597e-3)
                (f64.mul (local.get $z)
                  (f64.add (f64.const -0.799283237680523)
                    (f64.mul (local.get $z)
                      (f64.add (f64.const -17.757954917754752)
                        (f64.mul (local.get $z)
                          (f64.add (f64.const -160.63638485582192)
                            (f64.mul (local.get $z)
                              (f64.add (f64.const -637.5664433683896)
                                (f64.mul (local.get $z)
                                  (f64.add (f64.const -1025.0951316110772)
                                    (f64.mul (local.get $z) (f64.const -483.5191916086514))))))))))))))
            (local.set $s
              (f64.add (f64.const 1)
                (f64.mul (local.get $z)
                  (f64.add (f64.const 30.33806074348246)
                    (f64.mul (local.get $z)
                      (f64.add (f64.const 325.7925129965739)
                        (f64.mul (local.get $z)
                          (f64.add (f64.const 1536.729586084437)
                            (f64.mul (local.get $z)
                              (f64.add (f64.const 3199.8582195085955)
                                (f64.mul (local.get $z)
                                  (f64.add (f64.const 2553.0504064331644)
                                    (f64.mul (local.get $z)
                                      (f64.add (f64.const 474.52854120695537)
                                        (f64.mul (local.get $z) (f64.const -22.44095244658582))))))))))))))))))
        ;; ax with its low word zeroed (20 bits of mantissa), so that z·z is exact.
        (local.set $z
          (f64.reinterpret_i64 (i64.and (i64.reinterpret_f64 (local.get $ax)) (i64.const 0xffffffff00000000))))
        (local.set $e
          (f64.mul
            (call $exp (f64.sub (f64.neg (f64.mul (local.get $z) (local.get $z))) (f64.const 0.5625)))
            (call $exp (f64.add (f64.mul (f64.sub (local.get $z) (local.get $ax)) (f64.add (local.get $z) (local.get $ax)))
                                (f64.div (local.get $r) (local.get $s))))))
        (return (select (f64.sub (f64.const 2) (f64.div (local.get $e) (local.get $ax)))
                        (f64.div (local.get $e) (local.get $ax))
                        (local.get $sign)))))
    (select (f64.sub (f64.const 2) (f64.const 1e-300))
            (f64.mul (f64.const 1e-300) (f64.const 1e-300))
            (local.get $sign)))

  ;; normal-cdf.ts's normalCdfStd(x): stdlib's cdf(x, 0, 1).
  (func $cdf (export "cdf") (param $x f64) (result f64)
    (if (f64.ne (local.get $x) (local.get $x)) (then (return (f64.const nan))))
    (f64.mul (f64.const 0.5)
             (call $erfc (f64.div (f64.neg (f64.sub (local.get $x) (f64.const 0))) (f64.const 1.4142135623730951)))))

;; Uniform i of the copula from its k independent normals at $z: row i of the lower Cholesky factor
  ;; (row-major k × k at $factor) times them, through Φ, clamped to [2^-1074, 1 − 2^-53] (NaN to the
  ;; lower end), as correlation.ts's correlate() has it.
  (func $correlated (param $factor i32) (param $k i32) (param $i i32) (param $z i32) (result f64)
    (local $j i32) (local $x f64) (local $u f64) (local $row i32)
    (local.set $row (i32.add (local.get $factor) (i32.shl (i32.mul (local.get $i) (local.get $k)) (i32.const 3))))
    (block $done
      (loop $sum
        (br_if $done (i32.gt_s (local.get $j) (local.get $i)))
        (local.set $x
          (f64.add (local.get $x)
                   (f64.mul (f64.load (i32.add (local.get $row) (i32.shl (local.get $j) (i32.const 3))))
                            (f64.load (i32.add (local.get $z) (i32.shl (local.get $j) (i32.const 3)))))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $sum)))
    (local.set $u (call $cdf (local.get $x)))
    (select (f64.const 0x1.fffffffffffffp-1)
            (select (local.get $u) (f64.const 0x1p-1074) (f64.gt (local.get $u) (f64.const 0)))
            (f64.gt (local.get $u) (f64.const 0x1.fffffffffffffp-1))))

  ;; The plan (param-stage.ts writes it): i32 fields at $plan.
  ;;   0 n: parameter uniforms a run     4 v: run 0's vector (n + k doubles)            8 its stride
  ;;  12 out: run 0's draws             16 their stride                              20 k: copula size
  ;;  24 factor (k × k doubles)         28 z, 32 tails, 36 g: scratch (runs · max(k, m) + 4 doubles each)
  ;;  40, 44: triangular count, table   48, 52: uniform count, table    56, 60: normal (m) count, table
  ;; Table rows: i32 src (index in the vector), i32 dst (index in the draws), then f64 constants:
  ;; triangular min, split, left, max, right (48 bytes); uniform min, span; normal mean, sd (24 bytes).
  ;; The normal quantiles are taken for every run at once, one normals() call for the copula's and one
  ;; for the normal draws' (a call on a few values is bound by the formula's chain of dependent steps,
  ;; ~0.05 µs whether it computes one value or four).
  (func (export "draws") (param $runs i32) (param $u i32) (param $uStride i32) (param $plan i32)
    (local $r i32) (local $n i32) (local $k i32) (local $m i32) (local $v i32) (local $out i32) (local $i i32)
    (local $row i32) (local $x f64) (local $g i32) (local $z i32)
    (local.set $n (i32.load offset=0 (local.get $plan)))
    (local.set $k (i32.load offset=20 (local.get $plan)))
    (local.set $m (i32.load offset=56 (local.get $plan)))
    (local.set $z (i32.load offset=28 (local.get $plan)))
    (local.set $g (i32.load offset=36 (local.get $plan)))
    ;; Each run's vector: its parameter uniforms; the copula's independent uniforms (the run's first
    ;; k) of every run side by side at g.
    (block $copied
      (loop $copy
        (br_if $copied (i32.ge_s (local.get $r) (local.get $runs)))
        (local.set $v (i32.add (i32.load offset=4 (local.get $plan))
                               (i32.mul (local.get $r) (i32.load offset=8 (local.get $plan)))))
        (memory.copy (local.get $v) (i32.add (local.get $u) (i32.mul (local.get $r) (local.get $uStride)))
                     (i32.shl (local.get $n) (i32.const 3)))
        (memory.copy (i32.add (local.get $g) (i32.shl (i32.mul (local.get $r) (local.get $k)) (i32.const 3)))
                     (local.get $v) (i32.shl (local.get $k) (i32.const 3)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $copy)))
    ;; The copula's uniforms after the run's own in its vector.
    (if (local.get $k)
      (then
        (call $normals (local.get $g) (i32.mul (local.get $runs) (local.get $k)) (local.get $z)
                       (i32.load offset=32 (local.get $plan)))
        (local.set $r (i32.const 0))
        (block $runsDone
          (loop $runs
            (br_if $runsDone (i32.ge_s (local.get $r) (local.get $runs)))
            (local.set $v (i32.add (i32.add (i32.load offset=4 (local.get $plan))
                                            (i32.mul (local.get $r) (i32.load offset=8 (local.get $plan))))
                                   (i32.shl (local.get $n) (i32.const 3))))
            (local.set $i (i32.const 0))
            (block $rowsDone
              (loop $rows
                (br_if $rowsDone (i32.ge_s (local.get $i) (local.get $k)))
                (f64.store (i32.add (local.get $v) (i32.shl (local.get $i) (i32.const 3)))
                  (call $correlated (i32.load offset=24 (local.get $plan)) (local.get $k) (local.get $i)
                                    (i32.add (local.get $z) (i32.shl (i32.mul (local.get $r) (local.get $k)) (i32.const 3)))))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $rows)))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (br $runs)))))
    ;; Normal: mean + sd·Φ⁻¹(u), the m uniforms of every run gathered at g (run r's from g + 8·m·r).
    (if (local.get $m)
      (then
        (local.set $r (i32.const 0))
        (block $gathered
          (loop $gatherRuns
            (br_if $gathered (i32.ge_s (local.get $r) (local.get $runs)))
            (local.set $v (i32.add (i32.load offset=4 (local.get $plan))
                                   (i32.mul (local.get $r) (i32.load offset=8 (local.get $plan)))))
            (local.set $row (i32.load offset=60 (local.get $plan)))
            (local.set $i (i32.const 0))
            (block $gatherDone
              (loop $gather
                (br_if $gatherDone (i32.ge_s (local.get $i) (local.get $m)))
                (f64.store (i32.add (local.get $g) (i32.shl (i32.add (i32.mul (local.get $r) (local.get $m)) (local.get $i)) (i32.const 3)))
                  (f64.load (i32.add (local.get $v) (i32.shl (i32.load (local.get $row)) (i32.const 3)))))
                (local.set $row (i32.add (local.get $row) (i32.const 24)))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $gather)))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (br $gatherRuns)))
        (call $normals (local.get $g) (i32.mul (local.get $runs) (local.get $m)) (local.get $z)
                       (i32.load offset=32 (local.get $plan)))
        (local.set $r (i32.const 0))
        (block $scattered
          (loop $scatterRuns
            (br_if $scattered (i32.ge_s (local.get $r) (local.get $runs)))
            (local.set $out (i32.add (i32.load offset=12 (local.get $plan))
                                     (i32.mul (local.get $r) (i32.load offset=16 (local.get $plan)))))
            (local.set $row (i32.load offset=60 (local.get $plan)))
            (local.set $i (i32.const 0))
            (block $norDone
              (loop $nor
                (br_if $norDone (i32.ge_s (local.get $i) (local.get $m)))
                (f64.store (i32.add (local.get $out) (i32.shl (i32.load offset=4 (local.get $row)) (i32.const 3)))
                  (f64.add (f64.load offset=8 (local.get $row))
                           (f64.mul (f64.load offset=16 (local.get $row))
                                    (f64.load (i32.add (local.get $z)
                                                       (i32.shl (i32.add (i32.mul (local.get $r) (local.get $m)) (local.get $i)) (i32.const 3)))))))
                (local.set $row (i32.add (local.get $row) (i32.const 24)))
                (local.set $i (i32.add (local.get $i) (i32.const 1)))
                (br $nor)))
            (local.set $r (i32.add (local.get $r) (i32.const 1)))
            (br $scatterRuns)))))
    (local.set $r (i32.const 0))
    (block $done
      (loop $run
        (br_if $done (i32.ge_s (local.get $r) (local.get $runs)))
        (local.set $v (i32.add (i32.load offset=4 (local.get $plan))
                               (i32.mul (local.get $r) (i32.load offset=8 (local.get $plan)))))
        (local.set $out (i32.add (i32.load offset=12 (local.get $plan))
                                 (i32.mul (local.get $r) (i32.load offset=16 (local.get $plan)))))
        ;; Triangular: u < split ? min + √(u·left) : max − √((1 − u)·right), both computed, one kept.
        (local.set $row (i32.load offset=44 (local.get $plan)))
        (local.set $i (i32.const 0))
        (block $triDone
          (loop $tri
            (br_if $triDone (i32.ge_s (local.get $i) (i32.load offset=40 (local.get $plan))))
            (local.set $x (f64.load (i32.add (local.get $v) (i32.shl (i32.load (local.get $row)) (i32.const 3)))))
            (f64.store (i32.add (local.get $out) (i32.shl (i32.load offset=4 (local.get $row)) (i32.const 3)))
              (select
                (f64.add (f64.load offset=8 (local.get $row))
                         (f64.sqrt (f64.mul (local.get $x) (f64.load offset=24 (local.get $row)))))
                (f64.sub (f64.load offset=32 (local.get $row))
                         (f64.sqrt (f64.mul (f64.sub (f64.const 1) (local.get $x)) (f64.load offset=40 (local.get $row)))))
                (f64.lt (local.get $x) (f64.load offset=16 (local.get $row)))))
            (local.set $row (i32.add (local.get $row) (i32.const 48)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $tri)))
        ;; Uniform: min + u·span.
        (local.set $row (i32.load offset=52 (local.get $plan)))
        (local.set $i (i32.const 0))
        (block $uniDone
          (loop $uni
            (br_if $uniDone (i32.ge_s (local.get $i) (i32.load offset=48 (local.get $plan))))
            (f64.store (i32.add (local.get $out) (i32.shl (i32.load offset=4 (local.get $row)) (i32.const 3)))
              (f64.add (f64.load offset=8 (local.get $row))
                       (f64.mul (f64.load (i32.add (local.get $v) (i32.shl (i32.load (local.get $row)) (i32.const 3))))
                                (f64.load offset=16 (local.get $row)))))
            (local.set $row (i32.add (local.get $row) (i32.const 24)))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br $uni)))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $run)))))
