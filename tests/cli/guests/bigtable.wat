;; bigtable.wat - test guest: a 10,266-element table (as yosys needs) and
;; a page of memory; tgrow grows the table and returns table.grow's result.
(module
  (memory 1)
  (table $t 10266 funcref)
  (func (export "_start"))
  (func (export "tgrow") (param i32) (result i32)
    (table.grow $t (ref.null func) (local.get 0))))
