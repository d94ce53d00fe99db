/*
 * Escaping and number formatting for the explain writers (see textout.h).
 * One UTF-8 walker serves the three formats: it hands each decoded code
 * point, or U+FFFD for a bad byte, to the format's rule. Output goes through
 * stdio's buffer a byte at a time; write errors stick to the FILE and are
 * reported when the atomic file is committed.
 */
#include "explain/textout.h"
#include "core/analysis.h"

#include <locale.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef enum esc_mode { ESC_CSV, ESC_JSON, ESC_XML } esc_mode_t;

static const char replacement[] = "\xEF\xBF\xBD"; /* U+FFFD */

/* Length of the well-formed UTF-8 sequence at s[0..n) (n >= 1), storing its
 * code point in *cp; 0 when the first byte does not start one. */
static size_t utf8_seq(const unsigned char *s, size_t n, uint32_t *cp)
{
	unsigned char c = s[0];
	size_t len;
	uint32_t v, min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	}
	if (c >= 0xC2 && c <= 0xDF) {
		len = 2;
		v = c & 0x1Fu;
		min = 0x80;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3;
		v = c & 0x0Fu;
		min = 0x800;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4;
		v = c & 0x07u;
		min = 0x10000;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		v = v << 6 | (s[i] & 0x3Fu);
	}
	if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
		return 0;
	*cp = v;
	return len;
}

/* Writes one ASCII character under `mode`'s rule. */
static void put_ascii(FILE *f, unsigned char c, esc_mode_t mode)
{
	switch (mode) {
	case ESC_CSV:
		if (c == '"')
			fputs("\"\"", f);
		else if (c == 0)
			fputs(replacement, f);
		else
			putc(c, f);
		return;
	case ESC_JSON:
		switch (c) {
		case '"': fputs("\\\"", f); return;
		case '\\': fputs("\\\\", f); return;
		case '\b': fputs("\\b", f); return;
		case '\f': fputs("\\f", f); return;
		case '\n': fputs("\\n", f); return;
		case '\r': fputs("\\r", f); return;
		case '\t': fputs("\\t", f); return;
		default: break;
		}
		if (c < 0x20)
			fprintf(f, "\\u%04x", (unsigned)c);
		else
			putc(c, f);
		return;
	case ESC_XML:
		switch (c) {
		case '&': fputs("&amp;", f); return;
		case '<': fputs("&lt;", f); return;
		case '>': fputs("&gt;", f); return;
		case '"': fputs("&quot;", f); return;
		case '\'': fputs("&apos;", f); return;
		case '\t': fputs("&#9;", f); return;
		case '\n': fputs("&#10;", f); return;
		case '\r': fputs("&#13;", f); return;
		default: break;
		}
		if (c >= 0x20)
			putc(c, f);
		return; /* other C0 controls are not XML 1.0 characters */
	}
}

/* 1 when byte c is printable ASCII that `mode` writes as is. */
static int plain(unsigned char c, esc_mode_t mode)
{
	if (c < 0x20 || c >= 0x7F || c == '"')
		return 0;
	if (mode == ESC_JSON)
		return c != '\\';
	if (mode == ESC_XML)
		return c != '&' && c != '<' && c != '>' && c != '\'';
	return 1;
}

static void emit(FILE *f, const char *s, size_t n, esc_mode_t mode)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0;
	/* Fast path: most names and ids are plain ASCII, written in one go. */
	while (i < n && plain(p[i], mode))
		i++;
	if (i == n) {
		fwrite(s, 1, n, f);
		return;
	}
	fwrite(s, 1, i, f);
	while (i < n) {
		uint32_t cp;
		size_t len = utf8_seq(p + i, n - i, &cp);
		if (len == 0) {
			fputs(replacement, f);
			i++;
		} else if (len == 1) {
			put_ascii(f, p[i], mode);
			i++;
		} else {
			if (!(mode == ESC_XML && (cp == 0xFFFE || cp == 0xFFFF)))
				fwrite(p + i, 1, len, f);
			i += len;
		}
	}
}

int ls_csv_needs_quotes(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n')
			return 1;
	return 0;
}

void ls_out_csv_part(FILE *f, const char *s, size_t n)
{
	emit(f, s, n, ESC_CSV);
}

void ls_out_csv(FILE *f, const char *s, size_t n)
{
	int quote = ls_csv_needs_quotes(s, n);
	if (quote)
		putc('"', f);
	emit(f, s, n, ESC_CSV);
	if (quote)
		putc('"', f);
}

void ls_out_json(FILE *f, const char *s, size_t n)
{
	putc('"', f);
	emit(f, s, n, ESC_JSON);
	putc('"', f);
}

void ls_out_xml(FILE *f, const char *s, size_t n)
{
	emit(f, s, n, ESC_XML);
}

void ls_out_csv_str(FILE *f, const char *s)
{
	ls_out_csv(f, s, strlen(s));
}

