/*
 * Link stage: accounts that act on the same object within the window.
 *
 * Per behaviour, the traces are radix-sorted by (object, time) and
 * each object's run is swept with two pointers: for every trace i, the
 * traces j > i with t_j - t_i <= W are its co-actions. The work is
 * O(T log T) for the sort plus O(P) for the sweep, where P is the number of
 * within-window pairs; it never enumerates the C(k,2) pairs of an object
 * shared k times unless they really fall within one window. One object
 * shared 150,000 times over hours costs only its within-window pairs.
 *
 * A burst guard bounds the worst case: a trace whose window [t, t + W]
 * holds more than max_burst traces of the object forms no pairs as the
 * earlier trace (counted in burst_skipped), so each trace forms at most
 * max_burst pairs and P <= max_burst * T whatever the data.
 *
 * Pairs of traces are aggregated per (account a < account b) in an
 * open-addressing map into ls_link_t records: co-action count, distinct
 * objects (objects are visited one after another, so "a new object" is a
 * change of the link's last object), |Δt| min/mean/max, first and last
 * co-action times, and the closest co-action's posts as an example.
 * Memory: O(T) for the sorted copy plus O(L) for the links.
 */
#include "core/analysis.h"
#include "core/ctx.h"
#include "core/radix.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* Sorted copy of the traces inside the analysed period, by (object, time),
 * ties in input order: two stable radix sorts, by time and then by object.
 * Returns NULL when out of memory; *nout = number of traces copied. */
ls_trace_t *ls_sorted_traces(const ls_analysis_t *an, const ls_trace_t *all, size_t nall,
                             size_t *nout)
{
	/* the analysed period first: traces outside it take no part */
	ls_trace_t *in = malloc((nall ? nall : 1) * sizeof *in);
	if (in == NULL)
		return NULL;
	size_t n = 0;
	for (size_t i = 0; i < nall; i++) {
		ls_trace_t tr = all[i];
		tr.time = ls_trace_time(an, &tr);
		if (ls_in_period(&an->params, tr.time))
			in[n++] = tr;
	}
	*nout = n;
	if (n == 0)
		return in;
	ls_trace_t *t = malloc(n * sizeof *t);
	uint64_t *keys = malloc(n * sizeof *keys);
	uint32_t *order = malloc(n * sizeof *order);
	if (t == NULL || keys == NULL || order == NULL || n > UINT32_MAX)
		goto fail;
	int64_t tmin = in[0].time;
	for (size_t i = 1; i < n; i++)
		if (in[i].time < tmin)
			tmin = in[i].time;
	for (size_t i = 0; i < n; i++) {
		keys[i] = (uint64_t)(in[i].time - tmin);
		order[i] = (uint32_t)i;
	}
	if (ls_radix_order_u64(keys, order, n))
		goto fail;
	for (size_t i = 0; i < n; i++)
		keys[i] = in[i].object;
	if (ls_radix_order_u64(keys, order, n))
		goto fail;
	for (size_t i = 0; i < n; i++)
		t[i] = in[order[i]];
	free(in);
	free(keys);
	free(order);
	return t;
fail:
	free(in);
	free(t);
	free(keys);
	free(order);
	return NULL;
}

/* Sorts links by (a, b); links were appended behaviour by behaviour, so the
 * stable sort leaves them in (a, b, behaviour) order. */
static int sort_links(ls_analysis_t *an)
{
	size_t n = an->links.n;
	if (n < 2)
		return 0;
	if (n > UINT32_MAX)
		return -1;
	uint64_t *keys = malloc(n * sizeof *keys);
	uint32_t *order = malloc(n * sizeof *order);
	int rc = -1;
	if (keys && order) {
		for (size_t i = 0; i < n; i++) {
			keys[i] = (uint64_t)an->links.v[i].a << 32 | an->links.v[i].b;
			order[i] = (uint32_t)i;
		}
		if (ls_radix_order_u64(keys, order, n) == 0) {
			ls_link_t tmp;
			ls_permute(an->links.v, sizeof tmp, order, n, &tmp);
			rc = 0;
		}
	}
	free(keys);
	free(order);
	return rc;
}

/* Records one co-action between traces x (earlier or equal time) and y. */
/* Per-behaviour and run-wide sets of the post pairs seen so far: a link
 * counts the distinct post pairs (events) behind it, and the fused network
 * counts an event once even when it shows in several behaviours (a reply
 * that also mentions its target, a copied post with the same hashtags). */
typedef struct event_sets {
	ls_u64map_t behaviour;
	ls_u64map_t all;
} event_sets_t;

