/*
 * Unit tests of the cluster and explain stages on a hand-built analysis:
 * two planted triangles {0,2,4} and {1,3,5} joined by a light bridge (4,5),
 * a separate pair (6,7) smaller than min_cluster_size, and account 8 with
 * only an unkept pair. Account 4's key is hostile (markup, a quote, a
 * control character, an invalid UTF-8 byte and a comma).
 *
 * Checks: Leiden and components clusters and their deterministic numbering;
 * the exact bytes of accounts.csv, clusters.csv, edges.csv and summary.json
 * (golden strings below); byte-identical output for two runs; escaping in
 * the GraphML; refusal of inputs igraph would mishandle; and the igraph
 * error handler turning an igraph error into LS_EGRAPH instead of an abort.
 *
 * Leaves a copy of the GraphML beside the binary (explain_sample.graphml)
 * for tests/graphml_load.sh.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "cluster/igraph_guard.h"
#include "core/afile.h"
#include "core/analysis.h"
#include "core/ctx.h"
#include "explain/textout.h"

#include <igraph.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define T0 INT64_C(1700000000) /* 2023-11-14T22:13:20Z */
#define HOSTILE "x<script>&\"\x01\xff,y"

static const char *sample_path; /* where to leave the GraphML sample */

/* ------------------------------------------------------------- fixture */

typedef struct fixture {
	ls_dataset_t *ds;
	ls_analysis_t *an;
	ls_ctx_t *ctx;
} fixture_t;

static ls_sid_t intern(ls_dataset_t *ds, const char *s)
{
	ls_sid_t id = 0;
	if (s != NULL)
		assert_int_equal(ls_strpool_intern(&ds->strings, s, strlen(s), &id), 0);
	return id;
}

static void add_account(ls_dataset_t *ds, const char *key, const char *id, const char *handle,
                        uint32_t posts)
{
	ls_account_t a = {intern(ds, key), intern(ds, id), intern(ds, handle), posts};
	assert_int_equal(ls_vec_push(&ds->accounts, a), 0);
}

static void add_link(ls_analysis_t *an, uint32_t a, uint32_t b, uint32_t behaviour,
                     uint64_t coactions, uint32_t objects, int64_t dt_min, int64_t dt_max,
                     double dt_sum, int64_t first, int64_t last, uint32_t pa, uint32_t pb,
                     uint64_t object)
{
	ls_link_t l = {0};
	l.a = a;
	l.b = b;
	l.behaviour = behaviour;
	l.coactions = coactions;
	l.objects = objects;
	l.dt_min = dt_min;
	l.dt_max = dt_max;
	l.dt_sum = dt_sum;
	l.first_time = first;
	l.last_time = last;
	l.ex_post_a = pa;
	l.ex_post_b = pb;
	l.ex_object = object;
	l.score = objects;
	assert_int_equal(ls_vec_push(&an->links, l), 0);
	an->links_total = an->links.n;
	an->coactions += coactions;
}

static void add_pair(ls_analysis_t *an, uint32_t a, uint32_t b, uint32_t behaviours,
                     uint32_t objects, uint64_t coactions, double weight, int kept)
{
	ls_pair_t p = {0};
	p.a = a;
	p.b = b;
	p.behaviours = behaviours;
	p.objects = objects;
	p.coactions = coactions;
	p.weight = weight;
	p.kept = kept;
	assert_int_equal(ls_vec_push(&an->pairs, p), 0);
}

