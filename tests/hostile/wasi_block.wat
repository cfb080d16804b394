;; Blocking WASI calls: a poll_oneoff sleeping for an hour must end at the
;; execution's deadline (it waits on the interrupt fd too); host calls in a
;; loop are bounded by fuel and by the deadline.
;; expect: sleep_hour timeout timeout=200 wasi=1 maxms=5000
;; expect: sleep_hour timeout timeout=200 fuel=none wasi=1 maxms=5000
;; expect: sleep_short success result=0 wasi=1
;; expect: yield_loop out_of_fuel fuel=100000 wasi=1
;; expect: yield_loop timeout fuel=none timeout=200 wasi=1
;; expect: poll_no_subs success result=28 wasi=1
(module
  (import "wasi_snapshot_preview1" "poll_oneoff"
    (func $poll_oneoff (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "sched_yield" (func $yield (result i32)))
  (memory 1)
  ;; One clock subscription at 0: tag 0 (clock) at 8, id 1 (monotonic) at
  ;; 16, timeout (ns) at 24, precision at 32, flags 0 (relative) at 40.
  (func $sleep (param $ns i64) (result i32)
    (i64.store (i32.const 0) (i64.const 7))
    (i32.store8 (i32.const 8) (i32.const 0))
    (i32.store (i32.const 16) (i32.const 1))
    (i64.store (i32.const 24) (local.get $ns))
    (i64.store (i32.const 32) (i64.const 0))
    (i32.store16 (i32.const 40) (i32.const 0))
    (call $poll_oneoff (i32.const 0) (i32.const 100) (i32.const 1) (i32.const 200)))
  (func (export "sleep_hour") (result i32) (call $sleep (i64.const 3600000000000)))
  (func (export "sleep_short") (result i32) (call $sleep (i64.const 1000000)))
  (func (export "yield_loop") (loop $l (drop (call $yield)) (br $l)))
  (func (export "poll_no_subs") (result i32)
    (call $poll_oneoff (i32.const 0) (i32.const 100) (i32.const 0) (i32.const 200))))
