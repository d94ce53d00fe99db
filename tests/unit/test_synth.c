/*
 * Unit tests of the synthetic scenario generator (ls_synth_write).
 *
 * The default small scenario is generated once into a temporary directory
 * (group setup) and parsed with a small RFC 4180 reader written here, so
 * that the checks do not depend on the library's own readers. Each extra
 * scenario (other seeds, campaigns = 0) costs ~0.1 s.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "lockstep.h"

#define NFIELDS 8
enum { F_ID, F_USER, F_NAME, F_REPOST, F_REPLY, F_MESSAGE, F_TIME, F_URLS };

/* ------------------------------------------------------------ CSV reading */

typedef struct table {
	char *text;     /* unescaped fields, each NUL-terminated */
	char **field;   /* nrec * width pointers into text */
	size_t nrec;    /* records after the header */
	size_t width;
	int ragged;     /* some record had another field count */
} table_t;

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return NULL;
	size_t cap = 1 << 20, n = 0;
	char *buf = malloc(cap);
	size_t k;
	while (buf && (k = fread(buf + n, 1, cap - n, f)) > 0) {
		n += k;
		if (n == cap) {
			char *p = realloc(buf, cap *= 2);
			if (p == NULL)
				free(buf);
			buf = p;
		}
	}
	fclose(f);
	if (len)
		*len = n;
	return buf;
}

/* Parses an RFC 4180 file with a header of `width` fields. Returns 0, or -1
 * when the file cannot be read or a quote is unterminated. */
static int read_table(const char *path, size_t width, table_t *t)
{
	memset(t, 0, sizeof *t);
	t->width = width;
	size_t n;
	char *src = slurp(path, &n);
	if (src == NULL)
		return -1;
	t->text = malloc(n + 1);
	size_t capf = 1024;
	t->field = malloc(capf * sizeof *t->field);
	char *out = t->text;
	char *rec[64];
	size_t nf = 0, i = 0, rows = 0;
	int rc = 0;
	while (i < n) {
		/* one field */
		char *start = out;
		if (src[i] == '"') {
			i++;
			for (;;) {
				if (i >= n) {
					rc = -1;
					goto done;
				}
				if (src[i] == '"') {
					if (i + 1 < n && src[i + 1] == '"') {
						*out++ = '"';
						i += 2;
						continue;
					}
					i++;
					break;
				}
				*out++ = src[i++];
			}
		} else {
			while (i < n && src[i] != ',' && src[i] != '\n' && src[i] != '\r')
				*out++ = src[i++];
		}
		*out++ = '\0';
		if (nf < 64)
			rec[nf] = start;
		nf++;
		if (i < n && src[i] == ',') {
			i++;
			continue;
		}
		if (i < n && src[i] == '\r')
			i++;
		if (i < n && src[i] == '\n')
			i++;
		/* end of record */
		if (nf != width)
			t->ragged = 1;
		if (rows++ > 0 && nf == width) {
			if ((t->nrec + 1) * width > capf) {
				capf *= 2;
				t->field = realloc(t->field, capf * sizeof *t->field);
			}
			memcpy(t->field + t->nrec * width, rec, width * sizeof *rec);
			t->nrec++;
		}
		nf = 0;
	}
done:
	free(src);
	return rc;
}

static void free_table(table_t *t)
{
	free(t->text);
	free(t->field);
}

static const char *cell(const table_t *t, size_t r, size_t c)
{
	return t->field[r * t->width + c];
}

/* -------------------------------------------------------------- scenarios */

typedef struct scenario {
	char dir[64];
	table_t posts, truth;
} scenario_t;

