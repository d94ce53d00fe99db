/*
 * Escaping and number formatting for the explain writers (see textout.h).
 * One UTF-8 walker serves the three formats: it hands each decoded code
 * point, or U+FFFD for a bad byte, to the format's rule; bytes that pass
 * unchanged go out in runs. Output goes through stdio's buffer with the
 * unlocked calls (each FILE is written by one thread); write errors stick
 * to the FILE and are reported when the atomic file is committed. Numbers
 * and times are formatted by hand: printf is slow here (see ls_fmt_g6).
 */
#define _GNU_SOURCE /* fputs_unlocked, fwrite_unlocked: each FILE has one writer */
#include "explain/textout.h"
#include "core/dataset.h"
#include "core/analysis.h"
#include "read/json_simdjson.h"

#include <float.h>
#include <locale.h>
#include <math.h>
#include <stdarg.h>
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
			fputs_unlocked("\"\"", f);
		else if (c == 0)
			fputs_unlocked(replacement, f);
		else
			putc_unlocked(c, f);
		return;
	case ESC_JSON:
		switch (c) {
		case '"': fputs_unlocked("\\\"", f); return;
		case '\\': fputs_unlocked("\\\\", f); return;
		case '\b': fputs_unlocked("\\b", f); return;
		case '\f': fputs_unlocked("\\f", f); return;
		case '\n': fputs_unlocked("\\n", f); return;
		case '\r': fputs_unlocked("\\r", f); return;
		case '\t': fputs_unlocked("\\t", f); return;
		default: break;
		}
		if (c < 0x20) {
			char u[7] = {'\\', 'u', '0', '0', "0123456789abcdef"[c >> 4],
			             "0123456789abcdef"[c & 15], '\0'};
			fputs_unlocked(u, f);
		} else {
			putc_unlocked(c, f);
		}
		return;
	case ESC_XML:
		switch (c) {
		case '&': fputs_unlocked("&amp;", f); return;
		case '<': fputs_unlocked("&lt;", f); return;
		case '>': fputs_unlocked("&gt;", f); return;
		case '"': fputs_unlocked("&quot;", f); return;
		case '\'': fputs_unlocked("&apos;", f); return;
		case '\t': fputs_unlocked("&#9;", f); return;
		case '\n': fputs_unlocked("&#10;", f); return;
		case '\r': fputs_unlocked("&#13;", f); return;
		default: break;
		}
		if (c >= 0x20)
			putc_unlocked(c, f);
		return; /* other C0 controls are not XML 1.0 characters */
	}
}

/* 1 when byte c is printable ASCII that `mode` writes as is. */
static inline __attribute__((always_inline)) int plain(unsigned char c, esc_mode_t mode)
{
	if (c < 0x20 || c >= 0x7F || c == '"')
		return 0;
	if (mode == ESC_JSON)
		return c != '\\';
	if (mode == ESC_XML)
		return c != '&' && c != '<' && c != '>' && c != '\'';
	return 1;
}

/* Always inlined into one copy per mode (emit_csv, emit_json, emit_xml),
 * so that plain() folds into a few compares per byte. */
static inline __attribute__((always_inline)) void emit(FILE *f, const char *s, size_t n,
                                                       esc_mode_t mode)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run = 0; /* p[run .. i) is written as is, in one go */
	while (i < n) {
		if (p[i] < 0x80) {
			if (plain(p[i], mode)) {
				i++;
				while (i < n && plain(p[i], mode))
					i++;
				continue;
			}
			fwrite_unlocked(p + run, 1, i - run, f);
			put_ascii(f, p[i], mode);
			run = ++i;
			continue;
		}
		uint32_t cp;
		size_t len = utf8_seq(p + i, n - i, &cp);
		if (len > 1 && !(mode == ESC_XML && (cp == 0xFFFE || cp == 0xFFFF))) {
			i += len;
			continue;
		}
		fwrite_unlocked(p + run, 1, i - run, f);
		if (len == 0) /* a bad byte */
			fputs_unlocked(replacement, f);
		i += len ? len : 1;
		run = i;
	}
	fwrite_unlocked(p + run, 1, i - run, f);
}

