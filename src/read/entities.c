/*
 * ls_entities_parse: hashtags, mentions and URLs in free text, the way
 * Twitter marks them up closely enough for co-hashtag / co-mention / co-URL
 * behaviours, without a Unicode database.
 *
 *  - URL: "http://" or "https://" (any case) up to the next blank; trailing
 *    .,;:!?)"' and "…" (U+2026, Twitter's truncation mark) are trimmed. The
 *    text of a URL is not searched for tags or mentions.
 *  - Hashtag: '#' at the start or after a non-word character, followed by
 *    one or more word characters; returned without '#'.
 *  - Mention: '@' at the start or after a non-word character, followed by
 *    1..15 of [A-Za-z0-9_] and then not by another of them (longer runs are
 *    not screen names); returned without '@'.
 *  - Word characters: ASCII letters, digits and '_', and non-ASCII code
 *    points except punctuation and symbol blocks (Latin-1 punctuation, the
 *    General Punctuation block U+2000–U+206F with "…", arrows, dingbats,
 *    CJK punctuation, fullwidth ASCII punctuation, emoji, variation
 *    selectors). Invalid UTF-8 counts as a non-word character.
 *  - "RT @user:" at the very start gives rt_user.
 * Entities past 64 of a kind are dropped. Results point into `text`.
 *
 * Cost: one pass, O(n); no allocation.
 */
#include "read/reader.h"

#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#define CAP 64

static int ascii_word(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

/* Code points >= 0x80 that are not part of words (see the opening comment). */
static int cp_is_word(uint32_t cp)
{
	if (cp < 0x80)
		return ascii_word((unsigned char)cp);
	if (cp <= 0xBF) /* C1 controls, NBSP, ¡ « » ¿ ... except ª µ º */
		return cp == 0xAA || cp == 0xB5 || cp == 0xBA;
	if (cp == 0xD7 || cp == 0xF7) /* × ÷ */
		return 0;
	if (cp >= 0x2000 && cp <= 0x2BFF) /* punctuation, symbols, arrows, shapes */
		return 0;
	if (cp >= 0x3000 && cp <= 0x303F) /* CJK symbols and punctuation */
		return 0;
	if (cp >= 0xFE00 && cp <= 0xFE0F) /* variation selectors */
		return 0;
	if ((cp >= 0xFF01 && cp <= 0xFF0F) || (cp >= 0xFF1A && cp <= 0xFF20) ||
	    (cp >= 0xFF3B && cp <= 0xFF40) || (cp >= 0xFF5B && cp <= 0xFF65))
		return 0; /* fullwidth punctuation */
	if (cp >= 0x1F000 && cp <= 0x1FAFF) /* emoji, pictographs */
		return 0;
	if (cp >= 0xE0000) /* tags, private use planes */
		return 0;
	return 1;
}

/* Decodes the UTF-8 sequence at s[i] (i < n); returns its length (>= 1) and
 * the code point, or length 1 and cp = 0xFFFFFFFF for invalid bytes. */
static size_t decode(const unsigned char *s, size_t i, size_t n, uint32_t *cp)
{
	unsigned char c = s[i];
	size_t len;
	uint32_t v, min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if (c >= 0xC2 && c <= 0xDF) {
		len = 2, v = c & 0x1F, min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3, v = c & 0x0F, min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4, v = c & 0x07, min = 0x10000;
	} else {
		*cp = 0xFFFFFFFFu;
		return 1;
	}
	if (len > n - i) {
		*cp = 0xFFFFFFFFu;
		return 1;
	}
	for (size_t k = 1; k < len; k++) {
		if ((s[i + k] & 0xC0) != 0x80) {
			*cp = 0xFFFFFFFFu;
			return 1;
		}
		v = (v << 6) | (s[i + k] & 0x3F);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) {
		*cp = 0xFFFFFFFFu;
		return 1;
	}
	*cp = v;
	return len;
}

/* Is the character ending just before s[i] a word character? */
static int word_before(const unsigned char *s, size_t i)
{
	if (i == 0)
		return 0;
	if (s[i - 1] < 0x80)
		return ascii_word(s[i - 1]);
	size_t b = i - 1, k = 0;
	while (b > 0 && k < 3 && (s[b] & 0xC0) == 0x80)
		b--, k++;
	uint32_t cp;
	size_t len = decode(s, b, i, &cp);
	if (b + len != i || cp == 0xFFFFFFFFu)
		return 0;
	return cp_is_word(cp);
}

/* Length of the run of word characters at s[i]. */
static size_t word_run(const unsigned char *s, size_t i, size_t n)
{
	size_t j = i;
	while (j < n) {
		if (s[j] < 0x80) {
			if (!ascii_word(s[j]))
				break;
			j++;
			continue;
		}
		uint32_t cp;
		size_t len = decode(s, j, n, &cp);
		if (cp == 0xFFFFFFFFu || !cp_is_word(cp))
			break;
		j += len;
	}
	return j - i;
}

static size_t handle_run(const unsigned char *s, size_t i, size_t n)
{
	size_t j = i;
	while (j < n && ascii_word(s[j]))
		j++;
	return j - i;
}

static int is_blank(unsigned char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static int starts_ci(const unsigned char *s, size_t n, const char *lit)
{
	size_t m = strlen(lit);
	if (n < m)
		return 0;
	for (size_t k = 0; k < m; k++) {
		unsigned char c = s[k];
		if (c >= 'A' && c <= 'Z')
			c = (unsigned char)(c - 'A' + 'a');
		if (c != (unsigned char)lit[k])
			return 0;
	}
	return 1;
}

/* If a URL starts at s[i], returns its end (exclusive, after trimming) in
 * *url_end and the end of the blank-delimited token in the return value;
 * returns 0 when there is no URL here. */
static size_t url_at(const unsigned char *s, size_t i, size_t n, size_t *url_end)
{
	size_t scheme;
	if (starts_ci(s + i, n - i, "http://"))
		scheme = 7;
	else if (starts_ci(s + i, n - i, "https://"))
		scheme = 8;
	else
		return 0;
	size_t j = i + scheme;
	while (j < n && !is_blank(s[j]))
		j++;
	size_t tok_end = j, e = j;
	for (;;) {
		if (e > i + scheme && strchr(".,;:!?)\"'", s[e - 1]) != NULL && s[e - 1] != '\0') {
			e--;
		} else if (e >= i + scheme + 3 && memcmp(s + e - 3, "\xE2\x80\xA6", 3) == 0) {
			e -= 3;
		} else {
			break;
		}
	}
	*url_end = e;
	return tok_end;
}

static void push(ls_str_t *arr, size_t *count, const unsigned char *p, size_t len)
{
	if (*count < CAP) {
		arr[*count].p = (const char *)p;
		arr[*count].n = len;
		(*count)++;
	}
}

/* Bytes that may start an entity: '#', '@', 'h', 'H'. */
static const unsigned char may_start[256] = {['#'] = 1, ['@'] = 1, ['h'] = 1, ['H'] = 1};

/* The first i' >= i with may_start[s[i']], or n: 16 bytes a step with
 * SSE2 (most bytes start nothing), the table for the rest. */
static size_t next_start(const unsigned char *s, size_t i, size_t n)
{
#ifdef __SSE2__
	const __m128i hash = _mm_set1_epi8('#'), at = _mm_set1_epi8('@'), h = _mm_set1_epi8('h'),
	              bigh = _mm_set1_epi8('H');
	for (; i + 16 <= n; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(s + i));
		__m128i m = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, hash), _mm_cmpeq_epi8(v, at)),
		                         _mm_or_si128(_mm_cmpeq_epi8(v, h), _mm_cmpeq_epi8(v, bigh)));
		unsigned bits = (unsigned)_mm_movemask_epi8(m);
		if (bits)
			return i + (size_t)__builtin_ctz(bits);
	}