static int gen(scenario_t *s, uint64_t seed, int campaigns)
{
	snprintf(s->dir, sizeof s->dir, "/tmp/ls_test_synth_XXXXXX");
	if (mkdtemp(s->dir) == NULL)
		return -1;
	ls_synth_options_t o;
	ls_synth_options_init(&o);
	o.seed = seed;
	o.campaigns = campaigns;
	ls_ctx_t *ctx = ls_ctx_new();
	ls_error_t err = ls_synth_write(s->dir, &o, ctx);
	if (err)
		fprintf(stderr, "synth: %s\n", ls_ctx_message(ctx));
	ls_ctx_free(ctx);
	if (err)
		return -1;
	char p[128];
	snprintf(p, sizeof p, "%s/posts.csv", s->dir);
	if (read_table(p, NFIELDS, &s->posts))
		return -1;
	snprintf(p, sizeof p, "%s/truth.csv", s->dir);
	return read_table(p, 3, &s->truth);
}

static void drop(scenario_t *s)
{
	char p[128];
	snprintf(p, sizeof p, "%s/posts.csv", s->dir);
	unlink(p);
	snprintf(p, sizeof p, "%s/truth.csv", s->dir);
	unlink(p);
	rmdir(s->dir);
	free_table(&s->posts);
	free_table(&s->truth);
	free(s);
}

static int setup_default(void **state)
{
	scenario_t *s = calloc(1, sizeof *s);
	if (s == NULL || gen(s, 1, -1))
		return -1;
	*state = s;
	return 0;
}

static int teardown_default(void **state)
{
	drop(*state);
	return 0;
}

