/*
 * rollup.c - group key -> counters (open-addressing hash, arena keys).
 */
#include "ledger/rollup.h"

#include <stdlib.h>
#include <string.h>

#include "ledger/arena.h"
#include "ledger/xalloc.h"

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
	if (src->seen) {
		if (!dst->seen || ts_cmp(src->first, dst->first) < 0)
			dst->first = src->first;
		if (!dst->seen || ts_cmp(src->last, dst->last) > 0)
			dst->last = src->last;
		dst->seen = true;
	}
}

struct entry {
	uint64_t hash;
	struct str *key; /* nfields slices */
	struct counters c;
};

struct rollup {
	size_t nfields;
	struct entry **slots;
	size_t cap, n;
	struct arena arena; /* keys and rows: pointers to them stay valid */
};

struct rollup *rollup_create(size_t nfields)
{
	struct rollup *r = xcalloc(1, sizeof *r);
	r->nfields = nfields;
	r->arena.block_size = 60000;
	r->cap = 64;
	r->slots = xcalloc(r->cap, sizeof *r->slots);
	return r;
}

void rollup_destroy(struct rollup *r)
{
	if (!r)
		return;
	arena_free(&r->arena);
	free(r->slots);
	free(r);
}

static uint64_t hash_key(const struct str *key, size_t nfields)
{
	uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a, field lengths mixed in */
	for (size_t f = 0; f < nfields; f++) {
		const unsigned char *p = (const unsigned char *)key[f].p;
		for (size_t i = 0; i < key[f].n; i++)
			h = (h ^ p[i]) * 0x100000001b3ull;
		h = (h ^ (key[f].n + 0x9e)) * 0x100000001b3ull;
	}
	return h ^ (h >> 29);
}

static bool key_eq(const struct str *a, const struct str *b, size_t nfields)
{
	for (size_t f = 0; f < nfields; f++)
		if (!str_eq(a[f], b[f]))
			return false;
	return true;
}

static void grow(struct rollup *r)
{
	size_t cap = r->cap * 2;
	struct entry **slots = xcalloc(cap, sizeof *slots);
	for (size_t i = 0; i < r->cap; i++) {
		struct entry *e = r->slots[i];
		if (!e)
			continue;
		size_t j = e->hash & (cap - 1);
		while (slots[j])
			j = (j + 1) & (cap - 1);
		slots[j] = e;
	}
	free(r->slots);
	r->slots = slots;
	r->cap = cap;
}

struct counters *rollup_get(struct rollup *r, const struct str *key)
{
	uint64_t h = hash_key(key, r->nfields);
	size_t i = h & (r->cap - 1);
	for (struct entry *e; (e = r->slots[i]) != NULL; i = (i + 1) & (r->cap - 1)) {
		if (e->hash == h && key_eq(e->key, key, r->nfields))
			return &e->c;
	}
	size_t bytes = 0;
	for (size_t f = 0; f < r->nfields; f++)
		bytes += key[f].n;
	struct entry *e = arena_alloc(&r->arena, sizeof *e + r->nfields * sizeof(struct str) + bytes);
	memset(e, 0, sizeof *e);
	e->hash = h;
	e->key = (struct str *)(e + 1);
	char *text = (char *)(e->key + r->nfields);
	for (size_t f = 0; f < r->nfields; f++) {
		if (key[f].n)
			memcpy(text, key[f].p, key[f].n);
		e->key[f] = (struct str){ text, key[f].n };
		text += key[f].n;
	}
	r->slots[i] = e;
	if (2 * ++r->n > r->cap)
		grow(r);
	return &e->c;
}

void rollup_merge(struct rollup *dst, const struct rollup *src)
{
	for (size_t i = 0; i < src->cap; i++) {
		const struct entry *e = src->slots[i];
		if (e)
			counters_merge(rollup_get(dst, e->key), &e->c);
	}
}

size_t rollup_count(const struct rollup *r)
{
	return r->n;
}

static size_t sort_nfields; /* qsort has no context argument in C17 */

static int by_key(const void *a, const void *b)
{
	const struct rollup_row *x = a, *y = b;
	for (size_t f = 0; f < sort_nfields; f++) {
		int c = str_cmp(x->key[f], y->key[f]);
		if (c)
			return c;
	}
	return 0;
}

struct rollup_row *rollup_sorted(const struct rollup *r)
{
	struct rollup_row *rows = xmalloc((r->n ? r->n : 1) * sizeof *rows);
	size_t k = 0;
	for (size_t i = 0; i < r->cap; i++)
		if (r->slots[i])
			rows[k++] = (struct rollup_row){ r->slots[i]->key, &r->slots[i]->c };
	sort_nfields = r->nfields;
	qsort(rows, k, sizeof *rows, by_key);
	return rows;
}
