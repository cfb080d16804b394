;; The deadline is absolute for table operations too (issue 10): one
;; table.fill/copy/init/grow of any size stops within 4,096 elements of
;; the deadline (before the chunking each ran to completion and reported
;; success).  A 10,000,000-element table is 80 MB of host memory: filling
;; it takes tens of ms, so the timeout here is 2 ms.  The 100 MB memory
;; budget pays for that table storage (8 bytes an element; tgrow_10m needs
;; room for both tables).
;; expect: tfill_10m timeout fuel=none timeout=2 table=10000000 mem=100000000 maxms=1000
;; expect: tgrow_10m timeout fuel=none timeout=2 table=10000000 mem=200000000 maxms=1000
;; expect: tcopy_up_10m timeout fuel=none timeout=2 table=10000000 mem=100000000 maxms=1000
;; expect: tcopy_down_10m timeout fuel=none timeout=2 table=10000000 mem=100000000 maxms=1000
;; expect: tinit_loop timeout fuel=none timeout=2 table=10000000 mem=100000000 maxms=1000
;; Completed when the deadline allows: results checked.
;; expect: tfill_10m success fuel=none timeout=20000 table=10000000 mem=100000000
;; expect: tcopy_check success result=1 fuel=none timeout=20000 table=10000000 mem=100000000
(module
  (table $t 1 funcref)
  (table $u 10000000 funcref)
  (type $r (func (result i32)))
  (func $f (type $r) (i32.const 1))
  (func $g (type $r) (i32.const 2))
  (elem $e func $f $g $f $g $f $g $f $g)
  (func (export "tfill_10m")
    (table.fill $u (i32.const 0) (ref.func $f) (i32.const 10000000)))
  (func (export "tgrow_10m")
    (drop (table.grow $t (ref.func $f) (i32.const 9999999))))
  (func (export "tcopy_up_10m")
    (table.copy $u $u (i32.const 1) (i32.const 0) (i32.const 9999999)))
  (func (export "tcopy_down_10m")
    (table.copy $u $u (i32.const 0) (i32.const 1) (i32.const 9999999)))
  ;; Many small table.init: each bounded, the loop checks at its header.
  (func (export "tinit_loop")
    (loop $l
      (table.init $u $e (i32.const 0) (i32.const 0) (i32.const 8))
      (br $l)))
  ;; Overlapping copies over more than one chunk keep memmove semantics.
  (func (export "tcopy_check") (result i32)
    (table.set $u (i32.const 0) (ref.func $g))
    (table.set $u (i32.const 9000) (ref.func $g))
    ;; shift [0, 9001) up by 1000: $g lands at 1000 and 10000
    (table.copy $u $u (i32.const 1000) (i32.const 0) (i32.const 9001))
    ;; and back down by 500: $g at 500 and 9500
    (table.copy $u $u (i32.const 500) (i32.const 1000) (i32.const 9001))
    (i32.and
      (i32.and
        (i32.eq (call_indirect $u (type $r) (i32.const 500)) (i32.const 2))
        (i32.eq (call_indirect $u (type $r) (i32.const 9500)) (i32.const 2)))
      (i32.and
        (ref.is_null (table.get $u (i32.const 499)))
        (ref.is_null (table.get $u (i32.const 9501)))))))