#endif
	while (i < n && !may_start[s[i]])
		i++;
	return i;
}

ls_str_t ls_entities_rt_user(const char *text, size_t n)
{
	ls_str_t rt = {NULL, 0};
	const unsigned char *s = (const unsigned char *)text;
	if (text != NULL && n > 4 && memcmp(s, "RT @", 4) == 0) {
		size_t k = handle_run(s, 4, n);
		if (k >= 1 && k <= 15 && 4 + k < n && s[4 + k] == ':') {
			rt.p = text + 4;
			rt.n = k;
		}
	}
	return rt;
}

void ls_entities_parse(const char *text, size_t n, ls_entities_t *out)
{
	out->n_urls = out->n_hashtags = out->n_mentions = 0;
	out->rt_user.p = NULL;
	out->rt_user.n = 0;
	if (text == NULL || n == 0)
		return;
	const unsigned char *s = (const unsigned char *)text;
	out->rt_user = ls_entities_rt_user(text, n);
	size_t i = 0;
	while (i < n) {
		i = next_start(s, i, n); /* most bytes start nothing */
		if (i == n)
			break;
		unsigned char c = s[i];
		if (c == '#' || c == '@') {
			if (!word_before(s, i)) {
				if (c == '#') {
					size_t k = word_run(s, i + 1, n);
					if (k > 0) {
						push(out->hashtags, &out->n_hashtags, s + i + 1, k);
						i += 1 + k;
						continue;
					}
				} else {
					size_t k = handle_run(s, i + 1, n);
					if (k >= 1 && k <= 15) {
						push(out->mentions, &out->n_mentions, s + i + 1, k);
						i += 1 + k;
						continue;
					}
					i += 1 + k;
					continue;
				}
			}
		} else if (i + 1 < n && (s[i + 1] | 0x20) == 't' && !word_before(s, i)) {
			/* c is 'h' or 'H'; a URL needs "ht" at least */
			size_t e = 0, tok_end = url_at(s, i, n, &e);
			if (tok_end > 0) {
				size_t scheme = s[i + 4] == ':' ? 7 : 8;
				if (e > i + scheme)
					push(out->urls, &out->n_urls, s + i, e - i);
				i = tok_end;
				continue;
			}
		}
		i++;
	}
}
