/*
 * prices.c - the price table: its rows found by (model_id, region) through
 * table.h, and the lookup chain of bedrock-ledger(1), PRICES. Reading and
 * checking a CSV is prices_load.c.
 */
#include "ledger/price/prices.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/price/modelid.h"
#include "ledger/support/xalloc.h"
#include "prices_table.h"

const char *const prices_columns[TOKEN_KINDS] = {
	[TOKEN_INPUT] = "input_per_mtok",
	[TOKEN_OUTPUT] = "output_per_mtok",
	[TOKEN_CACHE_READ] = "cache_read_per_mtok",
	[TOKEN_CACHE_WRITE] = "cache_write_per_mtok",
	[TOKEN_CACHE_WRITE_1H] = "cache_write_1h_per_mtok",
};

struct price_table *prices_create(void)
{
	return xcalloc(1, sizeof(struct price_table));
}

void prices_table_free(struct price_table *t, bool with_rows)
{
	for (size_t i = 0; with_rows && i < t->n; i++)
		free(t->rows[i]);
	free(t->rows);
	table_finish(&t->index);
	for (size_t i = 0; i < t->nnames; i++)
		free(t->names[i]);
	free(t->names);
	for (size_t i = 0; i < t->nwarnings; i++)
		diag_clear(&t->warnings[i]);
	free(t->warnings);
	diag_clear(&t->diag);
	free(t);
}

void prices_destroy(struct price_table *t)
{
	if (t)
		prices_table_free(t, true);
}

const char *prices_error(const struct price_table *t)
{
	return diag_msg(&t->diag);
}

size_t prices_count(const struct price_table *t)
{
	return t->n;
}

const struct price_row *prices_row_at(const struct price_table *t, size_t i)
{
	return i < t->n ? &t->rows[i]->row : NULL;
}

uint64_t prices_key_hash(struct str model, struct str region)
{
	return table_hash_add(table_hash(model.p, model.n), region.p, region.n);
}

void prices_each_row(const struct price_table *t, struct str model, struct str region,
		     bool (*fn)(void *ctx, const struct price_row *r), void *ctx)
{
	uint64_t h = prices_key_hash(model, region);
	size_t pos;
	for (const struct stored_row *r = table_first(&t->index, h, &pos); r;
	     r = table_next(&t->index, h, &pos)) {
		if (str_eq(r->row.model, model) && str_eq(r->row.region, region) &&
		    !fn(ctx, &r->row))
			return;
	}
}

void prices_insert(struct price_table *t, struct stored_row *r)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 64;
		t->rows = xrealloc(t->rows, t->cap * sizeof *t->rows);
	}
	t->rows[t->n++] = r;
	table_add(&t->index, r->hash, r);
}

size_t prices_warning_count(const struct price_table *t)
{
	return t->nwarnings;
}

const char *prices_warning(const struct price_table *t, size_t i)
{
	return i < t->nwarnings ? diag_msg(&t->warnings[i]) : "";
}

/* ---- lookup ---- */

static bool in_force(const struct price_row *r, struct ts at)
{
	return (!r->has_from || ts_cmp(r->valid_from, at) <= 0) &&
	       (!r->has_to || ts_cmp(at, r->valid_to) < 0);
}

struct gather {
	struct price_steps *s;
	size_t cap;
	unsigned char step;
};

static bool gather_row(void *ctx, const struct price_row *r)
{
	struct gather *g = ctx;
	struct price_steps *s = g->s;
	s->any_row = true;
	if (!str_eq(r->tier, str_from(s->tier)))
		return true;
	if (s->n == g->cap) {
		g->cap = g->cap ? 2 * g->cap : 4;
		s->rows = xrealloc(s->rows, g->cap * sizeof *s->rows);
		s->step = xrealloc(s->step, g->cap);
	}
	s->rows[s->n] = r;
	s->step[s->n++] = g->step;
	return true;
}

