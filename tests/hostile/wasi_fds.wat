;; fd exhaustion and closed / invalid fds.  Opening in a loop must stop
;; with EMFILE (33) at the sandbox's fd limit; every host fd is released
;; when the execution ends (the driver checks the process's fd count).
;; expect: exhaust success result=33 wasi=1 fuel=none
;; expect: exhaust_count success result=1021 wasi=1 fuel=none
;; expect: write_closed success result=8 wasi=1
;; expect: close_twice success result=8 wasi=1
;; expect: write_fd_huge success result=8 wasi=1
;; expect: write_fd_neg success result=8 wasi=1
;; expect: close_preopen_then_open success result=8 wasi=1
;; expect: renumber_huge success result=8 wasi=1
;; expect: renumber_onto_self success result=0 wasi=1
;; expect: seek_closed success result=8 wasi=1
;; expect: exit_code exit exit=-7 wasi=1
;; expect: exit_huge exit exit=-2147483648 wasi=1
(module
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close"
    (func $fd_close (param i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_renumber"
    (func $fd_renumber (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_seek"
    (func $fd_seek (param i32 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "proc_exit" (func $proc_exit (param i32)))
  (memory 1)
  (data (i32.const 0) "in.txt")
  (data (i32.const 64) "\80\00\00\00\04\00\00\00")
  (data (i32.const 128) "data")
  (func $open (result i32)
    (call $path_open (i32.const 3) (i32.const 0) (i32.const 0) (i32.const 6)
      (i32.const 0) (i64.const -1) (i64.const -1) (i32.const 0) (i32.const 1000)))
  (func $write (param $fd i32) (result i32)
    (call $fd_write (local.get $fd) (i32.const 64) (i32.const 1) (i32.const 200)))
  ;; Opens until an error; returns it (the number opened is at 2000).
  (func $exhaust (export "exhaust") (result i32)
    (local $e i32)
    (block $done
      (loop $l
        (local.set $e (call $open))
        (br_if $done (local.get $e))
        (i32.store (i32.const 2000) (i32.add (i32.load (i32.const 2000)) (i32.const 1)))
        (br $l)))
    (local.get $e))
  (func (export "exhaust_count") (result i32)
    (drop (call $exhaust))
    (i32.load (i32.const 2000)))
  (func (export "write_closed") (result i32)
    (local $fd i32)
    (drop (call $open))
    (local.set $fd (i32.load (i32.const 1000)))
    (drop (call $fd_close (local.get $fd)))
    (call $write (local.get $fd)))
  (func (export "close_twice") (result i32)
    (local $fd i32)
    (drop (call $open))
    (local.set $fd (i32.load (i32.const 1000)))
    (drop (call $fd_close (local.get $fd)))
    (call $fd_close (local.get $fd)))
  (func (export "write_fd_huge") (result i32) (call $write (i32.const 0x7fffffff)))
  (func (export "write_fd_neg") (result i32) (call $write (i32.const -1)))
  (func (export "close_preopen_then_open") (result i32)
    (drop (call $fd_close (i32.const 3)))
    (call $open))
  (func (export "renumber_huge") (result i32)
    (call $fd_renumber (i32.const 3) (i32.const 0x7fffffff)))
  (func (export "renumber_onto_self") (result i32)
    (call $fd_renumber (i32.const 3) (i32.const 3)))
  (func (export "seek_closed") (result i32)
    (drop (call $fd_close (i32.const 3)))
    (call $fd_seek (i32.const 3) (i64.const 0) (i32.const 0) (i32.const 200)))
  (func (export "exit_code") (call $proc_exit (i32.const -7)))
  (func (export "exit_huge") (call $proc_exit (i32.const 0x80000000))))
