(module
  (import "host" "hello" (func $hello (param i32)))
  (import "host" "add" (func $add (param i64 i64) (result i64)))
  (func (export "run") (param i32)
    (call $hello (local.get 0)))
  (func (export "sum") (param i64 i64) (result i64)
    (call $add (local.get 0) (local.get 1))))
