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
};

#define N_FORMATS (sizeof table / sizeof table[0])

/* Must list the table's names in the same order. */
static const char *const names[N_FORMATS + 1] = {
	"coortweet", "cnt", "fivethirtyeight", "gop-debate", NULL,
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
		if (ls_format_columns(table[i], hdr, n, col, NULL) == 0)
			return table[i];
	return NULL;
}

int ls_map_time(ls_str_t v, const char *field, int64_t *t, ls_map_error_t *why)
{
	if (ls_time_parse(v.p, v.n, t) == 0)
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

int ls_map_text_entities(ls_post_t *post, ls_entities_t *ent)
{
	ls_entities_parse(post->text.p, post->text.n, ent);
	if (ent->rt_user.n == 0)
		return 0;
	if (post->ref_account.n == 0)
		post->ref_account = ent->rt_user;
	return 1;
}
