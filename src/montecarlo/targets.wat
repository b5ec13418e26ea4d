;; The Monte Carlo's target counts for runs whose values are in WebAssembly memory (TargetMeter in
;; target-meter.ts): for one run's row, each target met or not in its year and the first horizon year in
;; which it is met, counted — the comparisons of TargetMeasure.reached() and firstYear() in
;; src/project/targets.ts on the same cells (a sign times a value is an exact negation or the value
;; itself, so each comparison has the same outcome; tests/montecarlo/target-meter.test.ts holds the
;; counts to TargetMeasure's). Fixed code, assembled by scripts/build-fold-wasm.mjs into targets-wasm.ts.
;; The memory is imported and never grown (see src/util/wasm.ts).
(module
  (import "env" "memory" (memory 1))

  ;; Run `row` (the byte address of its first cell). Scan s, a 40-byte record at $scans + 40s: i32 first
  ;; (byte offset of the indicator's horizon-start cell in the row), i32 years, i32 step (bytes a year),
  ;; i32 toRef (bytes from the indicator's cell to its reference's, when hasRef), i32 hasRef, pad,
  ;; f64 sign (1 for "at least", −1 for "at most"), then f64 sign·reference when not hasRef. Its year
  ;; index (0 .. years − 1, or years: never) goes to the i32 at $firsts + 4s.
  ;; Target k, a 32-byte record at $targets + 32k: i32 valueAt and refAt (byte offsets in the row), i32
  ;; hasRef, i32 atLeast, i32 scan, i32 hist (byte address of its first-year counters, f64), f64 the
  ;; fixed reference when not hasRef. Its f64 counter at $reached + 8k gains 1 if it is met, and its
  ;; first-year counter at hist + 8·index gains 1.
  (func (export "meet")
    (param $row i32) (param $scans i32) (param $nscans i32) (param $targets i32) (param $ntargets i32)
    (param $firsts i32) (param $reached i32)
    (local $s i32) (local $rec i32) (local $at i32) (local $y i32) (local $years i32) (local $step i32)
    (local $toRef i32) (local $sign f64) (local $ref f64) (local $v f64) (local $r f64) (local $met i32)
    (local $counter i32)
    (block $scansDone
      (loop $scan
        (br_if $scansDone (i32.ge_u (local.get $s) (local.get $nscans)))
        (local.set $rec (i32.add (local.get $scans) (i32.mul (local.get $s) (i32.const 40))))
        (local.set $at (i32.add (local.get $row) (i32.load (local.get $rec))))
        (local.set $years (i32.load offset=4 (local.get $rec)))
        (local.set $step (i32.load offset=8 (local.get $rec)))
        (local.set $sign (f64.load offset=24 (local.get $rec)))
        (local.set $y (i32.const 0))
        (if (i32.load offset=16 (local.get $rec))
          (then
            ;; sign·value >= sign·reference, both in the row
            (local.set $toRef (i32.load offset=12 (local.get $rec)))
            (block $found
              (loop $year
                (br_if $found (i32.ge_u (local.get $y) (local.get $years)))
                (br_if $found
                  (f64.ge (f64.mul (local.get $sign) (f64.load (local.get $at)))
                          (f64.mul (local.get $sign) (f64.load (i32.add (local.get $at) (local.get $toRef))))))
                (local.set $at (i32.add (local.get $at) (local.get $step)))
                (local.set $y (i32.add (local.get $y) (i32.const 1)))
                (br $year))))
          (else
            ;; sign·value >= sign·reference, the latter fixed
            (local.set $ref (f64.load offset=32 (local.get $rec)))
            (block $found
              (loop $year
                (br_if $found (i32.ge_u (local.get $y) (local.get $years)))
                (br_if $found (f64.ge (f64.mul (local.get $sign) (f64.load (local.get $at))) (local.get $ref)))
                (local.set $at (i32.add (local.get $at) (local.get $step)))
                (local.set $y (i32.add (local.get $y) (i32.const 1)))
                (br $year)))))
        (i32.store (i32.add (local.get $firsts) (i32.shl (local.get $s) (i32.const 2))) (local.get $y))
        (local.set $s (i32.add (local.get $s) (i32.const 1)))
        (br $scan)))
    (local.set $s (i32.const 0))
    (block $targetsDone
      (loop $target
        (br_if $targetsDone (i32.ge_u (local.get $s) (local.get $ntargets)))
        (local.set $rec (i32.add (local.get $targets) (i32.shl (local.get $s) (i32.const 5))))
        (local.set $v (f64.load (i32.add (local.get $row) (i32.load (local.get $rec)))))
        (local.set $r
          (select (f64.load (i32.add (local.get $row) (i32.load offset=4 (local.get $rec))))
                  (f64.load offset=24 (local.get $rec))
                  (i32.load offset=8 (local.get $rec))))
        (local.set $met
          (select (f64.ge (local.get $v) (local.get $r)) (f64.le (local.get $v) (local.get $r))
                  (i32.load offset=12 (local.get $rec))))
        (local.set $counter (i32.add (local.get $reached) (i32.shl (local.get $s) (i32.const 3))))
        (f64.store (local.get $counter)
          (f64.add (f64.load (local.get $counter)) (f64.convert_i32_u (local.get $met))))
        (local.set $counter
          (i32.add (i32.load offset=20 (local.get $rec))
                   (i32.shl (i32.load (i32.add (local.get $firsts) (i32.shl (i32.load offset=16 (local.get $rec)) (i32.const 2))))
                            (i32.const 3))))
        (f64.store (local.get $counter) (f64.add (f64.load (local.get $counter)) (f64.const 1)))
        (local.set $s (i32.add (local.get $s) (i32.const 1)))
        (br $target)))))
