/*
 * whatif.h - whatif.csv and cache.csv, the two views of a priced cell's own
 * price: its tokens at the prices of the cheaper models of its ladder
 * (whatif.c), and what prompt caching saved and what its writes cost
 * (cache.c), as bedrock-ledger-formats(5), REPORTS, says.
 *
 * Pipeline: ledger -> tally -> views.c -> [whatif, cache] -> sums.
 * The caller puts the cell's -g values for the view in key[0..ng); the
 * function adds the model (and the alternative) after them and adds the
 * cell to its table. Only priced cells are given.
 * Ownership: a whatif_alts owns its cache of alternatives; the ladder and
 * price table are borrowed.
 */
#ifndef LEDGER_WHATIF_H
#define LEDGER_WHATIF_H

#include <stddef.h>
#include <stdint.h>

#include "ledger/price/ladder.h"
#include "ledger/price/prices.h"
#include "ledger/support/table.h"
#include "ledger/views/fields.h"
#include "ledger/views/sums.h"

/* usd indexes of the tables */
enum { WHATIF_COST, WHATIF_ALT };
enum { CACHE_READ_SAVING, CACHE_WRITE_PREMIUM };

/* (model, region, tier) -> its alternatives and their candidate price rows */
#define WHATIF_MEMO 64
struct whatif_alts {
	struct table t;
	struct alts *memo[WHATIF_MEMO]; /* by the attribution last seen with them */
	const struct ladder *ladder; /* NULL: no alternatives */
	const struct price_table *prices;
};

void whatif_add(struct sums *t, struct whatif_alts *alts, struct str *key, size_t ng,
		const struct record_view *rv, uint64_t invocations);
void whatif_alts_finish(struct whatif_alts *alts);

void cache_add(struct sums *t, struct str *key, size_t ng, const struct record_view *rv,
	       uint64_t invocations);

#endif
