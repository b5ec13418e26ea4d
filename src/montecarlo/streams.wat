;; Four Tyche-i streams at once (rng.ts), lane k of each i32x4 being stream k: exactly the 32-bit
;; operations of RunStream's rounds, four streams per instruction (one stream's rounds are a chain of
;; dependent operations, so a scalar loop cannot overlap them), and the uniforms ((a >>> 0) + 0.5)·2^-32
;; by exact conversions and operations on doubles, so the numbers are the same bit for bit. Fixed code,
;; assembled by scripts/build-fold-wasm.mjs into streams-wasm.ts (tests/montecarlo/streams-wasm.test.ts
;; checks that the two agree and that the streams equal RunStream's). The memory is imported and never
;; grown (see src/util/wasm.ts).
(module
  (import "env" "memory" (memory 1))

  ;; The four streams seeded at $state (a, b, c, d: four i32x4, 64 bytes; see rng.ts seedLanes): 20
  ;; rounds discarded, then `count` rounds, stream k's i-th uniform to out + 8·(k·count + i).
  (func (export "fill4") (param $state i32) (param $count i32) (param $out i32)
    (local $a v128) (local $b v128) (local $c v128) (local $d v128) (local $i i32) (local $u v128)
    (local $stride i32) (local $at i32)
    (local.set $a (v128.load (local.get $state)))
    (local.set $b (v128.load offset=16 (local.get $state)))
    (local.set $c (v128.load offset=32 (local.get $state)))
    (local.set $d (v128.load offset=48 (local.get $state)))
    (local.set $stride (i32.shl (local.get $count) (i32.const 3)))
    (local.set $i (i32.const -20))
    (local.set $at (local.get $out))
    (block $done
      (loop $round
        (br_if $done (i32.ge_s (local.get $i) (local.get $count)))
        (local.set $b (v128.xor (v128.xor (i32x4.shl (local.get $b) (i32.const 25)) (i32x4.shr_u (local.get $b) (i32.const 7))) (local.get $c)))
        (local.set $c (i32x4.sub (local.get $c) (local.get $d)))
        (local.set $d (v128.xor (v128.xor (i32x4.shl (local.get $d) (i32.const 24)) (i32x4.shr_u (local.get $d) (i32.const 8))) (local.get $a)))
        (local.set $a (i32x4.sub (local.get $a) (local.get $b)))
        (local.set $b (v128.xor (v128.xor (i32x4.shl (local.get $b) (i32.const 20)) (i32x4.shr_u (local.get $b) (i32.const 12))) (local.get $c)))
        (local.set $c (i32x4.sub (local.get $c) (local.get $d)))
        (local.set $d (v128.xor (v128.xor (i32x4.shl (local.get $d) (i32.const 16)) (i32x4.shr_u (local.get $c) (i32.const 16))) (local.get $a)))
        (local.set $a (i32x4.sub (local.get $a) (local.get $b)))
        (if (i32.ge_s (local.get $i) (i32.const 0))
          (then
            (local.set $u (f64x2.mul (f64x2.add (f64x2.convert_low_i32x4_u (local.get $a)) (f64x2.splat (f64.const 0.5))) (f64x2.splat (f64.const 0x1p-32))))
            (v128.store64_lane 0 (local.get $at) (local.get $u))
            (v128.store64_lane 1 (i32.add (local.get $at) (local.get $stride)) (local.get $u))
            (local.set $u (f64x2.mul (f64x2.add (f64x2.convert_low_i32x4_u (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $a) (local.get $a))) (f64x2.splat (f64.const 0.5))) (f64x2.splat (f64.const 0x1p-32))))
            (v128.store64_lane 0 (i32.add (local.get $at) (i32.shl (local.get $stride) (i32.const 1))) (local.get $u))
            (v128.store64_lane 1 (i32.add (local.get $at) (i32.mul (local.get $stride) (i32.const 3))) (local.get $u))
            (local.set $at (i32.add (local.get $at) (i32.const 8)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $round)))))
