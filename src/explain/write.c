/*
 * ls_analysis_write: the explain stage's entry point. Writes every output
 * into a staging directory that replaces the output directory in one step
 * (core/outdir.h); after an error no further output is started and the
 * previous outputs stay untouched. Adding an output = one writer and one
 * table row.
 *
 * The evidence (strongest co-actions and post texts, explain.h) is
 * gathered once and shared by evidence.json and report.html. The writers
 * run on ls_ctx_threads workers (see the task pool below), each output
 * hashed by the thread that wrote it. The manifest comes last, inside the
 * same staging directory, over those hashes of the final bytes of every
 * other output; manifest.sig follows it. Timing of each step is reported
 * at progress level.
 * Time O(accounts + links + pairs + evidence, see evidence.c); memory
 * O(accounts + kept links).
 */
#include "core/afile.h"
#include "core/analysis.h"
#include "core/ctx.h"
#include "core/parallel.h"
#include "core/outdir.h"
#include "explain/digest.h"
#include "explain/explain.h"

#include "core/timing.h"

#include <pthread.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef ls_error_t (*writer_fn)(const ls_analysis_t *an, const char *path, ls_ctx_t *ctx);
typedef ls_error_t (*ex_writer_fn)(const ls_explain_t *ex, const char *path, ls_ctx_t *ctx);

static int always(const ls_analysis_t *an)
{
	(void)an;
	return 1;
}

static int with_pairs(const ls_analysis_t *an)
{
	return an->params.emit_pairs;
}

static const struct {
	const char *name;
	writer_fn write;       /* one of write and write_ex is set */
	ex_writer_fn write_ex;
	int (*wanted)(const ls_analysis_t *an);
	int waits; /* write_ex starts before the texts and waits for them itself */
} outputs[] = {
	{"accounts.csv", ls_write_accounts_csv, NULL, always, 0},
	{"edges.csv", NULL, ls_write_edges_csv_ex, always, 0},
	{"clusters.csv", ls_write_clusters_csv, NULL, always, 0},
	{"network.graphml", NULL, ls_write_graphml_ex, always, 0},
	{"network.gexf", NULL, ls_write_gexf_ex, always, 0},
	{"pairs.csv", ls_write_pairs_csv, NULL, with_pairs, 0},
	{"ads.json", ls_write_ads_json, NULL, ls_has_ads, 0},
	{"crossplatform.json", NULL, ls_write_crossplatform_json, ls_has_crossplatform, 0},
	{"summary.json", NULL, ls_write_summary_json_ex, always, 0},
	{"evidence.json", NULL, ls_write_evidence_json, always, 0},
	{"report.html", NULL, ls_write_report_html, always, 1},
};
#define NOUTPUTS (sizeof outputs / sizeof outputs[0])

void ls_write_options_init(ls_write_options_t *opt)
{
	memset(opt, 0, sizeof *opt);
}

/*
 * The writers run on ls_ctx_threads workers. Tasks, in this order: the
 * evidence texts (re-reading the inputs), with more than one thread
 * evidence.json's links arrays rendered ahead with holes for the post
 * objects (they do not need the texts, so this overlaps the re-read),
 * then every output of the table;
 * evidence.json (and crossplatform.json) start once the texts are read
 * (evidence.json also once its links are rendered ahead, and then only
 * fills the holes and hashes);
 * report.html starts at once and computes its layout and timeline counts
 * beside the re-read, then waits for the texts (wait_texts). A worker takes the
 * first task that can start, writes the file and hashes it for the
 * manifest (the bytes are still in the page cache). Each task has its own
 * error context; the first error in task order is the one reported, so
 * errors too are the same for every thread count. Each file is written by
 * one task alone, so the bytes do not depend on the schedule.
 */
#define TEXTS NOUTPUTS           /* task: the evidence texts */
#define LINKS_AHEAD (NOUTPUTS + 1) /* task: evidence.json's links arrays */

typedef struct task {
	size_t out;       /* index into outputs, TEXTS or LINKS_AHEAD */
	ls_ctx_t ctx;
	ls_error_t err;
	int state;        /* 0 waiting, 1 running, 2 done (under the pool's mutex) */
	double start;     /* seconds after the pool started */
	double secs, cpu; /* wall and this thread's CPU time */
	unsigned char sha[32];
	uint64_t bytes;
} task_t;

typedef struct pool {
	const ls_analysis_t *an;
	ls_explain_t *ex;
	ls_evidence_t *ev;
	const char *const *reread;
	ls_outdir_t *od;
	task_t tasks[NOUTPUTS + 2];
	size_t n;
	int texts_done;   /* the evidence texts are read (or failed) */
	int ahead;        /* there is a LINKS_AHEAD task */
	int ahead_done;   /* it is over */
	ls_ev_json_links_t *links; /* what it rendered (NULL: nothing) */
	int failed;       /* a task failed: start no more */
	double t0;        /* when the pool started (now_s) */
	pthread_mutex_t mu;
	pthread_cond_t cv;
} pool_t;

