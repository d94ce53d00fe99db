/*
 * Synthetic scenarios: organic background activity with planted coordinated
 * operations, written as DIR/posts.csv (coordination-network-toolkit
 * columns) and DIR/truth.csv (account,label,category).
 *
 * Generative model (all draws from one xoshiro256** stream seeded by the
 * seed, except the text of a post, which comes from a stream seeded by
 * (seed, post index) so that it can be re-created at write time instead of
 * being stored):
 *
 *  Time: 14 days from 2024-03-01 00:00 UTC. Each account has a time zone
 *  (UTC-8 .. UTC+9, mostly US East and Central Europe) and posts follow a
 *  day/night cycle in local time (a 24-hour weight table, ~8x more posts at
 *  20:00 than at 04:00). Posts later than the end are dropped, as a
 *  collection window would.
 *
 *  Accounts (2k / 20k / 200k for small / medium / large): activity
 *  ~ Pareto(1, 1.25) capped at 300 (a few very busy accounts), a retweet
 *  share uniform in [0.1, 0.9], popularity ("followers") ~ lognormal(0, 1.4).
 *
 *  Organic posts (~60k / 600k / 6M): 40% originals, 50% retweets, 10%
 *  replies. Originals: author ~ activity x (1 - retweet share); text of
 *  3..30 Zipf vocabulary words with light punctuation, 12% start with a
 *  mention, ~30% carry Zipf hashtags, 20% a Zipf-popular URL, 2.5% are stock
 *  phrases ("Good morning everyone!") that unrelated people post. Retweet
 *  cascades: an original's weight is author popularity x Pareto(1, 1.5),
 *  scaled to the retweet budget (soft cap 0.6..1 x accounts/12); retweeters ~
 *  activity x retweet share, each at most once; lags ~ lognormal with a
 *  median of 25 minutes that shrinks for large cascades (seconds to days).
 *  A few viral posts (3 / 5 / 8, with 150-500 / 1k-3k / 3k-12k retweets) have
 *  lags ~ lognormal(median 5 min), so many retweets are near-simultaneous
 *  and unrelated accounts co-retweet by chance. Replies pick a target in
 *  proportion to its cascade size and follow it by ~30 minutes (lognormal).
 *
 *  Planted operations (campaigns = -1: four, one of each style; N: styles
 *  cycle ring, copypaste, linkpush, hashtag). Member counts and object
 *  counts scale by m = 1 / 2 / 4 with the size. Members are random accounts;
 *  they keep an organic life at half the activity (camouflage). Each action
 *  is triggered at a daytime moment in the campaign's own time zone.
 *   ring_k      (20..50)m members retweet 15m posts of 3 seed accounts
 *               (organic accounts, labelled 0): each member w.p. 0.7, 5..90 s
 *               after a trigger ~lognormal(median 45 s) after the post; 5%
 *               are stragglers 1-10 minutes late.
 *   copypaste_k (15..30)m members post 14m scripts of 12..22 words, each
 *               member w.p. 0.75 within a 45..150 s burst, with edits that
 *               text normalisation undoes (case, doubled spaces, mentions and
 *               t.co links added) and, in 25% of posts, one word added or
 *               dropped.
 *   linkpush_k  (15..30)m members share 12m article URLs on 3 campaign
 *               domains, w.p. 0.7 within 30..120 s, each with their own text;
 *               some URLs carry utm_ parameters or "www.".
 *   hashtag_k   (25..50)m members post 12m bursts, each on one of 6 campaign
 *               hashtags, w.p. 0.7 within 60..150 s, own text.
 *  Truth lists every account that posted: 1 and the campaign name for
 *  members, 0 and "organic" otherwise.
 *
 * Output order: by timestamp, then message_id. Message ids are 19-digit
 * snowflake-like numbers increasing with output position, so both orders
 * agree. Fields with commas, quotes or newlines are quoted (RFC 4180).
 *
 * Cost: O(posts + accounts + span) time; memory 16 bytes a post plus 8 for
 * the ordering (~150 MB for large), 60 bytes an account, and a 4.8 MB
 * counting-sort table over the seconds of the span.
 */
#include "lockstep.h"
#include "core/afile.h"
#include "core/ctx.h"
#include "core/vec.h"
#include "synth/synth_rng.h"
#include "synth/synth_text.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define T0 INT64_C(1709251200) /* 2024-03-01 00:00:00 UTC */
#define DAYS 14
#define SPAN ((uint32_t)DAYS * 86400u)
#define NONE UINT32_MAX
#define MSG_CAP 4096
#define URLS_CAP 1024
#define N_RING_SEEDS 3
#define N_LINK_DOMAINS 3
#define N_CAMP_TAGS 6
#define MAX_CAMPAIGNS 10000

enum { K_ORIG = 0, K_RT = 1, K_REPLY = 2 };
enum { S_ORGANIC = 0, S_COPY = 1, S_LINK = 2, S_TAG = 3 };
enum { C_RING = 0, C_COPY = 1, C_LINK = 2, C_TAG = 3 };

static const char *const style_names[] = {"ring", "copypaste", "linkpush", "hashtag"};
/* Members per campaign style at size small (times the size multiplier). */
static const uint32_t style_lo[] = {20, 15, 15, 25};
static const uint32_t style_hi[] = {50, 30, 30, 50};
/* Coordinated objects per campaign at size small: targets, scripts, URLs, bursts. */
static const uint32_t style_objects[] = {15, 14, 12, 12};

typedef struct size_spec {
	const char *name;
	uint32_t accounts, posts, mult, nviral, viral_lo, viral_hi;
} size_spec_t;

static const size_spec_t specs[] = {
	{"small", 2000, 60000, 1, 3, 150, 500},
	{"medium", 20000, 600000, 2, 5, 1000, 3000},
	{"large", 200000, 6000000, 4, 8, 3000, 12000},
};

