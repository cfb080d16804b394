;; WASI calls whose cost grows with their arguments end at the deadline
;; (io.c: 64 KiB chunks, the interrupt tested between them), and no call
;; is confused by output written over its own input (aliasing).
;; random_get of 1 GiB and of 4 GiB - 1 under 100 ms (the memory grown to
;; 1 GiB / 4 GiB first; the budget has 1 MiB more for the objects it also
;; counts): before the fix 11 s and 25 s, `success`.
;; expect: random_big timeout timeout=100 fuel=none args=16384,1073741824 mem=1074790400 wasi=1 maxms=1500
;; expect: random_big timeout timeout=100 fuel=none args=65536,4294967295 mem=4296015872 wasi=1 maxms=1500
;; expect: random_big success result=0 args=2,65537 wasi=1
;; fd_write of 1 GiB through 1,024 iovecs all aliasing one 1 MiB buffer, to
;; /dev/null (fd 1): before the fix one writev, 0.5 s, `success` past a
;; 100 ms deadline; now 16,384 chunks of 64 KiB in ~35 ms, so a 5 ms
;; deadline stops it (and 4 GiB asked, ~80 ms, under 10 ms).
;; expect: write_alias timeout timeout=5 fuel=none args=1024,1048576 wasi=1 maxms=1500
;; expect: write_alias timeout timeout=10 fuel=none args=1024,4194304 wasi=1 maxms=1500
;; expect: write_alias success result=1073741824 timeout=20000 args=1024,1048576 wasi=1
;; 1,024 x 4 MiB = 4 GiB asked: one call moves at most 0x7ffff000 bytes
;; (the count must fit the guest's u32), as Linux's writev.
;; expect: write_alias success result=2147479552 timeout=20000 args=1024,4194304 wasi=1
;; expect: write_alias success result=-28 args=1025,1 wasi=1
;; expect: write_alias success result=0 args=0,0 wasi=1
;; poll_oneoff with its events written over its subscriptions: event 0's
;; userdata (1) lands on subscription 1's tag; before the fix the host read
;; pfd[-1] (UBSan) and reported an fd event.  The same with out == in.
;; expect: poll_alias success result=0 wasi=1
;; expect: poll_same success result=0 wasi=1
;; fd_read whose data overwrites the iovec array it was given.
;; expect: read_alias success result=14 wasi=1
(module
  (import "wasi_snapshot_preview1" "random_get"
    (func $random_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write"
    (func $fd_write (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_read"
    (func $fd_read (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "poll_oneoff"
    (func $poll_oneoff (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (memory 1)

  ;; Grows memory to $pages pages, then random_get(0, $len).
  (func (export "random_big") (param $pages i32) (param $len i32) (result i32)
    (if (i32.lt_s
          (memory.grow (i32.sub (local.get $pages) (i32.const 1)))
          (i32.const 0))
      (then (return (i32.const -1))))
    (call $random_get (i32.const 0) (local.get $len)))

  ;; fd_write(1, iovs at 0: $n x {65536, $len}): nwritten, or -errno.
  (func (export "write_alias") (param $n i32) (param $len i32) (result i32)
    (local $i i32) (local $e i32)
    (if (i32.lt_s
          (memory.grow (i32.add (i32.shr_u (local.get $len) (i32.const 16))
                                (i32.const 1)))
          (i32.const 0))
      (then (return (i32.const -1))))
    (block $done
      (loop $l
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (br_if $done (i32.ge_u (local.get $i) (i32.const 1100)))
        (i32.store (i32.shl (local.get $i) (i32.const 3)) (i32.const 65536))
        (i32.store (i32.add (i32.shl (local.get $i) (i32.const 3)) (i32.const 4))
                   (local.get $len))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $l)))
    (local.set $e (call $fd_write (i32.const 1) (i32.const 0) (local.get $n)
                                  (i32.const 9000)))
    (if (result i32) (local.get $e)
      (then (i32.sub (i32.const 0) (local.get $e)))
      (else (i32.load (i32.const 9000)))))

  ;; Two clock subscriptions due at once (timeout 0, monotonic):
  ;; userdata $u0 / 0x22 at $in and $in+48.
  (func $two_clocks (param $in i32) (param $u0 i64)
    (i64.store (local.get $in) (local.get $u0))
    (i32.store8 offset=8 (local.get $in) (i32.const 0))
    (i32.store offset=16 (local.get $in) (i32.const 1))
    (i64.store offset=24 (local.get $in) (i64.const 0))
    (i64.store offset=32 (local.get $in) (i64.const 0))
    (i32.store16 offset=40 (local.get $in) (i32.const 0))
    (i64.store offset=48 (local.get $in) (i64.const 0x22))
    (i32.store8 offset=56 (local.get $in) (i32.const 0))
    (i32.store offset=64 (local.get $in) (i32.const 1))
    (i64.store offset=72 (local.get $in) (i64.const 0))
    (i64.store offset=80 (local.get $in) (i64.const 0))
    (i32.store16 offset=88 (local.get $in) (i32.const 0)))

  ;; Checks the two events at $out: 0 if right, else 1000 + what is wrong.
  (func $check_events (param $out i32) (param $u0 i64) (result i32)
    (if (i32.ne (i32.load (i32.const 200)) (i32.const 2))
      (then (return (i32.add (i32.const 1000) (i32.load (i32.const 200))))))
    (if (i64.ne (i64.load (local.get $out)) (local.get $u0))
      (then (return (i32.const 1001))))
    (if (i32.load16_u offset=8 (local.get $out)) (then (return (i32.const 1002))))
    (if (i32.load8_u offset=10 (local.get $out)) (then (return (i32.const 1003))))
    (if (i64.ne (i64.load offset=32 (local.get $out)) (i64.const 0x22))
      (then (return (i32.const 1004))))
    (if (i32.load16_u offset=40 (local.get $out)) (then (return (i32.const 1005))))
    (if (i32.load8_u offset=42 (local.get $out)) (then (return (i32.const 1006))))
    (i32.const 0))

  (func (export "poll_alias") (result i32)
    (local $e i32)
    (call $two_clocks (i32.const 0) (i64.const 1))
    (local.set $e (call $poll_oneoff (i32.const 0) (i32.const 56) (i32.const 2)
                                     (i32.const 200)))
    (if (local.get $e) (then (return (i32.sub (i32.const 0) (local.get $e)))))
    (call $check_events (i32.const 56) (i64.const 1)))

  (func (export "poll_same") (result i32)
    (local $e i32)
    (call $two_clocks (i32.const 0) (i64.const 7))
    (local.set $e (call $poll_oneoff (i32.const 0) (i32.const 0) (i32.const 2)
                                     (i32.const 200)))
    (if (local.get $e) (then (return (i32.sub (i32.const 0) (local.get $e)))))
    (call $check_events (i32.const 0) (i64.const 7)))

  ;; Opens in.txt ("hostile input\n") and reads it through iovecs at 0:
  ;; {0, 8} (over the iovec array itself) and {100, 8}.
  (data (i32.const 300) "in.txt")
  (func (export "read_alias") (result i32)
    (local $e i32) (local $fd i32)
    (local.set $e (call $path_open (i32.const 3) (i32.const 0) (i32.const 300)
                    (i32.const 6) (i32.const 0) (i64.const 2) (i64.const 0)
                    (i32.const 0) (i32.const 320)))
    (if (local.get $e) (then (return (i32.sub (i32.const 0) (local.get $e)))))
    (local.set $fd (i32.load (i32.const 320)))
    (i32.store (i32.const 0) (i32.const 0))
    (i32.store (i32.const 4) (i32.const 8))
    (i32.store (i32.const 8) (i32.const 100))
    (i32.store (i32.const 12) (i32.const 8))
    (local.set $e (call $fd_read (local.get $fd) (i32.const 0) (i32.const 2)
                                 (i32.const 200)))
    (if (local.get $e) (then (return (i32.sub (i32.const 0) (local.get $e)))))
    ;; bytes 8.. of the file ("input\n") went to 100, as first asked
    (if (i32.ne (i32.load (i32.const 100)) (i32.const 0x75706e69))
      (then (return (i32.const -1))))
    (i32.load (i32.const 200))))
