/*
 * rollup.c - group key -> counters: the counters' arithmetic, on a keyed table (keyed.h).
 */
#include "ledger/facts/rollup.h"

#include <stdlib.h>
#include <string.h>

#include "ledger/support/keyed.h"

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

/* A rollup is a keyed table (keyed.h) whose rows are counters. */
static struct keyed *K(const struct rollup *r)
{
	return (struct keyed *)(uintptr_t)r;
}

struct rollup *rollup_create(size_t nfields)
{
	return (struct rollup *)keyed_create(nfields, sizeof(struct counters));
}

void rollup_destroy(struct rollup *r)
{
	keyed_destroy(K(r));
}

void rollup_share_texts(struct rollup *r)
{
	keyed_share_texts(K(r));
}

struct counters *rollup_get(struct rollup *r, const struct str *key)
{
	return keyed_get(K(r), key);
}

void rollup_merge(struct rollup *dst, const struct rollup *src)
{
	size_t pos = 0;
	for (struct keyed_row e; keyed_each(K(src), &pos, &e);)
		counters_merge(rollup_get(dst, e.key), e.row);
}

bool rollup_each(const struct rollup *r, size_t *pos, struct rollup_row *row)
{
	struct keyed_row e;
	if (!keyed_each(K(r), pos, &e))
		return false;
	*row = (struct rollup_row){ e.key, e.row };
	return true;
}

size_t rollup_count(const struct rollup *r)
{
	return keyed_count(K(r));
}

struct rollup_row *rollup_sorted(const struct rollup *r)
{
	_Static_assert(sizeof(struct rollup_row) == sizeof(struct keyed_row),
		       "a sorted row is rewritten in place");
	struct keyed_row *rows = keyed_sorted(K(r));
	struct rollup_row *out = (struct rollup_row *)(void *)rows;
	for (size_t i = 0, n = rollup_count(r); i < n; i++) {
		struct keyed_row e = rows[i];
		out[i] = (struct rollup_row){ e.key, e.row };
	}
	return out;
}

void rollup_clear(struct rollup *r)
{
	keyed_clear(K(r));
}

size_t rollup_nfields(const struct rollup *r)
{
	return keyed_nfields(K(r));
}
