/*
 * Text and URL normalisation for the extract stage.
 *
 * Text (co-tweet, retweets without an id): a leading "RT @user:" is dropped,
 * then URLs (http://, https://, www.) and @mentions; letters are case-folded
 * (ASCII, Latin-1 Supplement and basic Cyrillic, the scripts of the shared
 * corpora); any run of whitespace (ASCII and U+00A0) becomes one space; the
 * result is trimmed. One pass, O(n), output never longer than the input.
 * Within runs of plain ASCII and Cyrillic letters the pass takes 16 bytes
 * at a time (SSE2: run16), writing what the byte loop would
 * (tests/unit/test_link.c compares the two on random texts).
 */
#include "extract/behaviour.h"

#include <pthread.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

static int is_space(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static int is_handle_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

static int starts_with_ci(const char *s, size_t n, const char *pre)
{
	size_t k = strlen(pre);
	if (n < k)
		return 0;
	for (size_t i = 0; i < k; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c + 32);
		if (c != (unsigned char)pre[i])
			return 0;
	}
	return 1;
}

/* Length of a leading "RT @user:" (with following spaces), or 0. */
static size_t rt_prefix(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n && is_space((unsigned char)s[i]))
		i++;
	if (n - i < 5 || s[i] != 'R' || s[i + 1] != 'T' || s[i + 2] != ' ' || s[i + 3] != '@')
		return 0;
	size_t j = i + 4;
	while (j < n && is_handle_char((unsigned char)s[j]))
		j++;
	if (j == i + 4 || j >= n || s[j] != ':')
		return 0;
	return j + 1;
}

/* ASCII bytes copied as they are (lower-cased) in any position: all but
 * whitespace, '@', 'h'/'w' (which may start a URL) and bytes >= 0x80. */
static const unsigned char plain[256] = {
	1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0, 0, 0, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1,
	0, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1,
	1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1, 1, 1, 1, 1,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
};

/* Byte classes for the run loop of ls_text_normalise, and ASCII lower
 * case; built once from plain[], is_handle_char and 'h'/'w'. */
enum { C_PLAIN = 1, C_HANDLE = 2, C_HW = 4 };
static unsigned char cls[256], lower[256];
static pthread_once_t tables_once = PTHREAD_ONCE_INIT;

