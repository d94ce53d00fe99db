/*
 * Unit tests of the ads null (score/null_ads.h) and the adlaunch behaviour
 * on a hand-made ira-ads file: incidences (one per page and object), the
 * adlaunch day key, the month-stratified expectation E_ab = sum_m S(m)
 * s_a(m) s_b(m) against a hand computation, and which behaviours a run
 * scores with the ads null.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "core/analysis.h"
#include "core/ctx.h"
#include "extract/behaviour.h"
#include "score/null_ads.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define AD(id, page, created, tgt)                                                                \
	"{\"id\": " #id ", \"pdf\": \"data/2016-05/x.pdf\", \"clicks\": 1, \"impressions\": 10, "    \
	"\"text\": \"ad text number " #id "\", \"url\": \"https://www.facebook.com/" page "/\", "     \
	"\"spend_amount\": \"1.00\", \"spend_currency\": \"RUB\", \"created\": \"" created "\", "     \
	"\"ended\": null, \"targeting\": [\"age:age:18 - 65+\", \"interests:interests:" tgt "\", "    \
	"\"placements:placements:News Feed\"]}\n"

/* p1: three ads on audience X on 05-02 and one on Y on 05-03; p2: two on X
 * on 05-02; p3: one on Y on 05-10 (all 2016, times -07:00, same UTC day). */
static const char ads[] = AD(1, "p1", "2016-05-02T08:00:00-07:00", "X")
	AD(2, "p1", "2016-05-02T09:00:00-07:00", "X") AD(3, "p1", "2016-05-02T10:00:00-07:00", "X")
	AD(4, "p1", "2016-05-03T10:00:00-07:00", "Y") AD(5, "p2", "2016-05-02T11:00:00-07:00", "X")
	AD(6, "p2", "2016-05-02T12:00:00-07:00", "X") AD(7, "p3", "2016-05-10T12:00:00-07:00", "Y");

typedef struct fixture {
	char path[64];
	ls_ctx_t *ctx;
	ls_dataset_t *ds;
	ls_analysis_t *an;
} fixture_t;

static uint32_t account(const ls_dataset_t *ds, const char *key)
{
	for (uint32_t a = 0; a < ds->accounts.n; a++)
		if (strcmp(ls_strpool_get(&ds->strings, ds->accounts.v[a].key), key) == 0)
			return a;
	fail_msg("no account %s", key);
	return 0;
}

static const ls_link_t *find_link(const ls_analysis_t *an, uint32_t a, uint32_t b, uint32_t bh)
{
	uint32_t lo = a < b ? a : b, hi = a ^ b ^ lo;
	for (size_t i = 0; i < an->links.n; i++)
		if (an->links.v[i].a == lo && an->links.v[i].b == hi && an->links.v[i].behaviour == bh)
			return &an->links.v[i];
	return NULL;
}

static int setup(void **state)
{
	fixture_t *fx = calloc(1, sizeof *fx);
	assert_non_null(fx);
	snprintf(fx->path, sizeof fx->path, "/tmp/lockstep-nullads-XXXXXX");
	int fd = mkstemp(fx->path);
	assert_true(fd >= 0);
	assert_true(write(fd, ads, sizeof ads - 1) == (ssize_t)(sizeof ads - 1));
	close(fd);
	fx->ctx = ls_ctx_new();
	ls_read_options_t ropt;
	ls_read_options_init(&ropt);
	uint64_t mask = ls_behaviour_bit("cotargeting") | ls_behaviour_bit("adlaunch");
	ropt.extract_behaviours = mask;
	assert_int_equal(ls_dataset_new(&fx->ds, &ropt, fx->ctx), LS_OK);
	assert_int_equal(ls_dataset_read(fx->ds, fx->path, "ira-ads", fx->ctx), LS_OK);
	ls_params_t p;
	ls_params_init(&p);
	p.behaviours = mask;
	p.min_cluster_size = 2;
	p.all_links = 1; /* the tests read links of pairs that are not flagged */
	assert_int_equal(ls_analysis_run(&fx->an, fx->ds, &p, fx->ctx), LS_OK);
	*state = fx;
	return 0;
}

static int teardown(void **state)
{
	fixture_t *fx = *state;
	ls_analysis_free(fx->an);
	ls_dataset_free(fx->ds);
	ls_ctx_free(fx->ctx);
	unlink(fx->path);
	free(fx);
	return 0;
}

static void test_mask(void **state)
{
	fixture_t *fx = *state;
	/* an ad-only run: every linked behaviour uses the ads null */
	assert_int_equal(fx->an->ads_null, (uint32_t)fx->an->params.behaviours);
	assert_int_equal(ls_null_ads_mask(fx->ds, UINT64_C(1) << LS_BH_COTWEET),
	                 UINT32_C(1) << LS_BH_COTWEET);
}

static void test_adlaunch_key(void **state)
{
	fixture_t *fx = *state;
	const ls_dataset_t *ds = fx->ds;
	assert_int_equal(ds->traces[LS_BH_ADLAUNCH].n, 7); /* one per ad while reading */
	const ls_trace_t *t = &ds->traces[LS_BH_ADLAUNCH].v[0];
	assert_string_equal(ls_dataset_object_label(ds, t->object), "2016-05-02");
}

static void test_incidences_and_expected(void **state)
{
	fixture_t *fx = *state;
	const ls_analysis_t *an = fx->an;
	uint32_t p1 = account(fx->ds, "facebook.com/p1"), p2 = account(fx->ds, "facebook.com/p2"),
		 p3 = account(fx->ds, "facebook.com/p3");
	/* cotargeting: audiences X {p1, p2} and Y {p1, p3}, one month:
	 * S = 2 + 2, D = 4, s_p1 = 2/4, s_p2 = s_p3 = 1/4: E(p1,p2) = 4 * 1/2 * 1/4 */
	const ls_link_t *l = find_link(an, p1, p2, LS_BH_COTARGETING);
	assert_non_null(l);
	assert_int_equal(l->coactions, 1); /* 3 x 2 ads, one incidence each */
	assert_int_equal(l->objects, 1);
	assert_true(fabs(l->expected - 0.5) < 1e-6);
	l = find_link(an, p1, p3, LS_BH_COTARGETING);
	assert_non_null(l);
	assert_true(fabs(l->expected - 0.5) < 1e-6);
	assert_null(find_link(an, p2, p3, LS_BH_COTARGETING));
	/* adlaunch: days 05-02 {p1, p2}, 05-03 {p1}, 05-10 {p3}: S = 2, D = 4,
	 * s_p1 = 2/4, s_p2 = 1/4: E = 2 * 1/2 * 1/4; a week apart is no link */
	l = find_link(an, p1, p2, LS_BH_ADLAUNCH);
	assert_non_null(l);
	assert_int_equal(l->objects, 1);
	assert_true(fabs(l->expected - 0.25) < 1e-6);
	assert_null(find_link(an, p1, p3, LS_BH_ADLAUNCH));
	/* p-value: P(Poisson(0.25) >= 1) */
	assert_true(fabs(l->pvalue - (1 - exp(-0.25))) < 1e-9);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mask),
		cmocka_unit_test(test_adlaunch_key),
		cmocka_unit_test(test_incidences_and_expected),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
