/*
 * Unit tests of the string pool (core/strpool): ids in order of first
 * appearance, the decimal-number keys (equal numbers, and only they, are
 * the same string; non-canonical or too large numbers fall back to hashing),
 * lookups across table growth, keyed interning and binary strings, and
 * the number keys themselves (value and tag at every length, a non-digit
 * at every position).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "core/strpool.h"
#include "core/u64map.h"

static ls_sid_t intern(ls_strpool_t *sp, const char *s)
{
	ls_sid_t id = 0;
	assert_int_equal(ls_strpool_intern(sp, s, strlen(s), &id), 0);
	return id;
}

static void test_numbers_and_lookalikes(void **state)
{
	(void)state;
	/* each a distinct string; several are numbers equal in value, or
	 * lookalikes of numbers that must not meet the number */
	static const char *const s[] = {
		"0", "00", "7", "07", "007", "", "18446744073709551615", "18446744073709551616",
		"99999999999999999999", "1844674407370955161", "184467440737095516150", "-7",
		"7 ", "1e3", "1000", "id:1000", "12345678901234567890", "x",
	};
	size_t n = sizeof s / sizeof s[0];
	ls_strpool_t sp;
	ls_strpool_init(&sp);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(intern(&sp, s[i]), i + 1);
	for (size_t i = 0; i < n; i++) {
		assert_int_equal(intern(&sp, s[i]), i + 1);
		assert_int_equal(ls_strpool_find(&sp, s[i], strlen(s[i])), i + 1);
		assert_string_equal(ls_strpool_get(&sp, (ls_sid_t)(i + 1)), s[i]);
		assert_int_equal(ls_strpool_len(&sp, (ls_sid_t)(i + 1)), strlen(s[i]));
	}
	assert_int_equal(sp.count, n);
	assert_int_equal(ls_strpool_find(&sp, "70", 2), 0);
	assert_int_equal(ls_strpool_find(&sp, "0000", 4), 0);
	/* binary bytes, a NUL inside */
	ls_sid_t a = 0, b = 0;
	assert_int_equal(ls_strpool_intern(&sp, "a\0b", 3, &a), 0);
	assert_int_equal(ls_strpool_intern(&sp, "a\0c", 3, &b), 0);
	assert_int_not_equal(a, b);
	assert_int_equal(ls_strpool_find(&sp, "a\0b", 3), a);
	ls_strpool_destroy(&sp);
}

/* ls_strpool_key of a canonical number is its value tagged numeric, at
 * every length 1..20 (the first 16 digits go 8 at a time); a string with
 * one byte that is not a digit, anywhere, is hashed instead. */
static void test_number_keys(void **state)
{
	(void)state;
	const char *digits = "18446744073709551615"; /* 2^64 - 1 */
	uint64_t v = 0;
	for (size_t n = 1; n <= 20; n++) {
		v = v * 10 + (uint64_t)(digits[n - 1] - '0');
		ls_strkey_t k = ls_strpool_key(digits, n);
		assert_int_equal(k.tag, (uint32_t)n | LS_STRPOOL_NUMERIC);
		assert_true(k.key == v);
		char buf[24];
		static const char bad[] = {'/', ':', ' ', 'a', (char)0xb0, '\0'};
		for (size_t at = 0; at < n; at++) {
			memcpy(buf, digits, n);
			buf[at] = bad[(n + at) % sizeof bad];
			assert_int_equal(ls_strpool_key(buf, n).tag, (uint32_t)n);
		}
	}
	ls_strkey_t k = ls_strpool_key("99999999", 8);
	assert_true(k.key == 99999999u && (k.tag & LS_STRPOOL_NUMERIC));
	k = ls_strpool_key("1234567890123456", 16);
	assert_true(k.key == 1234567890123456u && (k.tag & LS_STRPOOL_NUMERIC));
	assert_int_equal(ls_strpool_key("18446744073709551616", 20).tag, 20u); /* 2^64 */
	assert_int_equal(ls_strpool_key("01234567", 8).tag, 8u);
}

static void test_growth_and_keys(void **state)
{
	(void)state;
	enum { N = 200000 };
	ls_strpool_t sp;
	ls_strpool_init(&sp);
	char buf[40];
	/* numbers, their zero-padded lookalikes and text, interleaved */
	for (unsigned i = 0; i < N; i++) {
		int len = snprintf(buf, sizeof buf, i % 3 == 0 ? "%u" : i % 3 == 1 ? "0%u" : "u%u",
		                   i * 2654435761u);
		ls_strkey_t k = ls_strpool_key(buf, (size_t)len);
		ls_strpool_prefetch(&sp, k);
		ls_sid_t id = 0;
		assert_int_equal(ls_strpool_intern_key(&sp, buf, (size_t)len, k, &id), 0);
		assert_int_equal(id, i + 1);
	}
	for (unsigned i = 0; i < N; i++) {
		int len = snprintf(buf, sizeof buf, i % 3 == 0 ? "%u" : i % 3 == 1 ? "0%u" : "u%u",
		                   i * 2654435761u);
		assert_int_equal(ls_strpool_find(&sp, buf, (size_t)len), i + 1);
		assert_int_equal(intern(&sp, buf), i + 1);
	}
	assert_int_equal(sp.count, N);
	ls_strpool_destroy(&sp);
}