static void build(fixture_t *fx, ls_cluster_method_t method)
{
	memset(fx, 0, sizeof *fx);
	fx->ctx = ls_ctx_new();
	assert_non_null(fx->ctx);
	assert_int_equal(ls_dataset_new(&fx->ds, NULL, fx->ctx), LS_OK);
	ls_dataset_t *ds = fx->ds;

	char key[8], id[8], handle[8];
	for (uint32_t i = 0; i < 9; i++) {
		snprintf(key, sizeof key, "u%u", i);
		snprintf(id, sizeof id, "i%u", i);
		snprintf(handle, sizeof handle, "h%u", i);
		if (i == 4)
			add_account(ds, HOSTILE, id, "bad\nhandle", i + 1);
		else if (i == 8)
			add_account(ds, key, NULL, NULL, i + 1);
		else
			add_account(ds, key, id, handle, i + 1);
	}
	for (uint32_t i = 0; i < 10; i++) {
		ls_post_row_t p = {0};
		snprintf(id, sizeof id, "p%u", i);
		p.time = T0 + i;
		p.account = i % 9;
		p.id = i == 4 ? 0 : LS_POST_ID_SID | intern(ds, id);
		p.line = 38 + i;
		assert_int_equal(ls_vec_push(&ds->posts, p), 0);
	}
	uint32_t *slot;
	int inserted;
	assert_int_equal(ls_u64map_upsert(&ds->labels, 0x1111, intern(ds, "id:111"), &slot,
	                                  &inserted), 0);
	for (uint32_t i = 0; i < 5; i++) {
		ls_trace_t t = {0x1111, T0 + i, i, i};
		assert_int_equal(ls_vec_push(&ds->traces[0], t), 0);
	}
	for (uint32_t i = 0; i < 2; i++) {
		ls_trace_t t = {0x2222, T0 + i, i, i};
		assert_int_equal(ls_vec_push(&ds->traces[2], t), 0);
	}
	ls_input_t in = {0};
	in.path = strdup("in\x01\"\xff.csv");
	assert_non_null(in.path);
	in.format = "cnt";
	in.bytes = 1234;
	in.read = 10;
	in.skipped = 1;
	for (int b = 0; b < 32; b++)
		in.sha256[b] = (unsigned char)(b * 7);
	assert_int_equal(ls_vec_push(&ds->inputs, in), 0);

	ls_analysis_t *an = calloc(1, sizeof *an);
	assert_non_null(an);
	fx->an = an;
	an->ds = ds;
	ls_params_init(&an->params);
	an->params.cluster = method;
	an->params.seed = 42;
	an->params.min_cluster_size = 3;

	/* links, sorted by (a, b, behaviour) */
	add_link(an, 0, 2, 0, 4, 3, 1, 9, 14, T0, T0 + 600, 0, 2, 0x1111);
	add_link(an, 0, 2, 1, 2, 2, 2, 4, 6, T0 + 60, T0 + 120, 1, 3, 0xabcdef);
	add_link(an, 0, 4, 0, 3, 3, 0, 10, 15, T0 + 30, T0 + 3600, 0, 4, 0x1111);
	add_link(an, 0, 8, 0, 1, 1, 5, 5, 5, T0 + 7200, T0 + 7205, 0, 8, 0x2222);
	add_link(an, 1, 3, 0, 5, 5, 1, 2, 7, T0 + 86400, T0 + 90000, 1, 3, 0x3333);
	add_link(an, 1, 5, 0, 5, 5, 1, 2, 7, T0 + 86460, T0 + 86500, 1, 5, 0x3333);
	add_link(an, 2, 4, 0, 5, 5, 3, 3, 15, T0 - 60, T0 + 10, 2, 4, 0x1111);
	add_link(an, 3, 5, 0, 5, 5, 1, 3, 10, T0 + 86400, T0 + 172800, 3, 5, 0x3333);
	add_link(an, 4, 5, 2, 1, 1, 7, 7, 7, T0 + 5000, T0 + 5001, 4, 5, 0x4444);
	add_link(an, 6, 7, 0, 3, 3, 0, 1, 1, T0 + 10, T0 + 20, 6, 7, 0x5555);
	/* pairs, sorted by (a, b) */
	add_pair(an, 0, 2, 3, 5, 6, 5, 1);
	add_pair(an, 0, 4, 1, 3, 3, 5, 1);
	add_pair(an, 0, 8, 1, 1, 1, 1, 0);
	add_pair(an, 1, 3, 1, 5, 5, 5, 1);
	add_pair(an, 1, 5, 1, 5, 5, 5, 1);
	add_pair(an, 2, 4, 1, 5, 5, 5, 1);
	add_pair(an, 3, 5, 1, 5, 5, 5, 1);
	add_pair(an, 4, 5, 4, 1, 1, 1.25, 1);
	add_pair(an, 6, 7, 1, 3, 3, 3, 1);
}

static void release(fixture_t *fx)
{
	ls_analysis_free(fx->an);
	ls_dataset_free(fx->ds);
	ls_ctx_free(fx->ctx);
}

/* ------------------------------------------------------------- files */

static char *slurp(const char *dir, const char *name, size_t *len)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	size_t cap = 4096, n = 0;
	char *buf = malloc(cap + 1);
	assert_non_null(buf);
	size_t got;
	while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			cap *= 2;
			buf = realloc(buf, cap + 1);
			assert_non_null(buf);
		}
	}
	fclose(f);
	buf[n] = '\0';
	if (len)
		*len = n;
	return buf;
}

static const char *const output_names[] = {"accounts.csv", "edges.csv", "clusters.csv",
                                           "network.graphml", "summary.json"};

