/*
 * xalloc.h - allocation that never returns NULL.
 *
 * Out of memory is a tier-3 error (see STYLE): these print
 * "bedrock-ledger: out of memory" and abort. Everything they return is owned
 * by the caller and released with free().
 */
#ifndef LEDGER_XALLOC_H
#define LEDGER_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
/* Copies n bytes of p and appends a NUL. */
char *xmemdup0(const void *p, size_t n);
/*
 * Makes the array at *pp (of *cap elements of `size` bytes) hold at least
 * `need` elements, doubling from 8; *cap is updated.
 */
void xgrow(void *pp, size_t *cap, size_t need, size_t size);

#endif
