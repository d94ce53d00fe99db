/*
 * Lexicon and text pieces for the synthetic scenario: see synth_text.h.
 *
 * Sizes: 4,000 vocabulary words (Zipf exponent 1.05), 1,500 hashtags (1.1),
 * 400 domains (1.1) and 6,000 URL slots (1.05). A URL slot's domain and path
 * are derived from (seed, slot) alone, so the same slot always prints the
 * same URL and nothing per slot is stored.
 */
#include "synth/synth_text.h"

#include <stdlib.h>
#include <string.h>

#define N_WORDS 4000
#define N_TAGS 1500
#define N_DOMAINS 400
#define N_URLS 6000

/* Common English words, roughly by frequency, then a few non-ASCII ones so
 * that the readers' case folding of Latin letters is exercised. */
static const char *const common_words[] = {
	"the", "to", "and", "a", "of", "is", "in", "it", "you", "that", "for", "this", "on", "i",
	"we", "are", "be", "with", "have", "not", "they", "just", "at", "so", "all", "but", "was",
	"what", "about", "will", "can", "people", "do", "from", "if", "my", "more", "one", "like",
	"our", "no", "now", "get", "he", "how", "who", "by", "their", "out", "your", "up", "new",
	"time", "when", "an", "has", "know", "there", "would", "think", "them", "today", "been",
	"good", "need", "see", "should", "why", "right", "only", "or", "want", "make", "day",
	"going", "back", "really", "great", "year", "never", "after", "still", "its", "first",
	"world", "even", "because", "over", "way", "us", "here", "these", "those", "every",
	"country", "government", "news", "week", "love", "life", "say", "said", "last", "than",
	"next", "other", "best", "thing", "look", "take", "vote", "real", "work", "team",
	"game", "city", "school", "family", "money", "state", "story", "free", "truth", "media",
	"health", "power", "change", "election", "policy", "market", "water", "energy", "war",
	"peace", "price", "house", "job", "tax", "plan", "report", "video", "live", "watch",
	"read", "share", "thread", "support", "stop", "help", "call", "open", "big", "small",
	"old", "young", "long", "high", "local", "public", "president", "minister", "party",
	"council", "court", "law", "police", "climate", "weather", "rain", "summer", "winter",
	"music", "song", "film", "book", "art", "food", "coffee", "morning", "night", "weekend",
	"friday", "monday", "tonight", "tomorrow", "again", "finally", "always", "maybe",
	"please", "thanks", "amazing", "happy", "sad", "wrong", "true", "fake", "crazy",
	"important", "breaking", "update", "official", "whole", "everyone", "nobody", "someone",
	"café", "naïve", "über", "señor", "façade",
};

static const char *const common_tags[] = {
	"news", "breaking", "politics", "election2024", "football", "music", "climate", "ukraine",
	"tech", "AI", "crypto", "bitcoin", "NBA", "F1", "love", "travel", "photography", "art",
	"gaming", "movies", "health", "economy", "science", "fashion", "food", "weather", "sports",
	"tbt", "motivation", "FridayFeeling", "MondayMotivation", "NowPlaying", "worldcup",
	"Oscars", "Eurovision", "space", "nature", "books", "jobs", "covid",
};

static const char *const common_domains[] = {
	"youtube.com", "nytimes.com", "bbc.co.uk", "theguardian.com", "reuters.com", "cnn.com",
	"foxnews.com", "washingtonpost.com", "instagram.com", "twitter.com", "facebook.com",
	"apnews.com", "bloomberg.com", "wsj.com", "nbcnews.com", "politico.com", "medium.com",
	"substack.com", "open.spotify.com", "tiktok.com", "reddit.com", "en.wikipedia.org",
	"github.com", "forbes.com", "aljazeera.com", "dailymail.co.uk", "independent.co.uk",
	"npr.org", "cnbc.com", "latimes.com", "usatoday.com", "theverge.com", "techcrunch.com",
	"lemonde.fr", "spiegel.de", "elpais.com", "abc.net.au", "cbc.ca", "nature.com", "imdb.com",
};

static const char *const stock_phrases[] = {
	"Good morning everyone!", "Happy Friday!", "Thank you so much!", "Happy birthday!",
	"This is huge.", "Can't believe this.", "Good night all", "So true.", "Well said.",
	"Happy Monday everyone", "Let's go!", "Congratulations!", "Absolutely.", "Must watch.",
	"Read this thread.", "Retweet if you agree", "What a game!", "I agree 100%",
	"Unbelievable.", "Stay safe everyone",
};

