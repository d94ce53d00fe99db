/*
 * Text and URL normalisation for the extract stage.
 *
 * Text (co-tweet, retweets without an id): a leading "RT @user:" is dropped,
 * then URLs (http://, https://, www.) and @mentions; letters are case-folded
 * (ASCII, Latin-1 Supplement and basic Cyrillic, the scripts of the shared
 * corpora); any run of whitespace (ASCII and U+00A0) becomes one space; the
 * result is trimmed. One pass, O(n), output never longer than the input.
 */
#include "extract/behaviour.h"

#include <pthread.h>
#include <string.h>

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

size_t ls_text_normalise(const char *text, size_t n, char *out)
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