static void build_tables(void)
{
	for (unsigned c = 0; c < 256; c++) {
		cls[c] = (unsigned char)((plain[c] ? C_PLAIN : 0) | (is_handle_char((unsigned char)c) ? C_HANDLE : 0) |
		                         ((c | 0x20) == 'h' || (c | 0x20) == 'w' ? C_HW : 0));
		lower[c] = (unsigned char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
}

/* Does text[i] start a character of a fast run: plain ASCII, or a two-byte
 * Cyrillic letter (lead 0xD0 or 0xD1 and a continuation byte)? */
static int run_char(const char *text, size_t i, size_t n)
{
	if (i >= n)
		return 0;
	unsigned char c = (unsigned char)text[i];
	if (plain[c])
		return 1;
	return (c == 0xD0 || c == 0xD1) && i + 1 < n && ((unsigned char)text[i + 1] & 0xC0) == 0x80;
}

/* Writes the two bytes c d (c = 0xD0 or 0xD1) case-folded: Cyrillic
 * U+0400..U+040F -> U+0450..U+045F, U+0410..U+042F -> U+0430..U+044F.
 * Returns 2. */
static size_t fold_cyrillic(unsigned char c, unsigned char d, char *out)
{
	if (c == 0xD0 && d >= 0x80 && d <= 0x8F) {
		c = 0xD1;
		d = (unsigned char)(d + 0x10);
	} else if (c == 0xD0 && d >= 0x90 && d <= 0x9F) {
		d = (unsigned char)(d + 0x20);
	} else if (c == 0xD0 && d >= 0xA0 && d <= 0xAF) {
		c = 0xD1;
		d = (unsigned char)(d - 0x20);
	}
	out[0] = (char)c;
	out[1] = (char)d;
	return 2;
}

/* Is there a URL starting at text[i] (http://, https://, www.)? Only called
 * for 'h'/'w' at a word start, so the common path costs one comparison. */
static int url_at(const char *t, size_t n)
{
	return starts_with_ci(t, n, "http://") || starts_with_ci(t, n, "https://") ||
	       starts_with_ci(t, n, "www.");
}

#ifdef __SSE2__
/* Bytes x with lo <= x <= lo + span (unsigned), as 0xFF. */
static inline __m128i in_range(__m128i x, unsigned char lo, unsigned char span)
{
	__m128i d = _mm_sub_epi8(x, _mm_set1_epi8((char)lo));
	return _mm_cmpeq_epi8(_mm_min_epu8(d, _mm_set1_epi8((char)span)), d);
}

static inline __m128i eq(__m128i x, unsigned char c)
{
	return _mm_cmpeq_epi8(x, _mm_set1_epi8((char)c));
}

/* Sixteen bytes of the run loop below at once. p[0..18) must be readable.
 * Writes what the byte loop would write for p[0..16) (case-folded) to
 * out[0..16) and returns the length k of the prefix that the byte loop
 * would take as it is: plain ASCII; 'h'/'w' after a handle character
 * (`handle`: the character written before p[0] is one); a space before a
 * run character; a Cyrillic pair (lead 0xD0/0xD1, both bytes in the 16).
 * Anything else (and what follows it) is left to the byte loop. */
static unsigned run16(const unsigned char *p, int handle, char *out)
{
	__m128i v = _mm_loadu_si128((const __m128i *)(const void *)p);
	__m128i v1 = _mm_loadu_si128((const __m128i *)(const void *)(p + 1));
	__m128i v2 = _mm_loadu_si128((const __m128i *)(const void *)(p + 2));
	/* plain[] of a vector: ASCII but not \t..\r, ' ', '@', 'h', 'w' */
#define PLAIN(x)                                                                          \
	_mm_andnot_si128(_mm_or_si128(_mm_or_si128(in_range((x), 9, 4), eq((x), ' ')),           \
	                              _mm_or_si128(eq((x), '@'),                               \
	                                           _mm_or_si128(eq(_mm_or_si128((x), _mm_set1_epi8(0x20)), 'h'), \
	                                                        eq(_mm_or_si128((x), _mm_set1_epi8(0x20)), 'w')))), \
	                 _mm_cmpgt_epi8((x), _mm_set1_epi8(-1)))
#define LEAD(x) _mm_or_si128(eq((x), 0xD0), eq((x), 0xD1))
#define CONT(x) in_range((x), 0x80, 0x3F)
	__m128i plain0 = PLAIN(v), plain1 = PLAIN(v1);
	__m128i low = _mm_or_si128(v, _mm_set1_epi8(0x20));
	__m128i hw = _mm_or_si128(eq(low, 'h'), eq(low, 'w'));
	__m128i hnd = _mm_or_si128(_mm_or_si128(in_range(v, '0', 9), in_range(low, 'a', 25)),
	                           eq(v, '_'));
	/* the byte before each: a handle character (bit 0: `handle`) */
	unsigned prev_handle = ((unsigned)_mm_movemask_epi8(hnd) << 1 | (handle != 0)) & 0xFFFF;
	__m128i lead = LEAD(v), cont1 = CONT(v1);
	__m128i pair_lead = _mm_and_si128(lead, cont1);          /* a pair starts here */
	__m128i run1 = _mm_or_si128(plain1, _mm_and_si128(LEAD(v1), CONT(v2))); /* run_char(p + 1) */
	__m128i space = _mm_and_si128(eq(v, ' '), run1);
	/* pairs whose second byte is among the 16: both bytes are taken */
	unsigned pairs = (unsigned)_mm_movemask_epi8(pair_lead) & 0x7FFF;
	unsigned ok = (unsigned)_mm_movemask_epi8(_mm_or_si128(plain0, space)) |
	              ((unsigned)_mm_movemask_epi8(hw) & prev_handle) | pairs | pairs << 1;
	unsigned k = (unsigned)__builtin_ctz(~ok | 0x10000);
	/* case folding: ASCII A-Z; Cyrillic U+0400..U+042F (lead 0xD0 with
	 * 0x80..0xAF) to U+0430..U+045F */
	__m128i upper = in_range(v, 'A', 25);
	__m128i res = _mm_add_epi8(v, _mm_and_si128(upper, _mm_set1_epi8(0x20)));
	__m128i d0 = eq(v, 0xD0);
	__m128i after_d0 = _mm_slli_si128(_mm_and_si128(d0, cont1), 1); /* a second byte after 0xD0 */
	__m128i r80 = _mm_and_si128(after_d0, in_range(v, 0x80, 0x0F));
	__m128i r90 = _mm_and_si128(after_d0, in_range(v, 0x90, 0x0F));
	__m128i rA0 = _mm_and_si128(after_d0, in_range(v, 0xA0, 0x0F));
	res = _mm_add_epi8(res, _mm_and_si128(r80, _mm_set1_epi8(0x10)));
	res = _mm_add_epi8(res, _mm_and_si128(r90, _mm_set1_epi8(0x20)));
	res = _mm_sub_epi8(res, _mm_and_si128(rA0, _mm_set1_epi8(0x20)));
	/* 0xD0 becomes 0xD1 before 0x80..0x8F and 0xA0..0xAF */
	__m128i to_d1 = _mm_and_si128(d0, _mm_or_si128(in_range(v1, 0x80, 0x0F), in_range(v1, 0xA0, 0x0F)));
	res = _mm_sub_epi8(res, to_d1); /* 0xFF is -1: +1 */
	_mm_storeu_si128((__m128i *)(void *)out, res);
#undef PLAIN
#undef LEAD
#undef CONT
	return k;
}
#endif

/* wide: take 16 bytes at a time where run16 can (the same output). */
static size_t normalise(const char *text, size_t n, char *out, int wide)
{
	pthread_once(&tables_once, build_tables);
	size_t i = rt_prefix(text, n), o = 0;
	int pending_space = 0;
	while (i < n) {
		unsigned char c = (unsigned char)text[i];
		if (run_char(text, i, n)) {
			/* a run of plain ASCII and Cyrillic letters with single spaces,
			 * copied and case-folded without the checks below. 'h'/'w' after
			 * a handle character cannot start a URL, so they stay in it */
			if (pending_space && o > 0)
				out[o++] = ' ';
			pending_space = 0;
			int handle = 0; /* the character written last is a handle character */
			while (i < n) {
#ifdef __SSE2__
				if (wide && i + 18 <= n) {
					unsigned k = run16((const unsigned char *)text + i, handle, out + o);
					if (k > 0) {
						i += k;
						o += k;
						handle = cls[(unsigned char)text[i - 1]] & C_HANDLE ? 1 : 0;
						if (k == 16)
							continue;
					}
				}
#endif
				c = (unsigned char)text[i];
				unsigned k = cls[c];
				if ((k & C_PLAIN) || ((k & C_HW) && handle)) {
					out[o++] = (char)lower[c];
					handle = (k & C_HANDLE) != 0;
					i++;
				} else if ((c == 0xD0 || c == 0xD1) && i + 1 < n &&
				           ((unsigned char)text[i + 1] & 0xC0) == 0x80) {
					o += fold_cyrillic(c, (unsigned char)text[i + 1], out + o);
					handle = 0;
					i += 2;
				} else if (c == ' ' && run_char(text, i + 1, n)) {
					out[o++] = ' ';
					handle = 0;
					i++;
				} else {
					break;
				}
			}
			continue;
		}
		int word_start = i == 0 || !is_handle_char((unsigned char)text[i - 1]);
		if ((c | 0x20) == 'h' || (c | 0x20) == 'w') {
			if (word_start && url_at(text + i, n - i)) {
				while (i < n && !is_space((unsigned char)text[i]))
					i++;
				pending_space = 1;
				continue;
			}
		} else if (c == '@') {
			if (word_start && i + 1 < n && is_handle_char((unsigned char)text[i + 1])) {
				i++;
				while (i < n && is_handle_char((unsigned char)text[i]))
					i++;
				pending_space = 1;
				continue;
			}
		} else if (is_space(c) || (c == 0xC2 && i + 1 < n && (unsigned char)text[i + 1] == 0xA0)) {
			i += c == 0xC2 ? 2 : 1;
			pending_space = 1;
			continue;
		}
		if (pending_space && o > 0)
			out[o++] = ' ';
		pending_space = 0;
		if (c < 0x80) {
			out[o++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
			i++;
		} else if (c == 0xC3 && i + 1 < n) {
			/* Latin-1 capitals U+00C0..U+00DE except U+00D7 */
			unsigned char d = (unsigned char)text[i + 1];
			if (d >= 0x80 && d <= 0x9E && d != 0x97)
				d = (unsigned char)(d + 0x20);
			out[o++] = (char)c;
			out[o++] = (char)d;
			i += 2;
		} else if (c == 0xD0 && i + 1 < n) {
			o += fold_cyrillic(c, (unsigned char)text[i + 1], out + o);
			i += 2;
		} else {
			out[o++] = (char)c;
			i++;
		}
	}
	out[o] = '\0';
	return o;
}

size_t ls_text_normalise(const char *text, size_t n, char *out)
{
	return normalise(text, n, out, 1);
}

size_t ls_text_normalise_bytewise(const char *text, size_t n, char *out)
{
	return normalise(text, n, out, 0);
}

const char *ls_extract_text(const ls_extract_env_t *env, const ls_post_t *p, size_t *n)
{
	ls_text_cache_t *c = env->text;
	if (c == NULL) {
		*n = ls_text_normalise(p->text.p, p->text.n, env->scratch);
		return env->scratch;
	}
	if (!c->done) {
		c->n = ls_text_normalise(p->text.p, p->text.n, c->buf);
		c->done = 1;
	}
	*n = c->n;
	return c->buf;
}

size_t ls_url_normalise(const char *url, size_t n, char *out)
{
	size_t i = 0, o = 0;
	/* scheme: dropped, so http and https versions of a link meet */
	if (starts_with_ci(url, n, "https://"))
		i = 8;
	else if (starts_with_ci(url, n, "http://"))
		i = 7;
	if (starts_with_ci(url + i, n - i, "www."))
		i += 4;
	/* host, lower-cased, up to '/', '?', '#' */
	while (i < n && url[i] != '/' && url[i] != '?' && url[i] != '#') {
		unsigned char c = (unsigned char)url[i++];
		out[o++] = (char)(c >= 'A' && c <= 'Z' ? c + 32 : c);
	}
	/* path, kept as written */
	while (i < n && url[i] != '?' && url[i] != '#')
		out[o++] = url[i++];
	/* query without utm_* parameters */
	if (i < n && url[i] == '?') {
		i++;
		int first = 1;
		while (i < n && url[i] != '#') {
			size_t s = i;
			while (i < n && url[i] != '&' && url[i] != '#')
				i++;
			if (i - s > 0 && !starts_with_ci(url + s, i - s, "utm_")) {
				out[o++] = first ? '?' : '&';
				first = 0;
				memcpy(out + o, url + s, i - s);
				o += i - s;
			}
			if (i < n && url[i] == '&')
				i++;
		}
	}
	while (o > 0 && out[o - 1] == '/')
		o--;
	out[o] = '\0';
	return o;
}