/* Local-hour posting weights (0:00 .. 23:00). */
static const double hour_weights[24] = {2.0, 1.3, 0.9, 0.7, 0.6, 0.7, 1.2, 2.2, 3.4, 4.2, 4.6, 4.8,
                                        5.0, 4.9, 4.7, 4.7, 4.8, 5.0, 5.4, 5.9, 6.2, 5.8, 4.6, 3.2};
/* Time zones of organic accounts and their shares. */
static const int zone_hours[] = {-8, -6, -5, 0, 1, 2, 3, 5, 9};
static const double zone_weights[] = {0.10, 0.08, 0.27, 0.12, 0.22, 0.06, 0.06, 0.04, 0.05};
static const int campaign_zones[] = {3, 8, -5, 1, 2};

static const char *const campaign_domain_words[] = {
	"daily", "news", "patriot", "truth", "report", "wire", "today", "insider", "freedom", "voice",
	"post", "herald", "times", "chronicle", "real", "nation", "alert", "first", "free", "people"};
static const char *const campaign_tlds[] = {".com", ".net", ".info", ".news", ".org"};
static const char *const campaign_tag_forms[][2] = {
	{"Stop", ""}, {"", "Gate"}, {"Vote", "Out"}, {"", "2024"}, {"Justice4", ""}, {"", "Now"},
	{"Ban", ""}, {"Defend", ""}, {"", "MustGo"}, {"Save", ""}, {"No", "Deal"}, {"", "Lies"}};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

typedef struct post {
	uint32_t t;    /* seconds since T0 */
	uint32_t user; /* account index */
	uint32_t ref;  /* retweeted / replied-to post index, or NONE */
	uint8_t kind;  /* K_* */
	uint8_t style; /* S_*: how the text of an original is made */
	uint16_t aux;  /* campaign object (script, URL, burst) */
} post_t;

typedef struct account {
	uint64_t id;
	double act, rt, pop;
	int32_t camp; /* campaign index, or -1 */
	int32_t tz;   /* hours east of UTC */
	uint32_t posts;
} account_t;

typedef struct campaign {
	int style;
	char name[32];
	int tz;
	uint32_t *members;
	uint32_t nmembers;
	uint32_t nobjects;
	uint32_t seeds[N_RING_SEEDS];
	LS_VEC(uint32_t) targets; /* ring: the seed posts it amplifies */
	char domains[N_LINK_DOMAINS][48];
	char tags[N_CAMP_TAGS][48];
} campaign_t;

typedef struct synth {
	uint64_t seed;
	const size_spec_t *spec;
	ls_synth_rng_t rng;
	ls_synth_lex_t lex;
	account_t *acc;
	uint32_t nacc;
	ls_synth_strs_t names;
	ls_synth_alias_t pick_author, pick_rt, pick_reply, pick_mention, pick_hour, pick_zone;
	campaign_t *camps;
	int ncamps;
	LS_VEC(post_t) posts;
	uint32_t *order; /* output position -> post index */
	uint32_t *rank;  /* post index -> output position */
} synth_t;

void ls_synth_options_init(ls_synth_options_t *opt)
{
	opt->seed = 1;
	opt->size = LS_SYNTH_SMALL;
	opt->campaigns = -1;
}

/* ------------------------------------------------------------------ helpers */

static int add_post(synth_t *S, uint64_t t, uint32_t user, uint32_t ref, int kind, int style,
                    uint32_t aux)
{
	if (t >= SPAN)
		return 0; /* after the collection window */
	post_t p = {(uint32_t)t, user, ref, (uint8_t)kind, (uint8_t)style, (uint16_t)aux};
	if (ls_vec_push(&S->posts, p))
		return -1;
	S->acc[user].posts++;
	return 0;
}

/* A posting moment of someone in zone `tz` following the day/night cycle. */
static uint32_t organic_time(synth_t *S, int tz)
{
	int64_t day = (int64_t)ls_synth_rng_below(&S->rng, DAYS);
	int64_t local = (int64_t)ls_synth_alias_draw(&S->pick_hour, &S->rng) * 3600 +
	                (int64_t)ls_synth_rng_below(&S->rng, 3600);
	int64_t t = day * 86400 + local - (int64_t)tz * 3600;
	t %= (int64_t)SPAN;
	if (t < 0)
		t += SPAN;
	return (uint32_t)t;
}

/* A daytime moment (08:00-22:00 local) of a campaign, at least `margin`
 * seconds before the end of the span. */
static uint32_t campaign_time(synth_t *S, const campaign_t *c, uint32_t margin)
{
	for (;;) {
		int64_t day = (int64_t)ls_synth_rng_below(&S->rng, DAYS);
		int64_t local = 8 * 3600 + (int64_t)ls_synth_rng_below(&S->rng, 14 * 3600);
		int64_t t = day * 86400 + local - (int64_t)c->tz * 3600;
		if (t >= 0 && t + margin < (int64_t)SPAN)
			return (uint32_t)t;
	}
}

static uint64_t msg_id(const synth_t *S, uint32_t rank)
{
	return UINT64_C(1764000000000000000) + (uint64_t)rank * 4096 +
	       (ls_synth_mix(S->seed ^ 0x6d7367ull, rank) & 4095);
}

static const char *name_of(const synth_t *S, uint32_t user)
{
	return ls_synth_strs_get(&S->names, user);
}

static void shuffle(ls_synth_rng_t *r, uint32_t *a, uint32_t n)
{
	for (uint32_t i = n; i > 1; i--) {
		uint32_t j = (uint32_t)ls_synth_rng_below(r, i);
		uint32_t x = a[i - 1];
		a[i - 1] = a[j];
		a[j] = x;
	}
}

/* ----------------------------------------------------------------- accounts */

