;; escape_nomem.wat - a module with no memory at all calling WASI functions
;; that take pointers: each must return EFAULT (21) (there is nothing to
;; read or write), never touch host memory.  It cannot print (fd_write
;; needs memory), so a wrong answer exits with the number of the failed
;; check; success is status 0 with empty output (escape_nomem.expected).
(module
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read" (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get" (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "random_get" (func $random_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open" (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "poll_oneoff" (func $poll_oneoff (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close" (func $fd_close (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "sched_yield" (func $sched_yield (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (func $expect (param $check i32) (param $got i32) (param $want i32)
    (if (i32.ne (local.get $got) (local.get $want))
      (then (call $proc_exit (local.get $check)))))
  (func (export "_start")
    (call $expect (i32.const 1) (call $fd_write (i32.const 1) (i32.const 0) (i32.const 1) (i32.const 0)) (i32.const 21))
    (call $expect (i32.const 2) (call $fd_read (i32.const 0) (i32.const 0) (i32.const 0) (i32.const 0)) (i32.const 21))
    (call $expect (i32.const 3) (call $args_sizes_get (i32.const 0) (i32.const 4)) (i32.const 21))
    (call $expect (i32.const 4) (call $random_get (i32.const 0) (i32.const 0)) (i32.const 21))
    (call $expect (i32.const 5) (call $path_open (i32.const 3) (i32.const 0) (i32.const 0) (i32.const 0)
                                  (i32.const 0) (i64.const 2) (i64.const 2) (i32.const 0) (i32.const 0)) (i32.const 21))
    (call $expect (i32.const 6) (call $poll_oneoff (i32.const 0) (i32.const 0) (i32.const 1) (i32.const 0)) (i32.const 21))
    ;; Calls without pointers still work.
    (call $expect (i32.const 7) (call $sched_yield) (i32.const 0))
    (call $expect (i32.const 8) (call $fd_close (i32.const 77)) (i32.const 8))
  )
)
