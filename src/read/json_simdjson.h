/*
 * A small C view of a parsed JSON document, backed by simdjson's DOM parser
 * (json_simdjson.cpp, the only C++ in the project). The readers need little:
 * parse one record, ask a value its type, look up an object key, read a
 * string or an unsigned integer, walk an array. Everything else of simdjson
 * stays behind this header; no C++ exception ever crosses it.
 *
 * Values are small handles (two machine words) into the parser's document:
 * they and every string read through them are borrowed and valid until the
 * next ls_sjson_parse on the same parser (or ls_sjson_free). Strings are
 * unescaped and validated UTF-8 (simdjson rejects invalid UTF-8, overlong
 * encodings, unescaped control characters and nesting deeper than the
 * parser's limit).
 *
 * Cost: parsing is O(bytes) (simdjson's SIMD stages, ~1-3 GB/s per core);
 * a key lookup is linear in the object's keys; the parser keeps buffers of
 * about 10 bytes per input byte of the largest document seen, and refuses
 * documents larger than its `max_bytes`.
 */
#ifndef LS_READ_JSON_SIMDJSON_H
#define LS_READ_JSON_SIMDJSON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct ls_sjson ls_sjson_t;

/* Opaque handle to one value of the current document. */
typedef struct ls_sjson_val {
	uint64_t w[2];
} ls_sjson_val_t;

/* Position in an array walk. */
typedef struct ls_sjson_iter {
	uint64_t w[2];
} ls_sjson_iter_t;

typedef enum ls_sjson_type {
	LS_SJSON_NULL = 0,
	LS_SJSON_BOOL,
	LS_SJSON_INT,   /* fits int64 but not uint64 (negative) */
	LS_SJSON_UINT,  /* fits uint64 */
	LS_SJSON_DOUBLE,
	LS_SJSON_STRING,
	LS_SJSON_ARRAY,
	LS_SJSON_OBJECT
} ls_sjson_type_t;

/* Extra readable bytes the parser may touch after a document: a buffer
 * handed to ls_sjson_parse with `cap >= len + ls_sjson_padding()` is parsed in
 * place, otherwise it is copied first. */
size_t ls_sjson_padding(void);

/* A parser for documents of at most `max_bytes` bytes nested at most
 * `max_depth` deep. NULL when out of memory. Free with ls_sjson_free. */
ls_sjson_t *ls_sjson_new(size_t max_bytes, size_t max_depth);
void ls_sjson_free(ls_sjson_t *j);

/* Parses buf[0..len) (readable up to buf[cap)). Returns 0 with *root set,
 * or -1 with *err pointing at a static English message (invalid JSON,
 * invalid UTF-8, too deep, number out of range, out of memory, ...). */
int ls_sjson_parse(ls_sjson_t *j, const char *buf, size_t len, size_t cap, ls_sjson_val_t *root,
                  const char **err);

ls_sjson_type_t ls_sjson_type(const ls_sjson_val_t *v);

/* Looks up `key` (NUL-terminated) in object `obj`: 1 and *out when present,
 * 0 when absent or when obj is not an object. O(keys). */
int ls_sjson_get(const ls_sjson_val_t *obj, const char *key, ls_sjson_val_t *out);

/* String value: 1 with *p, *n (borrowed, not NUL-terminated), else 0. */
int ls_sjson_str(const ls_sjson_val_t *v, const char **p, size_t *n);

/* Non-negative integer value: 1 with *u, else 0 (also for doubles). */
int ls_sjson_u64(const ls_sjson_val_t *v, uint64_t *u);

/* Any number as a double: 1 with *d, else 0. */
int ls_sjson_f64(const ls_sjson_val_t *v, double *d);

/* Number of elements of an array (0 if not an array). O(1). */
size_t ls_sjson_array_size(const ls_sjson_val_t *arr);

/* Walks an array: ls_sjson_iter_start, then ls_sjson_iter_next returns 1 with
 * the next element in *elem until it returns 0. Not an array: 0 at once. */
void ls_sjson_iter_start(const ls_sjson_val_t *arr, ls_sjson_iter_t *it);
int ls_sjson_iter_next(const ls_sjson_val_t *arr, ls_sjson_iter_t *it, ls_sjson_val_t *elem);

/* 1 when p[0..n) is valid UTF-8 (simdjson's SIMD validator, several GB/s),
 * else 0. Usable without a parser. */
int ls_sjson_utf8_valid(const char *p, size_t n);

#ifdef __cplusplus
}
#endif
#endif