static int is_evidence_json(size_t out)
{
	return out < NOUTPUTS && outputs[out].write_ex == ls_write_evidence_json;
}

/* The writers that take the evidence texts without waiting for them. */
static int needs_texts(size_t out)
{
	if (out >= NOUTPUTS || outputs[out].waits)
		return 0;
	return is_evidence_json(out) || outputs[out].write_ex == ls_write_crossplatform_json;
}

/* 1 when task `out` cannot start yet. */
static int must_wait(const pool_t *p, size_t out)
{
	return (needs_texts(out) && !p->texts_done) ||
	       (is_evidence_json(out) && p->ahead && !p->ahead_done);
}

/* ls_explain_t.wait_texts: blocks until the texts task is over (read or
 * failed). The texts task is the first task, so a worker is on it before
 * any worker can wait here: no deadlock, whatever the thread count. */
static void wait_texts(void *arg)
{
	pool_t *p = arg;
	pthread_mutex_lock(&p->mu);
	while (!p->texts_done)
		pthread_cond_wait(&p->cv, &p->mu);
	pthread_mutex_unlock(&p->mu);
}

static ls_error_t run_task(pool_t *p, task_t *t)
{
	if (t->out == TEXTS)
		return ls_evidence_texts(p->ev, p->reread, &t->ctx);
	if (t->out == LINKS_AHEAD) { /* out of memory: evidence.json renders them */
		p->links = ls_evidence_json_links(p->ev, ls_ctx_threads(&t->ctx));
		return LS_OK;
	}
	char *path = ls_outdir_path(p->od, outputs[t->out].name);
	if (path == NULL)
		return ls_fail(&t->ctx, LS_ENOMEM, "out of memory");
	ls_explain_t ex = *p->ex; /* this task's: where a writer puts its own hash */
	int hashed = 0;
	ex.out_sha = t->sha;
	ex.out_bytes = &t->bytes;
	ex.out_hashed = &hashed;
	if (is_evidence_json(t->out))
		ex.pre_links = p->links;
	ls_error_t err = outputs[t->out].write ? outputs[t->out].write(p->an, path, &t->ctx)
	                                       : outputs[t->out].write_ex(&ex, path, &t->ctx);
	if (!err && !hashed)
		err = ls_sha256_file(path, t->sha, &t->bytes, &t->ctx);
	free(path);
	return err;
}

