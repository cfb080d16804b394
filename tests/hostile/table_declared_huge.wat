;; A table declared with 10M elements: refused by the table cap.
;; expect: f limit_exceeded resource=table
;; expect: f limit_exceeded resource=table table=1000
(module
  (table 10000000 funcref)
  (func (export "f") (result i32) (i32.const 1)))
