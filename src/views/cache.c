/*
 * cache.c - cache.csv: what prompt caching saved and what its writes cost,
 * at each record's own price row (bedrock-ledger(1)).
 */
#include "ledger/views/whatif.h"

/* tokens x (a - b), in 1e-15 USD: prices are in nano-USD per million tokens */
static sums_usd_t times_diff(uint64_t tokens, uint64_t a, uint64_t b)
{
	return (sums_usd_t)tokens * ((sums_usd_t)a - (sums_usd_t)b);
}

void cache_add(struct sums *t, struct str *key, size_t ng, const struct record_view *rv,
	       uint64_t invocations)
{
	const struct record *r = rv->r;
	const struct price *p = &rv->price_row->price;
	uint64_t reads = r->tokens[TOKEN_CACHE_READ];
	uint64_t hour = r->tokens[TOKEN_CACHE_WRITE_1H];
	uint64_t five = r->tokens[TOKEN_CACHE_WRITE] - hour;
	/* a priced record has a price for every kind it has tokens of; without an
	 * input price, what caching saved against it cannot be said */
	if ((reads || five || hour) && !p->has[TOKEN_INPUT])
		return;
	uint64_t in = p->nanos[TOKEN_INPUT];
	sums_usd_t saving = reads ? times_diff(reads, in, p->nanos[TOKEN_CACHE_READ]) : 0;
	sums_usd_t premium = five ? times_diff(five, p->nanos[TOKEN_CACHE_WRITE], in) : 0;
	if (hour)
		premium += times_diff(hour, p->nanos[TOKEN_CACHE_WRITE_1H], in);
	key[ng] = rv->at->model;
	struct sums_row *s = sums_get(t, key);
	s->count[0] += invocations;
	for (int k = 0; k < TOKEN_KINDS; k++)
		s->tokens[k] += r->tokens[k];
	s->usd[CACHE_READ_SAVING] += saving;
	s->usd[CACHE_WRITE_PREMIUM] += premium;
}
