/*
 * ls_time_parse: the time notations the readers meet, to Unix seconds UTC.
 *
 *   1623881091 / 1623881091.75        Unix seconds (fraction floored)
 *   2016-11-08 19:52[:00][.123]       UTC
 *   2015-08-07 09:54:46 -0700         with a numeric offset (+HHMM, +HH:MM)
 *   2018-10-10T20:19:24.5Z            ISO 8601 ('T' or ' ', Z or offset)
 *   Wed Oct 10 20:19:24 +0000 2018    Twitter's created_at
 *
 * ls_time_parse_format reads a user-given pattern instead (--time-format):
 * "unix", "unix-ms", "auto", or strptime-like conversions (%Y %m %d %H %M
 * %S %y %b %p %I %z %s %f %%) implemented here, independent of locale and
 * TZ, so the result is the same on every machine.
 *
 * Civil dates are turned into days since 1970-01-01 by counting whole years,
 * leap days and month lengths (no timegm, no TZ). Years outside 1970..2100,
 * impossible fields (month 13, Feb 30, hour 24, ...) and anything left over
 * after the time are rejected. Surrounding blanks are ignored.
 *
 * Cost: O(n), no allocation.
 */
#include "read/reader.h"

#include <string.h>

#define YEAR_MIN 1970
#define YEAR_MAX 2100

typedef struct cursor {
	const char *p, *e;
} cursor_t;

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

/* Reads exactly `n` digits into *v. */
static int digits(cursor_t *c, int n, int *v)
{
	if (c->e - c->p < n)
		return -1;
	int x = 0;
	for (int i = 0; i < n; i++) {
		if (!is_digit(c->p[i]))
			return -1;
		x = x * 10 + (c->p[i] - '0');
	}
	c->p += n;
	*v = x;
	return 0;
}

static int eat(cursor_t *c, char ch)
{
	if (c->p < c->e && *c->p == ch) {
		c->p++;
		return 1;
	}
	return 0;
}

static int is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(int y, int m)
{
	static const int md[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && is_leap(y) ? 29 : md[m - 1];
}

/* Leap years in [1, y]. */
static int64_t leaps_through(int64_t y)
{
	return y / 4 - y / 100 + y / 400;
}

/* Days from 1970-01-01 to y-m-d (valid date, y >= 1970). */
static int64_t days_since_epoch(int y, int m, int d)
{
	static const int before[12] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334};
	int64_t days = 365 * (int64_t)(y - 1970) + leaps_through(y - 1) - leaps_through(1969);
	days += before[m - 1] + (m > 2 && is_leap(y)) + (d - 1);
	return days;
}

static int check_civil(int y, int mo, int d, int h, int mi, int s)
{
	if (y < YEAR_MIN || y > YEAR_MAX || mo < 1 || mo > 12 || d < 1 || d > month_days(y, mo))
		return -1;
	if (h > 23 || mi > 59 || s > 60) /* 60: a leap second, folded forward */
		return -1;
	return 0;
}

/* Optional ".fff" (any number of digits; ignored: times are floored). */
static void skip_fraction(cursor_t *c)
{
	if (c->p + 1 < c->e && *c->p == '.' && is_digit(c->p[1])) {
		c->p++;
		while (c->p < c->e && is_digit(*c->p))
			c->p++;
	}
}

/* Numeric zone "+HHMM", "+HH:MM" or "+HH"; *off in seconds east of UTC. */
static int zone_offset(cursor_t *c, int *off)
{
	if (c->p >= c->e || (*c->p != '+' && *c->p != '-'))
		return -1;
	int sign = *c->p == '-' ? -1 : 1;
	c->p++;
	int h, m = 0;
	if (digits(c, 2, &h) != 0)
		return -1;
	if (c->p < c->e) {
		int colon = eat(c, ':');
		if (digits(c, 2, &m) != 0 && colon)
			return -1;
	}
	if (h > 23 || m > 59)
		return -1;
	*off = sign * (h * 3600 + m * 60);
	return 0;
}

