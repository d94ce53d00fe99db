/*
 * Parameters <-> JSON (see params_json.h). The table below is the only
 * list of the fields: writing, reading, the layout check and the unit
 * test's round trip all walk it.
 */
#include "explain/params_json.h"
#include "core/ctx.h"
#include "core/dataset.h"

#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum ftype {
	F_I64,        /* int64_t */
	F_U64,        /* uint64_t */
	F_U32,        /* uint32_t */
	F_SIZE,       /* size_t */
	F_BOOL,       /* int used as a flag: true/false */
	F_DOUBLE,     /* double: shortest round-trip, null when not finite */
	F_BEHAVIOURS, /* uint64_t bit mask: array of behaviour names, bit order */
	F_CLUSTER,    /* ls_cluster_method_t: "leiden" or "components" */
	F_STR         /* const char *: string or null; read back borrowed from the tree */
} ftype_t;

typedef struct field {
	const char *name;
	ftype_t type;
	int in_read;  /* 0: ls_params_t, 1: ls_read_options_t */
	size_t off, size;
} field_t;

#define P(f, t) {#f, t, 0, offsetof(ls_params_t, f), sizeof(((ls_params_t *)0)->f)}
#define R(f, t) {#f, t, 1, offsetof(ls_read_options_t, f), sizeof(((ls_read_options_t *)0)->f)}

/* Every field of ls_params_t (P) and ls_read_options_t (R). Add new ones
 * here: one line each. */
static const field_t fields[] = {
	P(window, F_I64),
	P(behaviours, F_BEHAVIOURS),
	P(fdr, F_DOUBLE),
	P(min_weight, F_U32),
	P(cluster, F_CLUSTER),
	P(resolution, F_DOUBLE),
	P(seed, F_U64),
	P(min_cluster_size, F_U32),
	P(max_burst, F_U32),
	P(all_links, F_BOOL),
	P(emit_pairs, F_BOOL),
	P(min_participation, F_U32),
	P(keep_loops, F_BOOL),
	P(window_auto, F_BOOL),
	P(has_since, F_BOOL),
	P(has_until, F_BOOL),
	P(since, F_I64),
	P(until, F_I64),
	P(placebo_days, F_U32),
	R(min_text_length, F_SIZE),
	R(max_record_bytes, F_SIZE),
	R(columns, F_STR),
	R(time_format, F_STR),
	R(neardup_jaccard, F_DOUBLE),
	R(neardup_seed, F_U64),
	R(fast_retweet, F_I64),
	R(sync_bin, F_I64),
	R(extract_behaviours, F_BEHAVIOURS),
};
#define NFIELDS (sizeof fields / sizeof fields[0])

static size_t type_size(ftype_t t)
{
	switch (t) {
	case F_I64: return sizeof(int64_t);
	case F_U64: return sizeof(uint64_t);
	case F_U32: return sizeof(uint32_t);
	case F_SIZE: return sizeof(size_t);
	case F_BOOL: return sizeof(int);
	case F_DOUBLE: return sizeof(double);
	case F_BEHAVIOURS: return sizeof(uint64_t);
	case F_CLUSTER: return sizeof(ls_cluster_method_t);
	case F_STR: return sizeof(const char *);
	}
	return 0;
}

static void *field_ptr(const field_t *f, ls_params_t *p, ls_read_options_t *ro)
{
	return (char *)(f->in_read ? (void *)ro : (void *)p) + f->off;
}

/* Field indexes sorted by name (insertion sort: a few dozen rows). */
static void sorted_order(size_t *order)
{
	for (size_t i = 0; i < NFIELDS; i++) {
		size_t j = i;
		while (j > 0 && strcmp(fields[order[j - 1]].name, fields[i].name) > 0) {
			order[j] = order[j - 1];
			j--;
		}
		order[j] = i;
	}
}

void ls_params_json_write(ls_jw_t *w, const ls_params_t *p, const ls_read_options_t *ro)
{
	size_t order[NFIELDS];
	sorted_order(order);
	ls_params_t pc = *p;
	ls_read_options_t rc = *ro;
	ls_jw_obj(w);
	for (size_t k = 0; k < NFIELDS; k++) {
		const field_t *f = &fields[order[k]];
		const void *v = field_ptr(f, &pc, &rc);
		ls_jw_key(w, f->name);
		switch (f->type) {
		case F_I64: ls_jw_i64(w, *(const int64_t *)v); break;
		case F_U64: ls_jw_u64(w, *(const uint64_t *)v); break;
		case F_U32: ls_jw_u64(w, *(const uint32_t *)v); break;
		case F_SIZE: ls_jw_u64(w, *(const size_t *)v); break;
		case F_BOOL: ls_jw_bool(w, *(const int *)v != 0); break;
		case F_DOUBLE: ls_jw_real(w, *(const double *)v); break;
		case F_STR:
			if (*(const char *const *)v)
				ls_jw_str(w, *(const char *const *)v);
			else
				ls_jw_null(w);
			break;
		case F_CLUSTER:
			ls_jw_str(w, *(const ls_cluster_method_t *)v == LS_CLUSTER_COMPONENTS ? "components"
			                                                                     : "leiden");
			break;
		case F_BEHAVIOURS: {
			uint64_t mask = *(const uint64_t *)v;
			const char *const *names = ls_behaviours();
			ls_jw_arr(w);
			for (uint32_t b = 0; b < 64 && names[b] != NULL; b++)
				if (mask >> b & 1u)
					ls_jw_str(w, names[b]);
			ls_jw_end(w);
			break;
		}
		}
	}
	ls_jw_end(w);
}