static int make_accounts(synth_t *S)
{
	uint32_t n = S->spec->accounts;
	int rc = -1;
	uint32_t *perm = malloc((size_t)n * sizeof *perm);
	S->acc = calloc(n, sizeof *S->acc);
	if (perm == NULL || S->acc == NULL)
		goto done;
	S->nacc = n;
	for (uint32_t i = 0; i < n; i++)
		perm[i] = i;
	shuffle(&S->rng, perm, n);
	for (uint32_t i = 0; i < n; i++) {
		account_t *a = &S->acc[i];
		double act = ls_synth_rng_pareto(&S->rng, 1.0, 1.25);
		a->act = act > 300 ? 300 : act;
		a->rt = 0.1 + 0.8 * ls_synth_rng_unit(&S->rng);
		a->pop = ls_synth_rng_lognormal(&S->rng, 0.0, 1.4);
		a->tz = zone_hours[ls_synth_alias_draw(&S->pick_zone, &S->rng)];
		a->camp = -1;
		/* Ids and names are spread by a permutation, so that nothing about
		 * them gives planted accounts away. */
		a->id = UINT64_C(1000000000000) + (uint64_t)perm[i] * 1000 + ls_synth_rng_below(&S->rng, 1000);
		char tmp[64];
		ls_synth_buf_t b;
		ls_synth_buf_init(&b, tmp, sizeof tmp);
		ls_synth_pseudo_word(&S->rng, 2, 3, &b);
		if (ls_synth_rng_chance(&S->rng, 0.4))
			ls_synth_buf_putc(&b, '_');
		ls_synth_buf_putu(&b, perm[i]);
		if (ls_synth_strs_add(&S->names, b.p, b.n))
			goto done;
	}
	rc = 0;
done:
	free(perm);
	return rc;
}

static int build_pickers(synth_t *S)
{
	uint32_t n = S->nacc;
	double *w = malloc((size_t)n * sizeof *w);
	if (w == NULL)
		return -1;
	int rc = 0;
	for (uint32_t i = 0; i < n; i++)
		w[i] = S->acc[i].act * (1.0 - S->acc[i].rt);
	rc |= ls_synth_alias_init(&S->pick_author, w, n);
	for (uint32_t i = 0; i < n; i++)
		w[i] = S->acc[i].act * S->acc[i].rt;
	rc |= ls_synth_alias_init(&S->pick_rt, w, n);
	for (uint32_t i = 0; i < n; i++)
		w[i] = S->acc[i].act;
	rc |= ls_synth_alias_init(&S->pick_reply, w, n);
	for (uint32_t i = 0; i < n; i++)
		w[i] = S->acc[i].pop;
	rc |= ls_synth_alias_init(&S->pick_mention, w, n);
	free(w);
	return rc ? -1 : 0;
}

/* ---------------------------------------------------------------- campaigns */

static void campaign_domain(synth_t *S, char *out, size_t cap)
{
	ls_synth_buf_t b;
	ls_synth_buf_init(&b, out, cap);
	size_t nw = COUNT(campaign_domain_words);
	size_t w1 = ls_synth_rng_below(&S->rng, nw), w2 = ls_synth_rng_below(&S->rng, nw - 1);
	if (w2 >= w1)
		w2++;
	ls_synth_buf_puts(&b, campaign_domain_words[w1]);
	if (ls_synth_rng_chance(&S->rng, 0.4))
		ls_synth_buf_putc(&b, '-');
	ls_synth_buf_puts(&b, campaign_domain_words[w2]);
	ls_synth_buf_puts(&b, campaign_tlds[ls_synth_rng_below(&S->rng, COUNT(campaign_tlds))]);
}

static void campaign_tags(synth_t *S, campaign_t *c)
{
	/* One keyword, six distinct tag forms around it: distinct objects. */
	char kw[48];
	ls_synth_buf_t b;
	ls_synth_buf_init(&b, kw, sizeof kw);
	ls_synth_pseudo_word(&S->rng, 2, 3, &b);
	kw[0] = (char)(kw[0] - 'a' + 'A');
	uint32_t forms[COUNT(campaign_tag_forms)];
	for (uint32_t i = 0; i < COUNT(forms); i++)
		forms[i] = i;
	shuffle(&S->rng, forms, COUNT(forms));
	for (int i = 0; i < N_CAMP_TAGS; i++) {
		ls_synth_buf_init(&b, c->tags[i], sizeof c->tags[i]);
		ls_synth_buf_puts(&b, campaign_tag_forms[forms[i]][0]);
		ls_synth_buf_puts(&b, kw);
		ls_synth_buf_puts(&b, campaign_tag_forms[forms[i]][1]);
	}
}

