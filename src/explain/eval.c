/*
 * Evaluation against a truth file: precision, recall, F1 and ROC AUC at the
 * account level, plus per-category coverage. Both inputs are small CSVs
 * (one row per account), parsed with libcsv record by record.
 * Time O(n log n) for the AUC sort; memory O(accounts).
 */
#include "core/afile.h"
#include "core/ctx.h"
#include "core/strpool.h"
#include "core/vec.h"

#include <csv.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <math.h>

#define MAX_FIELDS 64

typedef struct row_reader {
	char *fields[MAX_FIELDS];
	size_t lens[MAX_FIELDS];
	size_t nf;
	int overflow;
	void (*on_row)(void *user, char **f, size_t nf, uint64_t line);
	void *user;
	uint64_t line;
	int oom;
} row_reader_t;

static void field_cb(void *s, size_t n, void *data)
{
	row_reader_t *r = data;
	if (r->nf >= MAX_FIELDS) {
		r->overflow = 1;
		return;
	}
	char *c = malloc(n + 1);
	if (c == NULL) {
		r->oom = 1;
		return;
	}
	memcpy(c, s, n);
	c[n] = '\0';
	r->fields[r->nf] = c;
	r->lens[r->nf] = n;
	r->nf++;
}

static void row_cb(int term, void *data)
{
	(void)term;
	row_reader_t *r = data;
	r->line++;
	if (!r->oom)
		r->on_row(r->user, r->fields, r->nf, r->line);
	for (size_t i = 0; i < r->nf; i++)
		free(r->fields[i]);
	r->nf = 0;
}

static ls_error_t read_csv(const char *path, void (*on_row)(void *, char **, size_t, uint64_t),
                           void *user, ls_ctx_t *ctx)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL)
		return ls_fail(ctx, LS_EIO, "%s: %s", path, strerror(errno));
	struct csv_parser p;
	if (csv_init(&p, CSV_APPEND_NULL) != 0) {
		fclose(f);
		return ls_fail(ctx, LS_ENOMEM, "out of memory");
	}
	row_reader_t r = {0};
	r.on_row = on_row;
	r.user = user;
	char buf[1 << 16];
	size_t n;
	ls_error_t err = LS_OK;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0) {
		if (csv_parse(&p, buf, n, field_cb, row_cb, &r) != n) {
			err = ls_fail(ctx, LS_EPARSE, "%s: %s", path, csv_strerror(csv_error(&p)));
			break;
		}
	}
	if (!err && ferror(f))
		err = ls_fail(ctx, LS_EIO, "%s: read error", path);
	if (!err)
		csv_fini(&p, field_cb, row_cb, &r);
	for (size_t i = 0; i < r.nf; i++)
		free(r.fields[i]);
	csv_free(&p);
	fclose(f);
	if (!err && r.oom)
		err = ls_fail(ctx, LS_ENOMEM, "out of memory reading %s", path);
	return err;
}

typedef struct run_account {
	int flagged;
	uint32_t cluster;
	double score;
} run_account_t;

typedef struct truth_row {
	ls_sid_t account, category;
	int label;
	int flagged;
	uint32_t cluster;
	double score;
	int found;
} truth_row_t;

struct ls_eval {
	ls_eval_summary_t s;
	ls_strpool_t names;          /* run keys/ids/handles, categories */
	LS_VEC(uint32_t) run_of_sid; /* sid -> run account index + 1 */
	LS_VEC(run_account_t) run;
	LS_VEC(truth_row_t) truth;
	LS_VEC(ls_sid_t) cats;       /* distinct categories, sorted by name */
	int col_account, col_id, col_handle, col_cluster, col_strength;
	int header_seen;
	int bad;
	char err[256];
	const char *path;
};

static int map_name(ls_eval_t *ev, const char *s, uint32_t run_index)
{
	if (*s == '\0')
		return 0;
	ls_sid_t sid;
	if (ls_strpool_intern(&ev->names, s, strlen(s), &sid))
		return -1;
	while (ev->run_of_sid.n <= sid)
		if (ls_vec_push(&ev->run_of_sid, 0))
			return -1;
	if (ev->run_of_sid.v[sid] == 0)
		ev->run_of_sid.v[sid] = run_index + 1;
	return 0;
}

