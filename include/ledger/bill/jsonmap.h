/*
 * jsonmap.h - a string out of a CUR 2.0 map cell: the `product` column holds
 * a JSON object as text ({"product_name":"...","region":"us-west-2"}, {}
 * when empty; reference/cur.md §2).
 *
 * Pipeline: cur reads a Marketplace row's product name (and a region when no
 * column has one) -> [jsonmap]. The whole cell must be one valid JSON object
 * (RFC 8259; nesting up to 64 levels) or nothing is taken from it: never a
 * guess from a broken cell.
 * Ownership: the caller owns the buffer; a found value points into it and
 * lives until the buffer is used again or freed.
 *
 *	struct jsonmap_buf buf = { 0 };
 *	struct str name;
 *	if (jsonmap_get(cell, "product_name", &buf, &name) == JSONMAP_FOUND) ...
 *	free(buf.p);
 */
#ifndef LEDGER_JSONMAP_H
#define LEDGER_JSONMAP_H

#include <stddef.h>

#include "ledger/support/str.h"

/* Where a decoded value goes; grown (xrealloc) as needed, kept for the next call. */
struct jsonmap_buf {
	char *p;
	size_t cap;
};

enum jsonmap_result {
	JSONMAP_FOUND,	 /* *value is the decoded string (UTF-8; \u escapes decoded) */
	JSONMAP_ABSENT,	 /* an empty cell, no such top-level key, or its value is not a string */
	JSONMAP_INVALID, /* the cell is not one JSON object */
};

/*
 * The value of top-level `key` (the first, if it is given twice) in the
 * JSON object text `cell`.
 */
enum jsonmap_result jsonmap_get(struct str cell, const char *key, struct jsonmap_buf *buf,
				struct str *value);

#endif