static char *make_dir(void)
{
	const char *tmp = getenv("TMPDIR");
	char tmpl[512];
	snprintf(tmpl, sizeof tmpl, "%s/ls_test_explain_XXXXXX", tmp && tmp[0] ? tmp : "/tmp");
	char *d = strdup(tmpl);
	assert_non_null(d);
	assert_non_null(mkdtemp(d));
	return d;
}

static void remove_dir(char *dir)
{
	char path[600];
	for (size_t i = 0; i < sizeof output_names / sizeof output_names[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, output_names[i]);
		unlink(path);
	}
	rmdir(dir);
	free(dir);
}

static void assert_file_equal(const char *dir, const char *name, const char *expected)
{
	char *got = slurp(dir, name, NULL);
	if (strcmp(got, expected) != 0)
		fprintf(stderr, "--- %s: got\n%s--- expected\n%s---\n", name, got, expected);
	assert_string_equal(got, expected);
	free(got);
}

/* Runs cluster + write into a new directory; returns the directory. */
static char *run_all(fixture_t *fx)
{
	assert_int_equal(ls_cluster_run(fx->an, fx->ctx), LS_OK);
	char *dir = make_dir();
	ls_error_t err = ls_analysis_write(fx->an, dir, fx->ctx);
	if (err != LS_OK)
		fprintf(stderr, "write: %s\n", ls_ctx_message(fx->ctx));
	assert_int_equal(err, LS_OK);
	return dir;
}

/* ------------------------------------------------------------- golden */

static const char accounts_golden[] =
	"account,id,handle,posts,degree,strength,component,cluster,score,qvalue,flagged\n"
	"u0,i0,h0,1,2,10,1,1,0,1,0\n"
	"u1,i1,h1,2,2,10,1,2,0,1,0\n"
	"u2,i2,h2,3,2,10,1,1,0,1,0\n"
	"u3,i3,h3,4,2,10,1,2,0,1,0\n"
	"\"x<script>&\"\"\x01\xEF\xBF\xBD,y\",i4,\"bad\nhandle\",5,3,11.25,1,1,0,1,0\n"
	"u5,i5,h5,6,3,11.25,1,2,0,1,0\n"
	"u6,i6,h6,7,1,3,2,,0,1,0\n"
	"u7,i7,h7,8,1,3,2,,0,1,0\n"
	"u8,,,9,0,0,,,0,1,0\n";

static const char clusters_golden[] =
	"cluster,size,component,internal_edges,internal_weight,density,behaviours,first_time,"
	"last_time,members\n"
	"1,3,1,3,15,1,coretweet|cotweet,2023-11-14T22:12:20Z,2023-11-14T23:13:20Z,"
	"\"u0 u2 x<script>&\"\"\x01\xEF\xBF\xBD,y\"\n"
	"2,3,1,3,15,1,coretweet,2023-11-15T22:13:20Z,2023-11-16T22:13:20Z,u1 u3 u5\n";

static const char edges_golden[] =
	"account_a,account_b,behaviour,coactions,objects,dt_min,dt_mean,dt_max,first_time,"
	"last_time,example_object,example_post_a,example_post_b,score,kept\n"
	"u0,u2,coretweet,4,3,1,3.5,9,2023-11-14T22:13:20Z,2023-11-14T22:23:20Z,id:111,p0,p2,3,1\n"
	"u0,u2,cotweet,2,2,2,3,4,2023-11-14T22:14:20Z,2023-11-14T22:15:20Z,h:0000000000abcdef,"
	"p1,p3,2,1\n"
	"u0,\"x<script>&\"\"\x01\xEF\xBF\xBD,y\",coretweet,3,3,0,5,10,2023-11-14T22:13:50Z,"
	"2023-11-14T23:13:20Z,id:111,p0,0:42,3,1\n"
	"u1,u3,coretweet,5,5,1,1.4,2,2023-11-15T22:13:20Z,2023-11-15T23:13:20Z,"
	"h:0000000000003333,p1,p3,5,1\n"
	"u1,u5,coretweet,5,5,1,1.4,2,2023-11-15T22:14:20Z,2023-11-15T22:15:00Z,"
	"h:0000000000003333,p1,p5,5,1\n"
	"u2,\"x<script>&\"\"\x01\xEF\xBF\xBD,y\",coretweet,5,5,3,3,3,2023-11-14T22:12:20Z,"
	"2023-11-14T22:13:30Z,id:111,p2,0:42,5,1\n"
	"u3,u5,coretweet,5,5,1,2,3,2023-11-15T22:13:20Z,2023-11-16T22:13:20Z,"
	"h:0000000000003333,p3,p5,5,1\n"
	"\"x<script>&\"\"\x01\xEF\xBF\xBD,y\",u5,colink,1,1,7,7,7,2023-11-14T23:36:40Z,"
	"2023-11-14T23:36:41Z,h:0000000000004444,0:42,p5,1,1\n"
	"u6,u7,coretweet,3,3,0,0.333333,1,2023-11-14T22:13:30Z,2023-11-14T22:13:40Z,"
	"h:0000000000005555,p6,p7,3,1\n";