static void *worker(void *arg)
{
	pool_t *p = arg;
	pthread_mutex_lock(&p->mu);
	for (;;) {
		task_t *t = NULL;
		int waiting = 0;
		for (size_t i = 0; i < p->n && !p->failed; i++) {
			if (p->tasks[i].state != 0)
				continue;
			if (must_wait(p, p->tasks[i].out)) {
				waiting = 1;
				continue;
			}
			t = &p->tasks[i];
			break;
		}
		if (t == NULL) {
			if (!waiting || p->failed)
				break;
			pthread_cond_wait(&p->cv, &p->mu);
			continue;
		}
		t->state = 1;
		pthread_mutex_unlock(&p->mu);
		double t0 = ls_wall_s(), c0 = ls_clock_s(CLOCK_THREAD_CPUTIME_ID);
		t->start = t0 - p->t0;
		ls_error_t err = run_task(p, t);
		double secs = ls_wall_s() - t0, cpu = ls_clock_s(CLOCK_THREAD_CPUTIME_ID) - c0;
		pthread_mutex_lock(&p->mu);
		t->err = err;
		t->secs = secs;
		t->cpu = cpu;
		t->state = 2;
		if (err)
			p->failed = 1;
		if (t->out == TEXTS)
			p->texts_done = 1;
		if (t->out == LINKS_AHEAD)
			p->ahead_done = 1;
		pthread_cond_broadcast(&p->cv);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

ls_error_t ls_explain_write(const ls_analysis_t *an, const char *dir,
                            const ls_write_options_t *opt, const char *const *reread,
                            ls_ctx_t *ctx)
{
	if (an == NULL || dir == NULL)
		return ls_fail(ctx, LS_EINVAL, "no analysis or output directory");
	ls_evidence_t ev;
	double t0 = ls_wall_s(), c0 = ls_clock_s(CLOCK_PROCESS_CPUTIME_ID);
	double start = t0, start_cpu = c0;
	ls_error_t err = ls_evidence_coacts(&ev, an, ctx);
	ls_analysis_release_sorted(an); /* the link stage's traces: used up */
	if (err)
		return err;
	ls_diag(ctx, LS_DIAG_PROGRESS, "evidence: strongest co-actions in %.2f s (CPU %.2f s)",
	        ls_wall_s() - t0, ls_clock_s(CLOCK_PROCESS_CPUTIME_ID) - c0);
	ls_explain_t ex = {.an = an, .ev = &ev, .reread = reread, .kept = &ev.kept};
	ls_outdir_t od;
	if ((err = ls_outdir_begin(&od, dir, ctx)) != LS_OK) {
		ls_evidence_free(&ev);
		return err;
	}
	pool_t *p = calloc(1, sizeof *p);
	if (p == NULL) {
		ls_evidence_free(&ev);
		ls_outdir_abort(&od);
		return ls_fail(ctx, LS_ENOMEM, "out of memory");
	}
	*p = (pool_t){.an = an, .ex = &ex, .ev = &ev, .reread = reread, .od = &od};
	ex.wait_texts = wait_texts;
	ex.wait_arg = p;
	int nt = ls_ctx_threads(ctx);
	p->tasks[p->n++].out = TEXTS;
	if (nt > 1) { /* one thread: nothing to overlap */
		p->tasks[p->n++].out = LINKS_AHEAD;
		p->ahead = 1;
	}
	for (size_t i = 0; i < NOUTPUTS; i++)
		if (outputs[i].wanted(an))
			p->tasks[p->n++].out = i;
	for (size_t i = 0; i < p->n; i++) {
		p->tasks[i].ctx = *ctx;
		p->tasks[i].ctx.diag = NULL; /* the sink is not thread-safe */
		ls_ctx_clear(&p->tasks[i].ctx);
	}
	pthread_mutex_init(&p->mu, NULL);
	pthread_cond_init(&p->cv, NULL);
	nt = nt < (int)p->n ? nt : (int)p->n;
	t0 = p->t0 = ls_wall_s();
	ls_parallel_run(nt, worker, p);
	pthread_cond_destroy(&p->cv);
	pthread_mutex_destroy(&p->mu);

	const char *written[NOUTPUTS];
	unsigned char sha[NOUTPUTS][32];
	uint64_t bytes[NOUTPUTS];
	size_t nw = 0;
	for (size_t i = 0; i < p->n && !err; i++) {
		task_t *t = &p->tasks[i];
		if (t->err) {
			err = ls_fail(ctx, t->err, "%s", ls_ctx_message(&t->ctx));
			break;
		}
		if (t->state != 2) /* after another task's error */
			continue;
		const char *name = t->out == TEXTS         ? "evidence texts"
		                   : t->out == LINKS_AHEAD ? "evidence.json links ahead"
		                                           : outputs[t->out].name;
		ls_diag(ctx, LS_DIAG_PROGRESS, "%s: %.2f s (CPU %.2f s) from +%.2f s", name, t->secs,
		        t->cpu, t->start);
		if (t->out >= NOUTPUTS)
			continue;
		written[nw] = outputs[t->out].name;
		memcpy(sha[nw], t->sha, 32);
		bytes[nw++] = t->bytes;
	}
	ls_evidence_json_links_free(p->links);
	free(p);
	if (!err)
		ls_diag(ctx, LS_DIAG_PROGRESS, "outputs written in %.2f s on %d threads", ls_wall_s() - t0,
		        nt);
	t0 = ls_wall_s();
	if (!err)
		err = ls_write_manifest(an, od.stage, written, (const unsigned char(*)[32])sha, bytes, nw,
		                        opt ? opt->sign_key : NULL, ctx);
	ls_evidence_free(&ev);
	if (err) {
		ls_outdir_abort(&od);
		return err;
	}
	ls_diag(ctx, LS_DIAG_PROGRESS, "manifest.json written in %.2f s", ls_wall_s() - t0);
	err = ls_outdir_commit(&od, ctx);
	ls_diag(ctx, LS_DIAG_PROGRESS, "explain stage: %.2f s (CPU %.2f s)", ls_wall_s() - start,
	        ls_clock_s(CLOCK_PROCESS_CPUTIME_ID) - start_cpu);
	return err;
}

ls_error_t ls_explain_alone(const ls_analysis_t *an,
                            ls_error_t (*write)(const ls_explain_t *ex, const char *path,
                                                ls_ctx_t *ctx),
                            const char *path, ls_ctx_t *ctx)
{
	if (an == NULL || path == NULL)
		return ls_fail(ctx, LS_EINVAL, "no analysis or path");
	ls_kept_t kept;
	ls_error_t err = ls_kept_build(&kept, an, ctx);
	if (err)
		return err;
	ls_explain_t ex = {.an = an, .kept = &kept};
	err = write(&ex, path, ctx);
	ls_kept_free(&kept);
	return err;
}

ls_error_t ls_analysis_write_with(const ls_analysis_t *an, const char *dir,
                                  const ls_write_options_t *opt, ls_ctx_t *ctx)
{
	return ls_explain_write(an, dir, opt, NULL, ctx);
}

ls_error_t ls_analysis_write(const ls_analysis_t *an, const char *dir, ls_ctx_t *ctx)
{
	return ls_explain_write(an, dir, NULL, NULL, ctx);
}