static int64_t assemble(int y, int mo, int d, int h, int mi, int s)
{
	return days_since_epoch(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
}

/* "YYYY-MM-DD[T ]HH:MM[:SS][.fff][ ][Z|+HHMM|+HH:MM]" */
static int parse_iso(cursor_t *c, int64_t *t)
{
	int y, mo, d, h, mi, s = 0, off = 0;
	if (digits(c, 4, &y) || !eat(c, '-') || digits(c, 2, &mo) || !eat(c, '-') ||
	    digits(c, 2, &d))
		return -1;
	if (!eat(c, 'T') && !eat(c, ' '))
		return -1;
	if (digits(c, 2, &h) || !eat(c, ':') || digits(c, 2, &mi))
		return -1;
	if (eat(c, ':')) {
		if (digits(c, 2, &s))
			return -1;
		skip_fraction(c);
	}
	if (check_civil(y, mo, d, h, mi, s))
		return -1;
	eat(c, ' ');
	if (!eat(c, 'Z') && c->p < c->e && zone_offset(c, &off))
		return -1;
	if (c->p != c->e)
		return -1;
	*t = assemble(y, mo, d, h, mi, s) - off;
	return 0;
}

/* "Wed Oct 10 20:19:24 +0000 2018" */
static int parse_twitter(cursor_t *c, int64_t *t)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	if (c->e - c->p < 30)
		return -1;
	c->p += 3; /* weekday: not checked, the date decides */
	if (!eat(c, ' '))
		return -1;
	int mo = 0;
	for (int i = 0; i < 12; i++)
		if (memcmp(c->p, months + 3 * i, 3) == 0)
			mo = i + 1;
	if (mo == 0)
		return -1;
	c->p += 3;
	int y, d, h, mi, s, off;
	if (!eat(c, ' ') || digits(c, 2, &d) || !eat(c, ' ') || digits(c, 2, &h) || !eat(c, ':') ||
	    digits(c, 2, &mi) || !eat(c, ':') || digits(c, 2, &s) || !eat(c, ' ') ||
	    zone_offset(c, &off) || !eat(c, ' ') || digits(c, 4, &y) || c->p != c->e)
		return -1;
	if (check_civil(y, mo, d, h, mi, s))
		return -1;
	*t = assemble(y, mo, d, h, mi, s) - off;
	return 0;
}

/* Unix seconds with an optional fraction. */
static int parse_epoch(cursor_t *c, int64_t *t)
{
	const int64_t limit = days_since_epoch(YEAR_MAX + 1, 1, 1) * 86400;
	int64_t v = 0;
	const char *start = c->p;
	while (c->p < c->e && is_digit(*c->p)) {
		v = v * 10 + (*c->p - '0');
		if (v >= limit)
			return -1;
		c->p++;
	}
	if (c->p == start)
		return -1;
	skip_fraction(c);
	if (c->p != c->e)
		return -1;
	*t = v;
	return 0;
}

static int is_blank(char ch)
{
	return ch == ' ' || ch == '\t' || ch == '\r' || ch == '\n';
}

int ls_time_parse(const char *s, size_t n, int64_t *t)
{
	if (s == NULL)
		return -1;
	if (n - 1 < 12) { /* 1..12 bytes: Unix seconds written plainly, the
		           * common case, as parse_epoch would read them */
		int64_t v = 0;
		size_t i = 0;
		for (; i < n && (unsigned)(s[i] - '0') <= 9; i++)
			v = v * 10 + (s[i] - '0');
		if (i == n) {
			if (v >= days_since_epoch(YEAR_MAX + 1, 1, 1) * 86400)
				return -1;
			*t = v;
			return 0;
		}
	}
	cursor_t c = {s, s + n};
	while (c.p < c.e && is_blank(*c.p))
		c.p++;
	while (c.e > c.p && is_blank(c.e[-1]))
		c.e--;
	size_t len = (size_t)(c.e - c.p);
	if (len == 0)
		return -1;
	if (len >= 10 && is_digit(c.p[0]) && c.p[4] == '-')
		return parse_iso(&c, t);
	if (is_digit(c.p[0]))
		return parse_epoch(&c, t);
	return parse_twitter(&c, t);
}

/* Up to `max` digits (at least one) into *v. */
static int some_digits(cursor_t *c, int max, int64_t *v)
{
	int k = 0;
	*v = 0;
	while (k < max && c->p < c->e && is_digit(*c->p)) {
		*v = *v * 10 + (*c->p - '0');
		c->p++;
		k++;
	}
	return k > 0 ? 0 : -1;
}

static int lower(char ch)
{
	return ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch;
}

