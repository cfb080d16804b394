;; Infinite loops in every control construct.  Each must stop with
;; out_of_fuel under a fuel budget, and with timeout when only the
;; wall-clock deadline bounds it (fuel=none).
;; expect: loop_br out_of_fuel fuel=100000
;; expect: loop_br timeout fuel=none timeout=200
;; expect: loop_br_if out_of_fuel fuel=100000
;; expect: loop_br_if timeout fuel=none timeout=200
;; expect: loop_br_table out_of_fuel fuel=100000
;; expect: loop_br_table timeout fuel=none timeout=200
;; expect: loop_if out_of_fuel fuel=100000
;; expect: loop_if timeout fuel=none timeout=200
;; expect: loop_block out_of_fuel fuel=100000
;; expect: loop_block timeout fuel=none timeout=200
;; expect: loop_call out_of_fuel fuel=100000
;; expect: loop_call timeout fuel=none timeout=200
;; expect: loop_nested out_of_fuel fuel=100000
;; expect: loop_nested timeout fuel=none timeout=200
;; expect: recursion trap trap=call_stack_exhausted
;; expect: recursion trap trap=call_stack_exhausted fuel=none timeout=none
;; expect: recursion trap trap=call_stack_exhausted depth=100
;; expect: mutual_indirect trap trap=call_stack_exhausted
;; expect: mutual_indirect trap trap=call_stack_exhausted fuel=none timeout=none
;; expect: recursion_in_loop out_of_fuel fuel=1000000
;; expect: recursion_in_loop timeout fuel=none timeout=300
;; expect: recursion_params trap trap=call_stack_exhausted fuel=none timeout=none
;; expect: fuel_zero out_of_fuel fuel=0
(module
  (type $v (func))
  (table 2 funcref)
  (func $nop)
  (func (export "loop_br") (loop $l (br $l)))
  (func (export "loop_br_if") (loop $l (br_if $l (i32.const 1))))
  (func (export "loop_br_table")
    (loop $l (block $b (br_table $l $b $l (i32.const 2)))))
  (func (export "loop_if")
    (loop $l (if (i32.const 1) (then (br $l)) (else (unreachable)))))
  (func (export "loop_block") (loop $l (block $b (block $c (br $l)))))
  (func (export "loop_call") (loop $l (call $nop) (br $l)))
  (func (export "loop_nested")
    (local i32)
    (loop $outer
      (loop $inner
        (local.set 0 (i32.add (local.get 0) (i32.const 1)))
        (br_if $inner (i32.and (local.get 0) (i32.const 0xff))))
      (br $outer)))
  (func $rec (export "recursion") (call $rec))
  (func $ping (type $v) (call_indirect (type $v) (i32.const 1)))
  (func $pong (type $v) (call_indirect (type $v) (i32.const 0)))
  (func (export "mutual_indirect") (call $ping))
  (elem (i32.const 0) func $ping $pong)
  ;; Bounded recursion (depth 50) repeated forever: never exhausts the
  ;; stack, so only fuel or the deadline stop it.
  (func $down (param i32)
    (if (local.get 0) (then (call $down (i32.sub (local.get 0) (i32.const 1))))))
  (func (export "recursion_in_loop") (loop $l (call $down (i32.const 50)) (br $l)))
  ;; Recursion with many parameters and locals: the value stack runs out.
  (func $fat (param i64 i64 i64 i64 i64 i64 i64 i64)
    (local i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64 i64)
    (call $fat (local.get 0) (local.get 1) (local.get 2) (local.get 3)
               (local.get 4) (local.get 5) (local.get 6) (local.get 7)))
  (func (export "recursion_params") (call $fat (i64.const 1) (i64.const 2)
    (i64.const 3) (i64.const 4) (i64.const 5) (i64.const 6) (i64.const 7)
    (i64.const 8)))
  (func (export "fuel_zero") (result i32) (i32.const 1)))
