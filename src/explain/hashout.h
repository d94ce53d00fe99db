/*
 * A write stream that hashes what it writes on a thread of its own: the
 * bytes written to it go, in order, into the FILE underneath (by the
 * writer) and into a SHA-256 (by a helper thread that trails the writer by
 * at most eight 1 MiB blocks). A large output (evidence.json) is then hashed
 * while it is being rendered instead of read back and hashed after. If
 * the thread cannot be started, the writer hashes and writes inline (same
 * bytes, same digest).
 * Cost: O(bytes); memory 9 MiB (the stream's buffer and eight blocks).
 */
#ifndef LS_EXPLAIN_HASHOUT_H
#define LS_EXPLAIN_HASHOUT_H

#include <stdint.h>
#include <stdio.h>

typedef struct ls_hashout ls_hashout_t;

/* A stream over `out` (which nothing else may write to until
 * ls_hashout_close); NULL when out of memory. */
FILE *ls_hashout_open(FILE *out, ls_hashout_t **h);
/* Closes the stream f (flushing it) and waits for the thread: *sha and
 * *bytes are then the SHA-256 and the length of everything written to f.
 * Returns 0, or -1 when the stream or the SHA-256 failed (write errors of
 * `out` stay on `out`). Frees h. */
int ls_hashout_close(ls_hashout_t *h, FILE *f, unsigned char sha[32], uint64_t *bytes);

#endif
