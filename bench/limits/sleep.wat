;; bench/limits/sleep.wat - a guest that sleeps 10 s in WASI poll_oneoff
;; (one monotonic clock subscription), for the timeout overshoot benchmark.
(module
  (import "wasi_snapshot_preview1" "poll_oneoff"
    (func $poll (param i32 i32 i32 i32) (result i32)))
  (memory (export "memory") 1)
  ;; subscription at 0 (48 bytes): userdata, tag 0 = clock at 8,
  ;; clock id 1 = monotonic at 16, timeout (ns) at 24, precision, flags 0.
  (func (export "sleep") (result i32)
    (i32.store8 (i32.const 8) (i32.const 0))
    (i32.store (i32.const 16) (i32.const 1))
    (i64.store (i32.const 24) (i64.const 10000000000))
    (call $poll (i32.const 0) (i32.const 64) (i32.const 1) (i32.const 128))))
