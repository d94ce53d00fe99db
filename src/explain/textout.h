/*
 * Text output helpers shared by the explain writers: escaping of hostile
 * strings for CSV, JSON and XML, and locale-independent number formats.
 *
 * Every string written is first made valid UTF-8: a byte that does not
 * start a well-formed sequence (overlong forms, surrogates and code points
 * above U+10FFFF included) becomes U+FFFD, and decoding resumes at the next
 * byte. Then, per format:
 *  - CSV (RFC 4180): the field is quoted when it holds , " CR or LF, quotes
 *    doubled; NUL becomes U+FFFD; other bytes pass through.
 *  - JSON: " and \ escaped, \b \f \n \r \t short forms, other control
 *    characters \u00XX; everything else raw UTF-8. This is exactly what
 *    Python's json.dumps(..., ensure_ascii=False) writes, so a summary
 *    re-dumped by Python is byte-identical.
 *  - XML 1.0: & < > " ' as entities; tab, LF and CR as character
 *    references (so parsers do not normalise them away); characters XML 1.0
 *    forbids (other C0 controls, U+FFFE, U+FFFF) dropped.
 * Numbers never depend on the C locale's decimal point.
 * Cost: O(length) per string, O(1) per number.
 */
#ifndef LS_EXPLAIN_TEXTOUT_H
#define LS_EXPLAIN_TEXTOUT_H

#include "core/strpool.h"
#include "lockstep.h"

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Room for any number these helpers format. */
#define LS_NUMBUF 40

/* Writes s[0..n) as one CSV field. */
void ls_out_csv(FILE *f, const char *s, size_t n);
/* A CSV field made of several strings: quote it (ls_csv_needs_quotes over
 * every part, then a '"' before and after) and write each part with
 * ls_out_csv_part. */
int ls_csv_needs_quotes(const char *s, size_t n);
void ls_out_csv_part(FILE *f, const char *s, size_t n);
/* Writes s[0..n) as a JSON string, with the quotes. */
void ls_out_json(FILE *f, const char *s, size_t n);
/* Writes s[0..n) as XML character data (valid in content and attributes). */
void ls_out_xml(FILE *f, const char *s, size_t n);

/* The same for a NUL-terminated string and for a pooled string (which may
 * hold NUL bytes: its stored length is used). */
void ls_out_csv_str(FILE *f, const char *s);
void ls_out_csv_sid(FILE *f, const ls_strpool_t *sp, ls_sid_t id);
void ls_out_json_str(FILE *f, const char *s);
void ls_out_xml_sid(FILE *f, const ls_strpool_t *sp, ls_sid_t id);

/* Names of the behaviours in `mask`, in bit order, joined by '|'. The
 * names come from the behaviour table ([a-z]+), so need no escaping. */
void ls_out_behaviour_mask(FILE *f, uint32_t mask);

/* Decimal text of v, without printf. Return buf (LS_NUMBUF bytes). */
const char *ls_fmt_u64(uint64_t v, char *buf);
const char *ls_fmt_i64(int64_t v, char *buf);

/* t (Unix seconds) as "YYYY-MM-DDTHH:MM:SSZ", as ls_time_format writes it,
 * without printf. Returns buf (LS_NUMBUF bytes). */
const char *ls_fmt_time(int64_t t, char *buf);

/* ls_dataset_post_ref without printf: the post's id, else "input:line";
 * "" for a post out of range; cut to cap - 1 bytes. Returns buf. */
const char *ls_fmt_post_ref(const ls_dataset_t *ds, uint32_t post, char *buf, size_t cap);

/* fprintf for the writers' simple formats (%s %c %d %u with l, ll or z;
 * %%) without printf's slow path; any other conversion goes to vfprintf. */
void ls_out_fmt(FILE *f, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* x with printf's "%.6g" and '.' as decimal point; "nan", "inf", "-inf"
 * when not finite; -0 as "0". Returns buf (LS_NUMBUF bytes). */
const char *ls_fmt_g6(double x, char *buf);
/* The shortest text that reads back as exactly x, laid out like Python's
 * repr(float): "1.0", "0.25", "1e-05", "1.5e+16". Non-finite values give
 * "nan", "inf", "-inf" (JSON writers must handle them first). Returns buf
 * (LS_NUMBUF bytes). */
const char *ls_fmt_real(double x, char *buf);

#endif
