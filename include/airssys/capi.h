/*
 * airssys/capi.h - airssys-wasm extensions to the standard C API (<wasm.h>),
 * as wasmtime.h is to Wasmtime's: what a standard host needs from us that
 * wasm.h cannot say (fuel, deadlines, the memory budget, WASI, why a trap
 * happened).  The functions here hand out the engine objects underneath the
 * wasm_* objects, to be used with the API of the airssys/ headers.
 */
#ifndef AIRSSYS_CAPI_H
#define AIRSSYS_CAPI_H

#include "airssys/wasm.h"
#include <wasm.h>

#ifdef __cplusplus
extern "C" {
#endif

/** @file capi.h
 *  @brief airssys-wasm extensions to the standard C API of <wasm.h>. */

/** The value kind of a 128-bit SIMD vector in a wasm_valtype_t (the same
 *  number Wasmtime uses).  It appears in the types of modules compiled with
 *  the SIMD proposal; a wasm_val_t cannot hold one, so wasm_func_call and
 *  host functions refuse v128 parameters and results with a trap. */
#define AW_WASM_V128 ((wasm_valkind_t)4)

/** The engine configuration inside @p config (borrowed, valid until the
 *  config is consumed by wasm_engine_new_with_config): set fuel metering,
 *  SIMD or the per-thread timer before creating the engine. NULL for NULL. */
AW_API aw_engine_config *aw_wasm_config(wasm_config_t *config);

/** The airssys engine of @p engine (borrowed). NULL for NULL. */
AW_API aw_engine *aw_wasm_engine(wasm_engine_t *engine);

/** The airssys store of @p store (borrowed; freed by wasm_store_delete):
 *  give it fuel (aw_store_set_fuel), limits (aw_store_apply_limits) or an
 *  interrupt fd (airssys/executor.h) before calling into it.  Objects the
 *  standard API did not create must not be passed back to it. */
AW_API aw_store *aw_wasm_store(wasm_store_t *store);

/** Fills @p out with the engine error behind @p trap: its kind (e.g.
 *  AW_ERR_OUT_OF_FUEL, AW_ERR_TIMEOUT, AW_ERR_TRAP with the trap kind),
 *  figures and message; a trap made by wasm_trap_new or returned by a host
 *  function reads AW_ERR_TRAP / AW_TRAP_HOST.  False (and @p out cleared)
 *  for NULL. */
AW_API bool aw_wasm_trap_error(const wasm_trap_t *trap, aw_error *out);

#ifdef __cplusplus
}
#endif

#endif /* AIRSSYS_CAPI_H */
