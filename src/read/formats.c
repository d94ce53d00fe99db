/*
 * The format table and header matching (see formats.h), plus the public
 * ls_formats() / ls_format_description() and small helpers shared by the
 * mappers.
 *
 * Cost: matching a header is O(formats x columns x header fields) string
 * comparisons, done once per input.
 */
#include "read/formats.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

/* One row per format; detection tries them in this order. */
static const ls_format_t *const table[] = {
	&ls_fmt_coortweet,
	&ls_fmt_cnt,
	&ls_fmt_fivethirtyeight,
	&ls_fmt_gopdebate,
	&ls_fmt_ioarchive,
	&ls_fmt_columns,
	&ls_fmt_twitter_v1,
	/* before twitter-v2, which takes any page with "data" */
	&ls_fmt_meta_ads,
	&ls_fmt_twitter_v2,
	&ls_fmt_ira_ads,
	&ls_fmt_ira_ads_csv,
};

#define N_FORMATS (sizeof table / sizeof table[0])

/* Must list the table's names in the same order. */
static const char *const names[N_FORMATS + 1] = {
	"coortweet", "cnt", "fivethirtyeight", "gop-debate", "io-archive", "columns",
	"twitter-v1", "meta-ads", "twitter-v2", "ira-ads", "ira-ads-csv", NULL,
};

const char *const *ls_formats(void)
{
	return names;
}

const ls_format_t *ls_format_find(const char *name)
{
	if (name == NULL)
		return NULL;
	for (size_t i = 0; i < N_FORMATS; i++)
		if (strcmp(table[i]->name, name) == 0)
			return table[i];
	return NULL;
}

const char *ls_format_description(const char *name)
{
	const ls_format_t *f = ls_format_find(name);
	return f ? f->description : NULL;
}

const char *ls_format_list(char *buf, size_t cap)
{
	size_t used = 0;
	if (cap == 0)
		return buf;
	buf[0] = '\0';
	for (size_t i = 0; i < N_FORMATS; i++) {
		int w = snprintf(buf + used, cap - used, "%s%s", i ? ", " : "", table[i]->name);
		if (w < 0 || (size_t)w >= cap - used)
			break;
		used += (size_t)w;
	}
	return buf;
}

/* Header field trimmed of blanks and a UTF-8 BOM. */
static ls_str_t trim_header(ls_str_t h)
{
	if (h.n >= 3 && memcmp(h.p, "\xEF\xBB\xBF", 3) == 0)
		h.p += 3, h.n -= 3;
	while (h.n > 0 && (h.p[0] == ' ' || h.p[0] == '\t'))
		h.p++, h.n--;
	while (h.n > 0 && (h.p[h.n - 1] == ' ' || h.p[h.n - 1] == '\t' || h.p[h.n - 1] == '\r'))
		h.n--;
	return h;
}

static size_t find_column(const ls_str_t *hdr, size_t n, const char *name)
{
	size_t len = strlen(name);
	for (size_t i = 0; i < n; i++) {
		ls_str_t h = trim_header(hdr[i]);
		if (h.n == len && strncasecmp(h.p, name, len) == 0)
			return i;
	}
	return LS_COL_NONE;
}

int ls_format_columns(const ls_format_t *fmt, const ls_str_t *hdr, size_t n, size_t *col,
                      const char **missing)
{
	for (size_t k = 0; fmt->columns[k] != NULL && k < LS_FORMAT_MAX_COLS; k++) {
		const char *name = fmt->columns[k];
		int optional = name[0] == '?';
		if (optional)
			name++;
		col[k] = find_column(hdr, n, name);
		if (col[k] == LS_COL_NONE && !optional) {
			if (missing)
				*missing = name;
			return -1;
		}
	}
	return 0;
}

const ls_format_t *ls_format_detect(const ls_str_t *hdr, size_t n)
{
	size_t col[LS_FORMAT_MAX_COLS];
	for (size_t i = 0; i < N_FORMATS; i++)
		if (table[i]->kind == LS_FORMAT_CSV && !table[i]->user_columns &&
		    ls_format_columns(table[i], hdr, n, col, NULL) == 0)
			return table[i];
	return NULL;
}

const ls_format_t *ls_format_detect_json(const ls_sjson_val_t *first)
{
	for (size_t i = 0; i < N_FORMATS; i++)
		if (table[i]->kind == LS_FORMAT_JSON && table[i]->detect(first))
			return table[i];
	return NULL;
}

int ls_map_time(const ls_map_env_t *env, ls_str_t v, const char *field, int64_t *t,
                ls_map_error_t *why)
{
	if (ls_time_parse_format(env ? env->time_format : NULL, v.p, v.n, t) == 0)
		return 0;
	why->problem = LS_MAP_BAD_TIME;
	why->field = field;
	why->value = v;
	return -1;
}

