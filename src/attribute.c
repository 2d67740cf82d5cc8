/*
 * attribute.c - route, model, tags and price of a (modelId, region) pair.
 */
#include "ledger/attribute.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/xalloc.h"

static const char *const problem_names[PROBLEM_COUNT] = {
	[PROBLEM_NONE] = "",
	[PROBLEM_NOT_IN_MANIFEST] = "not-in-manifest",
	[PROBLEM_NO_MODEL] = "no-model",
	[PROBLEM_NO_PRICE] = "no-price",
	[PROBLEM_NOT_TOKEN_PRICED] = "not-token-priced",
};

const char *problem_name(enum problem p)
{
	return (unsigned)p < PROBLEM_COUNT ? problem_names[p] : "";
}

struct slot {
	uint64_t hash;
	char *model_id, *region; /* the cache key, owned */
	size_t model_id_n, region_n;
	struct attribution at;
	char *model;             /* owned copy behind at.model */
	struct str *tags;        /* owned array behind at.tags */
};

struct attributor {
	const struct manifest *manifest;
	const struct price_table *prices;
	const char *const *group_by;
	size_t ngroup;
	struct slot **slots;
	size_t cap, n;
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
	a->cap = 64;
	a->slots = xcalloc(a->cap, sizeof *a->slots);
	a->no_tags = xcalloc(ngroup ? ngroup : 1, sizeof *a->no_tags);
	return a;
}

static void slot_free(struct slot *s)
{
	free(s->model_id);
	free(s->region);
	free(s->model);
	free(s->tags);
	free(s);
}

void attributor_destroy(struct attributor *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->cap; i++)
		if (a->slots[i])
			slot_free(a->slots[i]);
	free(a->slots);
	free(a->no_tags);
	free(a);
}

static uint64_t hash2(struct str x, struct str y)
{
	uint64_t h = 0xcbf29ce484222325ull;
	for (size_t i = 0; i < x.n; i++)
		h = (h ^ (unsigned char)x.p[i]) * 0x100000001b3ull;
	h = (h ^ 0xff) * 0x100000001b3ull;
	for (size_t i = 0; i < y.n; i++)
		h = (h ^ (unsigned char)y.p[i]) * 0x100000001b3ull;
	return h ^ (h >> 31);
}

static void resolve(struct attributor *a, struct slot *s)
{
	struct str logged = { s->model_id, s->model_id_n };
	struct str region = { s->region, s->region_n };
	struct attribution *at = &s->at;
	struct str model;
	at->route = route_classify(logged, &model);
	at->tags = a->no_tags;
	at->problem_model = logged;
	switch (at->route) {
	case ROUTE_APPLICATION_PROFILE: {
		const struct manifest_entry *e = a->manifest ? manifest_lookup(a->manifest, logged) : NULL;
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
	at->price = prices_lookup(a->prices, model, region);
	if (!at->price)
		at->problem = PROBLEM_NO_PRICE;
}

static void grow(struct attributor *a)
{
	size_t cap = a->cap * 2;
	struct slot **slots = xcalloc(cap, sizeof *slots);
	for (size_t i = 0; i < a->cap; i++) {
		struct slot *s = a->slots[i];
		if (!s)
			continue;
		size_t j = s->hash & (cap - 1);
		while (slots[j])
			j = (j + 1) & (cap - 1);
		slots[j] = s;
	}
	free(a->slots);
	a->slots = slots;
	a->cap = cap;
}

const struct attribution *attribute(struct attributor *a, struct str model_id, struct str region)
{
	uint64_t h = hash2(model_id, region);
	size_t i = h & (a->cap - 1);
	for (struct slot *s; (s = a->slots[i]) != NULL; i = (i + 1) & (a->cap - 1)) {
		if (s->hash == h && str_eq((struct str){ s->model_id, s->model_id_n }, model_id) &&
		    str_eq((struct str){ s->region, s->region_n }, region))
			return &s->at;
	}
	struct slot *s = xcalloc(1, sizeof *s);
	s->hash = h;
	s->model_id = xmemdup0(model_id.p, model_id.n);
	s->model_id_n = model_id.n;
	s->region = xmemdup0(region.p, region.n);
	s->region_n = region.n;
	resolve(a, s);
	a->slots[i] = s;
	if (2 * ++a->n > a->cap)
		grow(a);
	return &s->at;
}
