/*
 * nearest.h - "did you mean ...?": the candidate nearest to a mistyped word,
 * by edit distance (Damerau, optimal string alignment: an insertion, a
 * deletion, a substitution or a swap of two neighbours is one edit).
 *
 * Used for options (options_help.c), regions of a price table and tag keys. A
 * candidate is near enough when it is 1 edit away from a word of up to 5
 * bytes, 2 from a longer one; of the nearest, the first offered wins.
 * Ownership: the result is a candidate as offered (borrowed).
 *
 *	struct nearest n;
 *	nearest_init(&n, typed);
 *	for (size_t i = 0; i < count; i++)
 *		nearest_offer(&n, names[i]);
 *	if (n.best) ... "did you mean %s?", n.best
 */
#ifndef LEDGER_NEAREST_H
#define LEDGER_NEAREST_H

#include <stddef.h>

struct nearest {
	const char *word; /* the typed word (borrowed) */
	size_t limit;	  /* the most edits a candidate may be away */
	const char *best; /* NULL until a near enough candidate is offered */
	size_t best_edits;
};

void nearest_init(struct nearest *n, const char *word);
/* Considers candidate (NUL-terminated; borrowed until the result is used). */
void nearest_offer(struct nearest *n, const char *candidate);

/* The edit distance of a and b; words over 64 bytes are 99 edits from all. */
size_t nearest_distance(const char *a, const char *b);

#endif