static int col(char **f, size_t nf, const char *name)
{
	for (size_t i = 0; i < nf; i++)
		if (strcmp(f[i], name) == 0)
			return (int)i;
	return -1;
}

static void on_account_row(void *user, char **f, size_t nf, uint64_t line)
{
	ls_eval_t *ev = user;
	if (ev->bad)
		return;
	if (!ev->header_seen) {
		ev->header_seen = 1;
		ev->col_account = col(f, nf, "account");
		ev->col_id = col(f, nf, "id");
		ev->col_handle = col(f, nf, "handle");
		ev->col_cluster = col(f, nf, "cluster");
		/* the account-level significance ranks accounts when present */
		ev->col_strength = col(f, nf, "score");
		if (ev->col_strength < 0)
			ev->col_strength = col(f, nf, "strength");
		if (ev->col_account < 0 || ev->col_cluster < 0) {
			ev->bad = 1;
			snprintf(ev->err, sizeof ev->err, "%s:1: expected columns 'account' and 'cluster'", ev->path);
		}
		return;
	}
	if ((size_t)ev->col_account >= nf || (size_t)ev->col_cluster >= nf) {
		ev->bad = 1;
		snprintf(ev->err, sizeof ev->err, "%s:%" PRIu64 ": too few fields", ev->path, line);
		return;
	}
	run_account_t ra = {f[ev->col_cluster][0] != '\0', (uint32_t)strtoul(f[ev->col_cluster], NULL, 10), 0};
	if (ev->col_strength >= 0 && (size_t)ev->col_strength < nf)
		ra.score = strtod(f[ev->col_strength], NULL);
	uint32_t idx = (uint32_t)ev->run.n;
	if (ls_vec_push(&ev->run, ra) || map_name(ev, f[ev->col_account], idx) ||
	    (ev->col_id >= 0 && (size_t)ev->col_id < nf && map_name(ev, f[ev->col_id], idx)) ||
	    (ev->col_handle >= 0 && (size_t)ev->col_handle < nf && map_name(ev, f[ev->col_handle], idx))) {
		ev->bad = 1;
		snprintf(ev->err, sizeof ev->err, "out of memory");
	}
}

static void on_truth_row(void *user, char **f, size_t nf, uint64_t line)
{
	ls_eval_t *ev = user;
	if (ev->bad || (nf == 1 && f[0][0] == '\0'))
		return;
	if (nf < 2) {
		ev->bad = 1;
		snprintf(ev->err, sizeof ev->err, "%s:%" PRIu64 ": expected account,label[,category]", ev->path, line);
		return;
	}
	int label;
	if (strcmp(f[1], "1") == 0)
		label = 1;
	else if (strcmp(f[1], "0") == 0)
		label = 0;
	else if (line == 1)
		return; /* header */
	else {
		ev->bad = 1;
		snprintf(ev->err, sizeof ev->err, "%s:%" PRIu64 ": field 'label': '%.20s' is not 0 or 1",
		         ev->path, line, f[1]);
		return;
	}
	truth_row_t t = {0};
	t.label = label;
	const char *cat = nf >= 3 && f[2][0] ? f[2] : (label ? "operation" : "organic");
	if (ls_strpool_intern(&ev->names, cat, strlen(cat), &t.category) ||
	    ls_strpool_intern(&ev->names, f[0], strlen(f[0]), &t.account) || ls_vec_push(&ev->truth, t)) {
		ev->bad = 1;
		snprintf(ev->err, sizeof ev->err, "out of memory");
	}
}

static int cmp_score(const void *x, const void *y)
{
	const truth_row_t *a = x, *b = y;
	return a->score < b->score ? -1 : a->score > b->score;
}

typedef struct cat_name {
	const char *name;
	ls_sid_t sid;
} cat_name_t;

static int cmp_cat(const void *x, const void *y)
{
	return strcmp(((const cat_name_t *)x)->name, ((const cat_name_t *)y)->name);
}

static double ratio(uint64_t a, uint64_t b)
{
	return b ? (double)a / (double)b : 0.0;
}

typedef struct cc_pair {
	uint32_t cluster;
	ls_sid_t category;
} cc_pair_t;

