;; The Saltelli bootstrap's sums (sobol.ts) in WebAssembly: for a resample's N picks (group numbers,
;; repeats allowed), the sums over k = 0 .. N−1 of 16 columns of the picked rows of a row-major table of
;; terms, two columns in each lane pair of an f64x2. Each lane adds its column's terms one pick after
;; another in pick order, as the JavaScript loop does, so every sum is the same double bit for bit; the
;; lanes only put two columns' independent additions in one instruction. In the last block (sumvarK),
;; the pair of columns after the K summed holds f(A) and f(B) of each group: instead of their sums, it
;; returns Σ_k ((f(A) − m)² + (f(B) − m)²) in the same order and the same operations as sobol.ts (two
;; subtractions, two products, their sum, then the add to the running sum: no fused multiply-add).
;; Fixed code, not generated from a model: scripts/build-fold-wasm.mjs assembles it into
;; bootstrap-wasm.ts (tests/sweep/bootstrap-wasm.test.ts checks that the two agree).
;;
;; Addresses are byte offsets into the imported memory (made at its full size by bootstrap-sums.ts and
;; never grown: growing a memory detaches its old buffer, and the first detached buffer of a process
;; discards V8's optimised code of every function that reads a typed array): `terms` the table (rows of `stride` bytes),
;; `col` the block's first column (bytes from a row's start), `pick` N i32 group numbers, `out` the 16
;; sums (128 bytes, 16-byte aligned, as are the rows and the block).
(module
  (import "env" "memory" (memory 1))

  (func (export "sum16")
    (param $terms i32) (param $stride i32) (param $pick i32) (param $n i32) (param $col i32) (param $out i32)
    (local $end i32) (local $r i32) (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128) (local $s4 v128) (local $s5 v128) (local $s6 v128) (local $s7 v128)
    (local.set $end (i32.add (local.get $pick) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $terms (i32.add (local.get $terms) (local.get $col)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $pick) (local.get $end)))
        (local.set $r (i32.add (local.get $terms) (i32.mul (i32.load (local.get $pick)) (local.get $stride))))
        (local.set $s0 (f64x2.add (local.get $s0) (v128.load offset=0 (local.get $r))))
        (local.set $s1 (f64x2.add (local.get $s1) (v128.load offset=16 (local.get $r))))
        (local.set $s2 (f64x2.add (local.get $s2) (v128.load offset=32 (local.get $r))))
        (local.set $s3 (f64x2.add (local.get $s3) (v128.load offset=48 (local.get $r))))
        (local.set $s4 (f64x2.add (local.get $s4) (v128.load offset=64 (local.get $r))))
        (local.set $s5 (f64x2.add (local.get $s5) (v128.load offset=80 (local.get $r))))
        (local.set $s6 (f64x2.add (local.get $s6) (v128.load offset=96 (local.get $r))))
        (local.set $s7 (f64x2.add (local.get $s7) (v128.load offset=112 (local.get $r))))
        (local.set $pick (i32.add (local.get $pick) (i32.const 4)))
        (br $next)))
    (v128.store offset=0 (local.get $out) (local.get $s0))
    (v128.store offset=16 (local.get $out) (local.get $s1))
    (v128.store offset=32 (local.get $out) (local.get $s2))
    (v128.store offset=48 (local.get $out) (local.get $s3))
    (v128.store offset=64 (local.get $out) (local.get $s4))
    (v128.store offset=80 (local.get $out) (local.get $s5))
    (v128.store offset=96 (local.get $out) (local.get $s6))
    (v128.store offset=112 (local.get $out) (local.get $s7)))

  ;; The last block: k pairs of columns summed (k = 0 .. 7, one function each, so that the
  ;; accumulators stay in registers), then the pair f(A), f(B), whose squared deviations about `m`
  ;; are summed and returned.
  (func (export "sumvar0")
    (param $terms i32) (param $stride i32) (param $pick i32) (param $n i32) (param $col i32) (param $out i32)
    (param $m f64) (result f64)
    (local $end i32) (local $r i32)  (local $mm v128) (local $d v128) (local $ss f64)
    (local.set $end (i32.add (local.get $pick) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $terms (i32.add (local.get $terms) (local.get $col)))
    (local.set $mm (f64x2.splat (local.get $m)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $pick) (local.get $end)))
        (local.set $r (i32.add (local.get $terms) (i32.mul (i32.load (local.get $pick)) (local.get $stride))))

        (local.set $d (f64x2.sub (v128.load offset=0 (local.get $r)) (local.get $mm)))
        (local.set $d (f64x2.mul (local.get $d) (local.get $d)))
        (local.set $ss
          (f64.add (local.get $ss) (f64.add (f64x2.extract_lane 0 (local.get $d)) (f64x2.extract_lane 1 (local.get $d)))))
        (local.set $pick (i32.add (local.get $pick) (i32.const 4)))
        (br $next)))

    (local.get $ss))

  (func (export "sumvar1")
    (param $terms i32) (param $stride i32) (param $pick i32) (param $n i32) (param $col i32) (param $out i32)
    (param $m f64) (result f64)
    (local $end i32) (local $r i32) (local $s0 v128) (local $mm v128) (local $d v128) (local $ss f64)
    (local.set $end (i32.add (local.get $pick) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $terms (i32.add (local.get $terms) (local.get $col)))
    (local.set $mm (f64x2.splat (local.get $m)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $pick) (local.get $end)))
        (local.set $r (i32.add (local.get $terms) (i32.mul (i32.load (local.get $pick)) (local.get $stride))))
        (local.set $s0 (f64x2.add (local.get $s0) (v128.load offset=0 (local.get $r))))
        (local.set $d (f64x2.sub (v128.load offset=16 (local.get $r)) (local.get $mm)))
        (local.set $d (f64x2.mul (local.get $d) (local.get $d)))
        (local.set $ss
          (f64.add (local.get $ss) (f64.add (f64x2.extract_lane 0 (local.get $d)) (f64x2.extract_lane 1 (local.get $d)))))
        (local.set $pick (i32.add (local.get $pick) (i32.const 4)))
        (br $next)))
    (v128.store offset=0 (local.get $out) (local.get $s0))
    (local.get $ss))

  (func (export "sumvar2")
    (param $terms i32) (param $stride i32) (param $pick i32) (param $n i32) (param $col i32) (param $out i32)
    (param $m f64) (result f64)
    (local $end i32) (local $r i32) (local $s0 v128) (local $s1 v128) (local $mm v128) (local $d v128) (local $ss f64)
    (local.set $end (i32.add (local.get $pick) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $terms (i32.add (local.get $terms) (local.get $col)))
    (local.set $mm (f64x2.splat (local.get $m)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $pick) (local.get $end)))
        (local.set $r (i32.add (local.get $terms) (i32.mul (i32.load (local.get $pick)) (local.get $stride))))
        (local.set $s0 (f64x2.add (local.get $s0) (v128.load offset=0 (local.get $r))))
        (local.set $s1 (f64x2.add (local.get $s1) (v128.load offset=16 (local.get $r))))
        (local.set $d (f64x2.sub (v128.load offset=32 (local.get $r)) (local.get $mm)))
        (local.set $d (f64x2.mul (local.get $d) (local.get $d)))
        (local.set $ss
          (f64.add (local.get $ss) (f64.add (f64x2.extract_lane 0 (local.get $d)) (f64x2.extract_lane 1 (local.get $d)))))
        (local.set $pick (i32.add (local.get $pick) (i32.const 4)))
        (br $next)))
    (v128.store offset=0 (local.get $out) (local.get $s0))
    (v128.store offset=16 (local.get $out) (local.get $s1))
    (local.get $ss))

  (func (export "sumvar3")
    (param $terms i32) (param $stride i32) (param $pick i32) (param $n i32) (param $col i32) (param $out i32)
    (param $m f64) (result f64)
    (local $end i32) (local $r i32) (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $mm v128) (local $d v128) (local $ss f64)
    (local.set $end (i32.add (local.get $pick) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $terms (i32.add (local.get $terms) (local.get $col)))
    (local.set $mm (f64x2.splat (local.get $m)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $pick) (local.get $end)))
        (local.set $r (i32.add (local.get $terms) (i32.mul (i32.load (local.get $pick)) (local.get $stride))))
        (local.set $s0 (f64x2.add (local.get $s0) (v128.load offset=0 (local.get $r))))
        (local.set $s1 (f64x2.add (local.get $s1) (v128.load offset=16 (local.get $r))))
        (local.set $s2 (f64x2.add (local.get $s2) (v128.load offset=32 (local.get $r))))
        (local.set $d (f64x2.sub (v128.load offset=48 (local.get $r)) (local.get $mm)))
        (local.set $d (f64x2.mul (local.get $d) (local.get $d)))
        (local.set $ss
          (f64.add (local.get $ss) (f64.add (f64x2.extract_lane 0 (local.get $d)) (f64x2.extract_lane 1 (local.get $d)))))
        (local.set $pick (i32.add (local.get $pick) (i32.const 4)))
        (br $next)))
    (v128.store offset=0 (local.get $out) (local.get $s0))
    (v128.store offset=16 (local.get $out) (local.get $s1))
    (v128.store offset=32 (local.get $out) (local.get $s2))
    (local.get $ss))

  (func (export "sumvar4")
    (param $terms i32) (param $stride i32) (param $pick i32) (param $n i32) (param $col i32) (param $out i32)
    (param $m f64) (result f64)
    (local $end i32) (local $r i32) (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128) (local $mm v128) (local $d v128) (local $ss f64)
    (local.set $end (i32.add (local.get $pick) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $terms (i32.add (local.get $terms) (local.get $col)))
    (local.set $mm (f64x2.splat (local.get $m)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $pick) (local.get $end)))
        (local.set $r (i32.add (local.get $terms) (i32.mul (i32.load (local.get $pick)) (local.get $stride))))
        (local.set $s0 (f64x2.add (local.get $s0) (v128.load offset=0 (local.get $r))))
        (local.set $s1 (f64x2.add (local.get $s1) (v128.load offset=16 (local.get $r))))
        (local.set $s2 (f64x2.add (local.get $s2) (v128.load offset=32 (local.get $r))))
        (local.set $s3 (f64x2.add (local.get $s3) (v128.load offset=48 (local.get $r))))
        (local.set $d (f64x2.sub (v128.load offset=64 (local.get $r)) (local.get $mm)))
        (local.set $d (f64x2.mul (local.get $d) (local.get $d)))
        (local.set $ss
          (f64.add (local.get $ss) (f64.add (f64x2.extract_lane 0 (local.get $d)) (f64x2.extract_lane 1 (local.get $d)))))
        (local.set $pick (i32.add (local.get $pick) (i32.const 4)))
        (br $next)))
    (v128.store offset=0 (local.get $out) (local.get $s0))
    (v128.store offset=16 (local.get $out) (local.get $s1))
    (v128.store offset=32 (local.get $out) (local.get $s2))
    (v128.store offset=48 (local.get $out) (local.get $s3))
    (local.get $ss))

  (func (export "sumvar5")
    (param $terms i32) (param $stride i32) (param $pick i32) (param $n i32) (param $col i32) (param $out i32)
    (param $m f64) (result f64)
    (local $end i32) (local $r i32) (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128) (local $s4 v128) (local $mm v128) (local $d v128) (local $ss f64)
    (local.set $end (i32.add (local.get $pick) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $terms (i32.add (local.get $terms) (local.get $col)))
    (local.set $mm (f64x2.splat (local.get $m)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $pick) (local.get $end)))
        (local.set $r (i32.add (local.get $terms) (i32.mul (i32.load (local.get $pick)) (local.get $stride))))
        (local.set $s0 (f64x2.add (local.get $s0) (v128.load offset=0 (local.get $r))))
        (local.set $s1 (f64x2.add (local.get $s1) (v128.load offset=16 (local.get $r))))
        (local.set $s2 (f64x2.add (local.get $s2) (v128.load offset=32 (local.get $r))))
        (local.set $s3 (f64x2.add (local.get $s3) (v128.load offset=48 (local.get $r))))
        (local.set $s4 (f64x2.add (local.get $s4) (v128.load offset=64 (local.get $r))))
        (local.set $d (f64x2.sub (v128.load offset=80 (local.get $r)) (local.get $mm)))
        (local.set $d (f64x2.mul (local.get $d) (local.get $d)))
        (local.set $ss
          (f64.add (local.get $ss) (f64.add (f64x2.extract_lane 0 (local.get $d)) (f64x2.extract_lane 1 (local.get $d)))))
        (local.set $pick (i32.add (local.get $pick) (i32.const 4)))
        (br $next)))
    (v128.store offset=0 (local.get $out) (local.get $s0))
    (v128.store offset=16 (local.get $out) (local.get $s1))
    (v128.store offset=32 (local.get $out) (local.get $s2))
    (v128.store offset=48 (local.get $out) (local.get $s3))
    (v128.store offset=64 (local.get $out) (local.get $s4))
    (local.get $ss))

  (func (export "sumvar6")
    (param $terms i32) (param $stride i32) (param $pick i32) (param $n i32) (param $col i32) (param $out i32)
    (param $m f64) (result f64)
    (local $end i32) (local $r i32) (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128) (local $s4 v128) (local $s5 v128) (local $mm v128) (local $d v128) (local $ss f64)
    (local.set $end (i32.add (local.get $pick) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $terms (i32.add (local.get $terms) (local.get $col)))
    (local.set $mm (f64x2.splat (local.get $m)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $pick) (local.get $end)))
        (local.set $r (i32.add (local.get $terms) (i32.mul (i32.load (local.get $pick)) (local.get $stride))))
        (local.set $s0 (f64x2.add (local.get $s0) (v128.load offset=0 (local.get $r))))
        (local.set $s1 (f64x2.add (local.get $s1) (v128.load offset=16 (local.get $r))))
        (local.set $s2 (f64x2.add (local.get $s2) (v128.load offset=32 (local.get $r))))
        (local.set $s3 (f64x2.add (local.get $s3) (v128.load offset=48 (local.get $r))))
        (local.set $s4 (f64x2.add (local.get $s4) (v128.load offset=64 (local.get $r))))
        (local.set $s5 (f64x2.add (local.get $s5) (v128.load offset=80 (local.get $r))))
        (local.set $d (f64x2.sub (v128.load offset=96 (local.get $r)) (local.get $mm)))
        (local.set $d (f64x2.mul (local.get $d) (local.get $d)))
        (local.set $ss
          (f64.add (local.get $ss) (f64.add (f64x2.extract_lane 0 (local.get $d)) (f64x2.extract_lane 1 (local.get $d)))))
        (local.set $pick (i32.add (local.get $pick) (i32.const 4)))
        (br $next)))
    (v128.store offset=0 (local.get $out) (local.get $s0))
    (v128.store offset=16 (local.get $out) (local.get $s1))
    (v128.store offset=32 (local.get $out) (local.get $s2))
    (v128.store offset=48 (local.get $out) (local.get $s3))
    (v128.store offset=64 (local.get $out) (local.get $s4))
    (v128.store offset=80 (local.get $out) (local.get $s5))
    (local.get $ss))

  (func (export "sumvar7")
    (param $terms i32) (param $stride i32) (param $pick i32) (param $n i32) (param $col i32) (param $out i32)
    (param $m f64) (result f64)
    (local $end i32) (local $r i32) (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128) (local $s4 v128) (local $s5 v128) (local $s6 v128) (local $mm v128) (local $d v128) (local $ss f64)
    (local.set $end (i32.add (local.get $pick) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $terms (i32.add (local.get $terms) (local.get $col)))
    (local.set $mm (f64x2.splat (local.get $m)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $pick) (local.get $end)))
        (local.set $r (i32.add (local.get $terms) (i32.mul (i32.load (local.get $pick)) (local.get $stride))))
        (local.set $s0 (f64x2.add (local.get $s0) (v128.load offset=0 (local.get $r))))
        (local.set $s1 (f64x2.add (local.get $s1) (v128.load offset=16 (local.get $r))))
        (local.set $s2 (f64x2.add (local.get $s2) (v128.load offset=32 (local.get $r))))
        (local.set $s3 (f64x2.add (local.get $s3) (v128.load offset=48 (local.get $r))))
        (local.set $s4 (f64x2.add (local.get $s4) (v128.load offset=64 (local.get $r))))
        (local.set $s5 (f64x2.add (local.get $s5) (v128.load offset=80 (local.get $r))))
        (local.set $s6 (f64x2.add (local.get $s6) (v128.load offset=96 (local.get $r))))
        (local.set $d (f64x2.sub (v128.load offset=112 (local.get $r)) (local.get $mm)))
        (local.set $d (f64x2.mul (local.get $d) (local.get $d)))
        (local.set $ss
          (f64.add (local.get $ss) (f64.add (f64x2.extract_lane 0 (local.get $d)) (f64x2.extract_lane 1 (local.get $d)))))
        (local.set $pick (i32.add (local.get $pick) (i32.const 4)))
        (br $next)))
    (v128.store offset=0 (local.get $out) (local.get $s0))
    (v128.store offset=16 (local.get $out) (local.get $s1))
    (v128.store offset=32 (local.get $out) (local.get $s2))
    (v128.store offset=48 (local.get $out) (local.get $s3))
    (v128.store offset=64 (local.get $out) (local.get $s4))
    (v128.store offset=80 (local.get $out) (local.get $s5))
    (v128.store offset=96 (local.get $out) (local.get $s6))
    (local.get $ss))

  ;; sum16, and in the same loop the next resample's picks: n draws of
  ;; IndexStream.fill (stats.ts) from the Alea state at `rng` (f64 c, s0, s1, s2; updated) into `into`,
  ;; uniform integers in [0, `range`), by the same operations in the same order. The draws do not
  ;; depend on the sums, so the two chains run side by side. The loop keeps each draw's uniform (at
  ;; `scratch`, 8·n bytes, 16-byte aligned, one double more when n is odd) and a pass after it makes the
  ;; indices two at a time: floor(u·range) by f64x2.floor, to an integer by adding 2^52 (exact: 0 <= floor(u·range)
  ;; <= range < 2^31, so its bits are the low ones), clamped by an unsigned min to range − 1 — the
  ;; values of Math.floor and `i < n ? i : n − 1`. The conversion one at a time (floor, compare,
  ;; i32.trunc_f64_s) had cost ~1.5 µs of the ~3 a resample's 1,024 draws took. `into` must have room
  ;; for n + 1 picks when n is odd (the last pair's second is written, and not used).
  (func (export "sum16draw")
    (param $terms i32) (param $stride i32) (param $pick i32) (param $n i32) (param $col i32) (param $out i32)
    (param $rng i32) (param $into i32) (param $range i32) (param $scratch i32)
    (local $end i32) (local $r i32) (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128) (local $s4 v128) (local $s5 v128) (local $s6 v128) (local $s7 v128)
    (local $c f64) (local $a0 f64) (local $a1 f64) (local $a2 f64) (local $u f64) (local $t f64)
    (local $sp i32) (local $nf v128) (local $last v128) (local $k v128)
    (local.set $end (i32.add (local.get $pick) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $terms (i32.add (local.get $terms) (local.get $col)))
    (local.set $c (f64.load offset=0 (local.get $rng)))
    (local.set $a0 (f64.load offset=8 (local.get $rng)))
    (local.set $a1 (f64.load offset=16 (local.get $rng)))
    (local.set $a2 (f64.load offset=24 (local.get $rng)))
    (local.set $sp (local.get $scratch))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $pick) (local.get $end)))
        ;; u = 2091639 s0; t = u + c 2^-32; s0 = s1; s1 = s2; c = floor(u), +1 if t crossed; s2 = t - c
        (local.set $u (f64.mul (f64.const 2091639) (local.get $a0)))
        (local.set $t (f64.add (local.get $u) (f64.mul (local.get $c) (f64.const 0x1p-32))))
        (local.set $a0 (local.get $a1))
        (local.set $a1 (local.get $a2))
        (local.set $c (f64.floor (local.get $u)))
        (if (f64.ge (local.get $t) (f64.add (local.get $c) (f64.const 1)))
          (then (local.set $c (f64.add (local.get $c) (f64.const 1)))))
        (local.set $a2 (f64.sub (local.get $t) (local.get $c)))
        (f64.store (local.get $sp) (local.get $a2))
        (local.set $sp (i32.add (local.get $sp) (i32.const 8)))
        (local.set $r (i32.add (local.get $terms) (i32.mul (i32.load (local.get $pick)) (local.get $stride))))
        (local.set $s0 (f64x2.add (local.get $s0) (v128.load offset=0 (local.get $r))))
        (local.set $s1 (f64x2.add (local.get $s1) (v128.load offset=16 (local.get $r))))
        (local.set $s2 (f64x2.add (local.get $s2) (v128.load offset=32 (local.get $r))))
        (local.set $s3 (f64x2.add (local.get $s3) (v128.load offset=48 (local.get $r))))
        (local.set $s4 (f64x2.add (local.get $s4) (v128.load offset=64 (local.get $r))))
        (local.set $s5 (f64x2.add (local.get $s5) (v128.load offset=80 (local.get $r))))
        (local.set $s6 (f64x2.add (local.get $s6) (v128.load offset=96 (local.get $r))))
        (local.set $s7 (f64x2.add (local.get $s7) (v128.load offset=112 (local.get $r))))
        (local.set $pick (i32.add (local.get $pick) (i32.const 4)))
        (br $next)))
    (v128.store offset=0 (local.get $out) (local.get $s0))
    (v128.store offset=16 (local.get $out) (local.get $s1))
    (v128.store offset=32 (local.get $out) (local.get $s2))
    (v128.store offset=48 (local.get $out) (local.get $s3))
    (v128.store offset=64 (local.get $out) (local.get $s4))
    (v128.store offset=80 (local.get $out) (local.get $s5))
    (v128.store offset=96 (local.get $out) (local.get $s6))
    (v128.store offset=112 (local.get $out) (local.get $s7))
    (f64.store offset=0 (local.get $rng) (local.get $c))
    (f64.store offset=8 (local.get $rng) (local.get $a0))
    (f64.store offset=16 (local.get $rng) (local.get $a1))
    (f64.store offset=24 (local.get $rng) (local.get $a2))
    (local.set $nf (f64x2.splat (f64.convert_i32_s (local.get $range))))
    (local.set $last (i32x4.splat (i32.sub (local.get $range) (i32.const 1))))
    (local.set $end (local.get $sp))
    (local.set $sp (local.get $scratch))
    (block $indexed
      (loop $pair
        (br_if $indexed (i32.ge_u (local.get $sp) (local.get $end)))
        (local.set $k (f64x2.add (f64x2.floor (f64x2.mul (v128.load (local.get $sp)) (local.get $nf)))
                                 (f64x2.splat (f64.const 0x1p52))))
        (v128.store64_lane 0 (local.get $into)
          (i32x4.min_u (i8x16.shuffle 0 1 2 3 8 9 10 11 0 1 2 3 8 9 10 11 (local.get $k) (local.get $k))
                       (local.get $last)))
        (local.set $sp (i32.add (local.get $sp) (i32.const 16)))
        (local.set $into (i32.add (local.get $into) (i32.const 8)))
        (br $pair))))
)