static ls_error_t make_campaigns(synth_t *S, int n, ls_ctx_t *ctx)
{
	const size_spec_t *sp = S->spec;
	uint32_t *sizes = NULL, *order = NULL;
	ls_error_t err = LS_OK;
	if (n == 0)
		return LS_OK;
	sizes = malloc((size_t)n * sizeof *sizes);
	order = malloc((size_t)S->nacc * sizeof *order);
	S->camps = calloc((size_t)n, sizeof *S->camps);
	if (sizes == NULL || order == NULL || S->camps == NULL) {
		err = ls_fail(ctx, LS_ENOMEM, "out of memory");
		goto done;
	}
	S->ncamps = n;
	uint64_t need = 0;
	for (int k = 0; k < n; k++) {
		int st = k % 4;
		sizes[k] = (uint32_t)ls_synth_rng_range(&S->rng, style_lo[st] * sp->mult, style_hi[st] * sp->mult);
		need += sizes[k] + (st == C_RING ? N_RING_SEEDS : 0);
	}
	if (need > S->nacc / 3) {
		err = ls_fail(ctx, LS_EINVAL,
		              "%d campaigns need %llu accounts, more than a third of the %u accounts of "
		              "size %s",
		              n, (unsigned long long)need, S->nacc, sp->name);
		goto done;
	}
	for (uint32_t i = 0; i < S->nacc; i++)
		order[i] = i;
	shuffle(&S->rng, order, S->nacc);
	uint32_t pos = 0;
	for (int k = 0; k < n; k++) {
		campaign_t *c = &S->camps[k];
		c->style = k % 4;
		snprintf(c->name, sizeof c->name, "%s_%d", style_names[c->style], k + 1);
		c->tz = campaign_zones[ls_synth_rng_below(&S->rng, COUNT(campaign_zones))];
		c->nobjects = style_objects[c->style] * sp->mult;
		if (c->style == C_RING)
			for (int i = 0; i < N_RING_SEEDS; i++)
				c->seeds[i] = order[pos++]; /* organic accounts, amplified */
		c->members = malloc((size_t)sizes[k] * sizeof *c->members);
		if (c->members == NULL) {
			err = ls_fail(ctx, LS_ENOMEM, "out of memory");
			goto done;
		}
		c->nmembers = sizes[k];
		for (uint32_t i = 0; i < sizes[k]; i++) {
			uint32_t a = order[pos++];
			c->members[i] = a;
			S->acc[a].camp = k;
			S->acc[a].act *= 0.5; /* camouflage: a quieter organic life */
		}
		if (c->style == C_LINK)
			for (int i = 0; i < N_LINK_DOMAINS; i++)
				campaign_domain(S, c->domains[i], sizeof c->domains[i]);
		if (c->style == C_TAG)
			campaign_tags(S, c);
	}
done:
	free(sizes);
	free(order);
	return err;
}

/* ------------------------------------------------------------- the activity */

static int organic_originals(synth_t *S)
{
	uint32_t n = (uint32_t)(S->spec->posts * 0.40);
	for (uint32_t j = 0; j < n; j++) {
		uint32_t u = ls_synth_alias_draw(&S->pick_author, &S->rng);
		if (add_post(S, organic_time(S, S->acc[u].tz), u, NONE, K_ORIG, S_ORGANIC, 0))
			return -1;
	}
	return 0;
}

static int ring_targets(synth_t *S)
{
	for (int k = 0; k < S->ncamps; k++) {
		campaign_t *c = &S->camps[k];
		if (c->style != C_RING)
			continue;
		for (uint32_t i = 0; i < c->nobjects; i++) {
			uint32_t s = c->seeds[ls_synth_rng_below(&S->rng, N_RING_SEEDS)];
			uint32_t t = campaign_time(S, c, 3 * 3600);
			if (ls_vec_push(&c->targets, (uint32_t)S->posts.n) ||
			    add_post(S, t, s, NONE, K_ORIG, S_ORGANIC, 0))
				return -1;
		}
	}
	return 0;
}

static int cascades(synth_t *S)
{
	const size_spec_t *sp = S->spec;
	uint32_t norig = (uint32_t)S->posts.n; /* every post so far is an original */
	int rc = -1;
	double *z = malloc((size_t)norig * sizeof *z);
	uint32_t *stamp = calloc(S->nacc, sizeof *stamp);
	if (norig == 0) {
		rc = 0;
		goto done;
	}
	if (z == NULL || stamp == NULL)
		goto done;
	for (uint32_t j = 0; j < norig; j++)
		z[j] = S->acc[S->posts.v[j].user].pop * ls_synth_rng_pareto(&S->rng, 1.0, 1.5);
	/* Viral posts: organic, posted between day 1 and day 12. Marked by a
	 * negative weight holding minus their cascade size. */
	double budget = sp->posts * 0.50;
	for (uint32_t v = 0; v < sp->nviral; v++) {
		for (int tries = 0; tries < 1000; tries++) {
			uint32_t j = (uint32_t)ls_synth_rng_below(&S->rng, norig);
			const post_t *p = &S->posts.v[j];
			if (z[j] < 0 || p->t < 86400 || p->t > SPAN - 2 * 86400 || S->acc[p->user].camp >= 0)
				continue;
			int64_t size = ls_synth_rng_range(&S->rng, sp->viral_lo, sp->viral_hi);
			z[j] = -(double)size;
			budget -= (double)size;
			break;
		}
	}
	double sum = 0;
	for (uint32_t j = 0; j < norig; j++)
		if (z[j] > 0)
			sum += z[j];
	double scale = sum > 0 && budget > 0 ? budget / sum : 0;
	double cap = S->nacc / 12.0;
	for (uint32_t j = 0; j < norig; j++) {
		double size, mu, sigma;
		if (z[j] < 0) {
			size = -z[j];
			mu = log(300.0);
			sigma = 1.3;
		} else {
			size = floor(z[j] * scale + ls_synth_rng_unit(&S->rng));
			double soft = cap * (0.6 + 0.4 * ls_synth_rng_unit(&S->rng));
			if (size > soft) /* saturation: not everyone sees a post */
				size = soft;
			mu = log(1500.0) - 0.35 * log1p(size);
			sigma = 1.6;
		}
		uint32_t author = S->posts.v[j].user;
		uint64_t t0 = S->posts.v[j].t;
		for (uint32_t r = 0; r < (uint32_t)size; r++) {
			uint32_t u = NONE;
			for (int tries = 0; tries < 30; tries++) {
				uint32_t c = ls_synth_alias_draw(&S->pick_rt, &S->rng);
				if (c != author && stamp[c] != j + 1) {
					u = c;
					break;
				}
			}
			if (u == NONE)
				continue;
			stamp[u] = j + 1;
			double lag = ls_synth_rng_lognormal(&S->rng, mu, sigma);
			if (lag < 1)
				lag = 1;
			if (lag > 7 * 86400.0)
				lag = 7 * 86400.0;
			if (add_post(S, t0 + (uint64_t)lag, u, j, K_RT, S_ORGANIC, 0))
				goto done;
		}
	}
	rc = 0;
done:
	free(z);
	free(stamp);
	return rc;
}

