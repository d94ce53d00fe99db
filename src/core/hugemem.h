/*
 * A hint for big arrays filled once: back them with transparent huge pages
 * where the kernel offers them (Linux madvise(MADV_HUGEPAGE)). A 2 MB page
 * costs one page fault instead of 512 and one TLB entry, which matters for
 * arrays written in scattered order (radix scatters, the link array).
 */
#ifndef LS_CORE_HUGEMEM_H
#define LS_CORE_HUGEMEM_H

#include <stddef.h>

/* Asks for huge pages on the whole 2 MB pages inside p[0..bytes) not yet
 * touched. Only a hint: does nothing on small arrays, on systems without
 * it or when the kernel refuses; contents and results never change. */
void ls_huge_hint(void *p, size_t bytes);

#endif