static int add_coaction(ls_analysis_t *an, ls_u64map_t *map, event_sets_t *ev, size_t base,
                        uint32_t behaviour, const ls_trace_t *x, const ls_trace_t *y)
{
	const ls_trace_t *lo = x, *hi = y; /* lo has the smaller account */
	if (lo->account > hi->account) {
		lo = y;
		hi = x;
	}
	uint64_t key = (uint64_t)lo->account << 32 | hi->account;
	uint32_t *slot;
	int inserted;
	if (an->links.n - base >= UINT32_MAX)
		return -1;
	if (ls_u64map_upsert(map, key, (uint32_t)(an->links.n - base), &slot, &inserted))
		return -1;
	int64_t dt = y->time - x->time;
	uint32_t plo = x->post < y->post ? x->post : y->post, phi = x->post ^ y->post ^ plo;
	uint64_t pkey = (uint64_t)plo << 32 | phi;
	uint32_t *unused;
	int new_b, new_all;
	if (ls_u64map_upsert(&ev->behaviour, pkey, 0, &unused, &new_b) ||
	    ls_u64map_upsert(&ev->all, pkey, 0, &unused, &new_all))
		return -1;
	if (inserted) {
		ls_link_t l;
		memset(&l, 0, sizeof l);
		l.a = lo->account;
		l.b = hi->account;
		l.behaviour = behaviour;
		l.objects = 1;
		l.events = 1;
		l.new_events = (uint32_t)new_all;
		l.coactions = 1;
		l.dt_min = l.dt_max = dt;
		l.dt_sum = (double)dt;
		l.first_time = x->time;
		l.last_time = y->time;
		l.ex_post_a = lo->post;
		l.ex_post_b = hi->post;
		l.ex_object = x->object;
		l.last_object_ = x->object;
		return ls_vec_push(&an->links, l);
	}
	ls_link_t *l = &an->links.v[base + *slot];
	if (l->last_object_ != x->object) {
		l->objects++;
		l->last_object_ = x->object;
	}
	l->events += (uint32_t)new_b;
	l->new_events += (uint32_t)(new_b && new_all);
	l->coactions++;
	l->dt_sum += (double)dt;
	if (dt < l->dt_min) {
		l->dt_min = dt;
		l->ex_post_a = lo->post;
		l->ex_post_b = hi->post;
		l->ex_object = x->object;
	}
	if (dt > l->dt_max)
		l->dt_max = dt;
	if (x->time < l->first_time)
		l->first_time = x->time;
	if (y->time > l->last_time)
		l->last_time = y->time;
	return 0;
}

static ls_error_t link_behaviour(ls_analysis_t *an, uint32_t b, event_sets_t *ev, ls_ctx_t *ctx)
{
	const ls_dataset_t *ds = an->ds;
	size_t n = 0;
	if (ds->traces[b].n < 2)
		return LS_OK;
	ls_trace_t *t = ls_sorted_traces(an, ds->traces[b].v, ds->traces[b].n, &n);
	if (t == NULL)
		return ls_fail(ctx, LS_ENOMEM, "out of memory sorting %zu traces", ds->traces[b].n);

	int64_t w; /* ads null: one incidence per (account, object), no window */
	if (ls_link_window(an, b, t, &n, &w)) {
		free(t);
		return ls_fail(ctx, LS_ENOMEM, "out of memory linking %s", ls_behaviour_name(b));
	}
	ls_u64map_t map;
	ls_u64map_init(&map);
	ls_error_t err = LS_OK;
	size_t base = an->links.n;
	uint64_t pairs = 0, skipped = 0;
	size_t burst = an->params.max_burst ? an->params.max_burst : SIZE_MAX;
	for (size_t s = 0; s < n;) {
		size_t e = s + 1;
		while (e < n && t[e].object == t[s].object)
			e++;
		size_t end = s + 1; /* one past the last trace within [t_i, t_i + W] */
		for (size_t i = s; i + 1 < e; i++) {
			if (end <= i)
				end = i + 1;
			while (end < e && t[end].time - t[i].time <= w)
				end++;
			if (end - i - 1 > burst) {
				skipped += end - i - 1;
				continue;
			}
			int hi_ = ls_hour_of_day(t[i].time);
			for (size_t j = i + 1; j < end; j++) {
				int d = ls_hour_of_day(t[j].time) - hi_;
				an->slot_pairs[b][hi_][d < 0 ? d + 24 : d] += 1.0;
				if (t[j].account == t[i].account)
					continue;
				if (add_coaction(an, &map, ev, base, b, &t[i], &t[j])) {
					err = ls_fail(ctx, LS_ENOMEM, "out of memory aggregating links");
					goto done;
				}
				pairs++;
			}
		}
		s = e;
	}
	an->coactions += pairs;
	an->burst_skipped += skipped;
	ls_diag(ctx, LS_DIAG_PROGRESS,
	        "%s: %zu traces, %" PRIu64 " co-actions, %zu links, %" PRIu64 " skipped in bursts",
	        ls_behaviour_name(b), n, pairs, an->links.n - base, skipped);
done:
	ls_u64map_destroy(&map);
	free(t);
	return err;
}

ls_error_t ls_link_run(ls_analysis_t *an, ls_ctx_t *ctx)
{
	event_sets_t ev;
	ls_u64map_init(&ev.all);
	for (uint32_t b = 0; b < LS_MAX_BEHAVIOURS; b++) {
		if (!(an->params.behaviours >> b & 1))
			continue;
		ls_u64map_init(&ev.behaviour);
		ls_error_t err = link_behaviour(an, b, &ev, ctx);
		ls_u64map_destroy(&ev.behaviour);
		if (err) {
			ls_u64map_destroy(&ev.all);
			return err;
		}
	}
	ls_u64map_destroy(&ev.all);
	if (sort_links(an))
		return ls_fail(ctx, LS_ENOMEM, "out of memory sorting %zu links", an->links.n);
	return LS_OK;
}