static int replies(synth_t *S)
{
	uint32_t n = (uint32_t)(S->spec->posts * 0.10);
	uint32_t before = (uint32_t)S->posts.n; /* originals and retweets */
	if (before == 0)
		return 0;
	for (uint32_t k = 0; k < n; k++) {
		uint32_t u = ls_synth_alias_draw(&S->pick_reply, &S->rng);
		uint32_t q = (uint32_t)ls_synth_rng_below(&S->rng, before);
		/* Picking a random post and following a retweet to its original
		 * targets originals in proportion to their cascades. */
		uint32_t o = S->posts.v[q].kind == K_RT ? S->posts.v[q].ref : q;
		double lag = ls_synth_rng_lognormal(&S->rng, log(1800.0), 1.5);
		if (lag < 5)
			lag = 5;
		if (lag > 7 * 86400.0)
			lag = 7 * 86400.0;
		if (add_post(S, S->posts.v[o].t + (uint64_t)lag, u, o, K_REPLY, S_ORGANIC, 0))
			return -1;
	}
	return 0;
}

static int campaign_posts(synth_t *S)
{
	for (int k = 0; k < S->ncamps; k++) {
		campaign_t *c = &S->camps[k];
		if (c->style == C_RING) {
			for (size_t i = 0; i < c->targets.n; i++) {
				uint32_t j = c->targets.v[i];
				double d = ls_synth_rng_lognormal(&S->rng, log(45.0), 0.8);
				uint64_t trigger = S->posts.v[j].t + (uint64_t)(d < 5 ? 5 : d > 1800 ? 1800 : d);
				for (uint32_t m = 0; m < c->nmembers; m++) {
					if (!ls_synth_rng_chance(&S->rng, 0.7))
						continue;
					uint64_t dt = (uint64_t)ls_synth_rng_range(&S->rng, 5, 90);
					if (ls_synth_rng_chance(&S->rng, 0.05))
						dt += (uint64_t)ls_synth_rng_range(&S->rng, 60, 600);
					if (add_post(S, trigger + dt, c->members[m], j, K_RT, S_ORGANIC, 0))
						return -1;
				}
			}
			continue;
		}
		static const int post_style[] = {S_ORGANIC, S_COPY, S_LINK, S_TAG};
		static const double p_join[] = {0.7, 0.75, 0.7, 0.7};
		static const int64_t width_lo[] = {0, 45, 30, 60};
		static const int64_t width_hi[] = {0, 150, 120, 150};
		for (uint32_t s = 0; s < c->nobjects; s++) {
			uint64_t trigger = campaign_time(S, c, 600);
			uint64_t width = (uint64_t)ls_synth_rng_range(&S->rng, width_lo[c->style], width_hi[c->style]);
			for (uint32_t m = 0; m < c->nmembers; m++) {
				if (!ls_synth_rng_chance(&S->rng, p_join[c->style]))
					continue;
				uint64_t t = trigger + ls_synth_rng_below(&S->rng, width + 1);
				if (add_post(S, t, c->members[m], NONE, K_ORIG, post_style[c->style], s))
					return -1;
			}
		}
	}
	return 0;
}

/* Counting sort by time; ties keep generation order, which is
 * deterministic. */
