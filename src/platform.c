/*
 * platform.c - the supported platforms, checked at compile time.
 *
 * airssys-wasm runs on Linux (it uses eventfd, SIGRTMIN timers and /proc)
 * on x86-64 or aarch64, built with gcc or clang.  CMakeLists.txt refuses
 * other platforms at configure time; this file stops any other build with
 * a clear message instead of an obscure error deep in src/exec.
 */
#if !defined(__linux__)
#error "airssys-wasm supports Linux only (eventfd, SIGRTMIN, /proc)"
#endif
#if !defined(__x86_64__) && !defined(__aarch64__)
#error "airssys-wasm supports x86-64 and aarch64 only"
#endif
#if !defined(__GNUC__)
#error "airssys-wasm builds with gcc or clang only"
#endif

/* Some declaration, so that the translation unit is not empty (ISO C). */
typedef int aw_platform_checked;
