;; SIMD (v128) guests: every access shape at the edge of memory and far
;; past it (a 64-bit effective address never wraps), infinite and
;; memory-wide vector loops under fuel and the deadline, and recursion
;; with two-slot v128 frames.
;; expect: load_edge success result=0x04030201
;; expect: load_past trap trap=out_of_bounds_memory_access
;; expect: load_far trap trap=out_of_bounds_memory_access
;; expect: splat_past trap trap=out_of_bounds_memory_access
;; expect: ext_past trap trap=out_of_bounds_memory_access
;; expect: zero_past trap trap=out_of_bounds_memory_access
;; expect: lane_past trap trap=out_of_bounds_memory_access
;; expect: store_past trap trap=out_of_bounds_memory_access
;; expect: store_lane_far trap trap=out_of_bounds_memory_access
;; expect: vec_loop out_of_fuel fuel=100000
;; expect: vec_loop timeout fuel=none timeout=200
;; fill_all: the 16 MiB memory budget also counts the instance's other
;; objects (tables, overhead), so 255 pages fit, not 256.
;; expect: fill_all success result=255 mem=16777216 fuel=none
;; expect: fill_all out_of_fuel fuel=100000
;; expect: vec_rec trap trap=call_stack_exhausted
;; expect: vec_rec trap trap=call_stack_exhausted fuel=none timeout=none
;; expect: shuffle_mix success result=0x1f0f1e0e
(module
  (memory 1)
  (data (i32.const 65520) "\01\02\03\04")
  (func (export "load_edge") (result i32)
    (i32x4.extract_lane 0 (v128.load (i32.const 65520))))
  (func (export "load_past") (result i32)
    (i32x4.extract_lane 0 (v128.load (i32.const 65521))))
  (func (export "load_far") (result i32)
    (i32x4.extract_lane 0 (v128.load offset=0xffffffff (i32.const 0xffffffff))))
  (func (export "splat_past") (result i32)
    (i32x4.extract_lane 0 (v128.load64_splat (i32.const 65529))))
  (func (export "ext_past") (result i32)
    (i32x4.extract_lane 0 (v128.load16x4_s (i32.const 65529))))
  (func (export "zero_past") (result i32)
    (i32x4.extract_lane 0 (v128.load32_zero offset=65533 (i32.const 0))))
  (func (export "lane_past") (result i32)
    (i32x4.extract_lane 0
      (v128.load32_lane 3 (i32.const 65533) (v128.const i64x2 0 0))))
  (func (export "store_past")
    (v128.store offset=1 (i32.const 65520) (v128.const i64x2 -1 -1)))
  (func (export "store_lane_far")
    (v128.store64_lane offset=0xfffffff8 1 (i32.const 0x10) (v128.const i64x2 -1 -1)))
  (func (export "vec_loop") (local v128)
    (loop $l
      (local.set 0 (f32x4.mul (local.get 0) (f32x4.splat (f32.const 1.5))))
      (br $l)))
  ;; Grow to the cap, then write every 16-byte block of it.
  (func (export "fill_all") (result i32) (local i32 i32)
    (block $g (loop $l
      (br_if $g (i32.eq (memory.grow (i32.const 1)) (i32.const -1)))
      (br $l)))
    (local.set 1 (i32.mul (memory.size) (i32.const 65536)))
    (loop $w
      (v128.store (local.get 0) (i8x16.splat (local.get 0)))
      (br_if $w (i32.lt_u (local.tee 0 (i32.add (local.get 0) (i32.const 16)))
                          (local.get 1))))
    (memory.size))
  (func $vec_rec (export "vec_rec") (result i32) (local v128 v128 v128 v128)
    (i32x4.extract_lane 0
      (i32x4.add (local.get 0) (i32x4.splat (call $vec_rec)))))
  (func (export "shuffle_mix") (result i32)
    (i32x4.extract_lane 3
      (i8x16.shuffle 0 0 0 0 0 0 0 0 0 0 0 0 14 30 15 31
        (v128.const i8x16 0 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15)
        (v128.const i8x16 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31)))))
