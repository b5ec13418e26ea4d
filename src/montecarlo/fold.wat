;; The per-run statistics fold of ChunkAccumulator (stats.ts) for blocks of runs whose values are all
;; finite, two cells at a time in the two lanes of an f64x2. Each lane does, for its cell and in run
;; order, exactly the operations of ChunkAccumulator's JavaScript fold — d = v − centre, s1 += d,
;; s2 += d·d (a multiply, then an add: no fused multiply-add), min and max by `<` (pmin and pmax keep
;; the old value unless the new one is smaller or larger, as `if (v < mn) mn = v` does), and one
;; histogram increment — so the results are the same bit for bit. Fixed code, not generated from a
;; model: scripts/build-fold-wasm.mjs assembles it into fold-wasm.ts (tests/montecarlo/fold-wasm.test.ts
;; checks that the two agree).
;;
;; All addresses are byte offsets into the imported memory, laid out by stats.ts and made at its full size
;; by wasm-fold.ts, never grown: growing a memory detaches its old buffer, and the first detached buffer of
;; a process invalidates V8's ArrayBufferDetaching protector, which throws away the optimised code of every
;; function that reads a typed array (the kernel, the sampler) in that thread. Cell numbers are
;; indices into the per-cell arrays (f64 centre, lo, 1/width, min, max; f64 pairs of sums; u16
;; histogram rows); a pair may name the spare cell after the last one, whose results are never read.
(module
  (import "env" "memory" (memory 1))

  ;; 1 when the n doubles at p are all finite: v − v is +0 for a finite v and NaN otherwise, so OR-ing
  ;; the differences' bits leaves 0 only when every value is finite.
  (func (export "allFinite") (param $p i32) (param $n i32) (result i32)
    (local $end i32) (local $v v128) (local $a v128) (local $b v128) (local $x f64) (local $bits i64)
    (local.set $end (i32.add (local.get $p) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 3))))
    (block $done
      (loop $four
        (br_if $done (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $v (v128.load (local.get $p)))
        (local.set $a (v128.or (local.get $a) (f64x2.sub (local.get $v) (local.get $v))))
        (local.set $v (v128.load offset=16 (local.get $p)))
        (local.set $b (v128.or (local.get $b) (f64x2.sub (local.get $v) (local.get $v))))
        (local.set $p (i32.add (local.get $p) (i32.const 32)))
        (br $four)))
    (local.set $a (v128.or (local.get $a) (local.get $b)))
    (local.set $bits (i64.or (i64x2.extract_lane 0 (local.get $a)) (i64x2.extract_lane 1 (local.get $a))))
    (local.set $end (i32.add (local.get $end) (i32.shl (i32.and (local.get $n) (i32.const 3)) (i32.const 3))))
    (block $tailDone
      (loop $one
        (br_if $tailDone (i32.ge_u (local.get $p) (local.get $end)))
        (local.set $x (f64.load (local.get $p)))
        (local.set $bits (i64.or (local.get $bits) (i64.reinterpret_f64 (f64.sub (local.get $x) (local.get $x)))))
        (local.set $p (i32.add (local.get $p) (i32.const 8)))
        (br $one)))
    (i64.eqz (local.get $bits)))

  ;; 1 when, in each of `runs` runs (run r's cell c at leaf + r·row + 8c), the cells of the pairs at
  ;; pairs[0 .. 2·npairs) (i32 cell numbers) hold their pair's values at values[0 .. 2·npairs) (f64):
  ;; the check of ChunkAccumulator's constant cells, two cells per comparison. `f64x2.ne` is true for a
  ;; NaN, so a NaN constant gives 0 here and is left to the JavaScript check.
  (func (export "sameAsConstant")
    (param $pairs i32) (param $npairs i32) (param $values i32) (param $leaf i32) (param $row i32) (param $runs i32)
    (result i32)
    (local $pairsEnd i32) (local $a0 i32) (local $a1 i32) (local $end i32)
    (local $w v128) (local $ne v128)
    (local.set $pairsEnd (i32.add (local.get $pairs) (i32.shl (local.get $npairs) (i32.const 3))))
    (block $allPairs
      (loop $pair
        (br_if $allPairs (i32.ge_u (local.get $pairs) (local.get $pairsEnd)))
        (local.set $w (v128.load (local.get $values)))
        (local.set $a0 (i32.add (local.get $leaf) (i32.shl (i32.load (local.get $pairs)) (i32.const 3))))
        (local.set $a1 (i32.add (local.get $leaf) (i32.shl (i32.load offset=4 (local.get $pairs)) (i32.const 3))))
        (local.set $end (i32.add (local.get $a0) (i32.mul (local.get $runs) (local.get $row))))
        (block $allRuns
          (loop $run
            (br_if $allRuns (i32.ge_u (local.get $a0) (local.get $end)))
            (local.set $ne (v128.or (local.get $ne)
              (f64x2.ne (v128.load64_lane 1 (local.get $a1) (v128.load64_zero (local.get $a0))) (local.get $w))))
            (local.set $a0 (i32.add (local.get $a0) (local.get $row)))
            (local.set $a1 (i32.add (local.get $a1) (local.get $row)))
            (br $run)))
        (local.set $pairs (i32.add (local.get $pairs) (i32.const 8)))
        (local.set $values (i32.add (local.get $values) (i32.const 16)))
        (br $pair)))
    (i32.eqz (v128.any_true (local.get $ne))))

  ;; Folds `runs` runs (run r's cell c at leaf + r·row + 8c) into the statistics of the cell pairs at
  ;; pairs[0 .. 2·npairs) (i32 cell numbers). Every value must be finite (see allFinite).
  (func (export "fold")
    (param $pairs i32) (param $npairs i32)
    (param $leaf i32) (param $row i32) (param $runs i32)
    (param $centre i32) (param $lo i32) (param $invWidth i32) (param $min i32) (param $max i32)
    (param $sums i32) (param $hist i32) (param $histRow i32) (param $bins i32)
    (local $pairsEnd i32) (local $c0 i32) (local $c1 i32) (local $a0 i32) (local $a1 i32) (local $end i32)
    (local $at i32)
    (local $cc v128) (local $l v128) (local $iw v128) (local $mn v128) (local $mx v128)
    (local $s1 v128) (local $s2 v128) (local $rows v128)
    (local $v v128) (local $d v128) (local $t v128) (local $k v128)
    (local $binsF v128) (local $minusOne v128) (local $onePlusMagic v128)
    (local.set $binsF (f64x2.splat (f64.convert_i32_s (local.get $bins))))
    (local.set $minusOne (f64x2.splat (f64.const -1)))
    (local.set $onePlusMagic (f64x2.splat (f64.const 0x1.0000000000001p52)))
    (local.set $pairsEnd (i32.add (local.get $pairs) (i32.shl (local.get $npairs) (i32.const 3))))
    (block $allPairs
      (loop $pair
        (br_if $allPairs (i32.ge_u (local.get $pairs) (local.get $pairsEnd)))
        ;; the two cells' byte offsets in an f64 array
        (local.set $c0 (i32.shl (i32.load (local.get $pairs)) (i32.const 3)))
        (local.set $c1 (i32.shl (i32.load offset=4 (local.get $pairs)) (i32.const 3)))
        (local.set $cc (v128.load64_lane 1 (i32.add (local.get $centre) (local.get $c1))
          (v128.load64_zero (i32.add (local.get $centre) (local.get $c0)))))
        (local.set $l (v128.load64_lane 1 (i32.add (local.get $lo) (local.get $c1))
          (v128.load64_zero (i32.add (local.get $lo) (local.get $c0)))))
        (local.set $iw (v128.load64_lane 1 (i32.add (local.get $invWidth) (local.get $c1))
          (v128.load64_zero (i32.add (local.get $invWidth) (local.get $c0)))))
        (local.set $mn (v128.load64_lane 1 (i32.add (local.get $min) (local.get $c1))
          (v128.load64_zero (i32.add (local.get $min) (local.get $c0)))))
        (local.set $mx (v128.load64_lane 1 (i32.add (local.get $max) (local.get $c1))
          (v128.load64_zero (i32.add (local.get $max) (local.get $c0)))))
        (local.set $s1 (v128.load64_lane 1 (i32.add (local.get $sums) (i32.shl (local.get $c1) (i32.const 1)))
          (v128.load64_zero (i32.add (local.get $sums) (i32.shl (local.get $c0) (i32.const 1))))))
        (local.set $s2 (v128.load64_lane offset=8 1 (i32.add (local.get $sums) (i32.shl (local.get $c1) (i32.const 1)))
          (v128.load64_zero offset=8 (i32.add (local.get $sums) (i32.shl (local.get $c0) (i32.const 1))))))
        ;; the two cells' histogram rows, as i64 lanes to add to the slot offsets
        (local.set $rows (i64x2.replace_lane 1
          (i64x2.splat (i64.extend_i32_u (i32.add (local.get $hist)
            (i32.mul (i32.shr_u (local.get $c0) (i32.const 3)) (local.get $histRow)))))
          (i64.extend_i32_u (i32.add (local.get $hist)
            (i32.mul (i32.shr_u (local.get $c1) (i32.const 3)) (local.get $histRow))))))
        (local.set $a0 (i32.add (local.get $leaf) (local.get $c0)))
        (local.set $a1 (i32.add (local.get $leaf) (local.get $c1)))
        (local.set $end (i32.add (local.get $a0) (i32.mul (local.get $runs) (local.get $row))))
        (block $allRuns
          (loop $run
            (br_if $allRuns (i32.ge_u (local.get $a0) (local.get $end)))
            (local.set $v (v128.load64_lane 1 (local.get $a1) (v128.load64_zero (local.get $a0))))
            (local.set $d (f64x2.sub (local.get $v) (local.get $cc)))
            (local.set $s1 (f64x2.add (local.get $s1) (local.get $d)))
            (local.set $s2 (f64x2.add (local.get $s2) (f64x2.mul (local.get $d) (local.get $d))))
            (local.set $mn (f64x2.pmin (local.get $mn) (local.get $v)))
            (local.set $mx (f64x2.pmax (local.get $mx) (local.get $v)))
            ;; slot, as stats.ts computes it: t < 0 → 0; t < bins → trunc(t) + 1; else bins + 1. With t
            ;; clamped to [−1, bins] first (t is not NaN: v and the bins are finite), that is floor(t) + 1,
            ;; an integer in [0, bins + 1]; adding 2^52 puts it in the low bits of the double, and those
            ;; bits × 2 plus the row's offset are the counter's address (wrapping to i32 drops the 2^52).
            (local.set $t (f64x2.mul (f64x2.sub (local.get $v) (local.get $l)) (local.get $iw)))
            (local.set $t (f64x2.pmax (f64x2.pmin (local.get $t) (local.get $binsF)) (local.get $minusOne)))
            (local.set $k (f64x2.add (f64x2.floor (local.get $t)) (local.get $onePlusMagic)))
            (local.set $k (i64x2.add (i64x2.shl (local.get $k) (i32.const 1)) (local.get $rows)))
            (local.set $at (i32.wrap_i64 (i64x2.extract_lane 0 (local.get $k))))
            (i32.store16 (local.get $at) (i32.add (i32.load16_u (local.get $at)) (i32.const 1)))
            (local.set $at (i32.wrap_i64 (i64x2.extract_lane 1 (local.get $k))))
            (i32.store16 (local.get $at) (i32.add (i32.load16_u (local.get $at)) (i32.const 1)))
            (local.set $a0 (i32.add (local.get $a0) (local.get $row)))
            (local.set $a1 (i32.add (local.get $a1) (local.get $row)))
            (br $run)))
        (v128.store64_lane 0 (i32.add (local.get $min) (local.get $c0)) (local.get $mn))
        (v128.store64_lane 1 (i32.add (local.get $min) (local.get $c1)) (local.get $mn))
        (v128.store64_lane 0 (i32.add (local.get $max) (local.get $c0)) (local.get $mx))
        (v128.store64_lane 1 (i32.add (local.get $max) (local.get $c1)) (local.get $mx))
        (v128.store64_lane 0 (i32.add (local.get $sums) (i32.shl (local.get $c0) (i32.const 1))) (local.get $s1))
        (v128.store64_lane 1 (i32.add (local.get $sums) (i32.shl (local.get $c1) (i32.const 1))) (local.get $s1))
        (v128.store64_lane offset=8 0 (i32.add (local.get $sums) (i32.shl (local.get $c0) (i32.const 1))) (local.get $s2))
        (v128.store64_lane offset=8 1 (i32.add (local.get $sums) (i32.shl (local.get $c1) (i32.const 1))) (local.get $s2))
        (local.set $pairs (i32.add (local.get $pairs) (i32.const 8)))
        (br $pair))))
)