static const char summary_golden[] =
	"{\n"
	"  \"counts\": {\n"
	"    \"accounts\": 9,\n"
	"    \"accounts_clustered\": 6,\n"
	"    \"accounts_linked\": 8,\n"
	"    \"clusters\": 2,\n"
	"    \"coactions\": 34,\n"
	"    \"coactions_skipped_in_bursts\": 0,\n"
	"    \"kept_links\": 8,\n"
	"    \"links\": 10,\n"
	"    \"posts_read\": 10,\n"
	"    \"posts_skipped\": 1,\n"
	"    \"traces\": {\n"
	"      \"adlaunch\": 0,\n"
	"      \"cohashtag\": 0,\n"
	"      \"colink\": 2,\n"
	"      \"comention\": 0,\n"
	"      \"coreply\": 0,\n"
	"      \"coretweet\": 5,\n"
	"      \"cotargeting\": 0,\n"
	"      \"cotweet\": 0,\n"
	"      \"fastretweet\": 0,\n"
	"      \"hashtagseq\": 0,\n"
	"      \"neardup\": 0\n"
	"    }\n"
	"  },\n"
	"  \"inputs\": [\n"
	"    {\n"
	"      \"bytes\": 1234,\n"
	"      \"format\": \"cnt\",\n"
	"      \"path\": \"in\\u0001\\\"\xEF\xBF\xBD.csv\",\n"
	"      \"posts_read\": 10,\n"
	"      \"posts_skipped\": 1,\n"
	"      \"sha256\": \"00070e151c232a31383f464d545b626970777e858c939aa1a8afb6bdc4cbd2d9\"\n"
	"    }\n"
	"  ],\n"
	"  \"lockstep_version\": \"" LS_VERSION_STRING "\",\n"
	"  \"parameters\": {\n"
	"    \"all_links\": false,\n"
	"    \"behaviours\": [\n"
	"      \"coretweet\",\n"
	"      \"cotweet\",\n"
	"      \"colink\",\n"
	"      \"cohashtag\",\n"
	"      \"comention\",\n"
	"      \"coreply\",\n"
	"      \"neardup\",\n"
	"      \"fastretweet\",\n"
	"      \"hashtagseq\",\n"
	"      \"cotargeting\",\n"
	"      \"adlaunch\"\n"
	"    ],\n"
	"    \"cluster\": \"leiden\",\n"
	"    \"emit_pairs\": false,\n"
	"    \"fast_retweet\": 10,\n"
	"    \"fdr\": 0.05,\n"
	"    \"keep_loops\": false,\n"
	"    \"max_burst\": 200,\n"
	"    \"min_cluster_size\": 3,\n"
	"    \"min_participation\": 2,\n"
	"    \"min_text_length\": 10,\n"
	"    \"min_weight\": 2,\n"
	"    \"neardup_jaccard\": 0.8,\n"
	"    \"neardup_seed\": 1,\n"
	"    \"placebo_days\": 0,\n"
	"    \"resolution\": 1.0,\n"
	"    \"seed\": 42,\n"
	"    \"since\": null,\n"
	"    \"sync_bin\": 60,\n"
	"    \"until\": null,\n"
	"    \"window\": 60,\n"
	"    \"window_auto\": false\n"
	"  },\n"
	"  \"seed\": 42\n"
	"}\n";

/* ------------------------------------------------------------- tests */

