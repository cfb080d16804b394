;; link.wat - test guest: imports a function nobody defines.
(module
  (import "env" "missing_function" (func $m (param i32)))
  (func (export "_start") (call $m (i32.const 1))))
