/*
 * ledger.c - a fact cell's attribution, price and cost, and its way into the views.
 */
#include "ledger/ledger/ledger.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/support/xalloc.h"

struct ledger_held {
	struct counters c;
	struct str *key;
};

/* bedrock-ledger-formats(5), PRICING: the cell's price row and cost, or why it has none. */
static void price_cell(struct record_view *v, uint64_t context)
{
	const struct record *r = v->r;
	const struct attribution *at = v->at;
	enum price_miss miss;
	const struct price_row *row = prices_pick(&at->steps, context, r->timestamp, &miss);
	v->price_row = row;
	const char *missing = NULL;
	if (row && price_cost(&row->price, r->tokens, &v->cost, &missing) == 0)
		return;
	v->problem = PROBLEM_NO_PRICE;
	v->unpriced = true;
	v->cost = 0;
	size_t n = prices_detail(v->detail_buf, sizeof v->detail_buf, miss, r->tier, row, missing);
	v->detail = (struct str){ v->detail_buf, n };
}

void ledger_init(struct ledger *l, const struct fact_plan *plan, const struct manifest *m,
		 const struct price_table *prices, const struct group_by *g,
		 bool callers_principal, struct tally *views, pthread_mutex_t *lock, size_t cells)
{
	memset(l, 0, sizeof *l);
	l->cap_held = cells ? cells : 1;
	l->held_arena.block_size = 60000;
	l->plan = plan;
	l->at = attributor_create(m, prices, g->tags, g->ntags);
	l->views = views;
	l->lock = lock;
	l->view.callers_principal = callers_principal;
	l->view.tz = plan->tz;
}

void ledger_finish(struct ledger *l)
{
	attributor_destroy(l->at);
	view_finish(&l->view);
	free(l->held);
	arena_free(&l->held_arena);
	memset(l, 0, sizeof *l);
}

void ledger_add(struct ledger *l, const struct str *key, const struct counters *c)
{
	uint64_t context;
	fact_record(l->plan, key, c, &l->rec, &context);
	struct str region = l->rec.region;
	const struct attribution *at = attribute(l->at, l->rec.model_id, region, l->rec.tier);
	struct record_view *v = &l->view;
	view_set(v, &l->rec, at, region);
	v->context = context;
	if (v->problem == PROBLEM_NONE)
		price_cell(v, context);
	tally_add(l->views, v, c);
}

/*
 * A full hold is flushed when the views' lock is free; while another
 * worker holds it, up to HOLD_MORE times the budget is held, and the
 * worker goes on reading instead of waiting.
 */
#define HOLD_MORE 4

static void add_all(struct ledger *l, struct rollup *facts)
{
	size_t pos = 0;
	struct rollup_row row;
	for (size_t i = 0; i < l->nheld; i++)
		ledger_add(l, l->held[i].key, &l->held[i].c);
	while (facts && rollup_each(facts, &pos, &row))
		ledger_add(l, row.key, row.c);
	l->nheld = 0;
	arena_free(&l->held_arena);
	if (facts)
		rollup_clear(facts);
}

void ledger_hold(struct ledger *l, const struct str *key, const struct counters *c)
{
	if (!l->held)
		l->held = xmalloc(HOLD_MORE * l->cap_held * sizeof *l->held);
	size_t n = l->plan->nfields, bytes = 0;
	for (size_t f = 0; f < n; f++)
		bytes += key[f].n;
	struct ledger_held *h = &l->held[l->nheld++];
	h->c = *c;
	h->key = arena_alloc(&l->held_arena, n * sizeof *h->key + bytes);
	char *text = (char *)(h->key + n);
	for (size_t f = 0; f < n; f++) {
		if (key[f].n)
			memcpy(text, key[f].p, key[f].n);
		h->key[f] = (struct str){ text, key[f].n };
		text += key[f].n;
	}
	if (l->nheld < l->cap_held)
		return;
	if (l->nheld == HOLD_MORE * l->cap_held || !l->lock)
		ledger_flush(l, NULL);
	else if (pthread_mutex_trylock(l->lock) == 0) {
		add_all(l, NULL);
		pthread_mutex_unlock(l->lock);
	}
}

bool ledger_try_flush(struct ledger *l, struct rollup *facts)
{
	if (!l->lock || rollup_count(facts) >= HOLD_MORE * l->cap_held) {
		ledger_flush(l, facts);
		return true;
	}
	if (pthread_mutex_trylock(l->lock) != 0)
		return false;
	add_all(l, facts);
	pthread_mutex_unlock(l->lock);
	return true;
}

void ledger_flush(struct ledger *l, struct rollup *facts)
{
	if (l->lock)
		pthread_mutex_lock(l->lock);
	add_all(l, facts);
	if (l->lock)
		pthread_mutex_unlock(l->lock);
}

void ledger_rest(struct ledger *l)
{
	assert(l->nheld == 0);
	free(l->held);
	l->held = NULL;
}