/* English month name or abbreviation, case-insensitive: 1..12, else 0. */
static int month_name(cursor_t *c)
{
	static const char *const names[12] = {"january", "february", "march", "april",
	                                      "may", "june", "july", "august",
	                                      "september", "october", "november", "december"};
	if (c->e - c->p < 3)
		return 0;
	for (int i = 0; i < 12; i++) {
		const char *nm = names[i];
		if (lower(c->p[0]) != nm[0] || lower(c->p[1]) != nm[1] || lower(c->p[2]) != nm[2])
			continue;
		c->p += 3;
		size_t k = 3;
		while (nm[k] != '\0' && c->p < c->e && lower(*c->p) == nm[k])
			c->p++, k++;
		return i + 1;
	}
	return 0;
}

int ls_time_parse_format(const char *fmt, const char *s, size_t n, int64_t *t)
{
	if (fmt == NULL || strcmp(fmt, "auto") == 0)
		return ls_time_parse(s, n, t);
	cursor_t c = {s, s + n};
	while (c.p < c.e && is_blank(*c.p))
		c.p++;
	while (c.e > c.p && is_blank(c.e[-1]))
		c.e--;
	if (strcmp(fmt, "unix") == 0 || strcmp(fmt, "unix-ms") == 0) {
		int ms = fmt[4] == '-';
		int64_t v;
		if (some_digits(&c, ms ? 16 : 13, &v))
			return -1;
		skip_fraction(&c);
		if (c.p != c.e)
			return -1;
		if (ms)
			v /= 1000;
		if (v >= days_since_epoch(YEAR_MAX + 1, 1, 1) * 86400)
			return -1;
		*t = v;
		return 0;
	}
	int64_t y = 1970, mo = 1, d = 1, h = 0, mi = 0, sec = 0, v;
	int off = 0, pm = -1, epoch = 0;
	int64_t epoch_v = 0;
	for (const char *f = fmt; *f; f++) {
		if (*f == ' ') { /* any run of blanks, or none */
			while (c.p < c.e && is_blank(*c.p))
				c.p++;
			continue;
		}
		if (*f != '%') {
			if (!eat(&c, *f))
				return -1;
			continue;
		}
		f++;
		switch (*f) {
		case 'Y': if (some_digits(&c, 4, &y)) return -1; break;
		case 'y':
			if (some_digits(&c, 2, &v))
				return -1;
			y = v < 69 ? 2000 + v : 1900 + v;
			break;
		case 'm': if (some_digits(&c, 2, &mo)) return -1; break;
		case 'd': if (some_digits(&c, 2, &d)) return -1; break;
		case 'H': case 'I': if (some_digits(&c, 2, &h)) return -1; break;
		case 'M': if (some_digits(&c, 2, &mi)) return -1; break;
		case 'S': if (some_digits(&c, 2, &sec)) return -1; break;
		case 'f': while (c.p < c.e && is_digit(*c.p)) c.p++; break;
		case 'b': case 'B': case 'h':
			if ((mo = month_name(&c)) == 0)
				return -1;
			break;
		case 'p':
			if (c.e - c.p < 2 || lower(c.p[1]) != 'm' || (lower(c.p[0]) != 'a' && lower(c.p[0]) != 'p'))
				return -1;
			pm = lower(c.p[0]) == 'p';
			c.p += 2;
			break;
		case 'z':
			if (!eat(&c, 'Z') && zone_offset(&c, &off))
				return -1;
			break;
		case 's':
			if (some_digits(&c, 12, &epoch_v))
				return -1;
			epoch = 1;
			break;
		case '%': if (!eat(&c, '%')) return -1; break;
		default: return -1; /* unknown conversion (checked by the CLI) */
		}
	}
	if (c.p != c.e)
		return -1;
	if (epoch) {
		if (epoch_v >= days_since_epoch(YEAR_MAX + 1, 1, 1) * 86400)
			return -1;
		*t = epoch_v - off;
		return 0;
	}
	if (pm >= 0) {
		if (h < 1 || h > 12)
			return -1;
		h = h % 12 + (pm ? 12 : 0);
	}
	if (y > YEAR_MAX || check_civil((int)y, (int)mo, (int)d, (int)h, (int)mi, (int)sec))
		return -1;
	*t = assemble((int)y, (int)mo, (int)d, (int)h, (int)mi, (int)sec) - off;
	return 0;
}

int ls_time_format_check(const char *fmt)
{
	if (strcmp(fmt, "auto") == 0 || strcmp(fmt, "unix") == 0 || strcmp(fmt, "unix-ms") == 0)
		return 0;
	for (const char *f = fmt; *f; f++) {
		if (*f != '%')
			continue;
		f++;
		if (*f == '\0' || strchr("YymdHIMSfbBhpzs%", *f) == NULL)
			return -1;
	}
	return 0;
}
