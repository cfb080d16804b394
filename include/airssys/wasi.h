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

/** What the guest may see and use. Strings are copied. */
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

/** Most file descriptors a guest may hold open at once. */
#define AW_WASI_MAX_FDS 1024

/** WASI state of one guest: file descriptors, arguments, environment. */
typedef struct aw_wasi aw_wasi;

/** Creates the WASI state: opens the granted directories (a missing one
 *  is AW_ERR_IO naming it). NULL and @p err on failure. */
AW_API aw_wasi *aw_wasi_new(const aw_wasi_config *cfg, aw_error *err);

/** Defines every `wasi_snapshot_preview1` function in @p linker, with
 *  functions created in @p store.  What the guest makes the host allocate
 *  from then on (fds it opens, the fd table's growth, directory streams)
 *  is charged to @p store's memory budget (see aw_store_apply_limits);
 *  past it the call fails with EMFILE (path_open) or ENOMEM (fd_readdir).
 *  False and @p err on failure. */
AW_API bool aw_wasi_define(aw_wasi *wasi, aw_linker *linker, aw_store *store,
                           aw_error *err);

/** Sets the fd (e.g. an eventfd) that, once readable, interrupts blocking
 *  calls: they then fail with AW_ERR_TIMEOUT. -1 for none. */
AW_API void aw_wasi_set_interrupt_fd(aw_wasi *wasi, int fd);

/** Frees the WASI state and closes its file descriptors. */
AW_API void aw_wasi_free(aw_wasi *wasi);

#ifdef __cplusplus
}
#endif

#endif /* AIRSSYS_WASI_H */
