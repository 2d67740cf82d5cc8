/*
 * whatif.c - whatif.csv: a priced record's tokens at the price of each
 * cheaper model of its ladder, found as its own price is (bedrock-ledger(1)).
 */
#include "ledger/views/whatif.h"

#include <stdlib.h>
#include <string.h>

#include "ledger/price/modelid.h"
#include "ledger/support/xalloc.h"

/* One alternative of a (model, region, tier): its name and its candidate price rows. */
struct alt {
	char *name; /* the model's geographic prefix + the cheaper model */
	size_t n;
	struct price_steps steps;
};

struct alts {
	char *model, *region, *tier;
	size_t model_n, region_n, tier_n;
	struct alt *v;
	size_t n;
};

static struct alts *alts_make(const struct whatif_alts *cfg, struct str model,
			      struct str region, struct str tier)
{
	struct alts *a = xcalloc(1, sizeof *a);
	a->model = xmemdup0(model.p, model.n);
	a->model_n = model.n;
	a->region = xmemdup0(region.p, region.n);
	a->region_n = region.n;
	a->tier = xmemdup0(tier.p, tier.n);
	a->tier_n = tier.n;
	size_t pre = modelid_geo_prefix_len(model);
	const struct str *cheaper = NULL;
	size_t n = cfg->ladder ? ladder_cheaper(cfg->ladder,
						(struct str){ model.p + pre, model.n - pre },
						&cheaper)
			       : 0;
	a->v = xcalloc(n ? n : 1, sizeof *a->v);
	for (size_t i = 0; i < n; i++) {
		struct alt *x = &a->v[a->n++];
		x->n = pre + cheaper[i].n;
		x->name = xmalloc(x->n + 1);
		memcpy(x->name, model.p, pre);
		memcpy(x->name + pre, cheaper[i].p, cheaper[i].n);
		x->name[x->n] = '\0';
		prices_steps_init(&x->steps, cfg->prices, (struct str){ x->name, x->n }, region,
				  tier);
	}
	return a;
}

static bool alts_are(const struct alts *a, struct str model, struct str region, struct str tier)
{
	return str_eq((struct str){ a->model, a->model_n }, model) &&
	       str_eq((struct str){ a->region, a->region_n }, region) &&
	       str_eq((struct str){ a->tier, a->tier_n }, tier);
}

static struct alts *alts_of(struct whatif_alts *v, struct str model, struct str region,
			    struct str tier)
{
	uint64_t h = table_hash_add(table_hash(model.p, model.n), region.p, region.n);
	h = table_hash_add(h, tier.p, tier.n);
	size_t pos;
	for (struct alts *a = table_first(&v->t, h, &pos); a; a = table_next(&v->t, h, &pos))
		if (alts_are(a, model, region, tier))
			return a;
	struct alts *a = alts_make(v, model, region, tier);
	table_add(&v->t, h, a);
	return a;
}

void whatif_alts_finish(struct whatif_alts *v)
{
	size_t pos = 0;
	for (struct alts *a; (a = table_each(&v->t, &pos)) != NULL;) {
		for (size_t i = 0; i < a->n; i++) {
			prices_steps_finish(&a->v[i].steps);
			free(a->v[i].name);
		}
		free(a->v);
		free(a->model);
		free(a->region);
		free(a->tier);
		free(a);
	}
	table_finish(&v->t);
}

void whatif_add(struct sums *t, struct whatif_alts *alts, struct str *key, size_t ng,
		const struct record_view *rv, uint64_t invocations)
{
	const struct record *r = rv->r;
	/* a cell's attribution is one (model, region, tier): tried first, by its address */
	struct alts **m = &alts->memo[((uintptr_t)rv->at >> 4) % WHATIF_MEMO];
	struct alts *a = *m;
	if (!a || !alts_are(a, rv->at->model, rv->region, r->tier))
		*m = a = alts_of(alts, rv->at->model, rv->region, r->tier);
	if (!a->n)
		return;
	/* the cell's context class (facts.h): every record of the cell is in it,
	 * so each alternative's row is picked as it would be for each record */
	uint64_t context = rv->context;
	key[ng] = rv->at->model;
	for (size_t i = 0; i < a->n; i++) {
		enum price_miss miss;
		const struct price_row *row =
		    prices_pick(&a->v[i].steps, context, r->timestamp, &miss);
		money_t alt;
		const char *missing;
		if (!row || price_cost(&row->price, r->tokens, &alt, &missing) != 0)
			continue;
		key[ng + 1] = (struct str){ a->v[i].name, a->v[i].n };
		struct sums_row *s = sums_get(t, key);
		s->count[0] += invocations;
		for (int k = 0; k < TOKEN_KINDS; k++)
			s->tokens[k] += r->tokens[k];
		s->usd[WHATIF_COST] += (sums_usd_t)rv->cost;
		s->usd[WHATIF_ALT] += (sums_usd_t)alt;
	}
}
