;; memory.grow bombs and huge bulk-memory operations.  The memory cap
;; (mem=) bounds growth: grow returns -1 past it and the guest goes on.
;; (The cap is the whole memory budget: a 4 MiB cap leaves no room for the
;; objects' overhead next to the 64th page.)
;; expect: grow_all success result=63 mem=4194304
;; expect: grow_all success result=64 mem=4198400
;; expect: grow_all success result=256
;; expect: grow_huge success result=-1
;; expect: grow_max success result=-1
;; expect: grow_neg success result=-1
;; expect: fill_huge trap trap=out_of_bounds_memory_access
;; expect: copy_huge trap trap=out_of_bounds_memory_access
;; expect: copy_wrap trap trap=out_of_bounds_memory_access
;; expect: init_huge trap trap=out_of_bounds_memory_access
;; expect: load_far trap trap=out_of_bounds_memory_access
;; expect: store_edge trap trap=out_of_bounds_memory_access
;; expect: fill_16m success result=256 fuel=none
;; expect: fill_16m out_of_fuel fuel=1000
;; expect: copy_16m success result=256 fuel=none
;; expect: fill_loop out_of_fuel fuel=1000000
;; expect: fill_loop timeout fuel=none timeout=300
(module
  (memory 1)
  (data $d "hostile")
  (func $grow_all (export "grow_all") (result i32)
    (block $done
      (loop $l
        (br_if $done (i32.eq (memory.grow (i32.const 1)) (i32.const -1)))
        (br $l)))
    (memory.size))
  (func (export "grow_huge") (result i32) (memory.grow (i32.const 65536)))
  (func (export "grow_max") (result i32) (memory.grow (i32.const 0xffffffff)))
  (func (export "grow_neg") (result i32) (memory.grow (i32.const 0x80000000)))
  (func (export "fill_huge")
    (memory.fill (i32.const 0) (i32.const 0xab) (i32.const 0xffffffff)))
  (func (export "copy_huge")
    (memory.copy (i32.const 1) (i32.const 0) (i32.const 0xffffffff)))
  (func (export "copy_wrap")
    (memory.copy (i32.const 0xffffff00) (i32.const 0) (i32.const 0x200)))
  (func (export "init_huge")
    (memory.init $d (i32.const 0) (i32.const 0) (i32.const 0xffffffff)))
  (func (export "load_far") (result i32)
    (i32.load offset=0xffffffff (i32.const 0xffffffff)))
  (func (export "store_edge")
    (i64.store (i32.const 65532) (i64.const 1)))
  ;; Grow to the 16 MiB cap, then fill / copy all of it.
  (func (export "fill_16m") (result i32)
    (drop (call $grow_all))
    (memory.fill (i32.const 0) (i32.const 0x5a) (i32.mul (memory.size) (i32.const 65536)))
    (memory.size))
  (func (export "copy_16m") (result i32)
    (drop (call $grow_all))
    (memory.copy (i32.const 1) (i32.const 0)
      (i32.sub (i32.mul (memory.size) (i32.const 65536)) (i32.const 1)))
    (memory.size))
  (func (export "fill_loop")
    (loop $l (memory.fill (i32.const 0) (i32.const 1) (i32.const 65536)) (br $l))))
