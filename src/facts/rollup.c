/*
 * rollup.c - group key -> counters (table.h, keys and rows in an arena).
 */
#include "ledger/facts/rollup.h"

#include <stdlib.h>
#include <string.h>

#include "ledger/support/arena.h"
#include "ledger/support/table.h"
#include "ledger/support/xalloc.h"

void counters_add_record(struct counters *c, const struct record *r, bool unpriced, money_t cost)
{
	c->invocations++;
	c->errors += r->error;
	for (int k = 0; k < TOKEN_KINDS; k++)
		c->tokens[k] += r->tokens[k];
	if (unpriced) {
		c->unpriced = true;
		c->unpriced_records++;
	} else {
		c->cost += cost;
	}
	if (!c->seen || ts_cmp(r->timestamp, c->first) < 0)
		c->first = r->timestamp;
	if (!c->seen || ts_cmp(r->timestamp, c->last) > 0)
		c->last = r->timestamp;
	c->seen = true;
}

void counters_merge(struct counters *dst, const struct counters *src)
{
	dst->invocations += src->invocations;
	dst->errors += src->errors;
	dst->unpriced_records += src->unpriced_records;
	for (int k = 0; k < TOKEN_KINDS; k++)
		dst->tokens[k] += src->tokens[k];
	dst->cost += src->cost;
	dst->unpriced |= src->unpriced;
	dst->ignored_1h += src->ignored_1h;
	if (src->seen) {
		if (!dst->seen || src->context_min < dst->context_min)
			dst->context_min = src->context_min;
		if (!dst->seen || src->context_max > dst->context_max)
			dst->context_max = src->context_max;
		if (!dst->seen || ts_cmp(src->first, dst->first) < 0)
			dst->first = src->first;
		if (!dst->seen || ts_cmp(src->last, dst->last) > 0)
			dst->last = src->last;
		dst->seen = true;
	}
}

void counters_add_cell(struct counters *dst, const struct counters *cell, bool unpriced, money_t cost)
{
	struct counters c = *cell;
	c.unpriced = unpriced;
	c.unpriced_records = unpriced ? cell->invocations : 0;
	c.cost = unpriced ? 0 : cost;
	counters_merge(dst, &c);
}

struct entry {
	struct str *key; /* nfields slices */
	struct counters c;
};

struct rollup {
	size_t nfields;
	struct table table; /* of struct entry */
	struct arena arena; /* keys and rows: pointers to them stay valid */
	bool shared;	    /* rollup_share_texts: each distinct text once, in texts */
	struct table texts; /* of struct shared (in arena) */
};

struct rollup *rollup_create(size_t nfields)
{
	struct rollup *r = xcalloc(1, sizeof *r);
	r->nfields = nfields;
	r->arena.block_size = 60000;
	return r;
}

void rollup_destroy(struct rollup *r)
{
	if (!r)
		return;
	arena_free(&r->arena);
	table_finish(&r->table);
	table_finish(&r->texts);
	free(r);
}

void rollup_share_texts(struct rollup *r)
{
	r->shared = true;
}

/*
 * A shared key text: its place among the table's texts in byte order (set by
 * rollup_sorted), then its bytes. A shared field's bytes come right after
 * their header, so a key field finds its rank.
 */
struct shared {
	struct str s;
	size_t rank;
};

static size_t rank_of(struct str s)
{
	return ((const struct shared *)(const void *)s.p - 1)->rank;
}

/* The one copy of s among the table's key texts. */
static struct str shared_text(struct rollup *r, struct str s)
{
	uint64_t h = table_hash(s.p, s.n);
	size_t pos;
	for (struct shared *t = table_first(&r->texts, h, &pos); t;
	     t = table_next(&r->texts, h, &pos))
		if (str_eq(t->s, s))
			return t->s;
	struct shared *t = arena_alloc(&r->arena, sizeof *t + s.n);
	char *text = (char *)(t + 1);
	if (s.n)
		memcpy(text, s.p, s.n);
	*t = (struct shared){ { text, s.n }, 0 };
	table_add(&r->texts, h, t);
	return t->s;
}