static void emit_csv(FILE *f, const char *s, size_t n)
{
	emit(f, s, n, ESC_CSV);
}

static void emit_json(FILE *f, const char *s, size_t n)
{
	/* Valid UTF-8 (checked with SIMD) needs no U+FFFD and its multi-byte
	 * sequences hold no ASCII byte: only the ASCII escapes remain. Short
	 * strings (keys, numbers) take the general walk. */
	if (n < 32 || !ls_sjson_utf8_valid(s, n)) {
		emit(f, s, n, ESC_JSON);
		return;
	}
	const unsigned char *p = (const unsigned char *)s;
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = p[i];
		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		fwrite_unlocked(p + run, 1, i - run, f);
		put_ascii(f, c, ESC_JSON);
		run = i + 1;
	}
	fwrite_unlocked(p + run, 1, n - run, f);
}

static void emit_xml(FILE *f, const char *s, size_t n)
{
	emit(f, s, n, ESC_XML);
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
	emit_csv(f, s, n);
}

void ls_out_csv(FILE *f, const char *s, size_t n)
{
	int quote = ls_csv_needs_quotes(s, n);
	if (quote)
		putc_unlocked('"', f);
	emit_csv(f, s, n);
	if (quote)
		putc_unlocked('"', f);
}

void ls_out_json(FILE *f, const char *s, size_t n)
{
	putc_unlocked('"', f);
	emit_json(f, s, n);
	putc_unlocked('"', f);
}

void ls_out_xml(FILE *f, const char *s, size_t n)
{
	emit_xml(f, s, n);
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
		fputs_unlocked(sep, f);
		fputs_unlocked(ls_behaviour_name(i), f);
		sep = "|";
	}
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
	strcpy(buf, isnan(x) ? "nan" : x > 0 ? "inf" : "-inf");
	return buf;
}

/*
 * Correctly rounded decimal digits without printf. printf is slow here
 * (libquadmath, pulled in by igraph, registers printf hooks and sends
 * every call down glibc's slow path), and these numbers are written by the
 * million. |x| (finite, non-zero) is scaled by a power of ten in long
 * double (x87: 64-bit significand) so that its p significant digits are
 * the integer part; the scaled value is off by less than `guard` units, so
 * when its fraction is not within `guard` of one half, rounding it gives
 * the same digits as printf's exact conversion. Otherwise (ties and
 * near-ties, about 1 number in 50 at 17 digits) returns -1 and the caller
 * asks printf. On success *dig holds exactly p digits (10^(p-1) <= *dig <
 * 10^p) and *e10 the decimal exponent of the first.
 */
static const long double pow10_exact[28] = {
	1e0L,  1e1L,  1e2L,  1e3L,  1e4L,  1e5L,  1e6L,  1e7L,  1e8L,  1e9L,
	1e10L, 1e11L, 1e12L, 1e13L, 1e14L, 1e15L, 1e16L, 1e17L, 1e18L, 1e19L,
	1e20L, 1e21L, 1e22L, 1e23L, 1e24L, 1e25L, 1e26L, 1e27L};

/* 10^(27 j), each the long double nearest to it (the compiler rounds
 * decimal literals correctly), for the scales beyond pow10_exact: with
 * one of them and one exact power, a scaled value takes three roundings
 * (half an ulp each), about as many as powl's (up to one ulp) and a
 * product, and far within the guard below; powl was the slowest part of
 * formatting small p-values. */
static const long double pow10_27j[13] = {1e0L,   1e27L,  1e54L,  1e81L,  1e108L,
                                          1e135L, 1e162L, 1e189L, 1e216L, 1e243L,
                                          1e270L, 1e297L, 1e324L};

static long double scale10(long double v, int k, int *exact)
{
	if (k >= 0 && k <= 27)
		return v * pow10_exact[k];
	if (k < 0 && k >= -27)
		return v / pow10_exact[-k];
	*exact = 0;
	int a = k > 0 ? k : -k;
	if (a / 27 < 13)
		return k > 0 ? v * pow10_27j[a / 27] * pow10_exact[a % 27]
		             : v / pow10_27j[a / 27] / pow10_exact[a % 27];
	return k > 0 ? v * powl(10.0L, (long double)k) : v / powl(10.0L, (long double)-k);
}

