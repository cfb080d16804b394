;; values.wat - test guest for --invoke: parameters and results of every
;; number type; no _start.
(module
  (func (export "add") (param i32 i32) (result i32)
    (i32.add (local.get 0) (local.get 1)))
  (func (export "mul64") (param i64 i64) (result i64)
    (i64.mul (local.get 0) (local.get 1)))
  (func (export "addf32") (param f32 f32) (result f32)
    (f32.add (local.get 0) (local.get 1)))
  (func (export "divf64") (param f64 f64) (result f64)
    (f64.div (local.get 0) (local.get 1)))
  (func (export "mixed") (param i32 i64 f32 f64) (result f64 f32 i64 i32)
    (local.get 3) (local.get 2) (local.get 1) (local.get 0))
  (func (export "nothing"))
  (global (export "g") i32 (i32.const 1)))