static void test_leiden_clusters(void **state)
{
	(void)state;
	fixture_t fx;
	build(&fx, LS_CLUSTER_LEIDEN);
	ls_analysis_t *an = fx.an;
	assert_int_equal(ls_cluster_run(an, fx.ctx), LS_OK);
	static const uint32_t comp[9] = {1, 1, 1, 1, 1, 1, 2, 2, 0};
	static const uint32_t clu[9] = {1, 2, 1, 2, 1, 2, 0, 0, 0};
	static const uint32_t deg[9] = {2, 2, 2, 2, 3, 3, 1, 1, 0};
	for (int i = 0; i < 9; i++) {
		assert_int_equal(an->component[i], comp[i]);
		assert_int_equal(an->cluster[i], clu[i]);
		assert_int_equal(an->degree[i], deg[i]);
	}
	assert_true(an->strength[4] == 11.25 && an->strength[8] == 0);
	assert_int_equal(an->n_components, 2);
	assert_int_equal(an->clusters.n, 2);
	const ls_cluster_t *c = an->clusters.v;
	assert_int_equal(c[0].id, 1);
	assert_int_equal(c[0].size, 3);
	assert_int_equal(c[0].component, 1);
	assert_int_equal(c[0].internal_edges, 3);
	assert_true(c[0].internal_weight == 15);
	assert_int_equal(c[0].behaviours, 3);
	assert_int_equal(c[0].first_time, T0 - 60);
	assert_int_equal(c[0].last_time, T0 + 3600);
	assert_int_equal(c[1].behaviours, 1);
	assert_int_equal(c[1].first_time, T0 + 86400);
	assert_int_equal(c[1].last_time, T0 + 172800);

	/* Re-running the stage (any seed: the optimum is unique) gives the same. */
	an->params.seed = 7;
	assert_int_equal(ls_cluster_run(an, fx.ctx), LS_OK);
	for (int i = 0; i < 9; i++)
		assert_int_equal(an->cluster[i], clu[i]);

	/* min_cluster_size 2 reports the pair (6,7) as cluster 3. */
	an->params.min_cluster_size = 2;
	assert_int_equal(ls_cluster_run(an, fx.ctx), LS_OK);
	assert_int_equal(an->clusters.n, 3);
	assert_int_equal(an->cluster[6], 3);
	assert_int_equal(an->clusters.v[2].component, 2);
	release(&fx);
}

static void test_components_clusters(void **state)
{
	(void)state;
	fixture_t fx;
	build(&fx, LS_CLUSTER_COMPONENTS);
	ls_analysis_t *an = fx.an;
	assert_int_equal(ls_cluster_run(an, fx.ctx), LS_OK);
	for (int i = 0; i < 6; i++)
		assert_int_equal(an->cluster[i], 1);
	assert_int_equal(an->cluster[6], 0); /* size 2 < min_cluster_size 3 */
	assert_int_equal(an->cluster[8], 0);
	assert_int_equal(an->clusters.n, 1);
	assert_int_equal(an->clusters.v[0].size, 6);
	assert_int_equal(an->clusters.v[0].internal_edges, 7);
	assert_true(an->clusters.v[0].internal_weight == 31.25);
	assert_int_equal(an->clusters.v[0].behaviours, 7);
	release(&fx);
}

static void test_no_network(void **state)
{
	(void)state;
	fixture_t fx;
	build(&fx, LS_CLUSTER_LEIDEN);
	for (size_t i = 0; i < fx.an->pairs.n; i++)
		fx.an->pairs.v[i].kept = 0;
	char *dir = run_all(&fx);
	assert_int_equal(fx.an->n_components, 0);
	assert_int_equal(fx.an->clusters.n, 0);
	char *g = slurp(dir, "network.graphml", NULL);
	assert_null(strstr(g, "<node"));
	free(g);
	assert_file_equal(dir, "clusters.csv",
	                  "cluster,size,component,internal_edges,internal_weight,density,"
	                  "behaviours,first_time,last_time,members\n");
	remove_dir(dir);
	release(&fx);
}

static void test_golden_outputs(void **state)
{
	(void)state;
	fixture_t fx;
	build(&fx, LS_CLUSTER_LEIDEN);
	char *dir = run_all(&fx);
	assert_file_equal(dir, "accounts.csv", accounts_golden);
	assert_file_equal(dir, "clusters.csv", clusters_golden);
	assert_file_equal(dir, "edges.csv", edges_golden);
	assert_file_equal(dir, "summary.json", summary_golden);
	remove_dir(dir);
	release(&fx);
}

static void test_two_runs_identical(void **state)
{
	(void)state;
	fixture_t f1, f2;
	build(&f1, LS_CLUSTER_LEIDEN);
	build(&f2, LS_CLUSTER_LEIDEN);
	char *d1 = run_all(&f1), *d2 = run_all(&f2);
	for (size_t i = 0; i < sizeof output_names / sizeof output_names[0]; i++) {
		size_t n1, n2;
		char *a = slurp(d1, output_names[i], &n1), *b = slurp(d2, output_names[i], &n2);
		assert_int_equal(n1, n2);
		assert_memory_equal(a, b, n1);
		free(a);
		free(b);
	}
	remove_dir(d1);
	remove_dir(d2);
	release(&f1);
	release(&f2);
}

