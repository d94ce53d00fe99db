/*
 * JSON reader (see jsonp.h): recursive descent with a depth bound; values
 * are built in growable arrays and owned by their parent.
 */
#include "explain/jsonp.h"
#include "core/ctx.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

typedef struct parser {
	const char *p, *start, *end;
	ls_ctx_t *ctx;
	ls_error_t err;
} parser_t;

static int fail(parser_t *ps, const char *what)
{
	if (!ps->err)
		ps->err = ls_fail(ps->ctx, LS_EPARSE, "JSON: %s at byte %zu", what,
		                  (size_t)(ps->p - ps->start));
	return -1;
}

static int oom(parser_t *ps)
{
	if (!ps->err)
		ps->err = ls_fail(ps->ctx, LS_ENOMEM, "out of memory reading JSON");
	return -1;
}

static void skip_ws(parser_t *ps)
{
	while (ps->p < ps->end &&
	       (*ps->p == ' ' || *ps->p == '\n' || *ps->p == '\r' || *ps->p == '\t'))
		ps->p++;
}

static void free_value(ls_jv_t *v)
{
	free(v->s);
	for (size_t i = 0; i < v->n; i++) {
		if (v->items)
			free_value(&v->items[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
}

static int hex4(parser_t *ps, uint32_t *out)
{
	if (ps->end - ps->p < 4)
		return fail(ps, "short \\u escape");
	uint32_t v = 0;
	for (int i = 0; i < 4; i++) {
		char c = *ps->p++;
		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (uint32_t)(c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (uint32_t)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (uint32_t)(c - 'A' + 10);
		else
			return fail(ps, "bad \\u escape");
	}
	*out = v;
	return 0;
}

static size_t put_utf8(char *o, uint32_t cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xC0 | cp >> 6);
		o[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xE0 | cp >> 12);
		o[1] = (char)(0x80 | (cp >> 6 & 0x3F));
		o[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (char)(0xF0 | cp >> 18);
	o[1] = (char)(0x80 | (cp >> 12 & 0x3F));
	o[2] = (char)(0x80 | (cp >> 6 & 0x3F));
	o[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

/* Parses a string at ps->p (on the opening quote) into a new buffer. */
static int parse_string(parser_t *ps, char **out, size_t *len)
{
	ps->p++;
	const char *q = ps->p;
	while (q < ps->end && *q != '"') {
		if (*q == '\\')
			q++;
		q++;
	}
	/* every escape decodes to at most 4 bytes from at least 2 input bytes;
	 * a \uXXXX pair (12 bytes) to 4: the input length bounds the output */
	size_t cap = (size_t)(q - ps->p) + 1;
	char *o = malloc(cap);
	if (o == NULL)
		return oom(ps);
	size_t k = 0;
	while (ps->p < ps->end && *ps->p != '"') {
		unsigned char c = (unsigned char)*ps->p++;
		if (c < 0x20) {
			free(o);
			return fail(ps, "control character in string");
		}
		if (c != '\\') {
			o[k++] = (char)c;
			continue;
		}
		if (ps->p >= ps->end)
			break;
		char e = *ps->p++;
		uint32_t cp;
		switch (e) {
		case '"': o[k++] = '"'; break;
		case '\\': o[k++] = '\\'; break;
		case '/': o[k++] = '/'; break;
		case 'b': o[k++] = '\b'; break;
		case 'f': o[k++] = '\f'; break;
		case 'n': o[k++] = '\n'; break;
		case 'r': o[k++] = '\r'; break;
		case 't': o[k++] = '\t'; break;
		case 'u':
			if (hex4(ps, &cp)) {
				free(o);
				return -1;
			}
			if (cp >= 0xD800 && cp <= 0xDBFF && ps->end - ps->p >= 6 && ps->p[0] == '\\' &&
			    ps->p[1] == 'u') {
				uint32_t lo;
				ps->p += 2;
				if (hex4(ps, &lo)) {
					free(o);
					return -1;
				}
				if (lo >= 0xDC00 && lo <= 0xDFFF)
					cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
				else
					cp = 0xFFFD;
			} else if (cp >= 0xD800 && cp <= 0xDFFF) {
				cp = 0xFFFD;
			}
			k += put_utf8(o + k, cp);
			break;
		default:
			free(o);
			return fail(ps, "bad escape in string");
		}
	}
	if (ps->p >= ps->end) {
		free(o);
		return fail(ps, "unterminated string");
	}
	ps->p++;
	o[k] = '\0';
	*out = o;
	*len = k;
	return 0;
}

static int parse_value(parser_t *ps, ls_jv_t *v, int depth);

static int push_item(parser_t *ps, ls_jv_t *v, size_t *cap, char *key, ls_jv_t **slot)
{
	if (v->n == *cap) {
		size_t nc = *cap ? *cap * 2 : 8;
		ls_jv_t *it = realloc(v->items, nc * sizeof *it);
		if (it == NULL)
			return oom(ps);
		v->items = it;
		if (v->type == LS_J_OBJ) {
			char **ks = realloc(v->keys, nc * sizeof *ks);
			if (ks == NULL)
				return oom(ps);
			v->keys = ks;
		}
		*cap = nc;
	}
	memset(&v->items[v->n], 0, sizeof v->items[0]);
	if (v->type == LS_J_OBJ)
		v->keys[v->n] = key;
	*slot = &v->items[v->n++];
	return 0;
}

static int parse_container(parser_t *ps, ls_jv_t *v, int depth)
{
	char close = v->type == LS_J_OBJ ? '}' : ']';
	size_t cap = 0;
	ps->p++;
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == close) {
		ps->p++;
		return 0;
	}
	for (;;) {
		char *key = NULL;
		size_t klen;
		skip_ws(ps);
		if (v->type == LS_J_OBJ) {
			if (ps->p >= ps->end || *ps->p != '"')
				return fail(ps, "expected a key");
			if (parse_string(ps, &key, &klen))
				return -1;
			skip_ws(ps);
			if (ps->p >= ps->end || *ps->p != ':') {
				free(key);
				return fail(ps, "expected ':'");
			}
			ps->p++;
		}
		ls_jv_t *slot;
		if (push_item(ps, v, &cap, key, &slot)) {
			free(key);
			return -1;
		}
		if (parse_value(ps, slot, depth + 1))
			return -1;
		skip_ws(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			continue;
		}
		if (ps->p < ps->end && *ps->p == close) {
			ps->p++;
			return 0;
		}
		return fail(ps, "expected ',' or the end of a container");
	}
}

static int parse_value(parser_t *ps, ls_jv_t *v, int depth)
{
	if (depth > LS_JSON_MAX_DEPTH)
		return fail(ps, "nesting too deep");
	skip_ws(ps);
	if (ps->p >= ps->end)
		return fail(ps, "unexpected end");
	char c = *ps->p;
	size_t left = (size_t)(ps->end - ps->p);
	if (c == '{' || c == '[') {
		v->type = c == '{' ? LS_J_OBJ : LS_J_ARR;
		return parse_container(ps, v, depth);
	}
	if (c == '"') {
		v->type = LS_J_STR;
		return parse_string(ps, &v->s, &v->len);
	}
	if (left >= 4 && memcmp(ps->p, "null", 4) == 0) {
		v->type = LS_J_NULL;
		ps->p += 4;
		return 0;
	}
	if (left >= 4 && memcmp(ps->p, "true", 4) == 0) {
		v->type = LS_J_BOOL;
		v->b = 1;
		ps->p += 4;
		return 0;
	}
	if (left >= 5 && memcmp(ps->p, "false", 5) == 0) {
		v->type = LS_J_BOOL;
		ps->p += 5;
		return 0;
	}
	const char *q = ps->p;
	while (q < ps->end && (strchr("+-.eE", *q) != NULL || (*q >= '0' && *q <= '9')))
		q++;
	if (q == ps->p)
		return fail(ps, "unexpected character");
	v->type = LS_J_NUM;
	v->len = (size_t)(q - ps->p);
	v->s = malloc(v->len + 1);
	if (v->s == NULL)
		return oom(ps);
	memcpy(v->s, ps->p, v->len);
	v->s[v->len] = '\0';
	ps->p = q;
	return 0;
}

ls_error_t ls_jv_parse(ls_jv_t **out, const char *text, size_t n, ls_ctx_t *ctx)
{
	*out = NULL;
	parser_t ps = {text, text, text + n, ctx, LS_OK};
	ls_jv_t *v = calloc(1, sizeof *v);
	if (v == NULL)
		return ls_fail(ctx, LS_ENOMEM, "out of memory reading JSON");
	if (parse_value(&ps, v, 0) == 0) {
		skip_ws(&ps);
		if (ps.p != ps.end)
			fail(&ps, "trailing data");
	}
	if (ps.err) {
		ls_jv_free(v);
		return ps.err;
	}
	*out = v;
	return LS_OK;
}

void ls_jv_free(ls_jv_t *v)
{
	if (v == NULL)
		return;
	free_value(v);
	free(v);
}

const ls_jv_t *ls_jv_get(const ls_jv_t *v, const char *key)
{
	if (v == NULL || v->type != LS_J_OBJ)
		return NULL;
	for (size_t i = 0; i < v->n; i++)
		if (strcmp(v->keys[i], key) == 0)
			return &v->items[i];
	return NULL;
}

const char *ls_jv_get_str(const ls_jv_t *v, const char *key)
{
	const ls_jv_t *m = ls_jv_get(v, key);
	return m && m->type == LS_J_STR ? m->s : NULL;
}

int ls_jv_u64(const ls_jv_t *v, uint64_t *out)
{
	if (v == NULL || v->type != LS_J_NUM || v->s[0] < '0' || v->s[0] > '9')
		return -1;
	char *end;
	errno = 0;
	unsigned long long x = strtoull(v->s, &end, 10);
	if (errno || *end)
		return -1;
	*out = (uint64_t)x;
	return 0;
}

int ls_jv_i64(const ls_jv_t *v, int64_t *out)
{
	if (v == NULL || v->type != LS_J_NUM)
		return -1;
	char *end;
	errno = 0;
	long long x = strtoll(v->s, &end, 10);
	if (errno || *end || end == v->s)
		return -1;
	*out = (int64_t)x;
	return 0;
}

int ls_jv_real(const ls_jv_t *v, double *out)
{
	if (v == NULL || v->type != LS_J_NUM)
		return -1;
	char *end;
	double x = strtod(v->s, &end);
	if (*end || end == v->s)
		return -1;
	*out = x;
	return 0;
}
