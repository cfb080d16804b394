;; The deadline is absolute (issue 10): one bulk operation of any size
;; stops within one chunk (64 KiB / 4,096 elements) of the deadline.
;; Before the chunking, fill_4g ran 4.3 s under a 100 ms timeout and
;; reported success (deadline_table.wat: the same for tables).
;; fuel=none: the per-byte fuel would otherwise stop them before they run.
;; mem is 4 GiB + 1 MiB: the budget also pays for the objects (instance,
;; memory record) besides the 4 GiB of linear memory.
;; expect: fill_4g timeout fuel=none timeout=100 mem=4296015872 maxms=1000
;; expect: copy_up_2g timeout fuel=none timeout=100 mem=4296015872 maxms=1000
;; expect: copy_down_2g timeout fuel=none timeout=100 mem=4296015872 maxms=1000
;; expect: fill_loop_4g timeout fuel=none timeout=100 mem=4296015872 maxms=1000
;; The same operations complete when the deadline allows it.
;; expect: fill_16m success result=1 fuel=none timeout=10000 mem=4296015872
;; expect: copy_16m success result=1 fuel=none timeout=10000 mem=4296015872
;; Overlapping copies over several chunks keep memmove semantics.
;; expect: copy_overlap success result=1 fuel=none timeout=10000
(module
  (memory 1)
  (func $grow_all
    (if (i32.eq (memory.grow (i32.const 65535)) (i32.const -1))
      (then unreachable)))
  (func (export "fill_4g")
    (call $grow_all)
    (memory.fill (i32.const 0) (i32.const 0x5a) (i32.const 0xffffffff)))
  (func (export "copy_up_2g")
    (call $grow_all)
    (memory.copy (i32.const 0x80000000) (i32.const 0) (i32.const 0x7fffffff)))
  (func (export "copy_down_2g")
    (call $grow_all)
    (memory.copy (i32.const 0) (i32.const 0x7fffffff) (i32.const 0x80000000)))
  ;; One fill after another: each is bounded, the loop checks at its header.
  (func (export "fill_loop_4g")
    (call $grow_all)
    (loop $l
      (memory.fill (i32.const 0) (i32.const 1) (i32.const 0xffffffff))
      (br $l)))
  (func (export "fill_16m") (result i32)
    (drop (memory.grow (i32.const 255)))
    (memory.fill (i32.const 0) (i32.const 7) (i32.const 0x1000000))
    (i32.eq (i32.load8_u (i32.const 0xffffff)) (i32.const 7)))
  (func (export "copy_16m") (result i32)
    (drop (memory.grow (i32.const 511)))
    (i32.store8 (i32.const 0xffffff) (i32.const 9))
    (memory.copy (i32.const 0x1000000) (i32.const 0) (i32.const 0x1000000))
    (i32.eq (i32.load8_u (i32.const 0x1ffffff)) (i32.const 9)))
  (func (export "copy_overlap") (result i32)
    (local $i i32) (local $ok i32)
    (drop (memory.grow (i32.const 4)))
    ;; byte i = i mod 251 over 3 chunks
    (loop $l
      (i32.store8 (local.get $i) (i32.rem_u (local.get $i) (i32.const 251)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 0x30000))))
    ;; up by 1000 (back to front), then down by 1999 (front to back)
    (memory.copy (i32.const 1000) (i32.const 0) (i32.const 0x30000))
    (memory.copy (i32.const 0) (i32.const 1999) (i32.const 0x30000))
    ;; now byte j = (j + 999) mod 251 for j < 0x30000 - 999
    (local.set $i (i32.const 0))
    (local.set $ok (i32.const 1))
    (loop $c
      (if (i32.ne (i32.load8_u (local.get $i))
                  (i32.rem_u (i32.add (local.get $i) (i32.const 999))
                             (i32.const 251)))
        (then (local.set $ok (i32.const 0))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $c (i32.lt_u (local.get $i) (i32.const 0x2fc19))))
    (local.get $ok)))
