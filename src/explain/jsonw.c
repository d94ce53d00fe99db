/*
 * Canonical JSON writer (see jsonw.h). Each value is preceded by what
 * Python's indent=2 layout puts before it: nothing after a key, else a
 * comma (not for the first item), a newline and two spaces per level.
 */
#define _GNU_SOURCE /* fputs_unlocked, fwrite_unlocked: each FILE has one writer */
#include "explain/jsonw.h"
#include "core/dataset.h"
#include "explain/textout.h"

#include <string.h>

void ls_jw_init(ls_jw_t *w, FILE *f)
{
	w->f = f;
	w->depth = 0;
	w->after_key = 0;
	w->count[0] = 0;
}

/* ",\n" and two spaces per level, in one write; without the comma when
 * `comma` is 0. */
static void indent(ls_jw_t *w, int depth, int comma)
{
	static const char nl[] = ",\n                                                                ";
	if (depth <= 32) {
		fwrite_unlocked(nl + !comma, 1, (size_t)comma + 1 + 2 * (size_t)depth, w->f);
		return;
	}
	fwrite_unlocked(nl + !comma, 1, (size_t)comma + 1, w->f);
	for (int i = 0; i < depth; i++)
		fputs_unlocked("  ", w->f);
}

/* Separator and indentation before a value or a key. */
static void before_item(ls_jw_t *w)
{
	if (w->after_key) {
		w->after_key = 0;
		return;
	}
	if (w->depth == 0)
		return;
	int d = w->depth <= LS_JW_MAX_DEPTH ? w->depth : LS_JW_MAX_DEPTH;
	indent(w, w->depth, w->count[d - 1]++ > 0);
}

static void open_level(ls_jw_t *w, char c, char close)
{
	before_item(w);
	putc_unlocked(c, w->f);
	if (w->depth < LS_JW_MAX_DEPTH) {
		w->count[w->depth] = 0;
		w->close[w->depth] = close;
	}
	w->depth++;
}

void ls_jw_obj(ls_jw_t *w)
{
	open_level(w, '{', '}');
}

void ls_jw_arr(ls_jw_t *w)
{
	open_level(w, '[', ']');
}

void ls_jw_end(ls_jw_t *w)
{
	if (w->depth == 0)
		return;
	int d = w->depth <= LS_JW_MAX_DEPTH ? w->depth : LS_JW_MAX_DEPTH;
	if (w->count[d - 1] > 0)
		indent(w, w->depth - 1, 0);
	putc_unlocked(w->close[d - 1], w->f);
	w->depth--;
}

void ls_jw_key(ls_jw_t *w, const char *key)
{
	before_item(w);
	/* keys are short plain ASCII: "key": in one write; else escaped */
	char b[64];
	size_t n = 0;
	b[n++] = '"';
	for (const char *k = key; *k; k++) {
		unsigned char c = (unsigned char)*k;
		if (n > sizeof b - 4 || c < 0x20 || c >= 0x7F || c == '"' || c == '\\') {
			n = 0;
			break;
		}
		b[n++] = (char)c;
	}
	if (n > 0) {
		memcpy(b + n, "\": ", 3);
		fwrite_unlocked(b, 1, n + 3, w->f);
	} else {
		ls_out_json_str(w->f, key);
		fputs_unlocked(": ", w->f);
	}
	w->after_key = 1;
}

void ls_jw_str(ls_jw_t *w, const char *s)
{
	before_item(w);
	ls_out_json_str(w->f, s);
}

void ls_jw_strn(ls_jw_t *w, const char *s, size_t n)
{
	before_item(w);
	ls_out_json(w->f, s, n);
}

void ls_jw_u64(ls_jw_t *w, uint64_t v)
{
	char b[LS_NUMBUF];
	before_item(w);
	fputs_unlocked(ls_fmt_u64(v, b), w->f);
}

void ls_jw_i64(ls_jw_t *w, int64_t v)
{
	char b[LS_NUMBUF];
	before_item(w);
	fputs_unlocked(ls_fmt_i64(v, b), w->f);
}

void ls_jw_real(ls_jw_t *w, double v)
{
	char b[LS_NUMBUF];
	before_item(w);
	if (v != v || v - v != 0)
		fputs_unlocked("null", w->f);
	else
		fputs_unlocked(ls_fmt_real(v, b), w->f);
}

void ls_jw_bool(ls_jw_t *w, int v)
{
	before_item(w);
	fputs_unlocked(v ? "true" : "false", w->f);
}

void ls_jw_null(ls_jw_t *w)
{
	before_item(w);
	fputs_unlocked("null", w->f);
}

void ls_jw_finish(ls_jw_t *w)
{
	putc_unlocked('\n', w->f);
}

void ls_jw_kstr(ls_jw_t *w, const char *key, const char *s)
{
	ls_jw_key(w, key);
	ls_jw_str(w, s);
}

void ls_jw_ku64(ls_jw_t *w, const char *key, uint64_t v)
{
	ls_jw_key(w, key);
	ls_jw_u64(w, v);
}

void ls_jw_ki64(ls_jw_t *w, const char *key, int64_t v)
{
	ls_jw_key(w, key);
	ls_jw_i64(w, v);
}

void ls_jw_kreal(ls_jw_t *w, const char *key, double v)
{
	ls_jw_key(w, key);
	ls_jw_real(w, v);
}

void ls_jw_kbool(ls_jw_t *w, const char *key, int v)
{
	ls_jw_key(w, key);
	ls_jw_bool(w, v);
}

void ls_jw_knull(ls_jw_t *w, const char *key)
{
	ls_jw_key(w, key);
	ls_jw_null(w);
}

void ls_jw_ktime(ls_jw_t *w, const char *key, int64_t t)
{
	char b[LS_NUMBUF];
	ls_jw_kstr(w, key, ls_fmt_time(t, b));
}
