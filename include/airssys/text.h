/*
 * airssys/text.h - the WebAssembly text format: .wat modules to binary and
 * .wast scripts to the JSON command list of the spec test suite.
 */
#ifndef AIRSSYS_TEXT_H
#define AIRSSYS_TEXT_H

#include "airssys/wasm.h"

#ifdef __cplusplus
extern "C" {
#endif

/** @file text.h
 *  @brief The text format: a WAT parser and binary encoder, and a WAST
 *  script reader.  The binary produced goes through the ordinary decoder
 *  and validator (aw_module_new), so text and binary never disagree.
 *
 *  Errors are AW_ERR_MALFORMED (or AW_ERR_NOMEM) with a message of the
 *  form "NAME:LINE:COL: reason".  Hostile text is bounded: nesting deeper
 *  than 1000, more than 1 GiB of text or of binary output are refused. */

/** Encodes the text module @p text[0..len) (either "(module ...)" or a
 *  bare list of module fields) into the binary format.
 *  @param name  file name used in error messages (may be NULL)
 *  @param text  the text (need not be NUL-terminated)
 *  @param len   its length in bytes
 *  @param wasm  receives a malloc'd buffer with the binary (free with
 *               aw_text_free) on success
 *  @param wasm_len receives its length
 *  @param err   receives the error (may be NULL)
 *  @return true on success. */
AW_API bool aw_wat_to_wasm(const char *name, const char *text, size_t len,
                           uint8_t **wasm, size_t *wasm_len, aw_error *err);

/** Reads the script @p text[0..len) (a .wast file) and writes its commands
 *  as the JSON document the spec suite's wast2json tool writes
 *  ({"source_filename": ..., "commands": [...]}), except that each module
 *  is inline: "wasm_hex" holds its binary in hex, or "parse_error" the
 *  message when its text (e.g. a `module quote` of an assert_malformed)
 *  could not be encoded.  Errors in the script's own structure fail the
 *  whole call.
 *  @param name     file name for messages and "source_filename"
 *  @param text     the script
 *  @param len      its length in bytes
 *  @param json     receives a malloc'd NUL-terminated buffer (free with
 *                  aw_text_free) on success
 *  @param json_len receives its length (without the NUL)
 *  @param err      receives the error (may be NULL)
 *  @return true on success. */
AW_API bool aw_wast_to_json(const char *name, const char *text, size_t len,
                            char **json, size_t *json_len, aw_error *err);

/** Frees a buffer returned by aw_wat_to_wasm or aw_wast_to_json. */
AW_API void aw_text_free(void *p);

#ifdef __cplusplus
}
#endif

#endif /* AIRSSYS_TEXT_H */