static int sort_posts(synth_t *S)
{
	size_t n = S->posts.n;
	uint32_t *cnt = calloc((size_t)SPAN + 1, sizeof *cnt);
	S->order = malloc((n ? n : 1) * sizeof *S->order);
	S->rank = malloc((n ? n : 1) * sizeof *S->rank);
	if (cnt == NULL || S->order == NULL || S->rank == NULL) {
		free(cnt);
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		cnt[S->posts.v[i].t + 1]++;
	for (uint32_t t = 1; t <= SPAN; t++)
		cnt[t] += cnt[t - 1];
	for (size_t i = 0; i < n; i++)
		S->order[cnt[S->posts.v[i].t]++] = (uint32_t)i;
	for (size_t r = 0; r < n; r++)
		S->rank[S->order[r]] = (uint32_t)r;
	free(cnt);
	return 0;
}

/* -------------------------------------------------------------------- text */

static void put_mention(const synth_t *S, uint32_t user, ls_synth_buf_t *b)
{
	ls_synth_buf_putc(b, '@');
	ls_synth_buf_puts(b, name_of(S, user));
}

static void put_url(ls_synth_buf_t *msg, ls_synth_buf_t *urls, const char *url, size_t n)
{
	if (msg->n && msg->p[msg->n - 1] != ' ' && msg->p[msg->n - 1] != '\n')
		ls_synth_buf_putc(msg, ' ');
	ls_synth_buf_put(msg, url, n);
	if (urls->n)
		ls_synth_buf_putc(urls, ' ');
	ls_synth_buf_put(urls, url, n);
}

static void put_pool_url(const synth_t *S, ls_synth_rng_t *r, ls_synth_buf_t *msg, ls_synth_buf_t *urls)
{
	char tmp[512];
	ls_synth_buf_t u;
	ls_synth_buf_init(&u, tmp, sizeof tmp);
	ls_synth_url_slot(&S->lex, ls_synth_alias_draw(&S->lex.url_pick, r), &u);
	put_url(msg, urls, u.p, u.n);
}

static void put_pool_tags(const synth_t *S, ls_synth_rng_t *r, int n, ls_synth_buf_t *msg)
{
	for (int i = 0; i < n; i++) {
		ls_synth_buf_puts(msg, " #");
		ls_synth_buf_puts(msg, ls_synth_strs_get(&S->lex.tags, ls_synth_alias_draw(&S->lex.tag_pick, r)));
	}
}

static void organic_text(const synth_t *S, ls_synth_rng_t *r, ls_synth_buf_t *msg, ls_synth_buf_t *urls)
{
	if (ls_synth_rng_chance(r, 0.025)) {
		ls_synth_buf_puts(msg, ls_synth_stock_phrase(r));
		return;
	}
	if (ls_synth_rng_chance(r, 0.12)) {
		put_mention(S, ls_synth_alias_draw(&S->pick_mention, r), msg);
		ls_synth_buf_putc(msg, ' ');
	}
	double len = 3 + ls_synth_rng_lognormal(r, log(8.0), 0.5);
	ls_synth_text_words(&S->lex, r, len > 30 ? 30 : (int)len, msg);
	double u = ls_synth_rng_unit(r);
	put_pool_tags(S, r, u < 0.22 ? 1 : u < 0.28 ? 2 : u < 0.30 ? 3 : 0, msg);
	if (ls_synth_rng_chance(r, 0.20))
		put_pool_url(S, r, msg, urls);
}

static void put_word_cased(ls_synth_buf_t *b, const char *w, int mode)
{
	/* mode 0: as is, 1: Capitalised, 2: UPPER, 3: lower */
	for (size_t i = 0; w[i]; i++) {
		char ch = w[i];
		if (mode == 2 || (mode == 1 && i == 0)) {
			if (ch >= 'a' && ch <= 'z')
				ch = (char)(ch - 'a' + 'A');
		} else if (mode == 3 && ch >= 'A' && ch <= 'Z') {
			ch = (char)(ch - 'A' + 'a');
		}
		ls_synth_buf_putc(b, ch);
	}
}

/* A copy-paste script (campaign c, script s) with this post's edits. */
static void copy_text(const synth_t *S, int c, uint32_t s, ls_synth_rng_t *r, ls_synth_buf_t *msg,
                      ls_synth_buf_t *urls)
{
	ls_synth_rng_t sr;
	ls_synth_rng_seed2(&sr, S->seed ^ 0x736372697074ull, ((uint64_t)c << 20) | s);
	uint32_t tok[40];
	uint8_t punct[40]; /* 0 none, 1 ',', 2 '.' */
	int n = (int)ls_synth_rng_range(&sr, 12, 22);
	for (int i = 0; i < n; i++) {
		tok[i] = ls_synth_word(&S->lex, &sr);
		double u = ls_synth_rng_unit(&sr);
		punct[i] = u < 0.08 ? 1 : u < 0.12 ? 2 : 0;
	}
	punct[0] = 0;
	punct[n - 1] = ls_synth_rng_chance(&sr, 0.6) ? 2 : 0;
	int has_tag = ls_synth_rng_chance(&sr, 0.5);
	uint32_t tag = ls_synth_alias_draw(&S->lex.tag_pick, &sr);

	/* This post's edits. */
	if (ls_synth_rng_chance(r, 0.25)) {
		if (ls_synth_rng_chance(r, 0.5)) {
			int at = (int)ls_synth_rng_below(r, (uint64_t)n - 1); /* keep the last word */
			memmove(tok + at, tok + at + 1, (size_t)(n - at - 1) * sizeof *tok);
			memmove(punct + at, punct + at + 1, (size_t)(n - at - 1));
			n--;
		} else {
			int at = (int)ls_synth_rng_below(r, (uint64_t)n);
			memmove(tok + at + 1, tok + at, (size_t)(n - at) * sizeof *tok);
			memmove(punct + at + 1, punct + at, (size_t)(n - at));
			tok[at] = ls_synth_word(&S->lex, r);
			punct[at] = 0;
			n++;
		}
	}
	int lower_all = ls_synth_rng_chance(r, 0.12);
	if (ls_synth_rng_chance(r, 0.05))
		ls_synth_buf_putc(msg, ' ');
	if (ls_synth_rng_chance(r, 0.3)) {
		put_mention(S, ls_synth_alias_draw(&S->pick_mention, r), msg);
		ls_synth_buf_putc(msg, ' ');
	}
	int cap_next = 1;
	for (int i = 0; i < n; i++) {
		if (i)
			ls_synth_buf_puts(msg, ls_synth_rng_chance(r, 0.08) ? "  " : " ");
		int mode = lower_all ? 3 : cap_next ? 1 : 0;
		double u = ls_synth_rng_unit(r);
		if (u < 0.05)
			mode = 2;
		else if (u < 0.10)
			mode = 1;
		put_word_cased(msg, ls_synth_strs_get(&S->lex.words, tok[i]), mode);
		if (punct[i])
			ls_synth_buf_putc(msg, punct[i] == 1 ? ',' : '.');
		cap_next = punct[i] == 2;
	}
	if (has_tag) {
		ls_synth_buf_puts(msg, " #");
		ls_synth_buf_puts(msg, ls_synth_strs_get(&S->lex.tags, tag));
	}
	if (ls_synth_rng_chance(r, 0.2)) {
		ls_synth_buf_putc(msg, ' ');
		put_mention(S, ls_synth_alias_draw(&S->pick_mention, r), msg);
	}
	if (ls_synth_rng_chance(r, 0.35)) {
		char tmp[64];
		ls_synth_buf_t u;
		ls_synth_buf_init(&u, tmp, sizeof tmp);
		ls_synth_short_url(r, &u);
		put_url(msg, urls, u.p, u.n);
	}
	if (ls_synth_rng_chance(r, 0.1))
		ls_synth_buf_putc(msg, ' ');
}

/* Own words plus the campaign's URL number s. */
static void link_text(const synth_t *S, int c, uint32_t s, ls_synth_rng_t *r, ls_synth_buf_t *msg,
                      ls_synth_buf_t *urls)
{
	const campaign_t *cp = &S->camps[c];
	ls_synth_rng_t ur;
	ls_synth_rng_seed2(&ur, S->seed ^ 0x6c696e6bull, ((uint64_t)c << 20) | s);
	char tmp[512];
	ls_synth_buf_t u;
	ls_synth_buf_init(&u, tmp, sizeof tmp);
	ls_synth_buf_puts(&u, "https://");
	if (ls_synth_rng_chance(r, 0.15))
		ls_synth_buf_puts(&u, "www.");
	ls_synth_buf_puts(&u, cp->domains[s % N_LINK_DOMAINS]);
	ls_synth_buf_puts(&u, "/2024/03/");
	ls_synth_slug(&S->lex, &ur, 4, 8, &u);
	if (ls_synth_rng_chance(r, 0.25))
		ls_synth_buf_puts(&u, "?utm_source=twitter&utm_medium=social");

	double len = 3 + ls_synth_rng_lognormal(r, log(7.0), 0.5);
	ls_synth_text_words(&S->lex, r, len > 25 ? 25 : (int)len, msg);
	if (ls_synth_rng_chance(r, 0.2))
		put_pool_tags(S, r, 1, msg);
	put_url(msg, urls, u.p, u.n);
}

/* Own words plus campaign hashtag (burst s). */
static void tag_text(const synth_t *S, int c, uint32_t s, ls_synth_rng_t *r, ls_synth_buf_t *msg,
                     ls_synth_buf_t *urls)
{
	const campaign_t *cp = &S->camps[c];
	const char *tag = cp->tags[s % N_CAMP_TAGS];
	int front = ls_synth_rng_chance(r, 0.2);
	if (front) {
		ls_synth_buf_putc(msg, '#');
		ls_synth_buf_puts(msg, tag);
		ls_synth_buf_putc(msg, ' ');
	}
	double len = 3 + ls_synth_rng_lognormal(r, log(7.0), 0.5);
	ls_synth_text_words(&S->lex, r, len > 25 ? 25 : (int)len, msg);
	if (!front) {
		ls_synth_buf_puts(msg, " #");
		ls_synth_buf_puts(msg, tag);
	}
	if (ls_synth_rng_chance(r, 0.3))
		put_pool_tags(S, r, 1, msg);
	if (ls_synth_rng_chance(r, 0.1))
		put_pool_url(S, r, msg, urls);
}

/* The text and URLs of original post i. */
static void original_text(const synth_t *S, uint32_t i, ls_synth_buf_t *msg, ls_synth_buf_t *urls)
{
	const post_t *p = &S->posts.v[i];
	ls_synth_rng_t r;
	ls_synth_rng_seed2(&r, S->seed ^ 0x74657874ull, i);
	int c = S->acc[p->user].camp;
	switch (p->style) {
	case S_COPY:
		copy_text(S, c, p->aux, &r, msg, urls);
		break;
	case S_LINK:
		link_text(S, c, p->aux, &r, msg, urls);
		break;
	case S_TAG:
		tag_text(S, c, p->aux, &r, msg, urls);
		break;
	default:
		organic_text(S, &r, msg, urls);
		break;
	}
}

static void post_text(const synth_t *S, uint32_t i, ls_synth_buf_t *msg, ls_synth_buf_t *urls)
{
	const post_t *p = &S->posts.v[i];
	if (p->kind == K_RT) {
		ls_synth_buf_puts(msg, "RT ");
		put_mention(S, S->posts.v[p->ref].user, msg);
		ls_synth_buf_puts(msg, ": ");
		original_text(S, p->ref, msg, urls);
	} else if (p->kind == K_REPLY) {
		ls_synth_rng_t r;
		ls_synth_rng_seed2(&r, S->seed ^ 0x7265706c79ull, i);
		put_mention(S, S->posts.v[p->ref].user, msg);
		if (ls_synth_rng_chance(&r, 0.15)) {
			ls_synth_buf_putc(msg, ' ');
			put_mention(S, ls_synth_alias_draw(&S->pick_mention, &r), msg);
		}
		ls_synth_buf_putc(msg, ' ');
		if (ls_synth_rng_chance(&r, 0.05)) {
			ls_synth_buf_puts(msg, ls_synth_stock_phrase(&r));
		} else {
			ls_synth_text_words(&S->lex, &r, (int)ls_synth_rng_range(&r, 2, 16), msg);
			if (ls_synth_rng_chance(&r, 0.06))
				put_pool_url(S, &r, msg, urls);
		}
	} else {
		original_text(S, i, msg, urls);
	}
}

/* ------------------------------------------------------------------ writing */

static void put_csv(ls_synth_buf_t *row, const char *s, size_t n)
{
	if (strcspn(s, ",\"\r\n") >= n) {
		ls_synth_buf_put(row, s, n);
		return;
	}
	ls_synth_buf_putc(row, '"');
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"')
			ls_synth_buf_putc(row, '"');
		ls_synth_buf_putc(row, s[i]);
	}
	ls_synth_buf_putc(row, '"');
}

