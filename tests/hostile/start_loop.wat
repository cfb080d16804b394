;; An infinite loop in the start function: instantiation itself runs under
;; the fuel budget and the deadline.
;; expect: f out_of_fuel fuel=100000
;; expect: f timeout fuel=none timeout=200
(module
  (func $start (loop $l (br $l)))
  (start $start)
  (func (export "f") (result i32) (i32.const 1)))
