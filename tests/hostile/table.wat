;; table.grow bombs and huge table operations; the table cap (table=)
;; bounds growth.
;; expect: grow_all success result=100000
;; expect: grow_all success result=5000 table=5000
;; expect: grow_huge success result=-1
;; expect: grow_max success result=-1
;; expect: fill_huge trap trap=out_of_bounds_table_access
;; expect: copy_huge trap trap=out_of_bounds_table_access
;; expect: init_huge trap trap=out_of_bounds_table_access
;; expect: get_far trap trap=out_of_bounds_table_access
;; expect: call_null trap trap=uninitialized_element
;; expect: call_far trap trap=out_of_bounds_table_access
;; expect: call_wrong_type trap trap=indirect_call_type_mismatch
;; expect: fill_all success result=100000 fuel=none
(module
  (type $i (func (result i32)))
  (table $t 1 funcref)
  (elem $e func $f)
  (func $f (result i32) (i32.const 1))
  (func $grow_all (export "grow_all") (result i32)
    (block $done
      (loop $l
        (br_if $done (i32.eq (table.grow $t (ref.null func) (i32.const 1000))
                             (i32.const -1)))
        (br $l)))
    (block $done2
      (loop $l2
        (br_if $done2 (i32.eq (table.grow $t (ref.null func) (i32.const 1))
                              (i32.const -1)))
        (br $l2)))
    (table.size $t))
  (func (export "grow_huge") (result i32)
    (table.grow $t (ref.null func) (i32.const 10000000)))
  (func (export "grow_max") (result i32)
    (table.grow $t (ref.null func) (i32.const 0xffffffff)))
  (func (export "fill_huge")
    (table.fill $t (i32.const 0) (ref.func $f) (i32.const 0xffffffff)))
  (func (export "copy_huge")
    (table.copy (i32.const 0) (i32.const 0) (i32.const 0xffffffff)))
  (func (export "init_huge")
    (table.init $e (i32.const 0) (i32.const 0) (i32.const 0xffffffff)))
  (func (export "get_far") (result i32)
    (ref.is_null (table.get $t (i32.const 0xffffffff))))
  (func (export "call_null") (result i32)
    (call_indirect (type $i) (i32.const 0)))
  (func (export "call_far") (result i32)
    (call_indirect (type $i) (i32.const 0x7fffffff)))
  (func (export "call_wrong_type")
    (table.set $t (i32.const 0) (ref.func $f))
    (call_indirect (param i32) (i32.const 5) (i32.const 0)))
  (func (export "fill_all") (result i32)
    (drop (call $grow_all))
    (table.fill $t (i32.const 0) (ref.func $f) (table.size $t))
    (table.size $t)))
