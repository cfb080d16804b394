;; An active element segment past the end of the table.
;; expect: f trap trap=out_of_bounds_table_access
(module
  (table 2 funcref)
  (func $g)
  (elem (i32.const 1) $g $g)
  (func (export "f") (result i32) (i32.const 1)))
