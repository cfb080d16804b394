;; WASI calls with out-of-bounds pointers and lengths: each must return
;; EFAULT (21) or EINVAL (28) to the guest; the host never reads or
;; writes outside the guest's memory.
;; expect: write_iovs_oob success result=21 wasi=1
;; expect: write_iovs_wrap success result=21 wasi=1
;; expect: write_buf_oob success result=21 wasi=1
;; expect: write_buf_len_huge success result=21 wasi=1
;; expect: write_iovs_len_huge success result=28 wasi=1
;; expect: write_nwritten_oob success result=21 wasi=1
;; expect: read_buf_oob success result=21 wasi=1
;; expect: args_get_oob success result=21 wasi=1
;; expect: args_sizes_oob success result=21 wasi=1
;; expect: environ_get_oob success result=21 wasi=1
;; expect: random_huge success result=21 wasi=1
;; expect: random_edge success result=0 wasi=1
;; expect: clock_oob success result=21 wasi=1
;; expect: prestat_name_oob success result=21 wasi=1
;; expect: path_oob success result=21 wasi=1
;; expect: path_len_huge success result=21 wasi=1
;; expect: fd_out_oob success result=21 wasi=1
;; expect: poll_oob success result=21 wasi=1
;; expect: readdir_oob success result=21 wasi=1
(module
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read"
    (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_get"
    (func $args_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "args_sizes_get"
    (func $args_sizes_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "environ_get"
    (func $environ_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "random_get"
    (func $random_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "clock_time_get"
    (func $clock_time_get (param i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_prestat_dir_name"
    (func $prestat_dir_name (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "poll_oneoff"
    (func $poll_oneoff (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_readdir"
    (func $fd_readdir (param i32 i32 i32 i64 i32) (result i32)))
  (memory (export "memory") 1)
  (data (i32.const 0) "in.txt")
  ;; iovec at 64: {buf=128, len=16}; 128: "hello"
  (data (i32.const 64) "\80\00\00\00\10\00\00\00")
  (data (i32.const 128) "hello, hostile\n")
  (func (export "write_iovs_oob") (result i32)
    (call $fd_write (i32.const 1) (i32.const 65535) (i32.const 1) (i32.const 200)))
  (func (export "write_iovs_wrap") (result i32)
    (call $fd_write (i32.const 1) (i32.const 0xfffffffc) (i32.const 2) (i32.const 200)))
  (func (export "write_buf_oob") (result i32)
    (i32.store (i32.const 64) (i32.const 65530))
    (call $fd_write (i32.const 1) (i32.const 64) (i32.const 1) (i32.const 200)))
  (func (export "write_buf_len_huge") (result i32)
    (i32.store (i32.const 68) (i32.const 0xffffffff))
    (call $fd_write (i32.const 1) (i32.const 64) (i32.const 1) (i32.const 200)))
  (func (export "write_iovs_len_huge") (result i32)
    (call $fd_write (i32.const 1) (i32.const 64) (i32.const 0x7fffffff) (i32.const 200)))
  (func (export "write_nwritten_oob") (result i32)
    (call $fd_write (i32.const 1) (i32.const 64) (i32.const 1) (i32.const 0xfffffffe)))
  (func (export "read_buf_oob") (result i32)
    (local $fd i32)
    (drop (call $path_open (i32.const 3) (i32.const 0) (i32.const 0) (i32.const 6)
      (i32.const 0) (i64.const -1) (i64.const -1) (i32.const 0) (i32.const 300)))
    (i32.store (i32.const 64) (i32.const 65530))
    (call $fd_read (i32.load (i32.const 300)) (i32.const 64) (i32.const 1) (i32.const 200)))
  (func (export "args_get_oob") (result i32)
    (call $args_get (i32.const 65534) (i32.const 100)))
  (func (export "args_sizes_oob") (result i32)
    (call $args_sizes_get (i32.const 0) (i32.const 0x10000)))
  (func (export "environ_get_oob") (result i32)
    (call $environ_get (i32.const 100) (i32.const 65535)))
  (func (export "random_huge") (result i32)
    (call $random_get (i32.const 16) (i32.const 0xfffffff0)))
  (func (export "random_edge") (result i32)
    (call $random_get (i32.const 65520) (i32.const 16)))
  (func (export "clock_oob") (result i32)
    (call $clock_time_get (i32.const 0) (i64.const 1) (i32.const 65533)))
  (func (export "prestat_name_oob") (result i32)
    (call $prestat_dir_name (i32.const 3) (i32.const 65534) (i32.const 8)))
  (func (export "path_oob") (result i32)
    (call $path_open (i32.const 3) (i32.const 0) (i32.const 65530) (i32.const 10)
      (i32.const 0) (i64.const -1) (i64.const -1) (i32.const 0) (i32.const 300)))
  (func (export "path_len_huge") (result i32)
    (call $path_open (i32.const 3) (i32.const 0) (i32.const 0) (i32.const 0xffffffff)
      (i32.const 0) (i64.const -1) (i64.const -1) (i32.const 0) (i32.const 300)))
  (func (export "fd_out_oob") (result i32)
    (call $path_open (i32.const 3) (i32.const 0) (i32.const 0) (i32.const 6)
      (i32.const 0) (i64.const -1) (i64.const -1) (i32.const 0) (i32.const 65533)))
  (func (export "poll_oob") (result i32)
    (call $poll_oneoff (i32.const 65500) (i32.const 100) (i32.const 100) (i32.const 200)))
  (func (export "readdir_oob") (result i32)
    (call $fd_readdir (i32.const 3) (i32.const 65000) (i32.const 4096) (i64.const 0) (i32.const 200))))