/* Every byte sequence is valid UTF-8 and no character XML 1.0 forbids. */
static void assert_xml_chars(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	for (size_t i = 0; i < n;) {
		unsigned char c = p[i];
		if (c < 0x80) {
			assert_true(c >= 0x20 || c == '\n');
			i++;
			continue;
		}
		size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
		assert_true(c >= 0xC2 && c <= 0xF4 && i + len <= n);
		for (size_t k = 1; k < len; k++)
			assert_int_equal(p[i + k] & 0xC0, 0x80);
		i += len;
	}
}

static void test_graphml(void **state)
{
	(void)state;
	fixture_t fx;
	build(&fx, LS_CLUSTER_LEIDEN);
	char *dir = run_all(&fx);
	size_t n;
	char *g = slurp(dir, "network.graphml", &n);
	assert_xml_chars(g, n);
	assert_non_null(strstr(g, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<graphml "
	                          "xmlns=\"http://graphml.graphdrawing.org/xmlns\""));
	assert_non_null(strstr(g, "<graph id=\"lockstep\" edgedefault=\"undirected\">"));
	assert_non_null(strstr(g, "<data key=\"account\">x&lt;script&gt;&amp;&quot;\xEF\xBF\xBD,y"
	                          "</data>"));
	assert_non_null(strstr(g, "<data key=\"handle\">bad&#10;handle</data>"));
	assert_non_null(strstr(g, "<edge source=\"n4\" target=\"n5\">\n"
	                          "      <data key=\"weight\">1.25</data>"));
	/* 8 nodes in the network (not account 8), 8 kept pairs */
	int nodes = 0, edges = 0;
	for (const char *q = g; (q = strstr(q, "<node ")) != NULL; q++)
		nodes++;
	for (const char *q = g; (q = strstr(q, "<edge ")) != NULL; q++)
		edges++;
	assert_int_equal(nodes, 8);
	assert_int_equal(edges, 8);
	assert_null(strstr(g, "id=\"n8\""));
	if (sample_path != NULL) {
		/* atomically: graphml_load.sh may be reading it in parallel */
		ls_afile_t af;
		if (ls_afile_open(&af, sample_path, fx.ctx) == LS_OK) {
			fwrite(g, 1, n, af.f);
			assert_int_equal(ls_afile_commit(&af, fx.ctx), LS_OK);
		}
	}
	free(g);
	remove_dir(dir);
	release(&fx);
}

static void test_escaping(void **state)
{
	(void)state;
	char buf[256];
	FILE *f = fmemopen(buf, sizeof buf, "w");
	assert_non_null(f);
	/* overlong '/', a surrogate, a truncated sequence, U+FFFF, then é */
	static const char bad[] = "\xC0\xAF|\xED\xA0\x80|\xE2\x82|\xEF\xBF\xBF|\xC3\xA9";
	ls_out_xml(f, bad, sizeof bad - 1);
	fputc('#', f);
	ls_out_json(f, "\x1f\t\\/\x7f", 5);
	fputc('#', f);
	ls_out_csv(f, "a\0b", 3);
	fputc('#', f);
	ls_out_csv_str(f, "plain");
	fclose(f);
	assert_string_equal(buf, "\xEF\xBF\xBD\xEF\xBF\xBD|\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD|"
	                         "\xEF\xBF\xBD\xEF\xBF\xBD||\xC3\xA9#\"\\u001f\\t\\\\/\x7f\"#"
	                         "a\xEF\xBF\xBD"
	                         "b#plain");
	/* strings of 32 bytes and more: valid UTF-8 takes the fast path (only
	 * ASCII escapes), a bad byte the general walk; both as short ones */
	f = fmemopen(buf, sizeof buf, "w");
	assert_non_null(f);
	static const char ok[] = "\xD0\x9A\xD1\x80\xD0\xB5 \"q\" a\\b\nc\x01 \xE2\x80\xA6 0123456789\x7f";
	static const char ko[] = "\xD0\x9A \"q\" \xC0\xAF a\\b\nc\x01 \xE2\x80 0123456789 0123456789";
	ls_out_json(f, ok, sizeof ok - 1);
	fputc('#', f);
	ls_out_json(f, ko, sizeof ko - 1);
	fclose(f);
	assert_string_equal(buf, "\"\xD0\x9A\xD1\x80\xD0\xB5 \\\"q\\\" a\\\\b\\nc\\u0001 \xE2\x80\xA6 "
	                         "0123456789\x7f\"#\"\xD0\x9A \\\"q\\\" \xEF\xBF\xBD\xEF\xBF\xBD a\\\\b\\nc"
	                         "\\u0001 \xEF\xBF\xBD\xEF\xBF\xBD 0123456789 0123456789\"");
	char num[LS_NUMBUF];
	assert_string_equal(ls_fmt_real(1, num), "1.0");
	assert_string_equal(ls_fmt_real(0.1, num), "0.1");
	assert_string_equal(ls_fmt_real(-2.5e-7, num), "-2.5e-07");
	assert_string_equal(ls_fmt_real(1e16, num), "1e+16");
	assert_string_equal(ls_fmt_real(123456.75, num), "123456.75");
	assert_string_equal(ls_fmt_real(0.0001, num), "0.0001");
	assert_string_equal(ls_fmt_real(1.0 / 3, num), "0.3333333333333333");
	assert_string_equal(ls_fmt_g6(1.0 / 3, num), "0.333333");
	assert_string_equal(ls_fmt_g6(-0.0, num), "0");
	assert_string_equal(ls_fmt_g6(NAN, num), "nan");
}

