#!/usr/bin/env bash
# gen.sh OUTDIR - writes the generated hostile WAT files (thousands of
# exports, functions, locals, globals, imports) into OUTDIR, each with its
# ";; expect:" lines for aw-hostile.
set -euo pipefail
out=$1
mkdir -p "$out"

# 10000 functions, each exported.
awk 'BEGIN {
  print ";; expect: e9999 success result=9999";
  print ";; expect: e0 success result=0";
  print "(module";
  for (i = 0; i < 10000; i++)
    printf "  (func (export \"e%d\") (result i32) (i32.const %d))\n", i, i;
  print ")" }' >"$out/gen_exports_10000.wat"

# A chain of 20000 functions, f_i calling f_(i+1): deeper than the default
# call depth, within a raised one.
awk 'BEGIN {
  print ";; expect: chain trap trap=call_stack_exhausted";
  print ";; expect: chain success result=20000 depth=25000 fuel=none";
  print "(module";
  for (i = 0; i < 19999; i++)
    printf "  (func $f%d (result i32) (i32.add (call $f%d) (i32.const 1)))\n", i, i + 1;
  print "  (func $f19999 (result i32) (i32.const 1))";
  print "  (export \"chain\" (func $f0)))" }' >"$out/gen_chain_20000.wat"

# A function with 40000 locals (the decoder accepts 50000), and a loop
# calling it: each call zeroes 40000 slots.
awk 'BEGIN {
  print ";; expect: fat success result=0";
  print ";; expect: fat_loop out_of_fuel fuel=100000 maxms=20000";
  print ";; expect: fat_loop timeout fuel=none timeout=300";
  print ";; expect: fat_rec trap trap=call_stack_exhausted fuel=none timeout=none";
  print "(module";
  printf "  (func $fat (export \"fat\") (result i32)";
  for (i = 0; i < 40000; i++) printf " (local i32)";
  print "\n    (local.get 39999))";
  printf "  (func $fat_rec (export \"fat_rec\")";
  for (i = 0; i < 40000; i++) printf " (local i64)";
  print "\n    (call $fat_rec))";
  print "  (func (export \"fat_loop\") (loop $l (drop (call $fat)) (br $l))))" }' \
  >"$out/gen_locals_40000.wat"

# 10000 mutable globals; a function summing them.
awk 'BEGIN {
  print ";; expect: sum success result=10000";
  print "(module";
  for (i = 0; i < 10000; i++) printf "  (global $g%d (mut i32) (i32.const 1))\n", i;
  printf "  (func (export \"sum\") (result i32) (i32.const 0)";
  for (i = 0; i < 10000; i++) printf " (global.get $g%d) (i32.add)", i;
  print ")";
  print ")" }' >"$out/gen_globals_10000.wat"

# 5000 imports nobody provides: a link error naming one of them.
awk 'BEGIN {
  print ";; expect: f link_error";
  print "(module";
  for (i = 0; i < 5000; i++) printf "  (import \"env\" \"i%d\" (func (param i32)))\n", i;
  print "  (func (export \"f\")))" }' >"$out/gen_imports_5000.wat"

# 5000 WASI imports of the same function under one name each: all
# resolve; the function calls one.
awk 'BEGIN {
  print ";; expect: f success result=0 wasi=1";
  print "(module";
  for (i = 0; i < 5000; i++)
    printf "  (import \"wasi_snapshot_preview1\" \"sched_yield\" (func $y%d (result i32)))\n", i;
  print "  (func (export \"f\") (result i32) (call $y4999)))" }' >"$out/gen_wasi_imports_5000.wat"

# v128 arity and frame blow-ups (two slots per value): 40000 v128 locals
# zeroed per call in a loop and in recursion; 1000 v128 parameters passed
# on through recursion; 5000 v128 values on the operand stack at once.
awk 'BEGIN {
  print ";; expect: vfat success result=0";
  print ";; expect: vfat_loop out_of_fuel fuel=100000 maxms=20000";
  print ";; expect: vfat_loop timeout fuel=none timeout=300";
  print ";; expect: vfat_rec trap trap=call_stack_exhausted fuel=none timeout=none";
  print ";; expect: vparams trap trap=call_stack_exhausted fuel=none timeout=none";
  print ";; expect: vdeep success result=5000";
  print "(module";
  printf "  (func $vfat (export \"vfat\") (result i32)";
  for (i = 0; i < 40000; i++) printf " (local v128)";
  print "\n    (i32x4.extract_lane 3 (local.get 39999)))";
  printf "  (func $vfat_rec (export \"vfat_rec\")";
  for (i = 0; i < 40000; i++) printf " (local v128)";
  print "\n    (call $vfat_rec))";
  print "  (func (export \"vfat_loop\") (loop $l (drop (call $vfat)) (br $l)))";
  printf "  (func $vp (param";
  for (i = 0; i < 1000; i++) printf " v128";
  printf ")";
  for (i = 0; i < 1000; i++) printf " (local.get %d)", i;
  print " (call $vp))";
  printf "  (func (export \"vparams\")";
  for (i = 0; i < 1000; i++) printf " (v128.const i32x4 %d 0 0 0)", i;
  print " (call $vp))";
  printf "  (func (export \"vdeep\") (result i32)";
  for (i = 0; i < 5000; i++) print " (i32x4.splat (i32.const 1))";
  for (i = 1; i < 5000; i++) print " (i32x4.add)";
  print " (i32x4.extract_lane 2))";
  print ")" }' >"$out/gen_simd_slots.wat"