static ls_error_t write_posts(const synth_t *S, const char *path, ls_ctx_t *ctx)
{
	ls_afile_t af;
	ls_error_t err = ls_afile_open(&af, path, ctx);
	if (err)
		return err;
	static const char header[] = "message_id,user_id,username,repost_id,reply_id,message,timestamp,urls\n";
	fwrite(header, 1, sizeof header - 1, af.f);
	char msgs[MSG_CAP], urls_s[URLS_CAP], rows[2 * MSG_CAP + 2 * URLS_CAP + 256];
	for (size_t r = 0; r < S->posts.n; r++) {
		uint32_t i = S->order[r];
		const post_t *p = &S->posts.v[i];
		ls_synth_buf_t msg, urls, row;
		ls_synth_buf_init(&msg, msgs, sizeof msgs);
		ls_synth_buf_init(&urls, urls_s, sizeof urls_s);
		ls_synth_buf_init(&row, rows, sizeof rows);
		post_text(S, i, &msg, &urls);
		ls_synth_buf_putu(&row, msg_id(S, (uint32_t)r));
		ls_synth_buf_putc(&row, ',');
		ls_synth_buf_putu(&row, S->acc[p->user].id);
		ls_synth_buf_putc(&row, ',');
		ls_synth_buf_puts(&row, name_of(S, p->user));
		ls_synth_buf_putc(&row, ',');
		if (p->kind == K_RT)
			ls_synth_buf_putu(&row, msg_id(S, S->rank[p->ref]));
		ls_synth_buf_putc(&row, ',');
		if (p->kind == K_REPLY)
			ls_synth_buf_putu(&row, msg_id(S, S->rank[p->ref]));
		ls_synth_buf_putc(&row, ',');
		put_csv(&row, msg.p, msg.n);
		ls_synth_buf_putc(&row, ',');
		ls_synth_buf_putu(&row, (uint64_t)(T0 + p->t));
		ls_synth_buf_putc(&row, ',');
		put_csv(&row, urls.p, urls.n);
		ls_synth_buf_putc(&row, '\n');
		fwrite(row.p, 1, row.n, af.f);
	}
	return ls_afile_commit(&af, ctx);
}

