/*
 * attribute.h - a record's modelId and region -> route, model, tags, price.
 *
 * Pipeline: record -> [attribute] (manifest, prices) -> rollup.
 * bedrock-ledger-formats(5), ROUTES; bedrock-ledger-formats(5), PRICES: the route decides where the
 * model comes from (the manifest for an application profile); the model, the source region and the
 * tier decide the candidate price rows. Results are cached per (modelId, region, tier): one lookup
 * per distinct triple, not per record. Ownership: an attributor borrows the manifest and price
 * table (which must outlive it) and owns its cache; attributions it returns live as long as it
 * does. One attributor per thread.
 */
#ifndef LEDGER_ATTRIBUTE_H
#define LEDGER_ATTRIBUTE_H

#include <stddef.h>

#include "ledger/price/manifest.h"
#include "ledger/price/modelid.h"
#include "ledger/price/prices.h"
#include "ledger/support/str.h"

/* The problems of unresolved.csv. */
enum problem {
	PROBLEM_NONE,
	PROBLEM_NOT_IN_MANIFEST,  /* application profile missing from the manifests */
	PROBLEM_NO_MODEL,	  /* in a manifest, but without a model */
	PROBLEM_NO_PRICE,	  /* no price row, or an empty cell for a used kind */
	PROBLEM_NOT_TOKEN_PRICED, /* route other */
	PROBLEM_COUNT
};

/* "not-in-manifest", "no-model", "no-price", "not-token-priced". */
const char *problem_name(enum problem p);

struct attribution {
	enum route route;
	struct str model;	  /* as priced and reported */
	const struct str *tags;	  /* one value per group-by key; empty when none */
	bool priced;		  /* steps were gathered: the record's price is picked from them */
	struct price_steps steps; /* the candidate rows of the lookup chain */
	enum problem problem; /* NONE, or why it cannot be priced at all (unattributed, other) */
	struct str problem_model; /* the model_id column of unresolved.csv */
	struct str pool; /* the model's pool (bedrock-ledger-formats(5), POOLS); "unknown" for
			    route other and for an unattributed profile */
	int geo;	 /* its geographic prefix (modelid_geo_of), when the pool is known */
};

struct attributor;

struct attributor *attributor_create(const struct manifest *m, const struct price_table *p,
				     const char *const *group_by, size_t ngroup);
void attributor_destroy(struct attributor *a); /* NULL is a no-op */

/*
 * The attribution of a record with this modelId, source region and tier
 * (empty: standard). The price row itself depends on the record's context
 * and timestamp: prices_pick(&at->steps, ...).
 */
const struct attribution *attribute(struct attributor *a, struct str model_id, struct str region,
				    struct str tier);

#endif
