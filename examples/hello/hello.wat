;; hello.wat - the first example component: a WASI command that writes
;; "Hello from airssys-wasm!" to stdout with fd_write and returns.
;; Built to hello.wasm by wat2wasm at build time (examples/hello/CMakeLists.txt).
(module
  (type $fd_write_t (func (param i32 i32 i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "fd_write" (func $fd_write (type $fd_write_t)))

  (memory (export "memory") 1)

  ;; The message at offset 16; an iovec {ptr, len} at offset 0.
  (data (i32.const 16) "Hello from airssys-wasm!\n")

  (func $main (export "_start")
    (i32.store (i32.const 0) (i32.const 16))   ;; iov.buf
    (i32.store (i32.const 4) (i32.const 25))   ;; iov.buf_len
    (drop
      (call $fd_write
        (i32.const 1)    ;; fd: stdout
        (i32.const 0)    ;; iovs
        (i32.const 1)    ;; iovs_len
        (i32.const 8)))) ;; where to store the number of bytes written

  ;; A pure function too, handy for the C API example and `invoke`.
  (func (export "add") (param i32 i32) (result i32)
    (i32.add (local.get 0) (local.get 1))))
