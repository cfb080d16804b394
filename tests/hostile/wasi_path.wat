;; Path escapes from the preopened directory (fd 3) with raw WASI calls:
;; refused with ENOTCAPABLE (76); bad names with EINVAL / ENAMETOOLONG;
;; a path relative to a non-directory fd with ENOTDIR (54).
;; (tests/wasi covers escapes from C programs; these are the raw forms.)
;; expect: open_ok success result=0 wasi=1
;; expect: dotdot success result=76 wasi=1
;; expect: dotdot_deep success result=76 wasi=1
;; expect: dotdot_missing success result=44 wasi=1
;; expect: sub_dotdot_dotdot success result=76 wasi=1
;; expect: absolute success result=76 wasi=1
;; expect: nul_in_path success result=28 wasi=1
;; expect: long_path success result=37 wasi=1
;; expect: symlink_out success result=76 wasi=1
;; expect: mkdir_dotdot success result=76 wasi=1
;; expect: unlink_dotdot success result=76 wasi=1
;; expect: rename_out success result=76 wasi=1
;; expect: open_from_stdout success result=54 wasi=1
(module
  (import "wasi_snapshot_preview1" "path_open"
    (func $path_open (param i32 i32 i32 i32 i32 i64 i64 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_symlink"
    (func $path_symlink (param i32 i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_create_directory"
    (func $mkdir (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_unlink_file"
    (func $unlink (param i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "path_rename"
    (func $rename (param i32 i32 i32 i32 i32 i32) (result i32)))
  (memory 1)
  (data (i32.const 0) "in.txt")
  (data (i32.const 16) "../etc/passwd")
  (data (i32.const 48) "sub/../../../../../../etc/passwd")
  (data (i32.const 96) "sub/../../in.txt")
  (data (i32.const 128) "/etc/passwd")
  (data (i32.const 160) "in.txt\00/../../x")
  (data (i32.const 192) "escape")
  (data (i32.const 208) "../newdir")
  (data (i32.const 240) "nope/../../etc")
  (func $open (param $path i32) (param $len i32) (result i32)
    (call $path_open (i32.const 3) (i32.const 0) (local.get $path) (local.get $len)
      (i32.const 0) (i64.const -1) (i64.const -1) (i32.const 0) (i32.const 1000)))
  (func (export "open_ok") (result i32) (call $open (i32.const 0) (i32.const 6)))
  (func (export "dotdot") (result i32) (call $open (i32.const 16) (i32.const 13)))
  (func (export "dotdot_deep") (result i32) (call $open (i32.const 48) (i32.const 32)))
  (func (export "dotdot_missing") (result i32) (call $open (i32.const 240) (i32.const 14)))
  (func (export "sub_dotdot_dotdot") (result i32) (call $open (i32.const 96) (i32.const 16)))
  (func (export "absolute") (result i32) (call $open (i32.const 128) (i32.const 11)))
  (func (export "nul_in_path") (result i32) (call $open (i32.const 160) (i32.const 15)))
  ;; 8192 bytes of "a/" (memory is zero there: fill it first).
  (func (export "long_path") (result i32)
    (local $i i32)
    (loop $l
      (i32.store16 (i32.add (i32.const 4096) (local.get $i)) (i32.const 0x2f61))
      (local.set $i (i32.add (local.get $i) (i32.const 2)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 8192))))
    (call $open (i32.const 4096) (i32.const 8192)))
  ;; A symlink to ../etc/passwd inside the sandbox, then opened.
  ;; (returns the symlink's errno if it was refused, else the open's)
  (func (export "symlink_out") (result i32)
    (local $e i32)
    (local.set $e (call $path_symlink (i32.const 16) (i32.const 13) (i32.const 3)
      (i32.const 192) (i32.const 6)))
    (if (result i32) (local.get $e) (then (local.get $e))
      (else (call $open (i32.const 192) (i32.const 6)))))
  (func (export "mkdir_dotdot") (result i32)
    (call $mkdir (i32.const 3) (i32.const 208) (i32.const 9)))
  (func (export "unlink_dotdot") (result i32)
    (call $unlink (i32.const 3) (i32.const 16) (i32.const 13)))
  (func (export "rename_out") (result i32)
    (call $rename (i32.const 3) (i32.const 0) (i32.const 6) (i32.const 3)
      (i32.const 208) (i32.const 9)))
  (func (export "open_from_stdout") (result i32)
    (call $path_open (i32.const 1) (i32.const 0) (i32.const 0) (i32.const 6)
      (i32.const 0) (i64.const -1) (i64.const -1) (i32.const 0) (i32.const 1000))))
