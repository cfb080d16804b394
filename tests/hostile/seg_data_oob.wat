;; An active data segment past the end of memory: instantiation traps,
;; nothing runs.
;; expect: f trap trap=out_of_bounds_memory_access
(module
  (memory 1)
  (data (i32.const 65530) "0123456789")
  (func (export "f") (result i32) (i32.const 1)))
