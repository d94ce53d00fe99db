/*
 * A small JSON reader for the files lockstep itself writes (manifest.json,
 * read back by verify). It builds a tree; objects keep their keys in file
 * order and lookups are linear, which is fine for the few dozen keys of a
 * manifest. The input is untrusted (anyone can hand verify a folder), so
 * nesting is bounded (LS_JSON_MAX_DEPTH), strings must be valid JSON
 * escapes (\u surrogate pairs become one UTF-8 character), and numbers are
 * kept as their text so that 64-bit integers convert exactly.
 * Cost: O(n) time and memory for n input bytes.
 */
#ifndef LS_EXPLAIN_JSONP_H
#define LS_EXPLAIN_JSONP_H

#include "lockstep.h"

#include <stddef.h>
#include <stdint.h>

#define LS_JSON_MAX_DEPTH 64

typedef enum ls_jtype {
	LS_J_NULL, LS_J_BOOL, LS_J_NUM, LS_J_STR, LS_J_ARR, LS_J_OBJ
} ls_jtype_t;

typedef struct ls_jv {
	ls_jtype_t type;
	int b;                /* LS_J_BOOL */
	char *s;              /* LS_J_STR: decoded, NUL-terminated; LS_J_NUM: its text */
	size_t len;           /* bytes of s */
	struct ls_jv *items;  /* LS_J_ARR, LS_J_OBJ: n values */
	char **keys;          /* LS_J_OBJ: n keys */
	size_t n;
} ls_jv_t;

/* Parses text[0..n). On failure returns LS_EPARSE with the byte offset in
 * the message. The caller frees *out with ls_jv_free. */
ls_error_t ls_jv_parse(ls_jv_t **out, const char *text, size_t n, ls_ctx_t *ctx);
void ls_jv_free(ls_jv_t *v);

/* Member `key` of an object, or NULL (also when v is not an object). */
const ls_jv_t *ls_jv_get(const ls_jv_t *v, const char *key);
/* The string of a member, or NULL when absent or not a string. */
const char *ls_jv_get_str(const ls_jv_t *v, const char *key);
/* Integer value of a number node: 0 and *out, or -1 when it is not an
 * integer in range. */
int ls_jv_u64(const ls_jv_t *v, uint64_t *out);
int ls_jv_i64(const ls_jv_t *v, int64_t *out);
int ls_jv_real(const ls_jv_t *v, double *out);

#endif
