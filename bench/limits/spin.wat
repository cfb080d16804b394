;; bench/limits/spin.wat - a guest that never returns (a tight loop), for
;; the timeout overshoot benchmark.
(module
  (func (export "spin") (loop $l (br $l))))