typedef struct id_index {
	uint64_t id;
	uint32_t i;
} id_index_t;

static int cmp_id(const void *a, const void *b)
{
	uint64_t x = ((const id_index_t *)a)->id, y = ((const id_index_t *)b)->id;
	return (x > y) - (x < y);
}

static ls_error_t write_truth(const synth_t *S, const char *path, ls_ctx_t *ctx)
{
	id_index_t *ids = malloc((size_t)S->nacc * sizeof *ids);
	if (ids == NULL)
		return ls_fail(ctx, LS_ENOMEM, "out of memory");
	size_t n = 0;
	for (uint32_t i = 0; i < S->nacc; i++)
		if (S->acc[i].posts > 0)
			ids[n++] = (id_index_t){S->acc[i].id, i};
	qsort(ids, n, sizeof *ids, cmp_id);
	ls_afile_t af;
	ls_error_t err = ls_afile_open(&af, path, ctx);
	if (err == LS_OK) {
		fputs("account,label,category\n", af.f);
		for (size_t k = 0; k < n; k++) {
			const account_t *a = &S->acc[ids[k].i];
			if (a->camp >= 0)
				fprintf(af.f, "%llu,1,%s\n", (unsigned long long)a->id, S->camps[a->camp].name);
			else
				fprintf(af.f, "%llu,0,organic\n", (unsigned long long)a->id);
		}
		err = ls_afile_commit(&af, ctx);
	}
	free(ids);
	return err;
}

/* ---------------------------------------------------------------------- API */

static void synth_free(synth_t *S)
{
	ls_synth_lex_free(&S->lex);
	ls_synth_strs_free(&S->names);
	ls_synth_alias_free(&S->pick_author);
	ls_synth_alias_free(&S->pick_rt);
	ls_synth_alias_free(&S->pick_reply);
	ls_synth_alias_free(&S->pick_mention);
	ls_synth_alias_free(&S->pick_hour);
	ls_synth_alias_free(&S->pick_zone);
	for (int k = 0; k < S->ncamps; k++) {
		free(S->camps[k].members);
		ls_vec_free(&S->camps[k].targets);
	}
	free(S->camps);
	free(S->acc);
	ls_vec_free(&S->posts);
	free(S->order);
	free(S->rank);
}

ls_error_t ls_synth_write(const char *dir, const ls_synth_options_t *opt, ls_ctx_t *ctx)
{
	ls_synth_options_t defaults;
	if (opt == NULL) {
		ls_synth_options_init(&defaults);
		opt = &defaults;
	}
	if (dir == NULL || *dir == '\0')
		return ls_fail(ctx, LS_EINVAL, "synth: no output directory");
	if ((int)opt->size < 0 || (size_t)opt->size >= COUNT(specs))
		return ls_fail(ctx, LS_EINVAL, "synth: unknown size %d", (int)opt->size);
	if (opt->campaigns < -1 || opt->campaigns > MAX_CAMPAIGNS)
		return ls_fail(ctx, LS_EINVAL, "synth: campaigns must be -1 (default) or 0..%d, not %d",
		               MAX_CAMPAIGNS, opt->campaigns);

	synth_t S;
	memset(&S, 0, sizeof S);
	ls_error_t err = LS_OK;
	char *posts_path = NULL, *truth_path = NULL;
	S.seed = opt->seed;
	S.spec = &specs[opt->size];
	ls_synth_rng_seed(&S.rng, opt->seed);
	int ncamp = opt->campaigns < 0 ? 4 : opt->campaigns;

	if (ls_synth_lex_init(&S.lex, opt->seed) ||
	    ls_synth_alias_init(&S.pick_hour, hour_weights, COUNT(hour_weights)) ||
	    ls_synth_alias_init(&S.pick_zone, zone_weights, COUNT(zone_weights)) || make_accounts(&S))
		goto oom;
	err = make_campaigns(&S, ncamp, ctx);
	if (err)
		goto done;
	if (build_pickers(&S) || ls_vec_reserve(&S.posts, S.spec->posts + S.spec->posts / 8) ||
	    organic_originals(&S) || ring_targets(&S) || cascades(&S) || replies(&S) ||
	    campaign_posts(&S) || sort_posts(&S))
		goto oom;

	posts_path = ls_path_join(dir, "posts.csv");
	truth_path = ls_path_join(dir, "truth.csv");
	if (posts_path == NULL || truth_path == NULL)
		goto oom;
	err = ls_mkdir_p(dir, ctx);
	if (err == LS_OK)
		err = write_posts(&S, posts_path, ctx);
	if (err == LS_OK)
		err = write_truth(&S, truth_path, ctx);
	goto done;
oom:
	err = ls_fail(ctx, LS_ENOMEM, "synth: out of memory");
done:
	free(posts_path);
	free(truth_path);
	synth_free(&S);
	return err;
}
