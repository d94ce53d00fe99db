/*
 * Shared by the readers' golden tests (test_read_json.c, test_read_ads.c):
 * a growing text buffer that posts are dumped into, one line each, and
 * slurp() for the golden files. Include after <cmocka.h>.
 */
#ifndef LS_TESTS_GOLDEN_BUF_H
#define LS_TESTS_GOLDEN_BUF_H

#include "lockstep.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct buf {
	char *p;
	size_t n, cap;
} buf_t;

static inline void put(buf_t *b, const char *s, size_t n)
{
	if (b->n + n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 4096;
		while (cap < b->n + n + 1)
			cap *= 2;
		b->p = realloc(b->p, cap);
		assert_non_null(b->p);
		b->cap = cap;
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

static inline void puts_(buf_t *b, const char *s)
{
	put(b, s, strlen(s));
}

/* s with its newlines and '|' (the field separator) escaped */
static inline void put_str(buf_t *b, ls_str_t s)
{
	for (size_t i = 0; i < s.n; i++) {
		char c = s.p[i];
		put(b, c == '\n' ? "\\n" : c == '|' ? "\\|" : &c, c == '\n' || c == '|' ? 2 : 1);
	}
}

static inline void put_list(buf_t *b, const ls_str_t *v, size_t n, const char *sep)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			puts_(b, sep);
		put_str(b, v[i]);
	}
}

/* The whole file (at most 1 MiB - 1), NUL-terminated, or NULL. */
static inline char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	char *s = malloc(1 << 20);
	assert_non_null(s);
	*n = fread(s, 1, (1 << 20) - 1, f);
	s[*n] = '\0';
	fclose(f);
	return s;
}

#endif