void ls_out_csv_sid(FILE *f, const ls_strpool_t *sp, ls_sid_t id)
{
	ls_out_csv(f, ls_strpool_get(sp, id), ls_strpool_len(sp, id));
}

void ls_out_json_str(FILE *f, const char *s)
{
	ls_out_json(f, s, strlen(s));
}

void ls_out_xml_sid(FILE *f, const ls_strpool_t *sp, ls_sid_t id)
{
	ls_out_xml(f, ls_strpool_get(sp, id), ls_strpool_len(sp, id));
}

void ls_out_behaviour_mask(FILE *f, uint32_t mask)
{
	const char *sep = "";
	for (uint32_t i = 0; i < 32; i++) {
		if (!(mask >> i & 1u))
			continue;
		fprintf(f, "%s%s", sep, ls_behaviour_name(i));
		sep = "|";
	}
}

const char *ls_fmt_u64(uint64_t v, char *buf)
{
	char tmp[24];
	size_t k = 0;
	do {
		tmp[k++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (size_t i = 0; i < k; i++)
		buf[i] = tmp[k - 1 - i];
	buf[k] = '\0';
	return buf;
}

const char *ls_fmt_i64(int64_t v, char *buf)
{
	if (v >= 0)
		return ls_fmt_u64((uint64_t)v, buf);
	buf[0] = '-';
	ls_fmt_u64((uint64_t)0 - (uint64_t)v, buf + 1);
	return buf;
}

/* Replaces the locale's decimal point in buf, if it is not ".", by ".". */
static void c_decimal_point(char *buf)
{
	const char *dp = localeconv()->decimal_point;
	if (dp == NULL || dp[0] == '\0' || strcmp(dp, ".") == 0)
		return;
	char *q = strstr(buf, dp);
	if (q == NULL)
		return;
	size_t dl = strlen(dp);
	*q = '.';
	memmove(q + 1, q + dl, strlen(q + dl) + 1);
}

static const char *non_finite(double x, char *buf)
{
	snprintf(buf, LS_NUMBUF, "%s", isnan(x) ? "nan" : x > 0 ? "inf" : "-inf");
	return buf;
}

const char *ls_fmt_g6(double x, char *buf)
{
	if (!isfinite(x))
		return non_finite(x, buf);
	/* Integers below 1e6 print as themselves under %.6g: skip printf, which
	 * is slow here (libquadmath, pulled in by igraph, registers printf
	 * hooks and sends every call down glibc's slow path). Also no "-0". */
	if (fabs(x) < 1e6 && x == (double)(int64_t)x)
		return ls_fmt_i64((int64_t)x, buf);
	snprintf(buf, LS_NUMBUF, "%.6g", x);
	c_decimal_point(buf);
	return buf;
}

const char *ls_fmt_real(double x, char *buf)
{
	if (!isfinite(x))
		return non_finite(x, buf);
	if (x == 0) {
		snprintf(buf, LS_NUMBUF, "0.0");
		return buf;
	}
	/* Shortest precision that round-trips ("%.*e" and strtod agree on the
	 * locale, so the check holds in any locale). */
	char e[LS_NUMBUF];
	for (int p = 1; p <= 17; p++) {
		snprintf(e, sizeof e, "%.*e", p - 1, x);
		if (strtod(e, NULL) == x)
			break;
	}
	/* Split into sign, digits and exponent. */
	char digits[24];
	size_t nd = 0;
	const char *q = e;
	int neg = *q == '-';
	if (neg)
		q++;
	for (; *q && *q != 'e'; q++)
		if (*q >= '0' && *q <= '9' && nd < sizeof digits - 1)
			digits[nd++] = *q;
	long exp = *q == 'e' ? strtol(q + 1, NULL, 10) : 0;
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;
	digits[nd] = '\0';

	/* Lay out as Python's repr: fixed for 1e-4 <= |x| < 1e16. */
	size_t k = 0, cap = LS_NUMBUF;
	if (neg)
		buf[k++] = '-';
	if (exp < -4 || exp >= 16) {
		buf[k++] = digits[0];
		if (nd > 1) {
			buf[k++] = '.';
			for (size_t i = 1; i < nd; i++)
				buf[k++] = digits[i];
		}
		snprintf(buf + k, cap - k, "e%c%02ld", exp < 0 ? '-' : '+', exp < 0 ? -exp : exp);
		return buf;
	}
	if (exp < 0) {
		buf[k++] = '0';
		buf[k++] = '.';
		for (long i = 0; i < -exp - 1; i++)
			buf[k++] = '0';
		for (size_t i = 0; i < nd; i++)
			buf[k++] = digits[i];
	} else {
		size_t ip = (size_t)exp + 1; /* digits before the point */
		for (size_t i = 0; i < ip; i++)
			buf[k++] = i < nd ? digits[i] : '0';
		buf[k++] = '.';
		if (nd > ip)
			for (size_t i = ip; i < nd; i++)
				buf[k++] = digits[i];
		else
			buf[k++] = '0';
	}
	buf[k] = '\0';
	return buf;
}
