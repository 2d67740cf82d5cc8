/*
 * ledger.h - facts become priced cells: each distinct cell is attributed
 * and priced once, then added to every view.
 *
 * Pipeline: facts -> [ledger: attribute, price] -> views (tally) -> report.
 * The ledger holds the price rules of bedrock-ledger-formats(5), PRICING: a cell's
 * price row is picked for its price class and instant (facts.h), and its
 * cost is its summed tokens at that row, exactly the sum of its records'
 * costs. A cell that cannot be priced is unpriced as a whole, which each of
 * its records would be too. Each worker has its own ledger (attribution
 * caches); the views are one set, shared under a lock that a flush holds.
 * A cell that is one already (a worker's fold of a stored or captured cell)
 * is held as it is, without a fact table, until the flush.
 * Ownership: a ledger owns its attributor and view; the plan, tables and
 * views (tally) are borrowed and must outlive it.
 */
#ifndef LEDGER_LEDGER_H
#define LEDGER_LEDGER_H

#include <pthread.h>
#include <stdbool.h>

#include "ledger/facts/facts.h"
#include "ledger/facts/rollup.h"
#include "ledger/price/attribute.h"
#include "ledger/price/manifest.h"
#include "ledger/price/prices.h"
#include "ledger/support/arena.h"
#include "ledger/views/fields.h"
#include "ledger/views/layout.h"

struct ledger {
	const struct fact_plan *plan;
	struct attributor *at;
	struct tally *views;
	pthread_mutex_t *lock; /* held while cells go into the views (shared by workers), or NULL */
	struct record_view view;
	struct record rec; /* the record the cell stands for */
	/* ledger_hold's cells, their keys' texts copied into held_arena */
	struct ledger_held *held;
	size_t nheld, cap_held;
	struct arena held_arena;
};

void ledger_init(struct ledger *l, const struct fact_plan *plan, const struct manifest *m,
		 const struct price_table *prices, const struct group_by *g,
		 bool callers_principal, struct tally *views, pthread_mutex_t *lock, size_t cells);
void ledger_finish(struct ledger *l);

/* Attributes and prices one cell (plan->nfields key fields) and adds it to every view. */
void ledger_add(struct ledger *l, const struct str *key, const struct counters *c);

/*
 * Keeps a copy of one cell (key and counters) for the next flush; flushes
 * once the cells budget of ledger_init is held and the views' lock is free,
 * or waits for the lock at four times the budget. The same key may be held
 * twice: views add, so two halves of a cell give what the whole gives.
 */
void ledger_hold(struct ledger *l, const struct str *key, const struct counters *c);

/*
 * A fact table at its budget: flushed (as ledger_flush) if the views' lock
 * is free, or once it holds four times the budget (then waiting for the
 * lock); else false, and the worker goes on reading.
 */
bool ledger_try_flush(struct ledger *l, struct rollup *facts);

/* Adds every held cell and every cell of a fact table (or NULL), then empties both. */
void ledger_flush(struct ledger *l, struct rollup *facts);

/* After a flush (nothing held): the held cells' room given back (ledger_hold makes it again). */
void ledger_rest(struct ledger *l);

#endif