static int cmp_cc(const void *x, const void *y)
{
	const cc_pair_t *a = x, *b = y;
	if (a->cluster != b->cluster)
		return a->cluster < b->cluster ? -1 : 1;
	return a->category < b->category ? -1 : a->category > b->category;
}

static int cmp_cat_sid(const void *x, const void *y)
{
	const cc_pair_t *a = x, *b = y;
	return a->category < b->category ? -1 : a->category > b->category;
}

/* Purity and NMI of the clusters against the categories (see lockstep.h).
 * O(n log n). */
static ls_error_t cluster_agreement(ls_eval_t *ev, ls_ctx_t *ctx)
{
	ls_eval_summary_t *s = &ev->s;
	size_t n = 0;
	cc_pair_t *v = malloc((ev->truth.n ? ev->truth.n : 1) * sizeof *v);
	if (v == NULL)
		return ls_fail(ctx, LS_ENOMEM, "out of memory");
	for (size_t i = 0; i < ev->truth.n; i++)
		if (ev->truth.v[i].flagged && ev->truth.v[i].cluster)
			v[n++] = (cc_pair_t){ev->truth.v[i].cluster, ev->truth.v[i].category};
	s->clustered_labelled = n;
	s->purity = s->purity_min10 = s->nmi = NAN;
	if (n == 0) {
		free(v);
		return LS_OK;
	}
	qsort(v, n, sizeof *v, cmp_cc);
	double N = (double)n, hc = 0, mi = 0, major = 0, major10 = 0, n10 = 0;
	/* cluster sizes and, within each cluster, category counts */
	for (size_t i = 0; i < n;) {
		size_t j = i, best = 0;
		while (j < n && v[j].cluster == v[i].cluster)
			j++;
		double nc = (double)(j - i);
		hc -= nc / N * log(nc / N);
		for (size_t k = i; k < j;) {
			size_t e = k;
			while (e < j && v[e].category == v[k].category)
				e++;
			if (e - k > best)
				best = e - k;
			k = e;
		}
		major += (double)best;
		if (j - i >= 10) {
			major10 += (double)best;
			n10 += nc;
		}
		i = j;
	}
	s->purity = major / N;
	s->purity_min10 = n10 > 0 ? major10 / n10 : NAN;
	/* category sizes */
	cc_pair_t *w = malloc(n * sizeof *w);
	if (w == NULL) {
		free(v);
		return ls_fail(ctx, LS_ENOMEM, "out of memory");
	}
	memcpy(w, v, n * sizeof *w);
	qsort(w, n, sizeof *w, cmp_cat_sid);
	double hk = 0;
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && w[j].category == w[i].category)
			j++;
		double nk = (double)(j - i);
		hk -= nk / N * log(nk / N);
		i = j;
	}
	/* mutual information: sum over (cluster, category) cells */
	for (size_t i = 0; i < n;) {
		size_t j = i;
		while (j < n && v[j].cluster == v[i].cluster)
			j++;
		double nc = (double)(j - i);
		for (size_t k = i; k < j;) {
			size_t e = k;
			while (e < j && v[e].category == v[k].category)
				e++;
			double nck = (double)(e - k), nk = 0;
			for (size_t q = 0; q < n; q++) /* category size by lookup */
				if (w[q].category == v[k].category) {
					size_t r = q;
					while (r < n && w[r].category == v[k].category)
						r++;
					nk = (double)(r - q);
					break;
				}
			mi += nck / N * log(N * nck / (nc * nk));
			k = e;
		}
		i = j;
	}
	s->nmi = hc + hk > 0 ? 2 * mi / (hc + hk) : 1.0;
	free(w);
	free(v);
	return LS_OK;
}

