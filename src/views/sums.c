/*
 * sums.c - group key -> sums (table.h, keys and rows in an arena).
 */
#include "ledger/views/sums.h"

#include <stdlib.h>
#include <string.h>

#include "ledger/support/arena.h"
#include "ledger/support/money.h"
#include "ledger/support/table.h"
#include "ledger/support/xalloc.h"

struct entry {
	struct str *key;
	struct sums_row row;
};

struct sums {
	size_t nfields;
	struct table table; /* of struct entry */
	struct arena arena;
	struct entry *last; /* the row found last: records and cells come in runs of one key */
};

struct sums *sums_create(size_t nfields)
{
	struct sums *s = xcalloc(1, sizeof *s);
	s->nfields = nfields;
	s->arena.block_size = 60000;
	return s;
}

void sums_destroy(struct sums *s)
{
	if (!s)
		return;
	arena_free(&s->arena);
	table_finish(&s->table);
	free(s);
}

static uint64_t hash_key(const struct str *key, size_t nfields)
{
	uint64_t h = TABLE_HASH_START;
	for (size_t f = 0; f < nfields; f++)
		h = table_hash_more(h, key[f].p, key[f].n);
	return table_hash_done(h);
}

static struct entry *lookup(const struct sums *s, const struct str *key, uint64_t h)
{
	size_t pos;
	for (struct entry *e = table_first(&s->table, h, &pos); e;
	     e = table_next(&s->table, h, &pos)) {
		size_t f = 0;
		while (f < s->nfields && str_eq(e->key[f], key[f]))
			f++;
		if (f == s->nfields)
			return e;
	}
	return NULL;
}

const struct sums_row *sums_find(const struct sums *s, const struct str *key)
{
	struct entry *e = lookup(s, key, hash_key(key, s->nfields));
	return e ? &e->row : NULL;
}

static bool key_eq(const struct str *a, const struct str *b, size_t nfields)
{
	for (size_t f = 0; f < nfields; f++)
		if (!str_eq(a[f], b[f]))
			return false;
	return true;
}

struct sums_row *sums_get(struct sums *s, const struct str *key)
{
	if (s->last && key_eq(s->last->key, key, s->nfields))
		return &s->last->row;
	uint64_t h = hash_key(key, s->nfields);
	struct entry *found = lookup(s, key, h);
	if (found)
		return &(s->last = found)->row;
	size_t bytes = 0;
	for (size_t f = 0; f < s->nfields; f++)
		bytes += key[f].n;
	struct entry *e = arena_alloc(&s->arena, sizeof *e + s->nfields * sizeof(struct str) + bytes);
	memset(e, 0, sizeof *e);
	e->key = (struct str *)(e + 1);
	char *text = (char *)(e->key + s->nfields);
	for (size_t f = 0; f < s->nfields; f++) {
		if (key[f].n)
			memcpy(text, key[f].p, key[f].n);
		e->key[f] = (struct str){ text, key[f].n };
		text += key[f].n;
	}
	table_add(&s->table, h, e);
	s->last = e;
	return &e->row;
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
	for (const struct entry *e; (e = table_each(&src->table, &pos)) != NULL;)
		sums_row_add(sums_get(dst, e->key), &e->row);
}

size_t sums_count(const struct sums *s)
{
	return table_count(&s->table);
}

static int by_key(const void *a, const void *b, void *ctx)
{
	const struct sums_entry *x = a, *y = b;
	size_t nfields = *(const size_t *)ctx;
	for (size_t f = 0; f < nfields; f++) {
		int c = str_cmp(x->key[f], y->key[f]);
		if (c)
			return c;
	}
	return 0;
}

struct sums_entry *sums_sorted(const struct sums *s)
{
	size_t n = sums_count(s);
	struct sums_entry *rows = xmalloc((n ? n : 1) * sizeof *rows);
	size_t k = 0, pos = 0;
	for (const struct entry *e; (e = table_each(&s->table, &pos)) != NULL;)
		rows[k++] = (struct sums_entry){ e->key, &e->row };
	size_t nfields = s->nfields;
	qsort_r(rows, k, sizeof *rows, by_key, &nfields);
	return rows;
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