/* Reserving room: the tables grow once, then take that many entries
 * without growing again, and the ids and values are those of growing step
 * by step. */
static void test_reserve(void **state)
{
	(void)state;
	ls_strpool_t a, b;
	ls_strpool_init(&a);
	ls_strpool_init(&b);
	assert_int_equal(ls_strpool_reserve(&b, 50000), 0);
	size_t slots = b.nslots;
	assert_true(slots * 3 >= 50001 * 4);
	ls_u64map_t m;
	ls_u64map_init(&m);
	assert_int_equal(ls_u64map_reserve(&m, 50000), 0);
	size_t mslots = m.nslots;
	assert_true(mslots >= 2 * 50001);
	char buf[32];
	for (int i = 0; i < 50000; i++) {
		int n = snprintf(buf, sizeof buf, "%c%d", i % 3 ? 'x' : '0', i);
		ls_sid_t x, y;
		assert_int_equal(ls_strpool_intern(&a, buf, (size_t)n, &x), 0);
		assert_int_equal(ls_strpool_intern(&b, buf, (size_t)n, &y), 0);
		assert_int_equal(x, y);
		uint32_t *v;
		int inserted;
		assert_int_equal(ls_u64map_upsert(&m, (uint64_t)i * 7919, (uint32_t)i, &v, &inserted), 0);
		assert_true(inserted);
	}
	assert_int_equal(b.nslots, slots);   /* no growth after the reserve */
	assert_int_equal(m.nslots, mslots);
	assert_true(a.nslots <= b.nslots);
	for (int i = 0; i < 50000; i += 97) {
		int n = snprintf(buf, sizeof buf, "%c%d", i % 3 ? 'x' : '0', i);
		assert_int_equal(ls_strpool_find(&b, buf, (size_t)n), ls_strpool_find(&a, buf, (size_t)n));
		uint32_t v = 0;
		assert_true(ls_u64map_get(&m, (uint64_t)i * 7919, &v));
		assert_int_equal(v, (uint32_t)i);
	}
	/* a smaller reserve changes nothing */
	assert_int_equal(ls_strpool_reserve(&b, 10), 0);
	assert_int_equal(b.nslots, slots);
	assert_int_equal(ls_u64map_reserve(&m, 10), 0);
	assert_int_equal(m.nslots, mslots);
	ls_strpool_destroy(&a);
	ls_strpool_destroy(&b);
	ls_u64map_destroy(&m);
}

/* A dropped index: the strings stay readable by id, and the first look-up
 * or intern builds it again, with the same ids. */
static void test_drop_index(void **state)
{
	(void)state;
	ls_strpool_t sp;
	ls_strpool_init(&sp);
	char buf[32];
	for (int i = 0; i < 5000; i++) {
		int n = snprintf(buf, sizeof buf, "%s%d", i % 2 ? "acc" : "", i);
		ls_sid_t id;
		assert_int_equal(ls_strpool_intern(&sp, buf, (size_t)n, &id), 0);
		assert_int_equal(id, (ls_sid_t)(i + 1));
	}
	ls_strpool_drop_index(&sp);
	assert_int_equal(sp.nslots, 0);
	assert_string_equal(ls_strpool_get(&sp, 3), "2");
	assert_int_equal(ls_strpool_find(&sp, "acc4999", 7), 5000); /* builds it again */
	assert_true(sp.nslots > 0);
	ls_strpool_drop_index(&sp);
	ls_sid_t id;
	assert_int_equal(ls_strpool_intern(&sp, "acc17", 5, &id), 0); /* known */
	assert_int_equal(id, 18);
	assert_int_equal(ls_strpool_intern(&sp, "new", 3, &id), 0);
	assert_int_equal(id, 5001);
	for (int i = 0; i < 5000; i += 7) {
		int n = snprintf(buf, sizeof buf, "%s%d", i % 2 ? "acc" : "", i);
		assert_int_equal(ls_strpool_find(&sp, buf, (size_t)n), (ls_sid_t)(i + 1));
	}
	assert_int_equal(ls_strpool_find(&sp, "absent", 6), 0);
	ls_strpool_destroy(&sp);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_numbers_and_lookalikes),
		cmocka_unit_test(test_number_keys),
		cmocka_unit_test(test_growth_and_keys),
		cmocka_unit_test(test_reserve),
		cmocka_unit_test(test_drop_index),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