static ls_error_t read_field(const field_t *f, const ls_jv_t *v, void *dst, ls_ctx_t *ctx)
{
	uint64_t u = 0;
	int64_t i = 0;
	double d = 0;
	switch (f->type) {
	case F_I64:
		if (ls_jv_i64(v, &i))
			break;
		*(int64_t *)dst = i;
		return LS_OK;
	case F_U64:
		if (ls_jv_u64(v, &u))
			break;
		*(uint64_t *)dst = u;
		return LS_OK;
	case F_U32:
		if (ls_jv_u64(v, &u) || u > UINT32_MAX)
			break;
		*(uint32_t *)dst = (uint32_t)u;
		return LS_OK;
	case F_SIZE:
		if (ls_jv_u64(v, &u) || u > SIZE_MAX)
			break;
		*(size_t *)dst = (size_t)u;
		return LS_OK;
	case F_BOOL:
		if (v->type != LS_J_BOOL)
			break;
		*(int *)dst = v->b;
		return LS_OK;
	case F_DOUBLE:
		if (v->type == LS_J_NULL)
			d = NAN;
		else if (ls_jv_real(v, &d))
			break;
		*(double *)dst = d;
		return LS_OK;
	case F_STR:
		if (v->type == LS_J_NULL)
			*(const char **)dst = NULL;
		else if (v->type == LS_J_STR)
			*(const char **)dst = v->s;
		else
			break;
		return LS_OK;
	case F_CLUSTER:
		if (v->type != LS_J_STR)
			break;
		if (strcmp(v->s, "leiden") == 0)
			*(ls_cluster_method_t *)dst = LS_CLUSTER_LEIDEN;
		else if (strcmp(v->s, "components") == 0)
			*(ls_cluster_method_t *)dst = LS_CLUSTER_COMPONENTS;
		else
			break;
		return LS_OK;
	case F_BEHAVIOURS:
		if (v->type != LS_J_ARR)
			break;
		for (size_t k = 0; k < v->n; k++) {
			uint64_t bit = v->items[k].type == LS_J_STR ? ls_behaviour_bit(v->items[k].s) : 0;
			if (!bit)
				return ls_fail(ctx, LS_EPARSE, "parameter behaviours: unknown behaviour");
			u |= bit;
		}
		*(uint64_t *)dst = u;
		return LS_OK;
	}
	return ls_fail(ctx, LS_EPARSE, "parameter %s: bad value", f->name);
}

ls_error_t ls_params_json_read(const ls_jv_t *obj, ls_params_t *p, ls_read_options_t *ro,
                               ls_ctx_t *ctx)
{
	ls_params_init(p);
	ls_read_options_init(ro);
	if (obj == NULL || obj->type != LS_J_OBJ)
		return ls_fail(ctx, LS_EPARSE, "parameters: not an object");
	for (size_t k = 0; k < obj->n; k++) {
		const field_t *f = NULL;
		for (size_t i = 0; i < NFIELDS && f == NULL; i++)
			if (strcmp(fields[i].name, obj->keys[k]) == 0)
				f = &fields[i];
		if (f == NULL)
			return ls_fail(ctx, LS_EPARSE,
			               "parameter '%s' is unknown to lockstep %s (written by a newer version?)",
			               obj->keys[k], LS_VERSION_STRING);
		ls_error_t err = read_field(f, &obj->items[k], field_ptr(f, p, ro), ctx);
		if (err)
			return err;
	}
	return LS_OK;
}

/* Recomputes the C layout of the struct from its table rows: each field at
 * the next offset aligned to its size; the struct rounded up to the
 * largest alignment. Any field missing from the table shows as a row at an
 * unexpected offset or a struct of the wrong size (except one that fits
 * entirely into alignment padding, which no field of these structs does). */
static int check_struct(int in_read, size_t struct_size, const char *sname, char *msg, size_t cap)
{
	size_t idx[NFIELDS], n = 0;
	for (size_t i = 0; i < NFIELDS; i++)
		if (fields[i].in_read == in_read)
			idx[n++] = i;
	for (size_t i = 1; i < n; i++) /* by offset */
		for (size_t j = i; j > 0 && fields[idx[j - 1]].off > fields[idx[j]].off; j--) {
			size_t t = idx[j];
			idx[j] = idx[j - 1];
			idx[j - 1] = t;
		}
	size_t off = 0, maxalign = 1;
	for (size_t k = 0; k < n; k++) {
		const field_t *f = &fields[idx[k]];
		if (f->size != type_size(f->type)) {
			snprintf(msg, cap, "%s.%s: size %zu does not match its table type", sname, f->name,
			         f->size);
			return -1;
		}
		size_t a = f->size;
		off = (off + a - 1) / a * a;
		if (f->off != off) {
			snprintf(msg, cap,
			         "%s: bytes %zu..%zu (before %s) are a field missing from the table in "
			         "src/explain/params_json.c",
			         sname, off, f->off, f->name);
			return -1;
		}
		off += f->size;
		if (a > maxalign)
			maxalign = a;
	}
	off = (off + maxalign - 1) / maxalign * maxalign;
	if (off != struct_size) {
		snprintf(msg, cap,
		         "%s: bytes %zu..%zu are a field missing from the table in "
		         "src/explain/params_json.c",
		         sname, off, struct_size);
		return -1;
	}
	return 0;
}

int ls_params_json_check_layout(char *msg, size_t cap)
{
	if (check_struct(0, sizeof(ls_params_t), "ls_params_t", msg, cap))
		return -1;
	return check_struct(1, sizeof(ls_read_options_t), "ls_read_options_t", msg, cap);
}
