;; bigmem.wat - test guest: a memory of 4 pages (256 KiB) at least; its
;; grow export tries memory.grow and returns the result.
(module
  (memory 4)
  (func (export "_start"))
  (func (export "grow") (param i32) (result i32) (memory.grow (local.get 0)))
  (func (export "size") (result i32) (memory.size)))
