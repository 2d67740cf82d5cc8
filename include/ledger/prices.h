/*
 * prices.h - the price table (SPEC §5): loading, validation, lookup.
 *
 * Pipeline: attribute -> [prices] -> rollup.
 * The CSV is read by csvrows.h; problems follow diag.h: the message of the
 * last load is kept in the table, raw (escaped when printed).
 * Ownership: the table copies everything it reads; the struct price pointers
 * it returns live as long as the table. A loaded table is read-only and may
 * be shared between threads.
 */
#ifndef LEDGER_PRICES_H
#define LEDGER_PRICES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ledger/money.h"
#include "ledger/record.h" /* enum record_token, TOKEN_KINDS */
#include "ledger/str.h"

/* One row: a price per kind of token, or none (an empty cell). */
struct price {
	bool has[TOKEN_KINDS];
	uint64_t nanos[TOKEN_KINDS]; /* nano-USD per million tokens */
};

struct price_table;

/* Never NULL: OOM aborts. */
struct price_table *prices_create(void);
void prices_destroy(struct price_table *t); /* NULL is a no-op */

/*
 * Reads a price table CSV (header required; columns found by name, others
 * ignored; RFC 4180 quoting; LF, CRLF or CR line ends) and adds its rows.
 * `name` is used in messages. Returns 0 (prices_error() is then ""), or -1
 * with prices_error() set to "NAME:LINE: PROBLEM" for the first problem: a
 * missing required column, a price that is not a non-negative decimal with at
 * most 9 fractional digits, an empty model_id or region, a duplicate
 * (model_id, region), or a CSV syntax error or NUL byte ("malformed CSV:
 * ...", as for a manifest). On -1 the table is unchanged.
 * Strict on purpose: cells are taken byte for byte (no trimming of blanks),
 * every row must have as many fields as the header, a duplicate is checked
 * against rows of earlier loads too, and LINE is the physical line a row
 * starts on (a syntax error: the line it is on). A UTF-8 BOM and blank lines
 * are skipped.
 */
int prices_load_buffer(struct price_table *t, const char *name, const char *buf, size_t n);

/* As prices_load_buffer on a file, read in chunks; a file that cannot be read is -1 too. */
int prices_load_file(struct price_table *t, const char *path);

/* The built-in table compiled into the binary (always valid). */
int prices_load_builtin(struct price_table *t);

/* The built-in table as CSV text, exactly as shipped, and its date. */
const char *prices_builtin_csv(size_t *len);
const char *prices_builtin_date(void); /* YYYY-MM-DD: newest as_of */

/* The problem of the last load, raw; "" if none. Owned by the table. */
const char *prices_error(const struct price_table *t);

/* Rows loaded. */
size_t prices_count(const struct price_table *t);

/*
 * The lookup chain of SPEC §5 for a model ID (already reduced from an ARN)
 * and a source region: (model, region), (model, *); then, if the model has a
 * geographic prefix other than "global.", the same two steps on the model
 * without it. NULL if no row matches.
 */
const struct price *prices_lookup(const struct price_table *t, struct str model, struct str region);

/*
 * The cost of tokens at price p in 1e-15 USD. Returns 0 and sets *cost, or
 * -1 if a kind of token with a non-zero count has no price (unpriced), or if
 * p is NULL (no row: unpriced whatever the counts).
 */
int price_cost(const struct price *p, const uint64_t tokens[TOKEN_KINDS], money_t *cost);

#endif
