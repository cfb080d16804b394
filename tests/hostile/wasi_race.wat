;; Guests of the FIFO races (hostile_wasiio.c runs them, several at once,
;; on one FIFO in their grant, fd 3): no case of its own here.
;; read_fifo: opens "fifo" for reading, one blocking fd_read of up to 16
;; bytes: the count, or -errno.  write_fifo: opens it for writing and
;; writes 64 KiB blocks forever (blocking mode): -errno on failure.
;; hello: writes "hi\n" to fd 1 (the count, or -errno).  read_stdin: one
;; blocking fd_read of fd 0 (the count, or -errno).
(module
  (import "wasi_snapshot_preview1" "path_open"
    (func $open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read"
    (func $read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write"
    (func $write (param i32 i32 i32 i32) (result i32)))
  (memory 2)
  (data (i32.const 0) "fifo")
  (data (i32.const 48) "hi\n")
  ;; "fifo" under fd 3 with the given base rights: the fd, or -errno.
  (func $open_fifo (param $rights i64) (result i32)
    (local $e i32)
    (local.set $e (call $open (i32.const 3) (i32.const 0) (i32.const 0)
                    (i32.const 4) (i32.const 0) (local.get $rights)
                    (i64.const 0) (i32.const 0) (i32.const 16)))
    (if (result i32) (local.get $e)
      (then (i32.sub (i32.const 0) (local.get $e)))
      (else (i32.load (i32.const 16)))))
  ;; One fd_read / fd_write of fd with iovec {buf, len} at 32: the count,
  ;; or -errno.
  (func $io (param $wr i32) (param $fd i32) (param $buf i32) (param $len i32)
            (result i32)
    (local $e i32)
    (i32.store (i32.const 32) (local.get $buf))
    (i32.store (i32.const 36) (local.get $len))
    (local.set $e
      (if (result i32) (local.get $wr)
        (then (call $write (local.get $fd) (i32.const 32) (i32.const 1)
                           (i32.const 40)))
        (else (call $read (local.get $fd) (i32.const 32) (i32.const 1)
                          (i32.const 40)))))
    (if (result i32) (local.get $e)
      (then (i32.sub (i32.const 0) (local.get $e)))
      (else (i32.load (i32.const 40)))))
  (func (export "read_fifo") (result i32)
    (local $fd i32)
    (local.set $fd (call $open_fifo (i64.const 2))) ;; fd_read
    (if (i32.lt_s (local.get $fd) (i32.const 0))
      (then (return (local.get $fd))))
    (call $io (i32.const 0) (local.get $fd) (i32.const 1024) (i32.const 16)))
  (func (export "write_fifo") (result i32)
    (local $fd i32) (local $n i32)
    (local.set $fd (call $open_fifo (i64.const 64))) ;; fd_write
    (if (i32.lt_s (local.get $fd) (i32.const 0))
      (then (return (local.get $fd))))
    (loop $l
      (local.set $n (call $io (i32.const 1) (local.get $fd) (i32.const 65536)
                              (i32.const 65536)))
      (br_if $l (i32.ge_s (local.get $n) (i32.const 0))))
    (local.get $n))
  (func (export "hello") (result i32)
    (call $io (i32.const 1) (i32.const 1) (i32.const 48) (i32.const 3)))
  (func (export "read_stdin") (result i32)
    (call $io (i32.const 0) (i32.const 0) (i32.const 1024) (i32.const 16))))