static int round_digits(double x, int p, uint64_t *dig, int *e10)
{
#if defined(__x86_64__) || defined(__i386__)
	long double ax = fabsl((long double)x);
	int e2;
	frexp(x, &e2);
	int e = (int)floor((e2 - 1) * 0.30102999566398120); /* within one of floor(log10|x|) */
	long double lo = pow10_exact[p - 1], hi = pow10_exact[p];
	long double y = 0;
	int exact = 1;
	for (int tries = 0; tries < 3; tries++) {
		exact = 1;
		y = scale10(ax, p - 1 - e, &exact);
		if (y >= hi)
			e++;
		else if (y < lo)
			e--;
		else
			break;
	}
	if (y < lo || y >= hi)
		return -1;
	long double guard = (p >= 17 ? 0.02L : 0.002L) * (exact ? 1 : 8);
	long double r = floorl(y), frac = y - r;
	if (fabsl(frac - 0.5L) < guard)
		return -1;
	uint64_t d = (uint64_t)r + (frac > 0.5L);
	if ((long double)d >= hi) { /* 99..9.5 rounds up to 10^p */
		d /= 10;
		e++;
	}
	*dig = d;
	*e10 = e;
	return 0;
#else
	(void)x;
	(void)p;
	(void)dig;
	(void)e10;
	return -1;
#endif
}

