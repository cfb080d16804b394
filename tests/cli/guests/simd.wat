;; simd.wat - test guest for --invoke with v128 parameters and results.
(module
  (func (export "addi32x4") (param v128 v128) (result v128)
    (i32x4.add (local.get 0) (local.get 1)))
  (func (export "mixv") (param i32 v128 f64) (result f64 v128 i32)
    (local.get 2) (local.get 1) (local.get 0))
  (func (export "lanes") (param v128) (result i32 i32)
    (i8x16.extract_lane_u 0 (local.get 0))
    (i8x16.extract_lane_u 15 (local.get 0))))
