/*
 * str.h - a borrowed byte slice.
 *
 * Ownership: a slice never owns its bytes; each producer documents how long
 * they stay valid. Slices may contain NUL bytes and are not NUL-terminated.
 */
#ifndef LEDGER_STR_H
#define LEDGER_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <string.h>

struct str {
	const char *p;
	size_t n;
};

#define STR_LIT(s) ((struct str){ (s), sizeof(s) - 1 })

static inline struct str str_from(const char *s)
{
	return (struct str){ s, s ? strlen(s) : 0 };
}

static inline bool str_eq(struct str a, struct str b)
{
	return a.n == b.n && (a.n == 0 || memcmp(a.p, b.p, a.n) == 0);
}

static inline bool str_starts(struct str s, const char *prefix)
{
	size_t n = strlen(prefix);
	return s.n >= n && memcmp(s.p, prefix, n) == 0;
}

/* Byte-order comparison, shorter first on a common prefix. */
static inline int str_cmp(struct str a, struct str b)
{
	size_t n = a.n < b.n ? a.n : b.n;
	int c = n ? memcmp(a.p, b.p, n) : 0;
	if (c)
		return c;
	return a.n < b.n ? -1 : a.n > b.n;
}

#endif
