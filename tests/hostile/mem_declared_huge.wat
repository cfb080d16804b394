;; A memory declared at 4 GiB: refused by the memory cap at instantiation.
;; expect: f limit_exceeded resource=memory
;; expect: f limit_exceeded resource=memory mem=65536
(module
  (memory 65536)
  (func (export "f") (result i32) (i32.const 1)))