static ls_error_t compute(ls_eval_t *ev, ls_ctx_t *ctx)
{
	ls_eval_summary_t *s = &ev->s;
	for (size_t i = 0; i < ev->truth.n; i++) {
		truth_row_t *t = &ev->truth.v[i];
		const char *name = ls_strpool_get(&ev->names, t->account);
		ls_sid_t sid = ls_strpool_find(&ev->names, name, strlen(name));
		uint32_t r = sid < ev->run_of_sid.n ? ev->run_of_sid.v[sid] : 0;
		if (r) {
			t->found = 1;
			t->flagged = ev->run.v[r - 1].flagged;
			t->cluster = ev->run.v[r - 1].cluster;
			t->score = ev->run.v[r - 1].score;
		} else {
			s->absent++;
		}
		s->truth_accounts++;
		s->positives += t->label == 1;
		s->negatives += t->label == 0;
		s->flagged += t->flagged != 0;
		s->true_positives += t->label && t->flagged;
		s->false_positives += !t->label && t->flagged;
		s->false_negatives += t->label && !t->flagged;
		int seen = 0;
		for (size_t c = 0; c < ev->cats.n && !seen; c++)
			seen = ev->cats.v[c] == t->category;
		if (!seen && ls_vec_push(&ev->cats, t->category))
			return ls_fail(ctx, LS_ENOMEM, "out of memory");
	}
	if (ev->cats.n > 1) {
		/* all names are interned by now, so the pointers stay valid */
		cat_name_t *cn = malloc(ev->cats.n * sizeof *cn);
		if (cn == NULL)
			return ls_fail(ctx, LS_ENOMEM, "out of memory");
		for (size_t c = 0; c < ev->cats.n; c++)
			cn[c] = (cat_name_t){ls_strpool_get(&ev->names, ev->cats.v[c]), ev->cats.v[c]};
		qsort(cn, ev->cats.n, sizeof *cn, cmp_cat);
		for (size_t c = 0; c < ev->cats.n; c++)
			ev->cats.v[c] = cn[c].sid;
		free(cn);
	}
	s->precision = ratio(s->true_positives, s->true_positives + s->false_positives);
	s->recall = ratio(s->true_positives, s->positives);
	s->f1 = s->precision + s->recall > 0 ? 2 * s->precision * s->recall / (s->precision + s->recall) : 0;
	/* AUC = P(score of a positive > score of a negative), ties half */
	if (s->positives && s->negatives) {
		truth_row_t *v = malloc(ev->truth.n * sizeof *v);
		if (v == NULL)
			return ls_fail(ctx, LS_ENOMEM, "out of memory");
		memcpy(v, ev->truth.v, ev->truth.n * sizeof *v);
		qsort(v, ev->truth.n, sizeof *v, cmp_score);
		double sum = 0, negs_below = 0;
		for (size_t i = 0; i < ev->truth.n;) {
			size_t j = i;
			double pos = 0, neg = 0;
			while (j < ev->truth.n && v[j].score == v[i].score) {
				pos += v[j].label;
				neg += !v[j].label;
				j++;
			}
			sum += pos * (negs_below + 0.5 * neg);
			negs_below += neg;
			i = j;
		}
		free(v);
		s->auc = sum / ((double)s->positives * (double)s->negatives);
	}
	return cluster_agreement(ev, ctx);
}

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\')
			fprintf(f, "\\%c", *p);
		else if (*p < 0x20)
			fprintf(f, "\\u%04x", *p);
		else
			fputc(*p, f);
	}
	fputc('"', f);
}

/* A metric as JSON: fixed six decimals, or null when undefined (NaN). */
static const char *num_or_null(double x, char *buf)
{
	if (isnan(x))
		return "null";
	snprintf(buf, 32, "%.6f", x);
	return buf;
}

