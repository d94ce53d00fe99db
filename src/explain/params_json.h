/*
 * The one place that maps the run's parameters (every field of ls_params_t
 * and ls_read_options_t) to and from JSON, for manifest.json and verify.
 *
 * It is a table (params_json.c, `fields`): one row per field with its JSON
 * name, type and offset. Adding a field to ls_params_t = adding one row
 * there (e.g. `P(fdr, F_DOUBLE)`); the unit test tests/unit/test_evidence.c
 * recomputes the struct layout from the table and fails, naming the gap,
 * when a field is missing. Keys are written sorted whatever the table
 * order. Reading starts from the _init defaults, so a manifest written
 * before a field existed reads back with that field's default; a key the
 * table does not know is an error (the manifest is from a newer lockstep).
 * Cost: O(fields) per call.
 */
#ifndef LS_EXPLAIN_PARAMS_JSON_H
#define LS_EXPLAIN_PARAMS_JSON_H

#include "explain/jsonp.h"
#include "explain/jsonw.h"
#include "lockstep.h"

/* Writes the parameters as one JSON object (the writer is positioned where
 * a value goes). */
void ls_params_json_write(ls_jw_t *w, const ls_params_t *p, const ls_read_options_t *ro);
/* Reads an object written by ls_params_json_write into *p and *ro. String
 * fields (ro->columns, ...) are borrowed from `obj`, which must outlive
 * their use. */
ls_error_t ls_params_json_read(const ls_jv_t *obj, ls_params_t *p, ls_read_options_t *ro,
                               ls_ctx_t *ctx);
/* Checks that the table covers every byte of both structs except
 * alignment padding. Returns 0, or -1 with the reason in msg. */
int ls_params_json_check_layout(char *msg, size_t cap);

#endif
