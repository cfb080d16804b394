/*
 * airssys/wasi.h - WASI preview 1 for guests, behind capability grants.
 */
#ifndef AIRSSYS_WASI_H
#define AIRSSYS_WASI_H

#include "airssys/wasm.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @file wasi.h
 *  @brief WASI preview 1 (`wasi_snapshot_preview1`) host functions.
 *
 *  Nothing is reachable unless granted: the guest sees exactly the
 *  arguments, environment variables and directories in its
 *  aw_wasi_config.  Paths are resolved component by component under the
 *  granted directory; `..` above it, absolute paths and symbolic links
 *  leading outside are refused with `ENOTCAPABLE`, and no symbolic link
 *  the guest makes or moves may lead outside (docs/hardening.md, "The file
 *  sandbox on disk").  Every call checks the preview-1 right it needs
 *  (base and inheriting rights per fd).  Blocking calls
 *  (poll_oneoff, reads from pipes and terminals) wait on the interrupt fd
 *  too, so a wall-clock timeout ends them at once. */

/** A directory granted to the guest. */
typedef struct aw_wasi_dir {
  const char *host;  /**< host path of the directory */
  const char *guest; /**< name under which the guest sees it (e.g. "/data") */
  bool writable; /**< false: the guest gets only rights that change nothing */
} aw_wasi_dir;

/** What the guest may see and use. Strings are copied.
 *
 *  Start from aw_wasi_config_init() or #AW_WASI_CONFIG_INIT (nothing
 *  granted, guest fds 0/1/2 = host fds 0/1/2).  A config whose stdout_fd
 *  and stderr_fd are both 0, as an all-zero (memset or `{0}`) config is,
 *  is refused by aw_wasi_new with AW_ERR_ARGUMENT: it would write the
 *  guest's output into host fd 0.  Use -1 for "none".
 *
 *  The guest never blocks the host thread on these fds: its reads and
 *  writes are non-blocking syscalls (waiting, when the guest's fd is in
 *  blocking mode, in poll on the fd and the interrupt fd), in chunks of
 *  64 KiB with the deadline tested between chunks.  The host's own file
 *  description is never made non-blocking: a pipe, FIFO or terminal is
 *  reopened (through /proc/self/fd) as a description of the guest's own,
 *  a socket is used with MSG_DONTWAIT, a regular file as is; only where
 *  /proc cannot reopen it and the kernel lacks RWF_NOWAIT for it is
 *  O_NONBLOCK set on the shared description for the duration of one
 *  syscall. */
typedef struct aw_wasi_config {
  uint32_t nargs;          /**< number of arguments, argv[0] included */
  const char *const *args; /**< the guest's argv */
  uint32_t nenv;           /**< number of environment entries */
  const char *const *env;  /**< "NAME=VALUE" strings */
  uint32_t ndirs;          /**< number of granted directories */
  const aw_wasi_dir *dirs; /**< the granted directories (fds 3, 4, ...) */
  int stdin_fd;  /**< host fd behind guest fd 0 (duplicated), -1 = none */
  int stdout_fd; /**< host fd behind guest fd 1 (duplicated), -1 = none */
  int stderr_fd; /**< host fd behind guest fd 2 (duplicated), -1 = none */
} aw_wasi_config;

/** Initialiser of an aw_wasi_config: nothing granted, guest fds 0/1/2 =
 *  host fds 0/1/2 (see aw_wasi_config_init). */
#define AW_WASI_CONFIG_INIT                                                    \
  { 0, NULL, 0, NULL, 0, NULL, 0, 1, 2 }

/** Fills @p cfg with the defaults of #AW_WASI_CONFIG_INIT: no arguments,
 *  environment or directories, and stdin/stdout/stderr = host fds 0/1/2. */
AW_API void aw_wasi_config_init(aw_wasi_config *cfg);

/** Most file descriptors a guest may hold open at once. */
#define AW_WASI_MAX_FDS 1024

/** WASI state of one guest: file descriptors, arguments, environment.
 *
 *  Ownership: one aw_wasi serves one execution at a time.  It may be
 *  reused by later executions, one after the other (in any store, on any
 *  thread): they see the fds the earlier ones left open, and each
 *  aw_wasi_define moves the charging of new host state to its store.  It
 *  must not be used by two executions at once; this is enforced: a WASI
 *  call made while another thread is inside a WASI call of the same state
 *  fails (the execution ends with AW_ERR_TRAP, trap kind AW_TRAP_HOST,
 *  "WASI state shared by two executions at once ..."), and so does
 *  aw_wasi_define (AW_ERR_ARGUMENT).  For concurrent executions create one
 *  aw_wasi each (aw_wasi_new is cheap).  The state must outlive every
 *  store it was defined in that may still call its functions (the host
 *  functions borrow it). */
typedef struct aw_wasi aw_wasi;

/** Creates the WASI state: opens the granted directories (a missing one
 *  is AW_ERR_IO naming it). NULL and @p err on failure; AW_ERR_ARGUMENT
 *  for a NULL config, a count without its array, or stdout_fd and
 *  stderr_fd both 0 (an all-zero config, see aw_wasi_config). */
AW_API aw_wasi *aw_wasi_new(const aw_wasi_config *cfg, aw_error *err);

/** Defines every `wasi_snapshot_preview1` function in @p linker, with
 *  functions created in @p store (they borrow @p wasi).  What the guest
 *  makes the host allocate
 *  from then on (fds it opens, the fd table's growth, directory streams)
 *  is charged to @p store's memory budget (see aw_store_apply_limits);
 *  past it the call fails with EMFILE (path_open) or ENOMEM (fd_readdir).
 *  False and @p err on failure: AW_ERR_ARGUMENT for a NULL argument or
 *  while another thread is inside a WASI call of @p wasi (see aw_wasi),
 *  AW_ERR_NOMEM. */
AW_API bool aw_wasi_define(aw_wasi *wasi, aw_linker *linker, aw_store *store,
                           aw_error *err);

/** Sets the fd (e.g. an eventfd) that, once readable, interrupts WASI
 *  calls (blocking waits at once, long transfers at their next 64 KiB
 *  chunk): they then fail with AW_ERR_TIMEOUT, and so does the execution.
 *  -1 for none.  The caller's store interrupt flag is tested too (at
 *  every chunk, and every 50 ms of a wait).  The fd is borrowed (never
 *  closed here) and must stay open while executions use @p wasi; set it
 *  before the execution, not while one runs. */
AW_API void aw_wasi_set_interrupt_fd(aw_wasi *wasi, int fd);

/** Frees the WASI state and closes its file descriptors (the duplicates
 *  of stdin_fd/stdout_fd/stderr_fd and what the guest opened; never the
 *  host's own fds).  No store may call its functions afterwards. */
AW_API void aw_wasi_free(aw_wasi *wasi);

#ifdef __cplusplus
}
#endif

#endif /* AIRSSYS_WASI_H */
