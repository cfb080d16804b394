;; spin.wat - test guest: loops forever (stopped by fuel or the timeout).
(module
  (func (export "_start") (loop $l (br $l))))
