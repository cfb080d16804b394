;; traps.wat - test guest: one exported function per trap kind; _start
;; traps with unreachable.
(module
  (memory 1)
  (table 2 funcref)
  (func $start (export "_start") unreachable)
  (func (export "unreachable") unreachable)
  (func (export "divzero") (param i32) (result i32)
    (i32.div_s (i32.const 1) (local.get 0)))
  (func $rec (export "recurse") (param i32) (result i32)
    (i32.add (call $rec (i32.add (local.get 0) (i32.const 1))) (i32.const 1)))
  (func (export "oob") (result i32) (i32.load (i32.const 70000)))
  (func (export "uninit") (call_indirect (i32.const 1)))
  (func (export "conv") (param f64) (result i32) (i32.trunc_f64_s (local.get 0))))
