/*
 * ls_time_parse: the time notations the readers meet, to Unix seconds UTC.
 *
 *   1623881091 / 1623881091.75        Unix seconds (fraction floored)
 *   2016-11-08 19:52[:00][.123]       UTC
 *   2015-08-07 09:54:46 -0700         with a numeric offset (+HHMM, +HH:MM)
 *   2018-10-10T20:19:24.5Z            ISO 8601 ('T' or ' ', Z or offset)
 *   Wed Oct 10 20:19:24 +0000 2018    Twitter's created_at
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
