/*
 * sums.c - group key -> sums: the rows' arithmetic, on a keyed table (keyed.h).
 */
#include "ledger/views/sums.h"

#include <stdlib.h>
#include <string.h>

#include "ledger/support/keyed.h"
#include "ledger/support/money.h"

/* A sums table is a keyed table (keyed.h) whose rows are sums_rows. */
static struct keyed *K(const struct sums *s)
{
	return (struct keyed *)(uintptr_t)s;
}

struct sums *sums_create(size_t nfields)
{
	struct keyed *k = keyed_create(nfields, sizeof(struct sums_row));
	keyed_remember_last(k); /* the views' rows come in runs of one key */
	return (struct sums *)k;
}

void sums_destroy(struct sums *s)
{
	keyed_destroy(K(s));
}

const struct sums_row *sums_find(const struct sums *s, const struct str *key)
{
	return keyed_find(K(s), key);
}

struct sums_row *sums_get(struct sums *s, const struct str *key)
{
	return keyed_get(K(s), key);
}

void sums_row_saw(struct sums_row *r, struct ts t)
{
	if (!r->seen || ts_cmp(t, r->first) < 0)
		r->first = t;
	if (!r->seen || ts_cmp(t, r->last) > 0)
		r->last = t;
	r->seen = true;
}

void sums_row_add(struct sums_row *d, const struct sums_row *s)
{
	for (int i = 0; i < SUMS_COUNTS; i++)
		d->count[i] += s->count[i];
	for (int k = 0; k < TOKEN_KINDS; k++)
		d->tokens[k] += s->tokens[k];
	for (int i = 0; i < SUMS_USD; i++)
		d->usd[i] += s->usd[i];
	d->hours |= s->hours;
	if (s->seen) {
		sums_row_saw(d, s->first);
		sums_row_saw(d, s->last);
	}
}

void sums_merge(struct sums *dst, const struct sums *src)
{
	size_t pos = 0;
	for (struct keyed_row e; keyed_each(K(src), &pos, &e);)
		sums_row_add(sums_get(dst, e.key), e.row);
}

size_t sums_count(const struct sums *s)
{
	return keyed_count(K(s));
}

struct sums_entry *sums_sorted(const struct sums *s)
{
	_Static_assert(sizeof(struct sums_entry) == sizeof(struct keyed_row),
		       "a sorted row is rewritten in place");
	struct keyed_row *rows = keyed_sorted(K(s));
	struct sums_entry *out = (struct sums_entry *)(void *)rows;
	for (size_t i = 0, n = sums_count(s); i < n; i++) {
		struct keyed_row e = rows[i];
		out[i] = (struct sums_entry){ e.key, e.row };
	}
	return out;
}

size_t sums_format_usd(sums_usd_t v, char out[48])
{
	money_t m = v < 0 ? (money_t)(-v) : (money_t)v;
	char digits[48];
	size_t n = money_format_usd(m, digits);
	bool zero = strspn(digits, "0.") == n;
	size_t k = 0;
	if (v < 0 && !zero)
		out[k++] = '-';
	memcpy(out + k, digits, n + 1);
	return k + n;
}
