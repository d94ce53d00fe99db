/*
 * The JSON wrapper of json_simdjson.h over simdjson's DOM API (Debian libsimdjson-dev).
 *
 * Design: one simdjson::dom::parser per ls_sjson_t, reused for every record
 * so its buffers are allocated once and grow to the largest record (bounded
 * by max_bytes through simdjson's max_capacity). Only the error-code API is
 * used; every entry point is noexcept and additionally wrapped in
 * try/catch so that nothing (std::bad_alloc from a container, say) can
 * unwind into C. A value handle is the bytes of a dom::element (a document
 * pointer and a tape index, trivially copyable); an array iterator likewise.
 *
 * Cost: see json_simdjson.h. This file holds no format knowledge: the mappers
 * (fmt_twitter_v1.c, fmt_twitter_v2.c) are C.
 */
#include "read/json_simdjson.h"

#include <simdjson.h>

#include <cstring>
#include <new>
#include <type_traits>

/* Built with -fvisibility=hidden and localised afterwards (Makefile), so
 * the library exports only these ls_ functions, none of simdjson's inline
 * code. */
#define LS_EXPORT __attribute__((visibility("default")))

using simdjson::dom::array;
using simdjson::dom::element;
using simdjson::dom::element_type;
using simdjson::dom::object;

static_assert(sizeof(element) <= sizeof(ls_sjson_val_t), "dom::element must fit a handle");
static_assert(std::is_trivially_copyable<element>::value, "dom::element must be copyable");
static_assert(sizeof(array::iterator) <= sizeof(ls_sjson_iter_t), "iterator must fit");
static_assert(std::is_trivially_copyable<array::iterator>::value, "iterator must be copyable");

struct ls_sjson {
	simdjson::dom::parser parser;
	size_t max_depth;
	explicit ls_sjson(size_t max_bytes) : parser(max_bytes) {}
};

static element to_el(const ls_sjson_val_t *v)
{
	element e;
	std::memcpy(static_cast<void *>(&e), v->w, sizeof e);
	return e;
}

static void from_el(const element &e, ls_sjson_val_t *v)
{
	std::memset(v->w, 0, sizeof v->w);
	std::memcpy(v->w, static_cast<const void *>(&e), sizeof e);
}

extern "C" LS_EXPORT size_t ls_sjson_padding(void)
{
	return simdjson::SIMDJSON_PADDING;
}

extern "C" LS_EXPORT ls_sjson_t *ls_sjson_new(size_t max_bytes, size_t max_depth)
{
	try {
		ls_sjson_t *j = new (std::nothrow) ls_sjson(max_bytes);
		if (j == nullptr)
			return nullptr;
		j->max_depth = max_depth ? max_depth : simdjson::DEFAULT_MAX_DEPTH;
		/* Start small; parse() grows the buffers up to max_bytes. */
		size_t first = max_bytes < 65536 ? max_bytes : 65536;
		if (j->parser.allocate(first, j->max_depth) != simdjson::SUCCESS) {
			delete j;
			return nullptr;
		}
		return j;
	} catch (...) {
		return nullptr;
	}
}

extern "C" LS_EXPORT void ls_sjson_free(ls_sjson_t *j)
{
	delete j;
}

extern "C" LS_EXPORT int ls_sjson_parse(ls_sjson_t *j, const char *buf, size_t len, size_t cap,
                             ls_sjson_val_t *root, const char **err)
{
	try {
		if (len > j->parser.max_capacity()) {
			*err = "document larger than the record size limit";
			return -1;
		}
		if (len > j->parser.capacity()) {
			/* Grow to twice the need (at most the limit) so that slowly
			 * growing records do not reallocate every time. */
			size_t want = len > j->parser.max_capacity() / 2 ? j->parser.max_capacity() : 2 * len;
			simdjson::error_code e = j->parser.allocate(want, j->max_depth);
			if (e != simdjson::SUCCESS) {
				*err = simdjson::error_message(e);
				return -1;
			}
		}
		bool padded = cap >= len + simdjson::SIMDJSON_PADDING;
		element el;
		simdjson::error_code e = j->parser.parse(buf, len, !padded).get(el);
		if (e != simdjson::SUCCESS) {
			*err = simdjson::error_message(e);
			return -1;
		}
		from_el(el, root);
		return 0;
	} catch (...) {
		*err = "out of memory parsing JSON";
		return -1;
	}
}

