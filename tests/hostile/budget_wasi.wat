;; Host state a guest grows through WASI is charged to the memory budget
;; (issue 10): every fd it opens, the fd table's growth, and each
;; directory stream (glibc's DIR and its 32 KiB buffer).  Opening fds in
;; a loop under 128 KiB stops with EMFILE (33) well before the 1,021 fds
;; the sandbox's own limit allows; reading 1,000 directories stops with
;; ENOMEM (48) instead of holding 32 MB of streams.  The driver checks
;; that nothing stays open and that the peak stays under mem=.
;; expect: open_flood success result=1 wasi=1 mem=131072 fuel=none
;; expect: open_flood_default success result=1021 wasi=1 fuel=none
;; expect: readdir_flood success result=48 wasi=1 mem=262144 fuel=none
;; expect: readdir_flood success result=48 wasi=1 fuel=none
;; expect: readdir_close_loop success result=0 wasi=1 mem=262144 fuel=none
(module
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_readdir"
    (func $fd_readdir (param i32 i32 i32 i64 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_close"
    (func $fd_close (param i32) (result i32)))
  (memory 1)
  (data (i32.const 0) "in.txt")
  (data (i32.const 16) ".")
  ;; Opens in.txt until an error; the count at 1000, the errno returned.
  (func $flood (result i32)
    (local $e i32)
    (block $done
      (loop $l
        (local.set $e
          (call $path_open (i32.const 3) (i32.const 0) (i32.const 0)
            (i32.const 6) (i32.const 0) (i64.const -1) (i64.const -1)
            (i32.const 0) (i32.const 2000)))
        (br_if $done (local.get $e))
        (i32.store (i32.const 1000)
          (i32.add (i32.load (i32.const 1000)) (i32.const 1)))
        (br $l)))
    (local.get $e))
  ;; EMFILE after more than 50 and fewer than 128 fds (64 KiB / 512).
  (func (export "open_flood") (result i32)
    (local $n i32)
    (if (i32.ne (call $flood) (i32.const 33)) (then (return (i32.const 0))))
    (local.set $n (i32.load (i32.const 1000)))
    (i32.and (i32.gt_u (local.get $n) (i32.const 50))
             (i32.lt_u (local.get $n) (i32.const 128))))
  ;; Under the default 16 MiB the sandbox's fd limit comes first.
  (func (export "open_flood_default") (result i32)
    (drop (call $flood))
    (i32.load (i32.const 1000)))
  ;; Opens "." and reads it, 1,000 times, keeping every fd: the errno of
  ;; the first failure.
  (func (export "readdir_flood") (result i32)
    (local $i i32) (local $e i32)
    (loop $l
      (local.set $e
        (call $path_open (i32.const 3) (i32.const 0) (i32.const 16)
          (i32.const 1) (i32.const 2) (i64.const -1) (i64.const -1)
          (i32.const 0) (i32.const 2000)))
      (if (local.get $e) (then (return (local.get $e))))
      (local.set $e
        (call $fd_readdir (i32.load (i32.const 2000)) (i32.const 4096)
          (i32.const 256) (i64.const 0) (i32.const 2004)))
      (if (local.get $e) (then (return (local.get $e))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 1000))))
    (i32.const -1))
  ;; Closing returns the charge: 1,000 open-read-close rounds all fit.
  (func (export "readdir_close_loop") (result i32)
    (local $i i32) (local $e i32)
    (loop $l
      (local.set $e
        (call $path_open (i32.const 3) (i32.const 0) (i32.const 16)
          (i32.const 1) (i32.const 2) (i64.const -1) (i64.const -1)
          (i32.const 0) (i32.const 2000)))
      (if (local.get $e) (then (return (local.get $e))))
      (local.set $e
        (call $fd_readdir (i32.load (i32.const 2000)) (i32.const 4096)
          (i32.const 256) (i64.const 0) (i32.const 2004)))
      (if (local.get $e) (then (return (local.get $e))))
      (drop (call $fd_close (i32.load (i32.const 2000))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 1000))))
    (i32.const 0)))