static const char *const tlds[] = {".com", ".net", ".org", ".io", ".co.uk", ".news", ".info", ".de"};

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------------ arenas */

int ls_synth_strs_add(ls_synth_strs_t *s, const char *str, size_t n)
{
	if (n > UINT32_MAX - 1 || s->n > (size_t)UINT32_MAX - n - 1)
		return -1;
	if (s->n + n + 1 > s->cap) {
		size_t c = s->cap ? s->cap : 4096;
		while (c < s->n + n + 1)
			c *= 2;
		char *p = realloc(s->p, c);
		if (p == NULL)
			return -1;
		s->p = p;
		s->cap = c;
	}
	if (s->count == s->capoff) {
		size_t c = s->capoff ? s->capoff * 2 : 256;
		uint32_t *o = realloc(s->off, c * sizeof *o);
		if (o == NULL)
			return -1;
		s->off = o;
		s->capoff = c;
	}
	s->off[s->count++] = (uint32_t)s->n;
	memcpy(s->p + s->n, str, n);
	s->n += n;
	s->p[s->n++] = '\0';
	return 0;
}

void ls_synth_strs_free(ls_synth_strs_t *s)
{
	free(s->p);
	free(s->off);
	memset(s, 0, sizeof *s);
}

/* ----------------------------------------------------------------- buffers */

void ls_synth_buf_init(ls_synth_buf_t *b, char *storage, size_t cap)
{
	b->p = storage;
	b->n = 0;
	b->cap = cap;
	if (cap)
		storage[0] = '\0';
}

void ls_synth_buf_putu(ls_synth_buf_t *b, uint64_t v)
{
	char tmp[24];
	size_t k = sizeof tmp;
	do {
		tmp[--k] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	ls_synth_buf_put(b, tmp + k, sizeof tmp - k);
}

/* ------------------------------------------------------------------- words */

static const char *const onsets[] = {"b", "d", "f", "g", "k", "l", "m", "n", "p", "r", "s",
                                     "t", "v", "z", "br", "st", "tr", "ch", "sh", "gr", "pl",
                                     "kr", "th", "j"};
static const char *const vowels[] = {"a", "e", "i", "o", "u", "a", "e", "o", "ai", "ou", "ea", "y"};
static const char *const codas[] = {"", "", "", "n", "r", "s", "l", "t", "x", "m", "k", "nd"};

void ls_synth_pseudo_word(ls_synth_rng_t *r, int lo, int hi, ls_synth_buf_t *b)
{
	int k = (int)ls_synth_rng_range(r, lo, hi);
	for (int i = 0; i < k; i++) {
		ls_synth_buf_puts(b, onsets[ls_synth_rng_below(r, COUNT(onsets))]);
		ls_synth_buf_puts(b, vowels[ls_synth_rng_below(r, COUNT(vowels))]);
		if (i == k - 1 || ls_synth_rng_chance(r, 0.25))
			ls_synth_buf_puts(b, codas[ls_synth_rng_below(r, COUNT(codas))]);
	}
}

static int is_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return 0;
	return 1;
}

uint32_t ls_synth_word(const ls_synth_lex_t *lx, ls_synth_rng_t *r)
{
	return ls_synth_alias_draw(&lx->word_pick, r);
}

uint32_t ls_synth_ascii_word(const ls_synth_lex_t *lx, ls_synth_rng_t *r)
{
	for (int tries = 0; tries < 16; tries++) {
		uint32_t w = ls_synth_alias_draw(&lx->word_pick, r);
		if (is_ascii(ls_synth_strs_get(&lx->words, w)))
			return w;
	}
	return 0; /* "the" */
}

static void put_capitalised(ls_synth_buf_t *b, const char *w)
{
	if (*w >= 'a' && *w <= 'z') {
		ls_synth_buf_putc(b, (char)(*w - 'a' + 'A'));
		w++;
	}
	ls_synth_buf_puts(b, w);
}

