;; The memory budget against table.grow and memory.grow (issue 10): one
;; budget for linear memory, table elements (8 bytes each) and the
;; objects' overhead.  Growing either until -1 never passes the cap (the
;; driver checks the peak against mem=), and what one took the other
;; cannot have.  A grow refused by the budget costs no per-element fuel.
;; expect: table_grow_loop success result=1 mem=1048576 fuel=none table=none
;; expect: table_grow_loop success result=1 mem=1048576 fuel=1000000 table=none
;; expect: table_then_memory success result=-1 mem=1048576 fuel=none table=none
;; expect: memory_then_table success result=-1 mem=1048576 fuel=none table=none
;; expect: table_grow_huge success result=-1 mem=1048576 table=none
;; expect: probe_loop success result=1000 mem=1048576 fuel=100000 table=none
;; expect: big_first_table success result=10266 mem=1048576 table=none
;; expect: big_first_table success result=10266 mem=1048576 table=10266
;; expect: big_first_table limit_exceeded resource=table mem=1048576 table=10265
(module
  (memory 1)
  (table $t 0 funcref)
  (table $big 10266 funcref)
  ;; Grows by 1,000 until refused, then by 1 until refused: the table
  ;; holds (1 MiB - a page - $big - overhead) / 8 elements, about 112,000.
  (func $fill_table (result i32)
    (loop $l
      (br_if $l (i32.ne (table.grow $t (ref.null func) (i32.const 1000))
                        (i32.const -1))))
    (loop $l2
      (br_if $l2 (i32.ne (table.grow $t (ref.null func) (i32.const 1))
                         (i32.const -1))))
    (table.size $t))
  (func (export "table_grow_loop") (result i32)
    (local $n i32)
    (local.set $n (call $fill_table))
    ;; more than 110,000 elements, fewer than (1 MiB - 64 KiB) / 8
    (i32.and (i32.gt_u (local.get $n) (i32.const 110000))
             (i32.le_u (local.get $n) (i32.const 114688))))
  (func (export "table_then_memory") (result i32)
    (drop (call $fill_table))
    (memory.grow (i32.const 1)))
  (func (export "memory_then_table") (result i32)
    (loop $l
      (br_if $l (i32.ne (memory.grow (i32.const 1)) (i32.const -1))))
    ;; less than a page is left: 8,192 elements (64 KiB) cannot fit
    (table.grow $t (ref.null func) (i32.const 8192)))
  (func (export "table_grow_huge") (result i32)
    (table.grow $t (ref.null func) (i32.const 0x7fffffff)))
  ;; 1,000 refused grows of 100,000,000 elements under 100,000 fuel.
  (func (export "probe_loop") (result i32)
    (local $i i32)
    (loop $l
      (drop (table.grow $t (ref.null func) (i32.const 100000000)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 1000))))
    (local.get $i))
  (func (export "big_first_table") (result i32) (table.size $big)))