int ls_map_check_account(const ls_post_t *post, const char *field, ls_map_error_t *why)
{
	if (post->account_id.n > 0 || post->handle.n > 0)
		return 0;
	why->problem = LS_MAP_NO_ACCOUNT;
	why->field = field;
	why->value = post->handle;
	return -1;
}

static int take_rt_user(ls_post_t *post, ls_str_t rt)
{
	if (rt.n == 0)
		return 0;
	if (post->ref_account.n == 0)
		post->ref_account = rt;
	return 1;
}

int ls_map_text_entities(ls_post_t *post, ls_entities_t *ent)
{
	ls_entities_parse(post->text.p, post->text.n, ent);
	return take_rt_user(post, ent->rt_user);
}

int ls_map_text_entities_late(ls_post_t *post, ls_entities_t *ent)
{
	if (!ent->defer)
		return ls_map_text_entities(post, ent);
	ent->n_urls = ent->n_hashtags = ent->n_mentions = 0;
	ent->rt_user = ls_entities_rt_user(post->text.p, post->text.n);
	ent->pending = LS_ENT_ALL;
	return take_rt_user(post, ent->rt_user);
}

size_t ls_map_split_list(ls_str_t v, ls_str_t *out, size_t cap)
{
	const char *p = v.p, *e = v.p + v.n;
	while (p < e && (*p == ' ' || *p == '['))
		p++;
	while (e > p && (e[-1] == ' ' || e[-1] == ']'))
		e--;
	size_t n = 0;
	while (p < e) {
		const char *s = p;
		while (p < e && *p != ',' && *p != ' ')
			p++;
		const char *ie = p;
		while (s < ie && (*s == '\'' || *s == '"'))
			s++;
		while (ie > s && (ie[-1] == '\'' || ie[-1] == '"'))
			ie--;
		if (ie > s && n < cap) {
			out[n].p = s;
			out[n].n = (size_t)(ie - s);
			n++;
		}
		while (p < e && (*p == ',' || *p == ' '))
			p++;
	}
	return n;
}

int ls_map_truthy(ls_str_t v)
{
	static const char *const yes[] = {"1", "true", "True", "TRUE", "yes", "t", NULL};
	for (size_t i = 0; yes[i]; i++)
		if (v.n == strlen(yes[i]) && memcmp(v.p, yes[i], v.n) == 0)
			return 1;
	return 0;
}

int ls_jget(const ls_sjson_val_t *v, const char *path, ls_sjson_val_t *out)
{
	ls_sjson_val_t cur = *v;
	char key[64];
	const char *p = path;
	for (;;) {
		const char *dot = strchr(p, '.');
		size_t n = dot ? (size_t)(dot - p) : strlen(p);
		if (n >= sizeof key)
			return 0;
		memcpy(key, p, n);
		key[n] = '\0';
		ls_sjson_val_t next;
		if (!ls_sjson_get(&cur, key, &next))
			return 0;
		cur = next;
		if (dot == NULL)
			break;
		p = dot + 1;
	}
	*out = cur;
	return 1;
}

int ls_jstr(const ls_sjson_val_t *v, const char *path, ls_str_t *s)
{
	ls_sjson_val_t x;
	return ls_jget(v, path, &x) && ls_sjson_str(&x, &s->p, &s->n);
}

int ls_jid(ls_map_env_t *env, int slot, const ls_sjson_val_t *v, const char *path, ls_str_t *s)
{
	ls_sjson_val_t x;
	if (!ls_jget(v, path, &x))
		return 0;
	uint64_t u;
	if (ls_sjson_str(&x, &s->p, &s->n))
		return s->n > 0;
	if (!ls_sjson_u64(&x, &u))
		return 0;
	int w = snprintf(env->num[slot], sizeof env->num[slot], "%llu", (unsigned long long)u);
	if (w <= 0)
		return 0;
	s->p = env->num[slot];
	s->n = (size_t)w;
	return 1;
}

size_t ls_jcollect(const ls_sjson_val_t *arr, const char *key, const char *alt, ls_str_t *out,
                   size_t cap)
{
	size_t n = 0;
	ls_sjson_iter_t it;
	ls_sjson_val_t el;
	ls_sjson_iter_start(arr, &it);
	while (n < cap && ls_sjson_iter_next(arr, &it, &el)) {
		ls_str_t s;
		if ((ls_jstr(&el, key, &s) || (alt && ls_jstr(&el, alt, &s))) && s.n > 0)
			out[n++] = s;
	}
	return n;
}
