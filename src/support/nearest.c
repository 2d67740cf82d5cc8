/*
 * nearest.c - the nearest candidate to a mistyped word, by edit distance.
 */
#include "ledger/support/nearest.h"

#include <string.h>

#define MAX_WORD 64

static size_t min2(size_t a, size_t b)
{
	return a < b ? a : b;
}

size_t nearest_distance(const char *a, const char *b)
{
	size_t na = strlen(a), nb = strlen(b);
	if (na > MAX_WORD || nb > MAX_WORD)
		return 99;
	size_t d[MAX_WORD + 1][MAX_WORD + 1];
	for (size_t i = 0; i <= na; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= nb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= na; i++) {
		for (size_t j = 1; j <= nb; j++) {
			size_t best = d[i - 1][j - 1] + (a[i - 1] != b[j - 1]);
			best = min2(best, min2(d[i - 1][j], d[i][j - 1]) + 1);
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
				best = min2(best, d[i - 2][j - 2] + 1);
			d[i][j] = best;
		}
	}
	return d[na][nb];
}

void nearest_init(struct nearest *n, const char *word)
{
	n->word = word;
	n->limit = strlen(word) <= 5 ? 1 : 2;
	n->best = NULL;
	n->best_edits = 0;
}

void nearest_offer(struct nearest *n, const char *candidate)
{
	size_t d = nearest_distance(n->word, candidate);
	if (d == 0 || d > n->limit || (n->best && d >= n->best_edits))
		return;
	n->best = candidate;
	n->best_edits = d;
}