/* A new entry for key: its fields copied after it, or (shared) pointing at the shared texts. */
static struct entry *new_entry(struct rollup *r, const struct str *key)
{
	size_t bytes = 0;
	if (!r->shared)
		for (size_t f = 0; f < r->nfields; f++)
			bytes += key[f].n;
	struct entry *e =
	    arena_alloc(&r->arena, sizeof *e + r->nfields * sizeof(struct str) + bytes);
	memset(e, 0, sizeof *e);
	e->key = (struct str *)(e + 1);
	char *text = (char *)(e->key + r->nfields);
	for (size_t f = 0; f < r->nfields; f++) {
		if (r->shared) {
			e->key[f] = shared_text(r, key[f]);
			continue;
		}
		if (key[f].n)
			memcpy(text, key[f].p, key[f].n);
		e->key[f] = (struct str){ text, key[f].n };
		text += key[f].n;
	}
	return e;
}

static uint64_t hash_key(const struct str *key, size_t nfields)
{
	uint64_t h = TABLE_HASH_START;
	for (size_t f = 0; f < nfields; f++)
		h = table_hash_more(h, key[f].p, key[f].n);
	return table_hash_done(h);
}

static bool key_eq(const struct str *a, const struct str *b, size_t nfields)
{
	for (size_t f = 0; f < nfields; f++)
		if (!str_eq(a[f], b[f]))
			return false;
	return true;
}

struct counters *rollup_get(struct rollup *r, const struct str *key)
{
	uint64_t h = hash_key(key, r->nfields);
	size_t pos;
	for (struct entry *e = table_first(&r->table, h, &pos); e;
	     e = table_next(&r->table, h, &pos)) {
		if (key_eq(e->key, key, r->nfields))
			return &e->c;
	}
	struct entry *e = new_entry(r, key);
	table_add(&r->table, h, e);
	return &e->c;
}

void rollup_merge(struct rollup *dst, const struct rollup *src)
{
	size_t pos = 0;
	for (const struct entry *e; (e = table_each(&src->table, &pos)) != NULL;)
		counters_merge(rollup_get(dst, e->key), &e->c);
}

bool rollup_each(const struct rollup *r, size_t *pos, struct rollup_row *row)
{
	const struct entry *e = table_each(&r->table, pos);
	if (!e)
		return false;
	*row = (struct rollup_row){ e->key, &e->c };
	return true;
}

size_t rollup_count(const struct rollup *r)
{
	return table_count(&r->table);
}

static int by_key(const void *a, const void *b, void *ctx)
{
	const struct rollup_row *x = a, *y = b;
	size_t nfields = *(const size_t *)ctx;
	for (size_t f = 0; f < nfields; f++) {
		int c = str_cmp(x->key[f], y->key[f]);
		if (c)
			return c;
	}
	return 0;
}

static int by_text(const void *a, const void *b)
{
	return str_cmp((*(struct shared *const *)a)->s, (*(struct shared *const *)b)->s);
}

/* Shared texts: rows compare by their fields' ranks, the order of the texts' bytes. */
static int by_rank(const void *a, const void *b, void *ctx)
{
	const struct rollup_row *x = a, *y = b;
	size_t nfields = *(const size_t *)ctx;
	for (size_t f = 0; f < nfields; f++) {
		size_t i = rank_of(x->key[f]), j = rank_of(y->key[f]);
		if (i != j)
			return i < j ? -1 : 1;
	}
	return 0;
}

/* Sorts the distinct texts (few: a report's keys repeat them) and numbers them in order. */
static void rank_texts(const struct rollup *r)
{
	size_t n = table_count(&r->texts), k = 0, pos = 0;
	struct shared **v = xmalloc((n ? n : 1) * sizeof *v);
	for (struct shared *t; (t = table_each(&r->texts, &pos)) != NULL;)
		v[k++] = t;
	qsort(v, k, sizeof *v, by_text);
	for (size_t i = 0; i < k; i++)
		v[i]->rank = i;
	free(v);
}

struct rollup_row *rollup_sorted(const struct rollup *r)
{
	struct rollup_row *rows = xmalloc((rollup_count(r) ? rollup_count(r) : 1) * sizeof *rows);
	size_t k = 0, pos = 0;
	for (const struct entry *e; (e = table_each(&r->table, &pos)) != NULL;)
		rows[k++] = (struct rollup_row){ e->key, &e->c };
	size_t nfields = r->nfields; /* qsort_r: workers sort their own tables at once */
	if (r->shared)
		rank_texts(r);
	qsort_r(rows, k, sizeof *rows, r->shared ? by_rank : by_key, &nfields);
	return rows;
}

void rollup_clear(struct rollup *r)
{
	arena_free(&r->arena);
	table_clear(&r->table); /* it fills again: its slots stay */
	table_clear(&r->texts);
}

size_t rollup_nfields(const struct rollup *r)
{
	return r->nfields;
}