/* The printf-free number formats against printf itself: shortest
 * round-trip (the "%.{p-1}e until strtod reads x back" loop, laid out as
 * Python's repr) and %.6g, over random bit patterns, subnormals, short
 * decimals, quarters and values near ties. */
static void ref_real(double x, char *buf)
{
	if (x == 0) {
		strcpy(buf, "0.0");
		return;
	}
	char e[64];
	for (int p = 1; p <= 17; p++) {
		snprintf(e, sizeof e, "%.*e", p - 1, x);
		if (strtod(e, NULL) == x)
			break;
	}
	char dg[24];
	size_t nd = 0, k = 0;
	const char *q = e;
	if (*q == '-') {
		buf[k++] = '-';
		q++;
	}
	for (; *q != 'e'; q++)
		if (*q != '.')
			dg[nd++] = *q;
	long ex = strtol(q + 1, NULL, 10);
	while (nd > 1 && dg[nd - 1] == '0')
		nd--;
	if (ex < -4 || ex >= 16) {
		buf[k++] = dg[0];
		if (nd > 1) {
			buf[k++] = '.';
			memcpy(buf + k, dg + 1, nd - 1);
			k += nd - 1;
		}
		sprintf(buf + k, "e%c%02ld", ex < 0 ? '-' : '+', ex < 0 ? -ex : ex);
		return;
	}
	if (ex < 0) {
		buf[k++] = '0';
		buf[k++] = '.';
		for (long z = 0; z < -ex - 1; z++)
			buf[k++] = '0';
		memcpy(buf + k, dg, nd);
		k += nd;
	} else {
		size_t ip = (size_t)ex + 1;
		for (size_t i = 0; i < ip; i++)
			buf[k++] = i < nd ? dg[i] : '0';
		buf[k++] = '.';
		if (nd > ip) {
			memcpy(buf + k, dg + ip, nd - ip);
			k += nd - ip;
		} else {
			buf[k++] = '0';
		}
	}
	buf[k] = '\0';
}

static void test_number_formats_match_printf(void **state)
{
	(void)state;
	uint64_t s = 88172645463325252ULL;
	char a[LS_NUMBUF], b[64];
	for (int i = 0; i < 200000; i++) {
		s ^= s << 13;
		s ^= s >> 7;
		s ^= s << 17;
		double x;
		switch (i % 6) {
		case 0: memcpy(&x, &s, sizeof x); break;
		case 1: x = (double)(s % 100000) / (double)(1 + (s >> 40) % 1000); break;
		case 2: x = ldexp((double)(s >> 11), -53) * pow(10, (double)((int)(s % 60) - 30)); break;
		case 3: x = (double)(s % 10000000) / 1000.0 + 0.0000005; break;
		case 4: x = (double)(s % 100000) * 0.25 + (double)(s >> 61) / 8.0; break;
		default: x = ldexp((double)(s >> 12), -1074); break; /* subnormal */
		}
		if (!isfinite(x))
			continue;
		ref_real(x, b);
		if (strcmp(ls_fmt_real(x, a), b) != 0)
			fail_msg("ls_fmt_real(%a) = %s, printf gives %s", x, a, b);
		if (fabs(x) < 1e6 && x == (double)(int64_t)x)
			continue;
		snprintf(b, sizeof b, "%.6g", x);
		if (strcmp(ls_fmt_g6(x, a), b) != 0)
			fail_msg("ls_fmt_g6(%a) = %s, printf gives %s", x, a, b);
	}
	/* times: the per-day cache against ls_time_format, years 0000-9999
	 * and beyond (which pass through) */
	for (int i = 0; i < 200000; i++) {
		s ^= s << 13;
		s ^= s >> 7;
		s ^= s << 17;
		int64_t t = i % 2 ? (int64_t)(s % 4000000000ULL) - 1000000000
		                  : (int64_t)(s % 700000000000ULL) - 350000000000LL;
		ls_time_format(t, b, sizeof b);
		if (strcmp(ls_fmt_time(t, a), b) != 0)
			fail_msg("ls_fmt_time(%lld) = %s, ls_time_format gives %s", (long long)t, a, b);
	}
	/* ls_out_fmt against fprintf */
	char *m1 = NULL, *m2 = NULL;
	size_t n1 = 0, n2 = 0;
	FILE *f1 = open_memstream(&m1, &n1), *f2 = open_memstream(&m2, &n2);
	assert_non_null(f1);
	assert_non_null(f2);
#define BOTH(...) (ls_out_fmt(f1, __VA_ARGS__), fprintf(f2, __VA_ARGS__))
	BOTH("<n id=\"n%zu\" v=\"%s\"/>%c%%\n", (size_t)123456789, "x&y", 'q');
	BOTH("%d %d %u %lu %lld %llu", -7, 0, 4000000000u, 18446744073709551615UL, -9223372036854775807LL - 1,
	     12ULL);
	BOTH("#%02x%02x plain", 10, 255);
	BOTH("no conversions");
#undef BOTH
	fclose(f1);
	fclose(f2);
	assert_string_equal(m1, m2);
	free(m1);
	free(m2);
}

