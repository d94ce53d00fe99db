/*
 * Canonical JSON writer for the explain stage: the layout of Python's
 * json.dumps(obj, indent=2, sort_keys=True, ensure_ascii=False), so that a
 * file re-dumped by Python is byte-identical and a plain diff works. The
 * writer keeps only the nesting (a fixed stack, LS_JW_MAX_DEPTH levels; deeper levels are
 * a caller bug and are flattened into the last one);
 * the caller emits keys in sorted order (checked in debug builds by the
 * unit tests, not here). Strings go through textout.h's JSON escaping;
 * reals are shortest-round-trip (ls_fmt_real), non-finite reals are null.
 * Write errors stick to the FILE and surface at ls_afile_commit.
 * Cost: O(output); memory O(1).
 */
#ifndef LS_EXPLAIN_JSONW_H
#define LS_EXPLAIN_JSONW_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define LS_JW_MAX_DEPTH 32

typedef struct ls_jw {
	FILE *f;
	int depth;
	int after_key;                 /* a key was written, its value comes next */
	uint64_t count[LS_JW_MAX_DEPTH]; /* items written at each open level */
	char close[LS_JW_MAX_DEPTH];     /* '}' or ']' for each open level */
} ls_jw_t;

void ls_jw_init(ls_jw_t *w, FILE *f);
void ls_jw_obj(ls_jw_t *w);     /* { */
void ls_jw_arr(ls_jw_t *w);     /* [ */
void ls_jw_end(ls_jw_t *w);     /* } or ] of the innermost open level */
void ls_jw_key(ls_jw_t *w, const char *key);
void ls_jw_str(ls_jw_t *w, const char *s);
void ls_jw_strn(ls_jw_t *w, const char *s, size_t n);
void ls_jw_u64(ls_jw_t *w, uint64_t v);
void ls_jw_i64(ls_jw_t *w, int64_t v);
void ls_jw_real(ls_jw_t *w, double v); /* null when not finite */
void ls_jw_bool(ls_jw_t *w, int v);
void ls_jw_null(ls_jw_t *w);
/* Ends the document with a newline. */
void ls_jw_finish(ls_jw_t *w);

/* Shorthands: key then value. */
void ls_jw_kstr(ls_jw_t *w, const char *key, const char *s);
void ls_jw_ku64(ls_jw_t *w, const char *key, uint64_t v);
void ls_jw_ki64(ls_jw_t *w, const char *key, int64_t v);
void ls_jw_kreal(ls_jw_t *w, const char *key, double v);
void ls_jw_kbool(ls_jw_t *w, const char *key, int v);
void ls_jw_knull(ls_jw_t *w, const char *key);
/* Key then the ISO 8601 UTC text of Unix time t. */
void ls_jw_ktime(ls_jw_t *w, const char *key, int64_t t);

#endif