extern "C" LS_EXPORT ls_sjson_type_t ls_sjson_type(const ls_sjson_val_t *v)
{
	switch (to_el(v).type()) {
	case element_type::ARRAY: return LS_SJSON_ARRAY;
	case element_type::OBJECT: return LS_SJSON_OBJECT;
	case element_type::INT64: return LS_SJSON_INT;
	case element_type::UINT64: return LS_SJSON_UINT;
	case element_type::DOUBLE: return LS_SJSON_DOUBLE;
	case element_type::STRING: return LS_SJSON_STRING;
	case element_type::BOOL: return LS_SJSON_BOOL;
	case element_type::NULL_VALUE: return LS_SJSON_NULL;
	}
	return LS_SJSON_NULL;
}

extern "C" LS_EXPORT int ls_sjson_get(const ls_sjson_val_t *obj, const char *key, ls_sjson_val_t *out)
{
	element e = to_el(obj);
	object o;
	if (e.get(o) != simdjson::SUCCESS)
		return 0;
	element found;
	if (o.at_key(key).get(found) != simdjson::SUCCESS)
		return 0;
	from_el(found, out);
	return 1;
}

extern "C" LS_EXPORT int ls_sjson_str(const ls_sjson_val_t *v, const char **p, size_t *n)
{
	std::string_view s;
	if (to_el(v).get(s) != simdjson::SUCCESS)
		return 0;
	*p = s.data();
	*n = s.size();
	return 1;
}

extern "C" LS_EXPORT int ls_sjson_u64(const ls_sjson_val_t *v, uint64_t *u)
{
	element e = to_el(v);
	if (e.type() != element_type::UINT64 && e.type() != element_type::INT64)
		return 0;
	return e.get(*u) == simdjson::SUCCESS ? 1 : 0;
}

extern "C" LS_EXPORT int ls_sjson_f64(const ls_sjson_val_t *v, double *d)
{
	element e = to_el(v);
	if (e.type() == element_type::DOUBLE)
		return e.get(*d) == simdjson::SUCCESS ? 1 : 0;
	int64_t i;
	uint64_t u;
	if (e.type() == element_type::INT64 && e.get(i) == simdjson::SUCCESS) {
		*d = (double)i;
		return 1;
	}
	if (e.type() == element_type::UINT64 && e.get(u) == simdjson::SUCCESS) {
		*d = (double)u;
		return 1;
	}
	return 0;
}

extern "C" LS_EXPORT size_t ls_sjson_array_size(const ls_sjson_val_t *arr)
{
	array a;
	if (to_el(arr).get(a) != simdjson::SUCCESS)
		return 0;
	return a.size();
}

extern "C" LS_EXPORT void ls_sjson_iter_start(const ls_sjson_val_t *arr, ls_sjson_iter_t *it)
{
	std::memset(it->w, 0, sizeof it->w);
	array a;
	if (to_el(arr).get(a) != simdjson::SUCCESS)
		return;
	array::iterator b = a.begin();
	std::memcpy(it->w, static_cast<const void *>(&b), sizeof b);
}

extern "C" LS_EXPORT int ls_sjson_iter_next(const ls_sjson_val_t *arr, ls_sjson_iter_t *it, ls_sjson_val_t *elem)
{
	array a;
	if (to_el(arr).get(a) != simdjson::SUCCESS)
		return 0;
	array::iterator cur;
	std::memcpy(static_cast<void *>(&cur), it->w, sizeof cur);
	if (!(cur != a.end()))
		return 0;
	from_el(*cur, elem);
	++cur;
	std::memcpy(it->w, static_cast<const void *>(&cur), sizeof cur);
	return 1;
}

extern "C" LS_EXPORT int ls_sjson_utf8_valid(const char *p, size_t n)
{
	return simdjson::validate_utf8(p, n) ? 1 : 0;
}