void prices_steps_init(struct price_steps *s, const struct price_table *t, struct str model,
		       struct str region, struct str tier)
{
	memset(s, 0, sizeof *s);
	s->tier = xmemdup0(tier.n ? tier.p : "standard", tier.n ? tier.n : 8);
	struct gather g = { s, 0, 0 };
	size_t prefix = modelid_geo_prefix_len(model);
	/* global. profiles are priced on their own (about 10% below regional) */
	bool strip = prefix && !str_starts(model, "global.");
	for (int i = 0; i < (strip ? 4 : 2); i++) {
		struct str m = model;
		if (i >= 2) {
			m.p += prefix;
			m.n -= prefix;
		}
		g.step = (unsigned char)i;
		prices_each_row(t, m, i % 2 ? STR_LIT("*") : region, gather_row, &g);
	}
}

void prices_steps_finish(struct price_steps *s)
{
	free(s->rows);
	free(s->step);
	free(s->tier);
	memset(s, 0, sizeof *s);
}

const struct price_row *prices_pick(const struct price_steps *s, uint64_t context, struct ts at,
				    enum price_miss *miss)
{
	bool any_in_force = false;
	for (size_t i = 0; i < s->n;) {
		const struct price_row *best = NULL;
		unsigned char step = s->step[i];
		for (; i < s->n && s->step[i] == step; i++) {
			const struct price_row *r = s->rows[i];
			if (!in_force(r, at))
				continue;
			any_in_force = true;
			if ((r->context_over == 0 || r->context_over < context) &&
			    (!best || r->context_over > best->context_over))
				best = r;
		}
		if (best) {
			*miss = PRICE_FOUND;
			return best;
		}
	}
	/* the nearest miss: rows of the tier but none then; rows but none of the tier; none */
	if (s->n && !any_in_force)
		*miss = PRICE_NOT_IN_FORCE;
	else if (!s->n && s->any_row)
		*miss = PRICE_NO_TIER_ROW;
	else
		*miss = PRICE_NO_ROW;
	return NULL;
}

const struct price_row *prices_lookup(const struct price_table *t, struct str model,
				      struct str region, struct str tier, uint64_t context,
				      struct ts at, enum price_miss *miss)
{
	struct price_steps s;
	prices_steps_init(&s, t, model, region, tier);
	const struct price_row *r = prices_pick(&s, context, at, miss);
	prices_steps_finish(&s);
	return r;
}

int price_cost(const struct price *p, const uint64_t tokens[TOKEN_KINDS], money_t *cost,
	       const char **missing)
{
	/* bedrock-ledger-formats(5), PRICING: cache writes are priced by TTL, the 1-hour ones apart
	 */
	uint64_t billed[TOKEN_KINDS];
	memcpy(billed, tokens, sizeof billed);
	billed[TOKEN_CACHE_WRITE] -= tokens[TOKEN_CACHE_WRITE_1H];
	money_t sum = 0;
	for (int k = 0; k < TOKEN_KINDS; k++) {
		if (billed[k] == 0)
			continue;
		if (!p->has[k]) {
			if (missing)
				*missing = prices_columns[k];
			return -1;
		}
		sum += money_cost(billed[k], p->nanos[k]);
	}
	*cost = sum;
	return 0;
}

size_t prices_detail(char *out, size_t cap, enum price_miss miss, struct str tier,
		     const struct price_row *row, const char *missing)
{
	int n;
	switch (miss) {
	case PRICE_NO_TIER_ROW:
		n = snprintf(out, cap, "no %.*s row", (int)(tier.n ? tier.n : 8),
			     tier.n ? tier.p : "standard");
		break;
	case PRICE_NOT_IN_FORCE:
		n = snprintf(out, cap, "no row in force");
		break;
	case PRICE_FOUND: {
		bool std = str_eq(row->tier, STR_LIT("standard"));
		char ctx[48] = "";
		if (row->context_over)
			snprintf(ctx, sizeof ctx, ",context over %" PRIu64, row->context_over);
		n = snprintf(out, cap, "empty %s in the row for %.*s,%.*s%s%.*s%s", missing,
			     (int)row->model.n, row->model.p, (int)row->region.n, row->region.p,
			     std ? "" : ",", std ? 0 : (int)row->tier.n, row->tier.p, ctx);
		break;
	}
	default:
		n = snprintf(out, cap, "no row");
		break;
	}
	return n < 0 ? 0 : (size_t)n >= cap ? cap - 1 : (size_t)n;
}