static void test_bad_input_refused(void **state)
{
	(void)state;
	fixture_t fx;
	build(&fx, LS_CLUSTER_LEIDEN);
	/* igraph's Leiden never returns on a NaN resolution: must be refused */
	fx.an->params.resolution = NAN;
	assert_int_equal(ls_cluster_run(fx.an, fx.ctx), LS_EINVAL);
	assert_null(fx.an->cluster);
	ls_ctx_clear(fx.ctx);
	fx.an->params.resolution = 1;
	fx.an->pairs.v[0].weight = -1;
	assert_int_equal(ls_cluster_run(fx.an, fx.ctx), LS_EINVAL);
	ls_ctx_clear(fx.ctx);
	fx.an->pairs.v[0].weight = 5;
	fx.an->pairs.v[0].b = 99;
	assert_int_equal(ls_cluster_run(fx.an, fx.ctx), LS_EINTERNAL);
	release(&fx);
}

static void sentinel_handler(const char *reason, const char *file, int line,
                             igraph_error_t code)
{
	(void)reason;
	(void)file;
	(void)line;
	(void)code;
	IGRAPH_FINALLY_FREE();
}

static void test_igraph_error_handler(void **state)
{
	(void)state;
	ls_ctx_t *ctx = ls_ctx_new();
	igraph_error_handler_t *before = igraph_set_error_handler(sentinel_handler);
	ls_igraph_guard_t guard;
	ls_igraph_guard_begin(&guard);
	/* an edge list of odd length: igraph reports an error and, with its
	 * default handler, would abort the process */
	igraph_vector_int_t edges;
	assert_int_equal(igraph_vector_int_init_int(&edges, 3, 0, 1, 2), IGRAPH_SUCCESS);
	igraph_t g;
	igraph_error_t ie = igraph_create(&g, &edges, 3, IGRAPH_UNDIRECTED);
	igraph_vector_int_destroy(&edges);
	assert_int_not_equal(ie, IGRAPH_SUCCESS);
	assert_int_equal(ls_igraph_fail(ctx, ie), LS_EGRAPH);
	ls_igraph_guard_end(&guard);
	const char *msg = ls_ctx_message(ctx);
	print_message("recorded: %s\n", msg);
	assert_true(strncmp(msg, "igraph: ", 8) == 0 && strlen(msg) > 8);
	/* the handler in place before the guard is back */
	assert_ptr_equal(igraph_set_error_handler(before), sentinel_handler);
	ls_ctx_free(ctx);
}

int main(int argc, char **argv)
{
	/* The binary lives in BUILD/tests: leave the sample beside it. */
	static char sample[1024];
	const char *slash = argc > 0 ? strrchr(argv[0], '/') : NULL;
	if (slash != NULL) {
		snprintf(sample, sizeof sample, "%.*s/explain_sample.graphml",
		         (int)(slash - argv[0]), argv[0]);
		sample_path = sample;
	}
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_leiden_clusters),
		cmocka_unit_test(test_components_clusters),
		cmocka_unit_test(test_no_network),
		cmocka_unit_test(test_golden_outputs),
		cmocka_unit_test(test_two_runs_identical),
		cmocka_unit_test(test_graphml),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_number_formats_match_printf),
		cmocka_unit_test(test_bad_input_refused),
		cmocka_unit_test(test_igraph_error_handler),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