static ls_error_t write_json(const ls_eval_t *ev, const char *outdir, ls_ctx_t *ctx)
{
	char *path = ls_path_join(outdir, "eval.json");
	if (path == NULL)
		return ls_fail(ctx, LS_ENOMEM, "out of memory");
	ls_afile_t af;
	ls_error_t err = ls_afile_open(&af, path, ctx);
	free(path);
	if (err)
		return err;
	const ls_eval_summary_t *s = &ev->s;
	FILE *f = af.f;
	fprintf(f, "{\n  \"absent\": %" PRIu64 ",\n  \"auc\": %.6f,\n  \"categories\": {", s->absent, s->auc);
	for (size_t c = 0; c < ev->cats.n; c++) {
		uint64_t tot = 0, fl = 0;
		for (size_t i = 0; i < ev->truth.n; i++)
			if (ev->truth.v[i].category == ev->cats.v[c]) {
				tot++;
				fl += ev->truth.v[i].flagged != 0;
			}
		fprintf(f, "%s\n    ", c ? "," : "");
		json_str(f, ls_strpool_get(&ev->names, ev->cats.v[c]));
		fprintf(f, ": {\"accounts\": %" PRIu64 ", \"flagged\": %" PRIu64 "}", tot, fl);
	}
	fprintf(f, "%s},\n", ev->cats.n ? "\n  " : "");
	char nmi[32], pur[32], pur10[32];
	fprintf(f, "  \"clustered_labelled\": %" PRIu64 ",\n", s->clustered_labelled);
	fprintf(f, "  \"f1\": %.6f,\n  \"false_negatives\": %" PRIu64 ",\n  \"false_positives\": %" PRIu64
	           ",\n  \"flagged\": %" PRIu64 ",\n  \"negatives\": %" PRIu64 ",\n  \"nmi\": %s"
	           ",\n  \"positives\": %" PRIu64
	           ",\n  \"precision\": %.6f,\n  \"purity\": %s,\n  \"purity_min10\": %s"
	           ",\n  \"recall\": %.6f,\n  \"true_positives\": %" PRIu64
	           ",\n  \"truth_accounts\": %" PRIu64 "\n}\n",
	        s->f1, s->false_negatives, s->false_positives, s->flagged, s->negatives,
	        num_or_null(s->nmi, nmi), s->positives, s->precision, num_or_null(s->purity, pur),
	        num_or_null(s->purity_min10, pur10), s->recall, s->true_positives, s->truth_accounts);
	return ls_afile_commit(&af, ctx);
}

ls_error_t ls_eval_run(ls_eval_t **out, const char *outdir, const char *truth_path, ls_ctx_t *ctx)
{
	*out = NULL;
	ls_eval_t *ev = calloc(1, sizeof *ev);
	if (ev == NULL)
		return ls_fail(ctx, LS_ENOMEM, "out of memory");
	ls_strpool_init(&ev->names);
	char *acc = ls_path_join(outdir, "accounts.csv");
	ls_error_t err = acc ? LS_OK : ls_fail(ctx, LS_ENOMEM, "out of memory");
	if (!err) {
		ev->path = acc;
		err = read_csv(acc, on_account_row, ev, ctx);
		if (!err && ev->bad)
			err = ls_fail(ctx, LS_EPARSE, "%s", ev->err);
		if (!err && !ev->header_seen)
			err = ls_fail(ctx, LS_EPARSE, "%s: empty file", acc);
	}
	if (!err) {
		ev->path = truth_path;
		err = read_csv(truth_path, on_truth_row, ev, ctx);
		if (!err && ev->bad)
			err = ls_fail(ctx, LS_EPARSE, "%s", ev->err);
	}
	free(acc);
	ev->path = NULL;
	if (!err)
		err = compute(ev, ctx);
	if (!err)
		err = write_json(ev, outdir, ctx);
	if (err) {
		ls_eval_free(ev);
		return err;
	}
	*out = ev;
	return LS_OK;
}

void ls_eval_free(ls_eval_t *ev)
{
	if (ev == NULL)
		return;
	ls_strpool_destroy(&ev->names);
	ls_vec_free(&ev->run_of_sid);
	ls_vec_free(&ev->run);
	ls_vec_free(&ev->truth);
	ls_vec_free(&ev->cats);
	free(ev);
}

void ls_eval_get_summary(const ls_eval_t *ev, ls_eval_summary_t *out)
{
	*out = ev->s;
}

size_t ls_eval_category_count(const ls_eval_t *ev)
{
	return ev->cats.n;
}

ls_error_t ls_eval_category(const ls_eval_t *ev, size_t i, const char **name, uint64_t *accounts,
                            uint64_t *flagged)
{
	if (i >= ev->cats.n)
		return LS_EINVAL;
	*name = ls_strpool_get(&ev->names, ev->cats.v[i]);
	*accounts = *flagged = 0;
	for (size_t k = 0; k < ev->truth.n; k++)
		if (ev->truth.v[k].category == ev->cats.v[i]) {
			(*accounts)++;
			*flagged += ev->truth.v[k].flagged != 0;
		}
	return LS_OK;
}