void ls_synth_text_words(const ls_synth_lex_t *lx, ls_synth_rng_t *r, int nwords,
                         ls_synth_buf_t *b)
{
	int cap_next = 1, quote_left = 0;
	for (int i = 0; i < nwords; i++) {
		if (i > 0)
			ls_synth_buf_putc(b, ls_synth_rng_chance(r, 0.01) ? '\n' : ' ');
		if (quote_left == 0 && i < nwords - 1 && ls_synth_rng_chance(r, 0.015)) {
			ls_synth_buf_putc(b, '"');
			quote_left = (int)ls_synth_rng_range(r, 1, 3);
		}
		const char *w = ls_synth_strs_get(&lx->words, ls_synth_word(lx, r));
		if (cap_next || (w[0] == 'i' && w[1] == '\0'))
			put_capitalised(b, w);
		else
			ls_synth_buf_puts(b, w);
		cap_next = 0;
		if (quote_left > 0 && (--quote_left == 0 || i == nwords - 1)) {
			ls_synth_buf_putc(b, '"');
			quote_left = 0;
		}
		if (i < nwords - 1) {
			double u = ls_synth_rng_unit(r);
			if (u < 0.05) {
				ls_synth_buf_putc(b, ',');
			} else if (u < 0.07) {
				ls_synth_buf_putc(b, '.');
				cap_next = 1;
			}
		}
	}
	double u = ls_synth_rng_unit(r);
	if (u < 0.45)
		ls_synth_buf_putc(b, '.');
	else if (u < 0.6)
		ls_synth_buf_putc(b, '!');
	else if (u < 0.7)
		ls_synth_buf_putc(b, '?');
	else if (u < 0.75)
		ls_synth_buf_puts(b, "...");
}

void ls_synth_slug(const ls_synth_lex_t *lx, ls_synth_rng_t *r, int lo, int hi, ls_synth_buf_t *b)
{
	int k = (int)ls_synth_rng_range(r, lo, hi);
	for (int i = 0; i < k; i++) {
		if (i)
			ls_synth_buf_putc(b, '-');
		ls_synth_buf_puts(b, ls_synth_strs_get(&lx->words, ls_synth_ascii_word(lx, r)));
	}
}

