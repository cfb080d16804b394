/*
 * airssys/manifest.h - Component.toml: a component's identity, resource
 * limits and capability grants.
 */
#ifndef AIRSSYS_MANIFEST_H
#define AIRSSYS_MANIFEST_H

#include "airssys/wasm.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @file manifest.h
 *  @brief Loading and validating a component manifest (Component.toml).
 *
 *  A manifest looks like this (every section but `[component]` and
 *  `[resources.memory]` is optional; nothing is granted unless listed):
 *  @code{.toml}
 *  [component]
 *  name = "hello"
 *  version = "0.1.0"
 *  module = "hello.wasm"      # relative to the manifest's directory
 *
 *  [resources.memory]
 *  max_bytes = 4194304        # mandatory, 1 .. 16 GiB: the memory budget
 *                             # (linear memory, tables, host state)
 *  max_table_elements = 20000 # optional extra cap per table, 0 .. 10000000
 *
 *  [resources.cpu]
 *  max_fuel = 50000000        # default 1000000
 *  timeout_ms = 1000          # default 100
 *
 *  [capabilities]
 *  args = ["--verbose"]       # argv[1..] seen by the guest
 *  env = { LANG = "C" }       # environment seen by the guest
 *
 *  [[capabilities.dirs]]
 *  host = "data"              # relative to the manifest's directory
 *  guest = "/data"            # where the guest sees it
 *  mode = "ro"                # "ro" (default) or "rw"
 *  @endcode
 *  Unknown sections and keys, wrong types and out-of-range numbers are
 *  errors naming the file, the line and the field.
 */

/** A directory granted to the guest. */
typedef struct aw_manifest_dir {
  char *host;    /**< host path (resolved against the manifest directory) */
  char *guest;   /**< path the guest uses to reach it */
  bool writable; /**< mode "rw" */
} aw_manifest_dir;

/** An environment variable granted to the guest. */
typedef struct aw_manifest_env {
  char *name;  /**< variable name (no '=') */
  char *value; /**< its value */
} aw_manifest_env;

/** A parsed and validated Component.toml. */
typedef struct aw_manifest {
  char *path;                /**< the manifest file's path as given */
  char *name;                /**< [component] name */
  char *version;             /**< [component] version */
  char *module_path;         /**< [component] module, resolved against the
                                  manifest's directory */
  uint64_t max_memory_bytes; /**< [resources.memory] max_bytes */
  bool has_max_fuel;         /**< whether [resources.cpu] max_fuel is given */
  uint64_t max_fuel;         /**< [resources.cpu] max_fuel if has_max_fuel */
  bool has_timeout_ms;       /**< whether [resources.cpu] timeout_ms is given */
  uint64_t timeout_ms;   /**< [resources.cpu] timeout_ms if has_timeout_ms */
  uint32_t nargs;        /**< number of granted arguments */
  char **args;           /**< [capabilities] args */
  uint32_t nenv;         /**< number of granted environment variables */
  aw_manifest_env *env;  /**< [capabilities] env */
  uint32_t ndirs;        /**< number of granted directories */
  aw_manifest_dir *dirs; /**< [[capabilities.dirs]] */

  bool has_max_table_elements; /**< whether max_table_elements is given */
  uint32_t max_table_elements; /**< [resources.memory] max_table_elements
                                    if has_max_table_elements */
} aw_manifest;

/** Largest accepted `max_table_elements`: the engine's limit per table. */
#define AW_MANIFEST_MAX_TABLE_ELEMENTS UINT32_C(10000000)

/** Largest accepted `max_bytes`: 16 GiB.  The budget pays for every
 *  memory, table and object of an execution, so a module with a whole
 *  4 GiB memory needs a little more than 4 GiB. */
#define AW_MANIFEST_MAX_MEMORY (UINT64_C(16) << 30)

/** Reads and validates the manifest at @p path. Returns NULL and fills
 *  @p err (AW_ERR_INVALID_CONFIG, or AW_ERR_IO if the file cannot be
 *  read) with a message of the form `FILE:LINE: FIELD: reason`. */
AW_API aw_manifest *aw_manifest_load(const char *path, aw_error *err);

/** Parses manifest text. @p filename is used in messages and @p base_dir
 *  to resolve relative paths (NULL for the current directory). */
AW_API aw_manifest *aw_manifest_parse(const char *text, size_t len,
                                      const char *filename,
                                      const char *base_dir, aw_error *err);

/** Frees a manifest. NULL is fine. */
AW_API void aw_manifest_free(aw_manifest *manifest);

#ifdef __cplusplus
}
#endif

#endif /* AIRSSYS_MANIFEST_H */
