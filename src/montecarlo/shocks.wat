;; The shock paths of a batch of runs (run-sampler.ts, ShockStage in shock-stage.ts): each run's shock
;; uniforms through the standard normal quantile, then the AR(1) paths year by year into the run's
;; shock block. The same operations in the same order as the JavaScript it replaced
;; (normalQuantileStd in distributions.ts, value by value, and the path recursion), so the numbers
;; are the same bit for bit: + − × ÷ and √ are IEEE operations in both, and the logarithm of the quantile's tails is fdlibm's
;; (FreeBSD msun e_log.c), which is what V8's Math.log computes (src/base/ieee754.cc). The central
;; formula runs on two values per f64x2 instruction. Fixed code, assembled by
;; scripts/build-fold-wasm.mjs into shocks-wasm.ts (tests/montecarlo/shocks-wasm.test.ts checks that the
;; two agree, the logarithm against Math.log and the quantiles against normalQuantileStd). The memory
;; is imported and never grown (see src/util/wasm.ts).
(module
  (import "env" "memory" (memory 1))

  ;; fdlibm's __ieee754_log(x), statement for statement.
  (func $log (export "log") (param $x f64) (result f64)
    (local $hx i32) (local $k i32) (local $i i32) (local $j i32)
    (local $f f64) (local $s f64) (local $z f64) (local $w f64) (local $R f64) (local $dk f64)
    (local $hfsq f64) (local $t1 f64) (local $t2 f64)
    (local.set $hx (i32.wrap_i64 (i64.shr_u (i64.reinterpret_f64 (local.get $x)) (i64.const 32))))
    (if (i32.lt_s (local.get $hx) (i32.const 0x00100000))
      (then
        ;; log(±0) = −∞, log(x < 0) = NaN; a subnormal x is scaled up by 2^54.
        (if (i32.eqz (i32.or (i32.and (local.get $hx) (i32.const 0x7fffffff))
                             (i32.wrap_i64 (i64.reinterpret_f64 (local.get $x)))))
          (then (return (f64.const -inf))))
        (if (i32.lt_s (local.get $hx) (i32.const 0)) (then (return (f64.const nan))))
        (local.set $k (i32.const -54))
        (local.set $x (f64.mul (local.get $x) (f64.const 0x1p54)))
        (local.set $hx (i32.wrap_i64 (i64.shr_u (i64.reinterpret_f64 (local.get $x)) (i64.const 32))))))
    (if (i32.ge_s (local.get $hx) (i32.const 0x7ff00000)) (then (return (f64.add (local.get $x) (local.get $x)))))
    (local.set $k (i32.add (local.get $k) (i32.sub (i32.shr_s (local.get $hx) (i32.const 20)) (i32.const 1023))))
    (local.set $hx (i32.and (local.get $hx) (i32.const 0x000fffff)))
    (local.set $i (i32.and (i32.add (local.get $hx) (i32.const 0x95f64)) (i32.const 0x100000)))
    ;; The high word becomes hx | (i ^ 0x3ff00000): x or x/2, in [√2/2, √2).
    (local.set $x
      (f64.reinterpret_i64
        (i64.or
          (i64.shl (i64.extend_i32_u (i32.or (local.get $hx) (i32.xor (local.get $i) (i32.const 0x3ff00000))))
                   (i64.const 32))
          (i64.and (i64.reinterpret_f64 (local.get $x)) (i64.const 0xffffffff)))))
    (local.set $k (i32.add (local.get $k) (i32.shr_s (local.get $i) (i32.const 20))))
    (local.set $f (f64.sub (local.get $x) (f64.const 1)))
    (local.set $dk (f64.convert_i32_s (local.get $k)))
    ;; |f| < 2^-20
    (if (i32.lt_s (i32.and (i32.const 0x000fffff) (i32.add (i32.const 2) (local.get $hx))) (i32.const 3))
      (then
        (if (f64.eq (local.get $f) (f64.const 0))
          (then
            (if (i32.eqz (local.get $k)) (then (return (f64.const 0))))
            (return (f64.add (f64.mul (local.get $dk) (f64.const 6.93147180369123816490e-01))
                             (f64.mul (local.get $dk) (f64.const 1.90821492927058770002e-10))))))
        (local.set $R (f64.mul (f64.mul (local.get $f) (local.get $f))
                               (f64.sub (f64.const 0.5) (f64.mul (f64.const 0.33333333333333333) (local.get $f)))))
        (if (i32.eqz (local.get $k)) (then (return (f64.sub (local.get $f) (local.get $R)))))
        (return (f64.sub (f64.mul (local.get $dk) (f64.const 6.93147180369123816490e-01))
                         (f64.sub (f64.sub (local.get $R) (f64.mul (local.get $dk) (f64.const 1.90821492927058770002e-10)))
                                  (local.get $f))))))
    (local.set $s (f64.div (local.get $f) (f64.add (f64.const 2) (local.get $f))))
    (local.set $z (f64.mul (local.get $s) (local.get $s)))
    (local.set $i (i32.sub (local.get $hx) (i32.const 0x6147a)))
    (local.set $w (f64.mul (local.get $z) (local.get $z)))
    (local.set $j (i32.sub (i32.const 0x6b851) (local.get $hx)))
    ;; t1 = w·(Lg2 + w·(Lg4 + w·Lg6)), t2 = z·(Lg1 + w·(Lg3 + w·(Lg5 + w·Lg7)))
    (local.set $t1
      (f64.mul (local.get $w)
        (f64.add (f64.const 3.999999999940941908e-01)
          (f64.mul (local.get $w)
            (f64.add (f64.const 2.222219843214978396e-01)
              (f64.mul (local.get $w) (f64.const 1.531383769920937332e-01)))))))
    (local.set $t2
      (f64.mul (local.get $z)
        (f64.add (f64.const 6.666666666666735130e-01)
          (f64.mul (local.get $w)
            (f64.add (f64.const 2.857142874366239149e-01)
              (f64.mul (local.get $w)
                (f64.add (f64.const 1.818357216161805012e-01)
                  (f64.mul (local.get $w) (f64.const 1.479819860511658591e-01)))))))))
    (local.set $i (i32.or (local.get $i) (local.get $j)))
    (local.set $R (f64.add (local.get $t2) (local.get $t1)))
    (if (i32.gt_s (local.get $i) (i32.const 0))
      (then
        (local.set $hfsq (f64.mul (f64.mul (f64.const 0.5) (local.get $f)) (local.get $f)))
        (if (i32.eqz (local.get $k))
          (then
            (return (f64.sub (local.get $f)
                             (f64.sub (local.get $hfsq)
                                      (f64.mul (local.get $s) (f64.add (local.get $hfsq) (local.get $R))))))))
        (return (f64.sub (f64.mul (local.get $dk) (f64.const 6.93147180369123816490e-01))
                         (f64.sub (f64.sub (local.get $hfsq)
                                           (f64.add (f64.mul (local.get $s) (f64.add (local.get $hfsq) (local.get $R)))
                                                    (f64.mul (local.get $dk) (f64.const 1.90821492927058770002e-10))))
                                  (local.get $f))))))
    (if (i32.eqz (local.get $k))
      (then (return (f64.sub (local.get $f) (f64.mul (local.get $s) (f64.sub (local.get $f) (local.get $R)))))))
    (f64.sub (f64.mul (local.get $dk) (f64.const 6.93147180369123816490e-01))
             (f64.sub (f64.sub (f64.mul (local.get $s) (f64.sub (local.get $f) (local.get $R)))
                               (f64.mul (local.get $dk) (f64.const 1.90821492927058770002e-10)))
                      (local.get $f))))

  ;; AS 241 in the tails, |p − 0.5| > 0.425, and at the edges 0, 1 and NaN (tailQuantileAt).
  (func $tail (export "tail") (param $p f64) (result f64)
    (local $q f64) (local $r f64) (local $val f64)
    (local.set $q (f64.sub (local.get $p) (f64.const 0.5)))
    (if (i32.eqz (f64.gt (local.get $p) (f64.const 0)))
      (then (return (select (f64.const -inf) (f64.const nan) (f64.eq (local.get $p) (f64.const 0))))))
    (if (i32.eqz (f64.lt (local.get $p) (f64.const 1)))
      (then (return (select (f64.const inf) (f64.const nan) (f64.eq (local.get $p) (f64.const 1))))))
    (local.set $r
      (f64.sqrt (f64.neg (call $log
        (select (local.get $p) (f64.sub (f64.const 1) (local.get $p)) (f64.lt (local.get $q) (f64.const 0)))))))
    (if (f64.le (local.get $r) (f64.const 5))
      (then
        (local.set $r (f64.sub (local.get $r) (f64.const 1.6)))
        local.get $r f64.const 7.7454501427834140764e-4 f64.mul f64.const 0.0227238449892691845833 f64.add
            local.get $r f64.mul f64.const 0.24178072517745061177 f64.add
            local.get $r f64.mul f64.const 1.27045825245236838258 f64.add
            local.get $r f64.mul f64.const 3.64784832476320460504 f64.add
            local.get $r f64.mul f64.const 5.7694972214606914055 f64.add
            local.get $r f64.mul f64.const 4.6303378461565452959 f64.add
            local.get $r f64.mul f64.const 1.42343711074968357734 f64.add
            local.get $r f64.const 1.05075007164441684324e-9 f64.mul f64.const 5.475938084995344946e-4 f64.add
            local.get $r f64.mul f64.const 0.0151986665636164571966 f64.add
            local.get $r f64.mul f64.const 0.14810397642748007459 f64.add
            local.get $r f64.mul f64.const 0.68976733498510000455 f64.add
            local.get $r f64.mul f64.const 1.6763848301838038494 f64.add
            local.get $r f64.mul f64.const 2.05319162663775882187 f64.add
            local.get $r f64.mul f64.const 1.0 f64.add
        f64.div
        local.set $val)
      (else
        (local.set $r (f64.sub (local.get $r) (f64.const 5)))
        local.get $r f64.const 2.01033439929228813265e-7 f64.mul f64.const 2.71155556874348757815e-5 f64.add
            local.get $r f64.mul f64.const 0.0012426609473880784386 f64.add
            local.get $r f64.mul f64.const 0.026532189526576123093 f64.add
            local.get $r f64.mul f64.const 0.29656057182850489123 f64.add
            local.get $r f64.mul f64.const 1.7848265399172913358 f64.add
            local.get $r f64.mul f64.const 5.4637849111641143699 f64.add
            local.get $r f64.mul f64.const 6.6579046435011037772 f64.add
            local.get $r f64.const 2.04426310338993978564e-15 f64.mul f64.const 1.4215117583164458887e-7 f64.add
            local.get $r f64.mul f64.const 1.8463183175100546818e-5 f64.add
            local.get $r f64.mul f64.const 7.868691311456132591e-4 f64.add
            local.get $r f64.mul f64.const 0.0148753612908506148525 f64.add
            local.get $r f64.mul f64.const 0.13692988092273580531 f64.add
            local.get $r f64.mul f64.const 0.59983220655588793769 f64.add
            local.get $r f64.mul f64.const 1.0 f64.add
        f64.div
        local.set $val))
    (select (f64.neg (local.get $val)) (local.get $val) (f64.lt (local.get $q) (f64.const 0))))

  ;; dst[i] = Φ⁻¹(src[i]) for i < n (doubles; dst ≠ src). AS 241's central formula for every value,
  ;; four at a time, two per instruction, the two pairs' steps interleaved (each pair's formula is a
  ;; chain of dependent operations, and two chains overlap in the processor); the positions of the tail
  ;; values listed (at $tails, 4·n bytes) without a branch; then the tails, two at a time (tailPair). The
  ;; last group of four is computed whole when n is not a multiple of four: src must be followed by three
  ;; readable doubles (read, not used) and dst have room for n + 3.
  (func $normals (export "normals") (param $src i32) (param $n i32) (param $dst i32) (param $tails i32)
    (local $i i32) (local $t i32) (local $q v128) (local $tail v128) (local $at i32) (local $at1 i32)
    (local $q0 v128) (local $q1 v128) (local $r0 v128) (local $r1 v128) (local $n0 v128) (local $n1 v128)
    (local $d0 v128) (local $d1 v128)
    (block $done
      (loop $quad
        (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $at (i32.add (local.get $src) (i32.shl (local.get $i) (i32.const 3))))
        (local.set $q0 (f64x2.sub (v128.load offset=0 (local.get $at)) (f64x2.splat (f64.const 0.5))))
        (local.set $q1 (f64x2.sub (v128.load offset=16 (local.get $at)) (f64x2.splat (f64.const 0.5))))
        (local.set $r0 (f64x2.sub (f64x2.splat (f64.const 0.180625)) (f64x2.mul (local.get $q0) (local.get $q0))))
        (local.set $r1 (f64x2.sub (f64x2.splat (f64.const 0.180625)) (f64x2.mul (local.get $q1) (local.get $q1))))
        (local.set $n0 (f64x2.add (f64x2.mul (local.get $r0) (f64x2.splat (f64.const 2509.0809287301226727))) (f64x2.splat (f64.const 33430.575583588128105))))
        (local.set $d0 (f64x2.add (f64x2.mul (local.get $r0) (f64x2.splat (f64.const 5226.495278852545925))) (f64x2.splat (f64.const 28729.085735721942674))))
        (local.set $n1 (f64x2.add (f64x2.mul (local.get $r1) (f64x2.splat (f64.const 2509.0809287301226727))) (f64x2.splat (f64.const 33430.575583588128105))))
        (local.set $d1 (f64x2.add (f64x2.mul (local.get $r1) (f64x2.splat (f64.const 5226.495278852545925))) (f64x2.splat (f64.const 28729.085735721942674))))
        (local.set $n0 (f64x2.add (f64x2.mul (local.get $n0) (local.get $r0)) (f64x2.splat (f64.const 67265.770927008700853))))
        (local.set $d0 (f64x2.add (f64x2.mul (local.get $d0) (local.get $r0)) (f64x2.splat (f64.const 39307.89580009271061))))
        (local.set $n1 (f64x2.add (f64x2.mul (local.get $n1) (local.get $r1)) (f64x2.splat (f64.const 67265.770927008700853))))
        (local.set $d1 (f64x2.add (f64x2.mul (local.get $d1) (local.get $r1)) (f64x2.splat (f64.const 39307.89580009271061))))
        (local.set $n0 (f64x2.add (f64x2.mul (local.get $n0) (local.get $r0)) (f64x2.splat (f64.const 45921.953931549871457))))
        (local.set $d0 (f64x2.add (f64x2.mul (local.get $d0) (local.get $r0)) (f64x2.splat (f64.const 21213.794301586595867))))
        (local.set $n1 (f64x2.add (f64x2.mul (local.get $n1) (local.get $r1)) (f64x2.splat (f64.const 45921.953931549871457))))
        (local.set $d1 (f64x2.add (f64x2.mul (local.get $d1) (local.get $r1)) (f64x2.splat (f64.const 21213.794301586595867))))
        (local.set $n0 (f64x2.add (f64x2.mul (local.get $n0) (local.get $r0)) (f64x2.splat (f64.const 13731.693765509461125))))
        (local.set $d0 (f64x2.add (f64x2.mul (local.get $d0) (local.get $r0)) (f64x2.splat (f64.const 5394.1960214247511077))))
        (local.set $n1 (f64x2.add (f64x2.mul (local.get $n1) (local.get $r1)) (f64x2.splat (f64.const 13731.693765509461125))))
        (local.set $d1 (f64x2.add (f64x2.mul (local.get $d1) (local.get $r1)) (f64x2.splat (f64.const 5394.1960214247511077))))
        (local.set $n0 (f64x2.add (f64x2.mul (local.get $n0) (local.get $r0)) (f64x2.splat (f64.const 1971.5909503065514427))))
        (local.set $d0 (f64x2.add (f64x2.mul (local.get $d0) (local.get $r0)) (f64x2.splat (f64.const 687.1870074920579083))))
        (local.set $n1 (f64x2.add (f64x2.mul (local.get $n1) (local.get $r1)) (f64x2.splat (f64.const 1971.5909503065514427))))
        (local.set $d1 (f64x2.add (f64x2.mul (local.get $d1) (local.get $r1)) (f64x2.splat (f64.const 687.1870074920579083))))
        (local.set $n0 (f64x2.add (f64x2.mul (local.get $n0) (local.get $r0)) (f64x2.splat (f64.const 133.14166789178437745))))
        (local.set $d0 (f64x2.add (f64x2.mul (local.get $d0) (local.get $r0)) (f64x2.splat (f64.const 42.313330701600911252))))
        (local.set $n1 (f64x2.add (f64x2.mul (local.get $n1) (local.get $r1)) (f64x2.splat (f64.const 133.14166789178437745))))
        (local.set $d1 (f64x2.add (f64x2.mul (local.get $d1) (local.get $r1)) (f64x2.splat (f64.const 42.313330701600911252))))
        (local.set $n0 (f64x2.add (f64x2.mul (local.get $n0) (local.get $r0)) (f64x2.splat (f64.const 3.387132872796366608))))
        (local.set $d0 (f64x2.add (f64x2.mul (local.get $d0) (local.get $r0)) (f64x2.splat (f64.const 1.0))))
        (local.set $n1 (f64x2.add (f64x2.mul (local.get $n1) (local.get $r1)) (f64x2.splat (f64.const 3.387132872796366608))))
        (local.set $d1 (f64x2.add (f64x2.mul (local.get $d1) (local.get $r1)) (f64x2.splat (f64.const 1.0))))
        (local.set $at (i32.add (local.get $dst) (i32.shl (local.get $i) (i32.const 3))))
        (v128.store offset=0 (local.get $at) (f64x2.div (f64x2.mul (local.get $q0) (local.get $n0)) (local.get $d0)))
        (v128.store offset=16 (local.get $at) (f64x2.div (f64x2.mul (local.get $q1) (local.get $n1)) (local.get $d1)))
        ;; A lane is a tail unless |q| <= 0.425 (so NaN is one), and counts only if it is one of the n:
        ;; its position is written at the list's end, which moves on only if it is.
        (local.set $tail (v128.not (f64x2.le (f64x2.abs (local.get $q0)) (f64x2.splat (f64.const 0.425)))))
        (i32.store (i32.add (local.get $tails) (i32.shl (local.get $t) (i32.const 2))) (local.get $i))
        (local.set $t (i32.add (local.get $t) (i32.and (i32.and (i32.wrap_i64 (i64x2.extract_lane 0 (local.get $tail))) (i32.const 1)) (i32.lt_s (local.get $i) (local.get $n)))))
        (i32.store (i32.add (local.get $tails) (i32.shl (local.get $t) (i32.const 2))) (i32.add (local.get $i) (i32.const 1)))
        (local.set $t (i32.add (local.get $t) (i32.and (i32.and (i32.wrap_i64 (i64x2.extract_lane 1 (local.get $tail))) (i32.const 1)) (i32.lt_s (i32.add (local.get $i) (i32.const 1)) (local.get $n)))))
        (local.set $tail (v128.not (f64x2.le (f64x2.abs (local.get $q1)) (f64x2.splat (f64.const 0.425)))))
        (i32.store (i32.add (local.get $tails) (i32.shl (local.get $t) (i32.const 2))) (i32.add (local.get $i) (i32.const 2)))
        (local.set $t (i32.add (local.get $t) (i32.and (i32.and (i32.wrap_i64 (i64x2.extract_lane 0 (local.get $tail))) (i32.const 1)) (i32.lt_s (i32.add (local.get $i) (i32.const 2)) (local.get $n)))))
        (i32.store (i32.add (local.get $tails) (i32.shl (local.get $t) (i32.const 2))) (i32.add (local.get $i) (i32.const 3)))
        (local.set $t (i32.add (local.get $t) (i32.and (i32.and (i32.wrap_i64 (i64x2.extract_lane 1 (local.get $tail))) (i32.const 1)) (i32.lt_s (i32.add (local.get $i) (i32.const 3)) (local.get $n)))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $quad)))
    ;; The tails two at a time (an odd last one paired with itself).
    (local.set $i (i32.const 0))
    (block $tailsDone
      (loop $tailLoop
        (br_if $tailsDone (i32.ge_s (local.get $i) (local.get $t)))
        (local.set $at (i32.shl (i32.load (i32.add (local.get $tails) (i32.shl (local.get $i) (i32.const 2)))) (i32.const 3)))
        (local.set $at1
          (select
            (i32.shl (i32.load offset=4 (i32.add (local.get $tails) (i32.shl (local.get $i) (i32.const 2)))) (i32.const 3))
            (local.get $at)
            (i32.lt_s (i32.add (local.get $i) (i32.const 1)) (local.get $t))))
        (local.set $q (call $tailPair
          (v128.load64_lane 1 (i32.add (local.get $src) (local.get $at1))
            (v128.load64_zero (i32.add (local.get $src) (local.get $at))))))
        (v128.store64_lane 0 (i32.add (local.get $dst) (local.get $at)) (local.get $q))
        (v128.store64_lane 1 (i32.add (local.get $dst) (local.get $at1)) (local.get $q))
        (local.set $i (i32.add (local.get $i) (i32.const 2)))
        (br $tailLoop))))

  ;; tail() of both lanes of $p, each lane by tail()'s operations: for tail values of p (both in
  ;; (0, 1), |p − 0.5| > 0.425, so x = min(p, 1 − p) < 0.075 and fdlibm's k ≠ 0) whose logarithm takes
  ;; fdlibm's main path, two lanes per instruction, the branch on i | j > 0 taken per lane by a select;
  ;; otherwise (an edge, NaN, a subnormal x, |f| < 2^-20, r > 5: none of them on the streams' grid but
  ;; the rare |f| < 2^-20) lane by lane through tail().
  (func $tailPair (param $p v128) (result v128)
    (local $q v128) (local $x v128) (local $bits v128) (local $hi v128) (local $hx v128) (local $k v128)
    (local $i v128) (local $f v128) (local $s v128) (local $z v128) (local $w v128) (local $R v128)
    (local $hfsq v128) (local $dk v128) (local $log v128) (local $r v128) (local $val v128)
    (local.set $q (f64x2.sub (local.get $p) (f64x2.splat (f64.const 0.5))))
    (local.set $x (v128.bitselect (local.get $p) (f64x2.sub (f64x2.splat (f64.const 1)) (local.get $p))
                                  (f64x2.lt (local.get $q) (f64x2.splat (f64.const 0)))))
    (local.set $bits (local.get $x))
    (local.set $hi (i64x2.shr_u (local.get $bits) (i32.const 32)))
    (local.set $hx (v128.and (local.get $hi) (i64x2.splat (i64.const 0x000fffff))))
    ;; Lane by lane unless both p are in (0, 1), x is normal (high word >= 0x00100000) and
    ;; (0x000fffff & (2 + hx)) >= 3.
    (if (v128.any_true
          (v128.or
            (v128.or
              (v128.not (v128.and (f64x2.gt (local.get $p) (f64x2.splat (f64.const 0)))
                                  (f64x2.lt (local.get $p) (f64x2.splat (f64.const 1)))))
              (i64x2.lt_s (local.get $hi) (i64x2.splat (i64.const 0x00100000))))
            (i64x2.lt_s (v128.and (i64x2.add (local.get $hx) (i64x2.splat (i64.const 2))) (i64x2.splat (i64.const 0x000fffff)))
                        (i64x2.splat (i64.const 3)))))
      (then (return (call $tailLanes (local.get $p)))))
    (local.set $k (i64x2.sub (i64x2.shr_s (local.get $hi) (i32.const 20)) (i64x2.splat (i64.const 1023))))
    (local.set $i (v128.and (i64x2.add (local.get $hx) (i64x2.splat (i64.const 0x95f64))) (i64x2.splat (i64.const 0x100000))))
    (local.set $x
      (v128.or
        (i64x2.shl (v128.or (local.get $hx) (v128.xor (local.get $i) (i64x2.splat (i64.const 0x3ff00000)))) (i32.const 32))
        (v128.and (local.get $bits) (i64x2.splat (i64.const 0xffffffff)))))
    (local.set $k (i64x2.add (local.get $k) (i64x2.shr_s (local.get $i) (i32.const 20))))
    ;; k of each lane (a small integer in the low half of its i64) to a double
    (local.set $dk (f64x2.convert_low_i32x4_s
      (i8x16.shuffle 0 1 2 3 8 9 10 11 0 1 2 3 8 9 10 11 (local.get $k) (local.get $k))))
    (local.set $f (f64x2.sub (local.get $x) (f64x2.splat (f64.const 1))))
    (local.set $s (f64x2.div (local.get $f) (f64x2.add (f64x2.splat (f64.const 2)) (local.get $f))))
    (local.set $z (f64x2.mul (local.get $s) (local.get $s)))
    (local.set $w (f64x2.mul (local.get $z) (local.get $z)))
    (local.set $R
      (f64x2.add
        (f64x2.mul (local.get $z)
          (f64x2.add (f64x2.splat (f64.const 6.666666666666735130e-01))
            (f64x2.mul (local.get $w)
              (f64x2.add (f64x2.splat (f64.const 2.857142874366239149e-01))
                (f64x2.mul (local.get $w)
                  (f64x2.add (f64x2.splat (f64.const 1.818357216161805012e-01))
                    (f64x2.mul (local.get $w) (f64x2.splat (f64.const 1.479819860511658591e-01)))))))))
        (f64x2.mul (local.get $w)
          (f64x2.add (f64x2.splat (f64.const 3.999999999940941908e-01))
            (f64x2.mul (local.get $w)
              (f64x2.add (f64x2.splat (f64.const 2.222219843214978396e-01))
                (f64x2.mul (local.get $w) (f64x2.splat (f64.const 1.531383769920937332e-01)))))))))
    (local.set $hfsq (f64x2.mul (f64x2.mul (f64x2.splat (f64.const 0.5)) (local.get $f)) (local.get $f)))
    ;; i | j > 0, that is 0x6147a <= hx <= 0x6b851: dk·ln2_hi − ((hfsq − (s·(hfsq + R) + dk·ln2_lo)) − f);
    ;; else dk·ln2_hi − ((s·(f − R) − dk·ln2_lo) − f).
    (local.set $log
      (v128.bitselect
        (f64x2.sub (f64x2.mul (local.get $dk) (f64x2.splat (f64.const 6.93147180369123816490e-01)))
                   (f64x2.sub (f64x2.sub (local.get $hfsq)
                                         (f64x2.add (f64x2.mul (local.get $s) (f64x2.add (local.get $hfsq) (local.get $R)))
                                                    (f64x2.mul (local.get $dk) (f64x2.splat (f64.const 1.90821492927058770002e-10)))))
                              (local.get $f)))
        (f64x2.sub (f64x2.mul (local.get $dk) (f64x2.splat (f64.const 6.93147180369123816490e-01)))
                   (f64x2.sub (f64x2.sub (f64x2.mul (local.get $s) (f64x2.sub (local.get $f) (local.get $R)))
                                         (f64x2.mul (local.get $dk) (f64x2.splat (f64.const 1.90821492927058770002e-10))))
                              (local.get $f)))
        (v128.and (i64x2.ge_s (local.get $hx) (i64x2.splat (i64.const 0x6147a)))
                  (i64x2.le_s (local.get $hx) (i64x2.splat (i64.const 0x6b851))))))
    (local.set $r (f64x2.sqrt (f64x2.neg (local.get $log))))
    (if (v128.any_true (f64x2.gt (local.get $r) (f64x2.splat (f64.const 5))))
      (then (return (call $tailLanes (local.get $p)))))
    (local.set $r (f64x2.sub (local.get $r) (f64x2.splat (f64.const 1.6))))
    (local.set $val
      (f64x2.div
        (f64x2.add (f64x2.mul (f64x2.add (f64x2.mul (f64x2.add (f64x2.mul (f64x2.add (f64x2.mul
        (f64x2.add (f64x2.mul (f64x2.add (f64x2.mul (f64x2.add (f64x2.mul
          (local.get $r) (f64x2.splat (f64.const 7.7454501427834140764e-4)))
          (f64x2.splat (f64.const 0.0227238449892691845833))) (local.get $r))
          (f64x2.splat (f64.const 0.24178072517745061177))) (local.get $r))
          (f64x2.splat (f64.const 1.27045825245236838258))) (local.get $r))
          (f64x2.splat (f64.const 3.64784832476320460504))) (local.get $r))
          (f64x2.splat (f64.const 5.7694972214606914055))) (local.get $r))
          (f64x2.splat (f64.const 4.6303378461565452959))) (local.get $r))
          (f64x2.splat (f64.const 1.42343711074968357734)))
        (f64x2.add (f64x2.mul (f64x2.add (f64x2.mul (f64x2.add (f64x2.mul (f64x2.add (f64x2.mul
        (f64x2.add (f64x2.mul (f64x2.add (f64x2.mul (f64x2.add (f64x2.mul
          (local.get $r) (f64x2.splat (f64.const 1.05075007164441684324e-9)))
          (f64x2.splat (f64.const 5.475938084995344946e-4))) (local.get $r))
          (f64x2.splat (f64.const 0.0151986665636164571966))) (local.get $r))
          (f64x2.splat (f64.const 0.14810397642748007459))) (local.get $r))
          (f64x2.splat (f64.const 0.68976733498510000455))) (local.get $r))
          (f64x2.splat (f64.const 1.6763848301838038494))) (local.get $r))
          (f64x2.splat (f64.const 2.05319162663775882187))) (local.get $r))
          (f64x2.splat (f64.const 1.0)))))
    (v128.bitselect (f64x2.neg (local.get $val)) (local.get $val) (f64x2.lt (local.get $q) (f64x2.splat (f64.const 0)))))

  ;; tail() of each lane of $p.
  (func $tailLanes (param $p v128) (result v128)
    (f64x2.replace_lane 1
      (f64x2.splat (call $tail (f64x2.extract_lane 0 (local.get $p))))
      (call $tail (f64x2.extract_lane 1 (local.get $p)))))

  ;; The AR(1) paths of one run into its shock block at $out (years × block doubles, zeroed first): path
  ;; p is the 24-byte record at $table + 24p — sd, ρ, innovation sd (f64) — and its first normal's index
  ;; and slot count and the address of its slots (i32) at $index + 12p. Its value in year 1 is sd·z[first]
  ;; (the stationary distribution), in year y ≥ 2 ρ·e + innovation·z[first + y − 1], written to each of its
  ;; slots of that year; a later path's value is the last written to a slot.
  (func $paths (param $table i32) (param $index i32) (param $count i32) (param $z i32) (param $years i32)
      (param $block i32) (param $out i32)
    (local $p i32) (local $rec i32) (local $ix i32) (local $at i32) (local $e f64) (local $rho f64)
    (local $innovation f64) (local $yi i32) (local $row i32) (local $m i32) (local $slots i32) (local $slotAt i32)
    (local $rowBytes i32)
    (local.set $rowBytes (i32.shl (local.get $block) (i32.const 3)))
    (memory.fill (local.get $out) (i32.const 0) (i32.mul (local.get $years) (local.get $rowBytes)))
    (block $pathsDone
      (loop $path
        (br_if $pathsDone (i32.ge_s (local.get $p) (local.get $count)))
        (local.set $rec (i32.add (local.get $table) (i32.mul (local.get $p) (i32.const 24))))
        (local.set $ix (i32.add (local.get $index) (i32.mul (local.get $p) (i32.const 12))))
        (local.set $rho (f64.load offset=8 (local.get $rec)))
        (local.set $innovation (f64.load offset=16 (local.get $rec)))
        (local.set $slots (i32.load offset=4 (local.get $ix)))
        (local.set $slotAt (i32.load offset=8 (local.get $ix)))
        (local.set $at (i32.add (local.get $z) (i32.shl (i32.load (local.get $ix)) (i32.const 3))))
        (local.set $e (f64.mul (f64.load (local.get $rec)) (f64.load (local.get $at))))
        (local.set $at (i32.add (local.get $at) (i32.const 8)))
        (local.set $yi (i32.const 1))
        (local.set $row (i32.add (local.get $out) (local.get $rowBytes)))
        (block $yearsDone
          (loop $year
            (br_if $yearsDone (i32.ge_s (local.get $yi) (local.get $years)))
            (if (i32.gt_s (local.get $yi) (i32.const 1))
              (then
                (local.set $e (f64.add (f64.mul (local.get $rho) (local.get $e))
                                       (f64.mul (local.get $innovation) (f64.load (local.get $at)))))
                (local.set $at (i32.add (local.get $at) (i32.const 8)))))
            (local.set $m (i32.const 0))
            (block $slotsDone
              (loop $slot
                (br_if $slotsDone (i32.ge_s (local.get $m) (local.get $slots)))
                (f64.store
                  (i32.add (local.get $row)
                           (i32.shl (i32.load (i32.add (local.get $slotAt) (i32.shl (local.get $m) (i32.const 2))))
                                    (i32.const 3)))
                  (local.get $e))
                (local.set $m (i32.add (local.get $m) (i32.const 1)))
                (br $slot)))
            (local.set $row (i32.add (local.get $row) (local.get $rowBytes)))
            (local.set $yi (i32.add (local.get $yi) (i32.const 1)))
            (br $year)))
        (local.set $p (i32.add (local.get $p) (i32.const 1)))
        (br $path))))

  ;; `runs` runs: run r's n shock uniforms at $u + r·$uStride through normals() into $z (n + 1 doubles of
  ;; scratch, $tails 4·n bytes), then its paths (see paths()) into $out + r·$outStride.
  (func (export "shocks") (param $runs i32) (param $u i32) (param $uStride i32) (param $n i32) (param $z i32)
      (param $tails i32) (param $table i32) (param $index i32) (param $count i32) (param $years i32)
      (param $block i32) (param $out i32) (param $outStride i32)
    (local $r i32)
    (block $done
      (loop $run
        (br_if $done (i32.ge_s (local.get $r) (local.get $runs)))
        (call $normals (i32.add (local.get $u) (i32.mul (local.get $r) (local.get $uStride))) (local.get $n)
                       (local.get $z) (local.get $tails))
        (call $paths (local.get $table) (local.get $index) (local.get $count) (local.get $z) (local.get $years)
                     (local.get $block) (i32.add (local.get $out) (i32.mul (local.get $r) (local.get $outStride))))
        (local.set $r (i32.add (local.get $r) (i32.const 1)))
        (br $run)))))
