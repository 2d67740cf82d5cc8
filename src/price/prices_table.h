/*
 * prices_table.h - private to prices.c (the table, the lookup) and
 * prices_load.c (reading and checking a CSV): how a price table stores its
 * rows and finds them by (model_id, region).
 */
#ifndef LEDGER_PRICES_TABLE_H
#define LEDGER_PRICES_TABLE_H

#include <stdbool.h>
#include <stdint.h>

#include "ledger/price/prices.h"
#include "ledger/support/diag.h"
#include "ledger/support/table.h"

/* A row and its strings, in one allocation so that pointers to it stay put. */
struct stored_row {
	struct price_row row;
	uint64_t hash;
	char text[]; /* model, region, tier */
};

struct price_table {
	struct stored_row **rows;
	size_t n, cap;
	struct table index; /* of struct stored_row, by (model_id, region) */
	char **names;	    /* the name of every buffer loaded */
	size_t nnames;
	struct diag diag;
	struct diag *warnings; /* raw, in the order they arose */
	size_t nwarnings;
};

/* Frees t, and its rows unless they have been handed over to another table. */
void prices_table_free(struct price_table *t, bool with_rows);

/* The index's hash of (model, region). */
uint64_t prices_key_hash(struct str model, struct str region);

/* Calls fn for every row of (model, region), in load order; stops when it returns false. */
void prices_each_row(const struct price_table *t, struct str model, struct str region,
		     bool (*fn)(void *ctx, const struct price_row *r), void *ctx);

/* Adds r (its hash set) to the rows and the index; t owns it from then on. */
void prices_insert(struct price_table *t, struct stored_row *r);

#endif
