/*
 * rollup.h - group key -> counters: the tables behind every report.
 *
 * Pipeline: facts, views -> [rollup] -> report.
 * A key is a fixed number of byte-string fields (any bytes, NUL included).
 * Each worker thread fills its own tables; rollup_merge folds them into one
 * at the end. Sums are exact integers, so the merge order cannot change a
 * result.
 * Ownership: a table copies every key it is given into its own arena, freed
 * with the table.
 */
#ifndef LEDGER_ROLLUP_H
#define LEDGER_ROLLUP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ledger/support/money.h"
#include "ledger/read/record.h"
#include "ledger/support/str.h"
#include "ledger/support/timestamp.h"

/* A row's counters. runs.c spills each field by name (counter_numbers, from_numbers): a new
 * field goes there too, and into test_runs.c. */
struct counters {
	uint64_t invocations;
	uint64_t errors;
	uint64_t unpriced_records; /* of the invocations, those without a cost */
	uint64_t tokens[TOKEN_KINDS];
	money_t cost;  /* exact, over the priced records */
	bool unpriced; /* a record without a price fell here (cost is the priced ones' sum) */
	uint64_t ignored_1h; /* records whose 1-hour cache-write count was not a count in range */
	uint64_t context_min, context_max; /* fact cells: the least and greatest context (tokens
					      of input, cache read and cache write) of a record */
	bool seen;     /* first/last are set */
	struct ts first, last;
};

/* Adds one record's counts and cost (cost ignored when unpriced). */
void counters_add_record(struct counters *c, const struct record *r, bool unpriced, money_t cost);
/*
 * Adds a priced cell: its counters, and its cost (ignored when unpriced, in
 * which case every invocation of the cell is an unpriced one).
 */
void counters_add_cell(struct counters *dst, const struct counters *cell, bool unpriced,
		       money_t cost);
/* Folds src into dst. */
void counters_merge(struct counters *dst, const struct counters *src);

struct rollup;

struct rollup *rollup_create(size_t nfields); /* never NULL: OOM aborts */
void rollup_destroy(struct rollup *r);	      /* NULL is a no-op */

/* The counters of key (nfields slices), created zeroed when new. */
struct counters *rollup_get(struct rollup *r, const struct str *key);
/*
 * From now on the table keeps each distinct key text once, shared by the
 * rows that hold it (a report's rows repeat their models, days and Regions):
 * less memory, a lookup more per new row, and rows sorted by integer ranks.
 */
void rollup_share_texts(struct rollup *r);

/* Folds every row of src into dst (same nfields). */
void rollup_merge(struct rollup *dst, const struct rollup *src);

size_t rollup_count(const struct rollup *r);

struct rollup_row {
	const struct str *key; /* nfields slices, owned by the table */
	const struct counters *c;
};

/* The rows in no particular order: *pos starts at 0; false after the last. */
bool rollup_each(const struct rollup *r, size_t *pos, struct rollup_row *row);

/*
 * The rows sorted by key, field by field in byte order. Returns a malloc'd
 * array of rollup_count() rows, valid until the table changes or dies. A
 * table with shared texts sorts its distinct texts first and its rows by
 * their ranks (it writes the ranks: one thread at a time per table).
 */
struct rollup_row *rollup_sorted(const struct rollup *r);

/* Drops every row: the table is empty (and usable) again. */
void rollup_clear(struct rollup *r);
size_t rollup_nfields(const struct rollup *r);

#endif