static void put_code(ls_synth_rng_t *r, int n, ls_synth_buf_t *b)
{
	static const char alnum[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	for (int i = 0; i < n; i++)
		ls_synth_buf_putc(b, alnum[ls_synth_rng_below(r, sizeof alnum - 1)]);
}

void ls_synth_short_url(ls_synth_rng_t *r, ls_synth_buf_t *b)
{
	ls_synth_buf_puts(b, "https://t.co/");
	put_code(r, 10, b);
}

void ls_synth_url_slot(const ls_synth_lex_t *lx, uint32_t slot, ls_synth_buf_t *b)
{
	ls_synth_rng_t r;
	ls_synth_rng_seed2(&r, lx->seed ^ 0x75726c736c6f74ull, slot);
	uint32_t d = ls_synth_alias_draw(&lx->domain_pick, &r);
	const char *dom = ls_synth_strs_get(&lx->domains, d);
	ls_synth_buf_puts(b, "https://");
	if (d >= COUNT(common_domains) && ls_synth_rng_chance(&r, 0.3))
		ls_synth_buf_puts(b, "www.");
	ls_synth_buf_puts(b, dom);
	if (strcmp(dom, "youtube.com") == 0) {
		ls_synth_buf_puts(b, "/watch?v=");
		put_code(&r, 11, b);
		return;
	}
	switch (ls_synth_rng_below(&r, 4)) {
	case 0: /* dated news article */
		ls_synth_buf_putc(b, '/');
		ls_synth_buf_putu(b, 2023 + ls_synth_rng_below(&r, 2));
		ls_synth_buf_putc(b, '/');
		ls_synth_buf_putu(b, 10 + ls_synth_rng_below(&r, 3));
		ls_synth_buf_putc(b, '/');
		ls_synth_slug(lx, &r, 3, 7, b);
		break;
	case 1: /* section and slug */
		ls_synth_buf_putc(b, '/');
		ls_synth_buf_puts(b, ls_synth_strs_get(&lx->words, ls_synth_ascii_word(lx, &r)));
		ls_synth_buf_putc(b, '/');
		ls_synth_slug(lx, &r, 2, 6, b);
		ls_synth_buf_puts(b, ".html");
		break;
	case 2: /* post id */
		ls_synth_buf_puts(b, "/p/");
		put_code(&r, 10, b);
		ls_synth_buf_putc(b, '/');
		break;
	default: /* article with a numeric id */
		ls_synth_buf_puts(b, "/article/");
		ls_synth_buf_putu(b, 100000 + ls_synth_rng_below(&r, 900000));
		ls_synth_buf_putc(b, '-');
		ls_synth_slug(lx, &r, 2, 4, b);
		break;
	}
}

const char *ls_synth_stock_phrase(ls_synth_rng_t *r)
{
	/* Zipf-like: the first phrases are far more common. */
	double u = ls_synth_rng_unit(r);
	size_t i = (size_t)((double)COUNT(stock_phrases) * u * u * u);
	return stock_phrases[i < COUNT(stock_phrases) ? i : 0];
}

/* ----------------------------------------------------------------- lexicon */

int ls_synth_lex_init(ls_synth_lex_t *lx, uint64_t seed)
{
	memset(lx, 0, sizeof *lx);
	lx->seed = seed;
	ls_synth_rng_t r;
	ls_synth_rng_seed2(&r, seed, 0x6c6578696b6f6eull);
	char tmp[128];
	ls_synth_buf_t b;

	for (size_t i = 0; i < COUNT(common_words); i++)
		if (ls_synth_strs_add(&lx->words, common_words[i], strlen(common_words[i])))
			goto oom;
	while (lx->words.count < N_WORDS) {
		ls_synth_buf_init(&b, tmp, sizeof tmp);
		ls_synth_pseudo_word(&r, 1, 3, &b);
		if (ls_synth_strs_add(&lx->words, b.p, b.n))
			goto oom;
	}

	for (size_t i = 0; i < COUNT(common_tags); i++)
		if (ls_synth_strs_add(&lx->tags, common_tags[i], strlen(common_tags[i])))
			goto oom;
	while (lx->tags.count < N_TAGS) {
		ls_synth_buf_init(&b, tmp, sizeof tmp);
		int parts = (int)ls_synth_rng_range(&r, 1, 2);
		for (int k = 0; k < parts; k++) {
			ls_synth_buf_t wb;
			char wtmp[64];
			ls_synth_buf_init(&wb, wtmp, sizeof wtmp);
			ls_synth_pseudo_word(&r, 1, 3, &wb);
			if (ls_synth_rng_chance(&r, 0.7))
				put_capitalised(&b, wb.p);
			else
				ls_synth_buf_puts(&b, wb.p);
		}
		if (ls_synth_rng_chance(&r, 0.15))
			ls_synth_buf_putu(&b, 2020 + ls_synth_rng_below(&r, 6));
		if (ls_synth_strs_add(&lx->tags, b.p, b.n))
			goto oom;
	}

	for (size_t i = 0; i < COUNT(common_domains); i++)
		if (ls_synth_strs_add(&lx->domains, common_domains[i], strlen(common_domains[i])))
			goto oom;
	while (lx->domains.count < N_DOMAINS) {
		ls_synth_buf_init(&b, tmp, sizeof tmp);
		ls_synth_pseudo_word(&r, 2, 3, &b);
		if (ls_synth_rng_chance(&r, 0.3)) {
			if (ls_synth_rng_chance(&r, 0.5))
				ls_synth_buf_putc(&b, '-');
			ls_synth_pseudo_word(&r, 1, 2, &b);
		}
		ls_synth_buf_puts(&b, tlds[ls_synth_rng_below(&r, COUNT(tlds))]);
		if (ls_synth_strs_add(&lx->domains, b.p, b.n))
			goto oom;
	}

	if (ls_synth_alias_init_zipf(&lx->word_pick, N_WORDS, 1.05) ||
	    ls_synth_alias_init_zipf(&lx->tag_pick, N_TAGS, 1.1) ||
	    ls_synth_alias_init_zipf(&lx->domain_pick, N_DOMAINS, 1.1) ||
	    ls_synth_alias_init_zipf(&lx->url_pick, N_URLS, 1.05))
		goto oom;
	return 0;
oom:
	ls_synth_lex_free(lx);
	return -1;
}

void ls_synth_lex_free(ls_synth_lex_t *lx)
{
	ls_synth_strs_free(&lx->words);
	ls_synth_strs_free(&lx->tags);
	ls_synth_strs_free(&lx->domains);
	ls_synth_alias_free(&lx->word_pick);
	ls_synth_alias_free(&lx->tag_pick);
	ls_synth_alias_free(&lx->domain_pick);
	ls_synth_alias_free(&lx->url_pick);
}
