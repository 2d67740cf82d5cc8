/*
 * attribute.c - route, model, tags and price of a (modelId, region) pair.
 */
#include "ledger/price/attribute.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/support/table.h"
#include "ledger/support/xalloc.h"

/* A switch, not a table: -Wswitch names a problem added without a name. */
const char *problem_name(enum problem p)
{
	switch (p) {
	case PROBLEM_NOT_IN_MANIFEST:
		return "not-in-manifest";
	case PROBLEM_NO_MODEL:
		return "no-model";
	case PROBLEM_NO_PRICE:
		return "no-price";
	case PROBLEM_NOT_TOKEN_PRICED:
		return "not-token-priced";
	case PROBLEM_NONE:
	case PROBLEM_COUNT:
		break;
	}
	return "";
}

struct slot {
	char *model_id, *region, *tier; /* the cache key, owned */
	size_t model_id_n, region_n, tier_n;
	struct attribution at;
	char *model;	  /* owned copy behind at.model */
	struct str *tags; /* owned array behind at.tags */
};

struct attributor {
	const struct manifest *manifest;
	const struct price_table *prices;
	const char *const *group_by;
	size_t ngroup;
	struct table cache;  /* of struct slot */
	struct str *no_tags; /* ngroup empty values */
};

struct attributor *attributor_create(const struct manifest *m, const struct price_table *p,
				     const char *const *group_by, size_t ngroup)
{
	struct attributor *a = xcalloc(1, sizeof *a);
	a->manifest = m;
	a->prices = p;
	a->group_by = group_by;
	a->ngroup = ngroup;
	a->no_tags = xcalloc(ngroup ? ngroup : 1, sizeof *a->no_tags);
	return a;
}

static void slot_free(struct slot *s)
{
	free(s->model_id);
	free(s->region);
	free(s->tier);
	prices_steps_finish(&s->at.steps);
	free(s->model);
	free(s->tags);
	free(s);
}

void attributor_destroy(struct attributor *a)
{
	if (!a)
		return;
	size_t pos = 0;
	for (struct slot *s; (s = table_each(&a->cache, &pos)) != NULL;)
		slot_free(s);
	table_finish(&a->cache);
	free(a->no_tags);
	free(a);
}

static void resolve(struct attributor *a, struct slot *s)
{
	struct str logged = { s->model_id, s->model_id_n };
	struct str region = { s->region, s->region_n };
	struct str tier = { s->tier, s->tier_n };
	struct attribution *at = &s->at;
	struct str model;
	at->route = route_classify(logged, &model);
	at->tags = a->no_tags;
	at->problem_model = logged;
	at->pool = STR_LIT("unknown");
	at->geo = -1;
	switch (at->route) {
	case ROUTE_APPLICATION_PROFILE: {
		const struct manifest_entry *e =
		    a->manifest ? manifest_lookup(a->manifest, logged) : NULL;
		if (!e) {
			at->model = logged;
			at->problem = PROBLEM_NOT_IN_MANIFEST;
			return;
		}
		s->tags = xcalloc(a->ngroup ? a->ngroup : 1, sizeof *s->tags);
		for (size_t g = 0; g < a->ngroup; g++)
			s->tags[g] = str_from(manifest_tag(a->manifest, e, a->group_by[g]));
		at->tags = s->tags;
		if (!e->model_id || !*e->model_id) {
			at->model = logged;
			at->problem = PROBLEM_NO_MODEL;
			return;
		}
		s->model = xstrdup(e->model_id);
		model = str_from(s->model);
		break;
	}
	case ROUTE_OTHER:
		at->model = logged;
		at->problem = PROBLEM_NOT_TOKEN_PRICED;
		return;
	default:
		break;
	}
	at->model = model;
	at->problem_model = model;
	at->pool = str_from(modelid_pool(model));
	at->geo = modelid_geo_of(model);
	at->priced = true;
	prices_steps_init(&at->steps, a->prices, model, region, tier);
}

const struct attribution *attribute(struct attributor *a, struct str model_id, struct str region,
				    struct str tier)
{
	uint64_t h = table_hash_add(table_hash(model_id.p, model_id.n), region.p, region.n);
	h = table_hash_add(h, tier.p, tier.n);
	size_t pos;
	for (struct slot *s = table_first(&a->cache, h, &pos); s;
	     s = table_next(&a->cache, h, &pos)) {
		if (str_eq((struct str){ s->model_id, s->model_id_n }, model_id) &&
		    str_eq((struct str){ s->region, s->region_n }, region) &&
		    str_eq((struct str){ s->tier, s->tier_n }, tier))
			return &s->at;
	}
	struct slot *s = xcalloc(1, sizeof *s);
	s->model_id = xmemdup0(model_id.p, model_id.n);
	s->model_id_n = model_id.n;
	s->region = xmemdup0(region.p, region.n);
	s->region_n = region.n;
	s->tier = xmemdup0(tier.p, tier.n);
	s->tier_n = tier.n;
	resolve(a, s);
	table_add(&a->cache, h, s);
	return &s->at;
}
