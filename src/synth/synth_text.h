/*
 * Lexicon and text pieces for the synthetic scenario generator (synth.c).
 *
 * The lexicon is built once per seed: a vocabulary whose head is common
 * English words and whose tail is pronounceable pseudo-words, a hashtag
 * pool, a pool of web domains and a pool of URL "slots" (a slot is one page
 * on one domain). Words, hashtags, domains and URL slots are drawn with
 * Zipf popularity from alias tables (O(1) a draw), so a few hashtags and
 * links are shared by many unrelated accounts, as in real data.
 *
 * Text is written into fixed-size buffers (ls_synth_buf_t) that truncate
 * instead of growing: every generated message is far below their size.
 * Memory: O(vocabulary + pools), about 200 KB.
 */
#ifndef LS_SYNTH_TEXT_H
#define LS_SYNTH_TEXT_H

#include "synth/synth_rng.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* A list of NUL-terminated strings in one growing byte arena. */
typedef struct ls_synth_strs {
	char *p;
	size_t n, cap;
	uint32_t *off;
	size_t count, capoff;
} ls_synth_strs_t;

/* Appends s[0..n); returns 0 or -1 when out of memory (or over 4 GiB). */
int ls_synth_strs_add(ls_synth_strs_t *s, const char *str, size_t n);
void ls_synth_strs_free(ls_synth_strs_t *s);
static inline const char *ls_synth_strs_get(const ls_synth_strs_t *s, size_t i)
{
	return s->p + s->off[i];
}

/* A bounded text buffer over caller storage; appends past `cap - 1` bytes
 * are dropped and the content stays NUL-terminated. */
typedef struct ls_synth_buf {
	char *p;
	size_t n, cap;
} ls_synth_buf_t;

void ls_synth_buf_init(ls_synth_buf_t *b, char *storage, size_t cap);
void ls_synth_buf_putu(ls_synth_buf_t *b, uint64_t v);

static inline void ls_synth_buf_put(ls_synth_buf_t *b, const char *s, size_t n)
{
	if (b->cap == 0)
		return;
	size_t room = b->cap - 1 - b->n;
	if (n > room)
		n = room;
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

static inline void ls_synth_buf_puts(ls_synth_buf_t *b, const char *s)
{
	ls_synth_buf_put(b, s, strlen(s));
}

static inline void ls_synth_buf_putc(ls_synth_buf_t *b, char c)
{
	if (b->n + 1 < b->cap) {
		b->p[b->n++] = c;
		b->p[b->n] = '\0';
	}
}

typedef struct ls_synth_lex {
	uint64_t seed;
	ls_synth_strs_t words;   /* vocabulary, most frequent first */
	ls_synth_strs_t tags;    /* hashtags without '#', most used first */
	ls_synth_strs_t domains; /* web domains, most linked first */
	ls_synth_alias_t word_pick, tag_pick, domain_pick, url_pick;
} ls_synth_lex_t;

/* Builds the lexicon for `seed`. Returns 0 or -1 when out of memory. */
int ls_synth_lex_init(ls_synth_lex_t *lx, uint64_t seed);
void ls_synth_lex_free(ls_synth_lex_t *lx);

/* A random vocabulary word index (Zipf) and one that is plain ASCII
 * letters (for hashtags, URL slugs, domains). */
uint32_t ls_synth_word(const ls_synth_lex_t *lx, ls_synth_rng_t *r);
uint32_t ls_synth_ascii_word(const ls_synth_lex_t *lx, ls_synth_rng_t *r);

/* Appends a pronounceable pseudo-word of lo..hi syllables. */
void ls_synth_pseudo_word(ls_synth_rng_t *r, int lo, int hi, ls_synth_buf_t *b);

/* Appends `nwords` words of running text with light punctuation (commas,
 * a quoted phrase, now and then a line break) and a sentence end. */
void ls_synth_text_words(const ls_synth_lex_t *lx, ls_synth_rng_t *r, int nwords,
                         ls_synth_buf_t *b);

/* Appends the URL of pool slot `slot` (a stable page per slot). */
void ls_synth_url_slot(const ls_synth_lex_t *lx, uint32_t slot, ls_synth_buf_t *b);
/* Appends a link-shortener URL with a random code ("https://t.co/..."). */
void ls_synth_short_url(ls_synth_rng_t *r, ls_synth_buf_t *b);
/* Appends a slug of lo..hi ASCII words joined by '-'. */
void ls_synth_slug(const ls_synth_lex_t *lx, ls_synth_rng_t *r, int lo, int hi, ls_synth_buf_t *b);

/* A stock phrase many people post independently ("Good morning everyone!"). */
const char *ls_synth_stock_phrase(ls_synth_rng_t *r);

#endif