/* Writes u's decimal digits; returns the count. */
static size_t put_u64(char *o, uint64_t u)
{
	char tmp[24];
	size_t k = 0;
	do {
		tmp[k++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	for (size_t i = 0; i < k; i++)
		o[i] = tmp[k - 1 - i];
	return k;
}

const char *ls_fmt_u64(uint64_t v, char *buf)
{
	buf[put_u64(buf, v)] = '\0';
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

const char *ls_fmt_time(int64_t t, char *buf)
{
	/* the date part from ls_time_format, cached per day and thread; the
	 * time of day by hand */
	static _Thread_local struct {
		int64_t day;
		char date[12]; /* "YYYY-MM-DDT" */
	} cache[256];
	int64_t day = t / 86400, secs = t % 86400;
	if (secs < 0) {
		secs += 86400;
		day--;
	}
	size_t slot = (size_t)((uint64_t)day & 255);
	if (cache[slot].date[0] == '\0' || cache[slot].day != day) {
		ls_time_format(t, buf, LS_NUMBUF);
		if (strlen(buf) != 20) /* a year outside 0000-9999 */
			return buf;
		memcpy(cache[slot].date, buf, 11);
		cache[slot].date[11] = '\0';
		cache[slot].day = day;
		return buf;
	}
	memcpy(buf, cache[slot].date, 11);
	int v[3] = {(int)(secs / 3600), (int)(secs / 60 % 60), (int)(secs % 60)};
	for (int i = 0; i < 3; i++) {
		buf[11 + 3 * i] = (char)('0' + v[i] / 10);
		buf[12 + 3 * i] = (char)('0' + v[i] % 10);
		buf[13 + 3 * i] = i < 2 ? ':' : 'Z';
	}
	buf[20] = '\0';
	return buf;
}

const char *ls_fmt_post_ref(const ls_dataset_t *ds, uint32_t post, char *buf, size_t cap)
{
	if (cap == 0)
		return buf;
	buf[0] = '\0';
	if (post >= ds->posts.n)
		return buf;
	const ls_post_row_t *p = &ds->posts.v[post];
	if (p->id & LS_POST_ID_SID) {
		const char *id = ls_strpool_get(&ds->strings, (ls_sid_t)p->id);
		size_t n = strnlen(id, cap - 1);
		memcpy(buf, id, n);
		buf[n] = '\0';
		return buf;
	}
	char num[2 * LS_NUMBUF + 2];
	size_t k;
	if (p->id) { /* a numeric id */
		k = put_u64(num, p->id);
		k = k < cap - 1 ? k : cap - 1;
		memcpy(buf, num, k);
		buf[k] = '\0';
		return buf;
	}
	k = put_u64(num, ls_dataset_post_input(ds, post));
	num[k++] = ':';
	k += put_u64(num + k, p->line);
	k = k < cap - 1 ? k : cap - 1;
	memcpy(buf, num, k);
	buf[k] = '\0';
	return buf;
}

void ls_out_fmt(FILE *f, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	/* the conversions the writers use: %s %c %d %u %zu %lu %llu %%; any
	 * other goes to vfprintf whole */
	for (const char *p = fmt; (p = strchr(p, '%')) != NULL;) {
		p++;
		while (*p == 'l' || *p == 'z')
			p++;
		if (!strchr("scdu%", *p) || *p == '\0') {
			vfprintf(f, fmt, ap);
			va_end(ap);
			return;
		}
		p++;
	}
	char num[LS_NUMBUF];
	const char *lit = fmt;
	for (const char *p = fmt; *p; p++) {
		if (*p != '%')
			continue;
		fwrite_unlocked(lit, 1, (size_t)(p - lit), f);
		p++;
		int lng = 0, sz = 0;
		for (; *p == 'l' || *p == 'z'; p++)
			if (*p == 'l')
				lng++;
			else
				sz = 1;
		switch (*p) {
		case 's': fputs_unlocked(va_arg(ap, const char *), f); break;
		case 'c': putc_unlocked(va_arg(ap, int), f); break;
		case '%': putc_unlocked('%', f); break;
		case 'd':
			fputs_unlocked(ls_fmt_i64(sz ? (int64_t)va_arg(ap, ssize_t)
			                          : lng == 2 ? va_arg(ap, long long)
			                          : lng ? va_arg(ap, long) : va_arg(ap, int), num), f);
			break;
		default:
			fputs_unlocked(ls_fmt_u64(sz ? va_arg(ap, size_t)
			                          : lng == 2 ? va_arg(ap, unsigned long long)
			                          : lng ? va_arg(ap, unsigned long) : va_arg(ap, unsigned), num), f);
			break;
		}
		lit = p + 1;
	}
	fputs_unlocked(lit, f);
	va_end(ap);
}

/* "e+05" / "e-123": exponent with sign and at least two digits. */
static size_t put_exp(char *o, long exp)
{
	size_t k = 0;
	o[k++] = 'e';
	o[k++] = exp < 0 ? '-' : '+';
	unsigned long a = exp < 0 ? (unsigned long)-exp : (unsigned long)exp;
	if (a < 10)
		o[k++] = '0';
	k += put_u64(o + k, a);
	o[k] = '\0';
	return k;
}

static const double pow10_dbl[23] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                     1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                     1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};

/* 1 when the decimal dig * 10^exp reads back as exactly x (> 0). */
static int reads_back(uint64_t dig, int exp, double x)
{
	/* Clinger's fast path: both operands exact, one correctly rounded
	 * operation */
	if (dig < (UINT64_C(1) << 53) && exp >= -22 && exp <= 22)
		return (exp >= 0 ? (double)dig * pow10_dbl[exp] : (double)dig / pow10_dbl[-exp]) == x;
	char s[48];
	size_t k = put_u64(s, dig);
	put_exp(s + k, exp);
	return strtod(s, NULL) == x;
}

/* Shortest round-trip digits of |x| (finite, non-zero), trailing zeros
 * removed: what the loop "%.{p-1}e for p = 1..17 until strtod gives x back"
 * finds. A decimal of at most 15 significant digits that reads back as x
 * is, padded with zeros, x rounded to 15 digits (double has 15.95 digits),
 * so: x rounded to 15 digits if that reads back, else to 16 if that does,
 * else 17. Returns the digit count, or 0 when the fast path gave up. */
static size_t shortest_digits(double x, char digits[24], long *exp)
{
	double ax = fabs(x);
	if (ax < DBL_MIN) /* subnormal: fewer than 53 bits, the bound fails */
		return 0;
	for (int p = 15; p <= 17; p++) {
		uint64_t d;
		int e;
		if (round_digits(ax, p, &d, &e))
			return 0;
		if (p < 17 && !reads_back(d, e - (p - 1), ax))
			continue;
		size_t nd = put_u64(digits, d);
		while (nd > 1 && digits[nd - 1] == '0')
			nd--;
		digits[nd] = '\0';
		*exp = e;
		return nd;
	}
	return 0;
}

/* The same with printf and strtod (exact, slow). */
static size_t shortest_digits_printf(double x, char digits[24], long *exp)
{
	/* ("%.*e" and strtod agree on the locale, so the check holds in any
	 * locale) */
	char e[LS_NUMBUF];
	/* A normal double's shortest digits, when at most 15, are its 15-digit
	 * rounding without trailing zeros (15-digit decimals lie more than
	 * two ulps apart, see shortest_digits): the loop may start at 15. A
	 * subnormal has fewer bits, so a shorter decimal can read back. */
	for (int p = fabs(x) >= DBL_MIN ? 15 : 1; p <= 17; p++) {
		snprintf(e, sizeof e, "%.*e", p - 1, x);
		if (strtod(e, NULL) == x)
			break;
	}
	size_t nd = 0;
	const char *q = e;
	if (*q == '-')
		q++;
	for (; *q && *q != 'e'; q++)
		if (*q >= '0' && *q <= '9' && nd < 23)
			digits[nd++] = *q;
	*exp = *q == 'e' ? strtol(q + 1, NULL, 10) : 0;
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;
	digits[nd] = '\0';
	return nd;
}

/* Lays out sign, digits[0..nd) and the exponent of the first digit: as
 * d.ddde±XX when `sci`, else in fixed notation, with ".0" after an integer
 * when `point_zero` (repr) or without a point (%g). Returns buf. */
static const char *lay_out(char *buf, int neg, const char *digits, size_t nd, long exp, int sci,
                           int point_zero)
{
	size_t k = 0;
	if (neg)
		buf[k++] = '-';
	if (sci) {
		buf[k++] = digits[0];
		if (nd > 1) {
			buf[k++] = '.';
			memcpy(buf + k, digits + 1, nd - 1);
			k += nd - 1;
		}
		put_exp(buf + k, exp);
		return buf;
	}
	if (exp < 0) {
		buf[k++] = '0';
		buf[k++] = '.';
		for (long i = 0; i < -exp - 1; i++)
			buf[k++] = '0';
		memcpy(buf + k, digits, nd);
		k += nd;
	} else {
		size_t ip = (size_t)exp + 1; /* digits before the point */
		for (size_t i = 0; i < ip; i++)
			buf[k++] = i < nd ? digits[i] : '0';
		if (nd > ip) {
			buf[k++] = '.';
			memcpy(buf + k, digits + ip, nd - ip);
			k += nd - ip;
		} else if (point_zero) {
			buf[k++] = '.';
			buf[k++] = '0';
		}
	}
	buf[k] = '\0';
	return buf;
}

const char *ls_fmt_g6(double x, char *buf)
{
	if (!isfinite(x))
		return non_finite(x, buf);
	/* Integers below 1e6 print as themselves under %.6g; also no "-0". */
	if (fabs(x) < 1e6 && x == (double)(int64_t)x)
		return ls_fmt_i64((int64_t)x, buf);
	uint64_t d;
	int e;
	if (round_digits(x, 6, &d, &e)) {
		snprintf(buf, LS_NUMBUF, "%.6g", x);
		c_decimal_point(buf);
		return buf;
	}
	/* %g: six significant digits, trailing zeros dropped; fixed when the
	 * exponent is in [-4, 6) */
	char digits[24];
	size_t nd = put_u64(digits, d);
	while (nd > 1 && digits[nd - 1] == '0')
		nd--;
	return lay_out(buf, x < 0, digits, nd, e, e < -4 || e >= 6, 0);
}

const char *ls_fmt_real(double x, char *buf)
{
	if (!isfinite(x))
		return non_finite(x, buf);
	if (x == 0) {
		strcpy(buf, "0.0");
		return buf;
	}
	char digits[24];
	long exp;
	size_t nd = shortest_digits(x, digits, &exp);
	if (nd == 0)
		nd = shortest_digits_printf(x, digits, &exp);
	/* as Python's repr: fixed for 1e-4 <= |x| < 1e16 */
	return lay_out(buf, x < 0, digits, nd, exp, exp < -4 || exp >= 16, 1);
}
