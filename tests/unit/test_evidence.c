/*
 * Unit tests of the evidence bundle's building blocks: the parameters <->
 * JSON table (every field of ls_params_t and ls_read_options_t is in it;
 * non-default values round-trip exactly; unknown keys are refused), the
 * canonical JSON writer (the layout Python's json.dumps(indent=2,
 * sort_keys=True) gives) and the JSON reader on hostile input.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "explain/jsonp.h"
#include "explain/jsonw.h"
#include "explain/params_json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A new field of ls_params_t must get its row in src/explain/params_json.c. */
static void test_table_covers_every_field(void **state)
{
	(void)state;
	char msg[256] = "";
	int rc = ls_params_json_check_layout(msg, sizeof msg);
	if (rc)
		fprintf(stderr, "%s\n", msg);
	assert_int_equal(rc, 0);
}

static char *params_text(const ls_params_t *p, const ls_read_options_t *ro)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	assert_non_null(f);
	ls_jw_t w;
	ls_jw_init(&w, f);
	ls_params_json_write(&w, p, ro);
	ls_jw_finish(&w);
	fclose(f);
	return buf;
}

static void test_params_round_trip(void **state)
{
	(void)state;
	ls_params_t p, q;
	ls_read_options_t ro, rq;
	ls_params_init(&p);
	ls_read_options_init(&ro);
	p.window = -1; /* not valid for a run, but must survive the trip */
	p.behaviours = 5;
	p.min_weight = 7;
	p.cluster = LS_CLUSTER_COMPONENTS;
	p.resolution = 0.1;
	p.seed = UINT64_MAX;
	p.min_cluster_size = 3;
	p.max_burst = 0;
	p.all_links = 1;
	p.emit_pairs = 1;
	p.min_participation = UINT32_MAX;
	p.keep_loops = 1;
	ro.min_text_length = 3;
	ro.max_record_bytes = (size_t)1 << 33;
	char *text = params_text(&p, &ro);
	ls_ctx_t *ctx = ls_ctx_new();
	ls_jv_t *v = NULL;
	assert_int_equal(ls_jv_parse(&v, text, strlen(text), ctx), LS_OK);
	assert_int_equal(ls_params_json_read(v, &q, &rq, ctx), LS_OK);
	assert_memory_equal(&p, &q, sizeof p);
	assert_memory_equal(&ro, &rq, sizeof ro);
	char *again = params_text(&q, &rq);
	assert_string_equal(text, again);
	/* keys sorted */
	assert_non_null(strstr(text, "\"all_links\": true"));
	assert_true(strstr(text, "\"all_links\"") < strstr(text, "\"window\""));
	ls_jv_free(v);
	free(text);
	free(again);
	/* a key from a newer lockstep is refused, not ignored */
	const char *newer = "{\"window\": 5, \"frobnicate\": 1}";
	assert_int_equal(ls_jv_parse(&v, newer, strlen(newer), ctx), LS_OK);
	assert_int_equal(ls_params_json_read(v, &q, &rq, ctx), LS_EPARSE);
	assert_non_null(strstr(ls_ctx_message(ctx), "frobnicate"));
	ls_jv_free(v);
	ls_ctx_free(ctx);
}

static void test_writer_layout(void **state)
{
	(void)state;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	ls_jw_t w;
	ls_jw_init(&w, f);
	ls_jw_obj(&w);
	ls_jw_key(&w, "a");
	ls_jw_arr(&w);
	ls_jw_end(&w);
	ls_jw_key(&w, "b");
	ls_jw_arr(&w);
	ls_jw_u64(&w, 1);
	ls_jw_str(&w, "<\"\n>");
	ls_jw_end(&w);
	ls_jw_key(&w, "c");
	ls_jw_obj(&w);
	ls_jw_end(&w);
	ls_jw_kreal(&w, "d", 0.5);
	ls_jw_kreal(&w, "e", 1.0 / 0.0 * 0.0);
	ls_jw_end(&w);
	ls_jw_finish(&w);
	fclose(f);
	assert_string_equal(buf, "{\n  \"a\": [],\n  \"b\": [\n    1,\n    \"<\\\"\\n>\"\n  ],\n"
	                         "  \"c\": {},\n  \"d\": 0.5,\n  \"e\": null\n}\n");
	free(buf);
}

static void test_reader_hostile(void **state)
{
	(void)state;
	ls_ctx_t *ctx = ls_ctx_new();
	ls_jv_t *v = NULL;
	char deep[400];
	memset(deep, '[', sizeof deep);
	assert_int_equal(ls_jv_parse(&v, deep, sizeof deep, ctx), LS_EPARSE);
	assert_null(v);
	const char *bad[] = {"{\"a\" 1}", "\"\\x\"", "[1,]", "{\"a\":1} x", "\"abc", "\"\x01\""};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		ls_ctx_free(ctx);
		ctx = ls_ctx_new();
		assert_int_equal(ls_jv_parse(&v, bad[i], strlen(bad[i]), ctx), LS_EPARSE);
	}
	const char *ok = "{\"k\": \"\\ud83d\\ude00\\u00e9\", \"n\": 18446744073709551615}";
	assert_int_equal(ls_jv_parse(&v, ok, strlen(ok), ctx), LS_OK);
	assert_string_equal(ls_jv_get_str(v, "k"), "\xF0\x9F\x98\x80\xC3\xA9");
	uint64_t u;
	assert_int_equal(ls_jv_u64(ls_jv_get(v, "n"), &u), 0);
	assert_true(u == UINT64_MAX);
	ls_jv_free(v);
	ls_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_table_covers_every_field),
		cmocka_unit_test(test_params_round_trip),
		cmocka_unit_test(test_writer_layout),
		cmocka_unit_test(test_reader_hostile),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
