/*
 * sums.h - group key -> counts and signed sums of money: the tables behind
 * whatif.csv, cache.csv and coverage.csv (bedrock-ledger(1)).
 *
 * Pipeline: tally (one per worker) -> [sums] -> whatif, cache, coverage ->
 * report, report.html.
 * As rollup.h, but a row holds what those views add up: counts, tokens,
 * up to SUMS_USD exact amounts of money that may be negative (a saving, a
 * premium), first and last timestamps and a mask of hours. Each worker
 * fills its own tables; sums_merge folds them into one. Exact integers
 * only, so the merge order cannot change a result.
 * Ownership: a table copies every key into its own arena, freed with it.
 */
#ifndef LEDGER_SUMS_H
#define LEDGER_SUMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ledger/read/record.h"
#include "ledger/support/str.h"
#include "ledger/support/timestamp.h"

#define SUMS_USD 3
#define SUMS_COUNTS 4

/* Money in 1e-15 USD (money.h's unit), signed. */
typedef __int128 sums_usd_t;

struct sums_row {
	uint64_t count[SUMS_COUNTS]; /* what each view says they are */
	uint64_t tokens[TOKEN_KINDS];
	sums_usd_t usd[SUMS_USD];
	uint64_t hours; /* a bit per hour of the day (coverage) */
	bool seen;	/* first/last are set */
	struct ts first, last;
	uint64_t mark; /* the adder's own (coverage: the last object counted); not merged */
};

struct sums;

struct sums *sums_create(size_t nfields); /* never NULL: OOM aborts */
void sums_destroy(struct sums *s);	  /* NULL is a no-op */

/* The row of key (nfields slices), created zeroed when new. */
struct sums_row *sums_get(struct sums *s, const struct str *key);

/* The row of key, or NULL when there is none. */
const struct sums_row *sums_find(const struct sums *s, const struct str *key);

/* Widens the row's first/last to t. */
void sums_row_saw(struct sums_row *r, struct ts t);

/* Adds the counts and sums of row src to dst (the mark is not added). */
void sums_row_add(struct sums_row *dst, const struct sums_row *src);

/* Folds every row of src into dst (same nfields). */
void sums_merge(struct sums *dst, const struct sums *src);

size_t sums_count(const struct sums *s);

struct sums_entry {
	const struct str *key; /* nfields slices, owned by the table */
	const struct sums_row *row;
};

/* The rows sorted by key, field by field in byte order; malloc'd, sums_count() of them. */
struct sums_entry *sums_sorted(const struct sums *s);

/*
 * Writes v as USD rounded half away from zero to 6 decimals ("-0.125000",
 * never "-0.000000") and a NUL; out needs 48 bytes. Returns the length.
 */
size_t sums_format_usd(sums_usd_t v, char out[48]);

#endif
