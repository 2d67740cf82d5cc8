/*
 * prices.h - the price table (bedrock-ledger-formats(5), PRICES): loading, validation, lookup
 * (prices_load.c reads and checks a CSV, prices.c holds the rows and looks
 * them up).
 *
 * Pipeline: attribute -> [prices] -> rollup.
 * A row prices one (model_id, region) for one service tier, for requests
 * whose context is over its context_over (0: every request), while it is in
 * force (valid_from <= timestamp < valid_to). The CSV is read by csvrows.h;
 * problems follow diag.h: the message of the last load is kept in the
 * table.
 * Lookup is in two halves, so that the per-record half is cheap: the rows a
 * (model, region, tier) can ever be priced from, step by step along the
 * chain of bedrock-ledger-formats(5), PRICING, are gathered once (prices_steps_init, cached by the
 * attributor); the row for one record's context and timestamp is then
 * picked from them (prices_pick).
 * Ownership: the table copies everything it reads; rows it returns live as
 * long as the table. A loaded table is read-only and may be shared between
 * threads.
 */
#ifndef LEDGER_PRICES_H
#define LEDGER_PRICES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ledger/support/csvrows.h"
#include "ledger/support/money.h"
#include "ledger/read/record.h" /* enum record_token, TOKEN_KINDS */
#include "ledger/support/str.h"
#include "ledger/support/timestamp.h"

/* The prices of one row: one per kind of token, or none (an empty cell). */
struct price {
	bool has[TOKEN_KINDS];
	uint64_t nanos[TOKEN_KINDS]; /* nano-USD per million tokens */
};

/* One row of the table. */
struct price_row {
	struct price price;
	struct str model, region, tier; /* tier "standard" when the cell is empty */
	uint64_t context_over;
	bool has_from, has_to;
	struct ts valid_from, valid_to;
	unsigned long line;
	size_t source; /* which load it came from */
};

struct price_table;

/* Never NULL: OOM aborts. */
struct price_table *prices_create(void);
void prices_destroy(struct price_table *t); /* NULL is a no-op */

/*
 * Reads a price table CSV (header required; columns found by name, others
 * ignored; RFC 4180; any line ends) and adds its rows. `name` is used in
 * messages. Returns 0, or -1 with prices_error() set to "NAME:LINE: PROBLEM"
 * for the first problem (bedrock-ledger-formats(5), PRICES): a missing required column, a cell that
 * is not a valid value (which column and what is allowed), spaces around
 * model_id, region or tier, a model_id that is an ARN, an empty or inverted
 * validity, two rows of one (model_id, region, tier, context_over) whose
 * validity periods overlap (both lines named, also across loads), or a CSV
 * syntax error; where the cause is recognisable, it says what to do (a
 * semicolon-separated table, a decimal comma, a manifest or a log given as
 * a price table). On -1 the table is unchanged.
 * Cells are taken byte for byte. A row may stop before the optional columns
 * (they are then empty), not before a required one.
 */
int prices_load_buffer(struct price_table *t, const char *name, const char *buf, size_t n);

/* As prices_load_buffer on a file; a file that cannot be read is -1 too. */
int prices_load_file(struct price_table *t, const char *path);

/* The built-in table compiled into the binary (always valid). */
int prices_load_builtin(struct price_table *t);

/* The built-in table as CSV text, exactly as shipped, and its date. */
const char *prices_builtin_csv(size_t *len);
const char *prices_builtin_date(void); /* YYYY-MM-DD: newest as_of */

/* The last error message; "" if none. Owned by the table. */
const char *prices_error(const struct price_table *t);

/*
 * Warnings of the loads that succeeded ("NAME:LINE: ..."), raw, in the order
 * they arose; index 0..prices_warning_count()-1. Owned by the table.
 */
size_t prices_warning_count(const struct price_table *t);
const char *prices_warning(const struct price_table *t, size_t i);

/* Rows loaded. */
size_t prices_count(const struct price_table *t);

/* Row i (0 <= i < prices_count), in load order; owned by the table. */
const struct price_row *prices_row_at(const struct price_table *t, size_t i);

/* Why no row was picked (bedrock-ledger-formats(5), REPORTS, unresolved.csv's detail). */
enum price_miss {
	PRICE_FOUND,
	PRICE_NO_ROW,	    /* "no row": nothing for the model at any step */
	PRICE_NO_TIER_ROW,  /* "no TIER row": rows, but none of the record's tier */
	PRICE_NOT_IN_FORCE, /* "no row in force": rows of the tier, none at that time */
};

/*
 * The candidate rows of the lookup chain for one (model, region, tier):
 * steps (model, region), (model, *), and, for a geographic prefix other than
 * global., the same two on the model without it; in each step the rows of
 * that tier. Built by prices_steps_init, released by prices_steps_finish.
 */
struct price_steps {
	const struct price_row **rows;
	unsigned char *step; /* the step of each row, 0..3 */
	size_t n;
	bool any_row; /* some step has rows of any tier */
	char *tier;   /* owned copy: the record's tier */
};

void prices_steps_init(struct price_steps *s, const struct price_table *t, struct str model,
		       struct str region, struct str tier);
void prices_steps_finish(struct price_steps *s);

/*
 * bedrock-ledger-formats(5), PRICING for one record: at the first step with a row in force at `at`
 * whose context_over is 0 or below `context`, the one with the greatest
 * context_over. NULL with *miss set when there is none.
 */
const struct price_row *prices_pick(const struct price_steps *s, uint64_t context, struct ts at,
				    enum price_miss *miss);

/* The whole chain at once, for one record (tests, and the SQL generator). */
const struct price_row *prices_lookup(const struct price_table *t, struct str model,
				      struct str region, struct str tier, uint64_t context,
				      struct ts at, enum price_miss *miss);

/*
 * The cost of tokens at price p in 1e-15 USD (bedrock-ledger-formats(5), PRICING: cache writes less
 * the 1-hour ones at the cache-write price, those at the 1-hour price).
 * Returns 0 and sets *cost, or -1 if a kind of token with a non-zero count
 * has no price, and then *missing is the first such column (in the order of
 * bedrock-ledger-formats(5), PRICES), e.g. "cache_write_1h_per_mtok".
 */
int price_cost(const struct price *p, const uint64_t tokens[TOKEN_KINDS], money_t *cost,
	       const char **missing);

/* The column name of each kind of token's price. */
extern const char *const prices_columns[TOKEN_KINDS];

/*
 * unresolved.csv's detail for a record that could not be priced (bedrock-ledger-formats(5),
 * REPORTS): "no row", "no flex row", "no row in force", or, for a row found with an empty cell,
 * "empty COLUMN in the row for MODEL,REGION[,TIER][,context over N]". Written into out
 * (NUL-terminated, cut to cap); returns the length.
 */
size_t prices_detail(char *out, size_t cap, enum price_miss miss, struct str tier,
		     const struct price_row *row, const char *missing);

#endif