static int same_file(const char *a, const char *b)
{
	size_t na, nb;
	char *x = slurp(a, &na), *y = slurp(b, &nb);
	int same = x && y && na == nb && memcmp(x, y, na) == 0;
	free(x);
	free(y);
	return same;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* ------------------------------------------------------------------ tests */

static void test_deterministic(void **state)
{
	scenario_t *a = *state;
	scenario_t *b = calloc(1, sizeof *b), *c = calloc(1, sizeof *c);
	assert_non_null(b);
	assert_non_null(c);
	assert_int_equal(gen(b, 1, -1), 0);
	assert_int_equal(gen(c, 2, -1), 0);
	const char *files[] = {"posts.csv", "truth.csv"};
	for (int i = 0; i < 2; i++) {
		char pa[128], pb[128], pc[128];
		snprintf(pa, sizeof pa, "%s/%s", a->dir, files[i]);
		snprintf(pb, sizeof pb, "%s/%s", b->dir, files[i]);
		snprintf(pc, sizeof pc, "%s/%s", c->dir, files[i]);
		assert_true(same_file(pa, pb));
		assert_false(same_file(pa, pc));
	}
	drop(b);
	drop(c);
}

static void test_posts_csv_shape(void **state)
{
	scenario_t *s = *state;
	const table_t *p = &s->posts;
	assert_false(p->ragged);
	/* ~60k posts for size small */
	assert_true(p->nrec > 45000 && p->nrec < 75000);
	long long prev_t = 0;
	unsigned long long prev_id = 0;
	size_t rts = 0, replies = 0, quoted = 0;
	for (size_t r = 0; r < p->nrec; r++) {
		long long t = strtoll(cell(p, r, F_TIME), NULL, 10);
		unsigned long long id = strtoull(cell(p, r, F_ID), NULL, 10);
		/* 2024-03-01 .. +14 days */
		assert_true(t >= 1709251200LL && t < 1709251200LL + 14 * 86400);
		assert_true(t >= prev_t);
		if (t == prev_t)
			assert_true(id > prev_id);
		prev_t = t;
		prev_id = id;
		const char *msg = cell(p, r, F_MESSAGE);
		if (strpbrk(msg, ",\"\n"))
			quoted++;
		if (*cell(p, r, F_REPOST)) {
			rts++;
			assert_true(strncmp(msg, "RT @", 4) == 0);
			/* the original precedes its retweets */
			assert_true(strtoull(cell(p, r, F_REPOST), NULL, 10) < id);
		}
		if (*cell(p, r, F_REPLY)) {
			replies++;
			assert_true(msg[0] == '@');
			assert_true(strtoull(cell(p, r, F_REPLY), NULL, 10) < id);
		}
	}
	assert_true(rts > p->nrec / 4);
	assert_true(replies > p->nrec / 20);
	assert_true(quoted > 0); /* fields that need RFC 4180 quoting occur */
}

static void test_truth_covers_accounts(void **state)
{
	scenario_t *s = *state;
	size_t n = s->posts.nrec, m = s->truth.nrec;
	assert_false(s->truth.ragged);
	const char **users = malloc(n * sizeof *users);
	const char **acc = malloc(m * sizeof *acc);
	assert_non_null(users);
	assert_non_null(acc);
	for (size_t r = 0; r < n; r++)
		users[r] = cell(&s->posts, r, F_USER);
	for (size_t r = 0; r < m; r++)
		acc[r] = cell(&s->truth, r, 0);
	qsort(users, n, sizeof *users, cmp_str);
	qsort(acc, m, sizeof *acc, cmp_str);
	size_t k = 0;
	for (size_t r = 0; r < n; r++) {
		if (r > 0 && strcmp(users[r], users[r - 1]) == 0)
			continue;
		assert_true(k < m);
		assert_string_equal(users[r], acc[k]); /* same distinct set, in order */
		k++;
	}
	assert_int_equal(k, m); /* and no account twice or without posts */
	free(users);
	free(acc);
}

static void test_default_campaigns(void **state)
{
	scenario_t *s = *state;
	static const struct {
		const char *prefix;
		size_t lo, hi;
	} styles[] = {{"ring_", 20, 50}, {"copypaste_", 15, 30}, {"linkpush_", 15, 30}, {"hashtag_", 25, 50}};
	char names[16][32];
	size_t counts[16] = {0}, ncat = 0;
	for (size_t r = 0; r < s->truth.nrec; r++) {
		const char *label = cell(&s->truth, r, 1), *cat = cell(&s->truth, r, 2);
		if (strcmp(label, "0") == 0) {
			assert_string_equal(cat, "organic");
			continue;
		}
		assert_string_equal(label, "1");
		size_t i;
		for (i = 0; i < ncat; i++)
			if (strcmp(names[i], cat) == 0)
				break;
		if (i == ncat) {
			assert_true(ncat < 16);
			snprintf(names[ncat++], sizeof names[0], "%s", cat);
		}
		counts[i]++;
	}
	assert_true(ncat >= 4);
	int seen[4] = {0};
	for (size_t i = 0; i < ncat; i++) {
		int matched = 0;
		for (int k = 0; k < 4; k++) {
			if (strncmp(names[i], styles[k].prefix, strlen(styles[k].prefix)) != 0)
				continue;
			matched = 1;
			seen[k] = 1;
			assert_in_range(counts[i], styles[k].lo, styles[k].hi);
		}
		assert_true(matched);
	}
	for (int k = 0; k < 4; k++)
		assert_true(seen[k]);
}

static void test_null_scenario(void **state)
{
	(void)state;
	scenario_t *s = calloc(1, sizeof *s);
	assert_non_null(s);
	assert_int_equal(gen(s, 7, 0), 0);
	assert_true(s->truth.nrec > 1000);
	for (size_t r = 0; r < s->truth.nrec; r++) {
		assert_string_equal(cell(&s->truth, r, 1), "0");
		assert_string_equal(cell(&s->truth, r, 2), "organic");
	}
	drop(s);
}

/* A retweet by a ring member. */
typedef struct ev {
	size_t m;
	const char *obj;
	long long t;
} ev_t;

static int cmp_ev(const void *a, const void *b)
{
	const ev_t *x = a, *y = b;
	int c = strcmp(x->obj, y->obj);
	return c ? c : (x->t > y->t) - (x->t < y->t);
}

/* Ring members co-retweet the same posts within 60 s, on several posts. */
static void test_ring_coretweets(void **state)
{
	scenario_t *s = *state;
	const char *members[256];
	size_t nm = 0;
	for (size_t r = 0; r < s->truth.nrec; r++)
		if (strncmp(cell(&s->truth, r, 2), "ring_", 5) == 0 && nm < 256)
			members[nm++] = cell(&s->truth, r, 0);
	assert_true(nm >= 20);

	/* Retweets by members: (member, object, time). */
	ev_t *ev = malloc(s->posts.nrec * sizeof *ev);
	assert_non_null(ev);
	size_t ne = 0;
	for (size_t r = 0; r < s->posts.nrec; r++) {
		const char *obj = cell(&s->posts, r, F_REPOST);
		if (*obj == '\0')
			continue;
		const char *u = cell(&s->posts, r, F_USER);
		for (size_t m = 0; m < nm; m++)
			if (strcmp(members[m], u) == 0) {
				ev[ne++] = (ev_t){m, obj, strtoll(cell(&s->posts, r, F_TIME), NULL, 10)};
				break;
			}
	}
	/* Distinct objects per member pair with |dt| <= 60: sort the events by
	 * object so that each object's events are contiguous, compare within an
	 * object, and count an object once per pair by remembering the last
	 * object credited. */
	qsort(ev, ne, sizeof *ev, cmp_ev);
	size_t *count = calloc(nm * nm, sizeof *count);
	const char **last = calloc(nm * nm, sizeof *last);
	assert_non_null(count);
	assert_non_null(last);
	for (size_t a = 0; a < ne; a++)
		for (size_t b = a + 1; b < ne; b++) {
			if (strcmp(ev[a].obj, ev[b].obj) != 0)
				break;
			if (ev[a].m == ev[b].m)
				continue;
			long long dt = ev[a].t - ev[b].t;
			if (dt < -60 || dt > 60)
				continue;
			size_t x = ev[a].m < ev[b].m ? ev[a].m : ev[b].m, y = ev[a].m ^ ev[b].m ^ x;
			if (last[x * nm + y] == ev[a].obj)
				continue;
			last[x * nm + y] = ev[a].obj;
			count[x * nm + y]++;
		}
	size_t pairs = 0, strong = 0, members_linked = 0;
	double total = 0;
	for (size_t x = 0; x < nm; x++) {
		int linked = 0;
		for (size_t y = 0; y < nm; y++) {
			size_t c = x < y ? count[x * nm + y] : y < x ? count[y * nm + x] : 0;
			if (c >= 3)
				linked = 1;
			if (y > x) {
				pairs++;
				total += (double)c;
				strong += c >= 3;
			}
		}
		members_linked += linked;
	}
	/* Every member shares >= 3 posts with someone; most pairs do. */
	assert_int_equal(members_linked, nm);
	assert_true(strong * 2 > pairs);
	assert_true(total / (double)pairs >= 3.0);
	free(count);
	free(last);
	free(ev);
}

static void test_bad_options(void **state)
{
	(void)state;
	ls_ctx_t *ctx = ls_ctx_new();
	ls_synth_options_t o;
	ls_synth_options_init(&o);
	assert_int_equal(o.campaigns, -1);
	assert_int_equal(o.size, LS_SYNTH_SMALL);
	o.campaigns = -2;
	assert_int_equal(ls_synth_write("/tmp/ls_test_synth_never", &o, ctx), LS_EINVAL);
	ls_ctx_free(ctx);
	ctx = ls_ctx_new();
	o.campaigns = 500; /* far more planted accounts than size small holds */
	assert_int_equal(ls_synth_write("/tmp/ls_test_synth_never", &o, ctx), LS_EINVAL);
	assert_true(strlen(ls_ctx_message(ctx)) > 0);
	ls_ctx_free(ctx);
	ctx = ls_ctx_new();
	o.campaigns = -1;
	o.size = (ls_synth_size_t)7;
	assert_int_equal(ls_synth_write("/tmp/ls_test_synth_never", &o, ctx), LS_EINVAL);
	assert_int_equal(access("/tmp/ls_test_synth_never", F_OK), -1); /* nothing created */
	ls_ctx_free(ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deterministic),
		cmocka_unit_test(test_posts_csv_shape),
		cmocka_unit_test(test_truth_covers_accounts),
		cmocka_unit_test(test_default_campaigns),
		cmocka_unit_test(test_null_scenario),
		cmocka_unit_test(test_ring_coretweets),
		cmocka_unit_test(test_bad_options),
	};
	return cmocka_run_group_tests_name("synth", tests, setup_default, teardown_default);
}
