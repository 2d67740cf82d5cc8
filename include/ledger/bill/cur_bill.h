/*
 * cur_bill.h - the bill side of the reconciliation (bedrock-ledger-formats(5), RECONCILIATION):
 *Bedrock usage from Cost and Usage Reports, summed exactly by key.
 *
 * Pipeline: cur.h reads CUR files into a bill -> [cur_bill] -> reconcile.csv
 * and the summary, which set each row against the log side's same key.
 * A key is (day, region, model, kind, routing, tier, context):
 *  - day: the UTC date of line_item_usage_start_date;
 *  - region: the source region (usagetype.h rule 1), possibly empty;
 *  - model: for a token kind, the billing name's model ID (no geographic
 *    prefix) from billing_names.h, or the billing name itself when the
 *    table has no row for it (the row is then flagged
 *    unknown_billing_name); for kind other, the usage type without its
 *    region prefix;
 *  - kind, routing, tier, context: usagetype.h.
 * A row sums billed tokens (line_item_usage_amount times the unit, exactly,
 * fractions kept; 0 for kind other) and billed_usd (line_item_unblended_cost,
 * exact). Its tokens are rounded half up to an integer once, on the exact
 * sum (bedrock-ledger(1), RECONCILIATION): the same bill gives the same
 * numbers exported hourly or daily, in one file or several. Adjustments
 * (Bedrock rows whose line-item type is not Usage: Credit, Refund, Tax, ...)
 * are summed by type apart from the rows; so are the unknown billing names.
 * Memory grows with the number of distinct keys, types and names, never with
 * the number of CUR rows.
 * Ownership: a bill copies every string it is given into its own arena; the
 * pointers and slices it hands out live until the bill is changed or
 * destroyed. One thread at a time.
 *
 *	size_t n;
 *	const struct cur_row *const *rows = cur_bill_rows(bill, &n);
 *	for (size_t i = 0; i < n; i++) {
 *		char usd[DECIMAL_TEXT_MAX];
 *		decimal_format(rows[i]->billed_usd, 6, usd);
 *		printf("%s,%.*s,...\n", rows[i]->day, (int)rows[i]->key.region.n, ...);
 *	}
 */
#ifndef LEDGER_CUR_BILL_H
#define LEDGER_CUR_BILL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ledger/support/decimal.h"
#include "ledger/support/str.h"
#include "ledger/bill/usagetype.h"

struct cur_key {
	int64_t day; /* UTC days since 1970-01-01 */
	struct str region;
	struct str model;
	enum usage_kind kind;
	enum usage_routing routing;
	enum usage_tier tier;
	enum usage_context context;
};

struct cur_row {
	struct cur_key key;
	char day[11];			 /* key.day as YYYY-MM-DD */
	struct decimal billed_token_sum; /* exact */
	int64_t billed_tokens;		 /* billed_token_sum rounded half up, once */
	struct decimal billed_usd;
	/* kind other: the category (the smallest, in bedrock-ledger-formats(5), RECONCILIATION's
	 * order, of the rows summed); USAGE_CATEGORY_NONE for token kinds */
	enum usage_category category;
	bool unknown_billing_name; /* model is a billing name that no table row maps */
	bool geo;		   /* some row was a "_Geo"/"cross-region-geo" usage type */
	uint64_t lines;		   /* CUR rows summed */
};

/* Bedrock rows of one line-item type other than Usage. */
struct cur_adjustment {
	struct str type; /* line_item_line_item_type as written: "Credit", "Tax" ... */
	struct decimal usd;
	uint64_t lines;
};

/* A billing name that no table row maps, and what its rows billed. */
struct cur_unknown_name {
	struct str name;
	struct decimal usd;
	struct decimal tokens; /* exact */
	uint64_t lines;
};

/*
 * What the bill charged one principal on one day: line_item_iam_principal
 * (CUR 2.0 with caller identity), an assumed-role session folded into its
 * role as the logs' principal is (bedrock-ledger(1), RECONCILIATION).
 */
struct cur_caller {
	int64_t day; /* UTC days since 1970-01-01 */
	char day_text[11];
	struct str principal; /* folded; empty: the rows named none */
	struct decimal usd;   /* line_item_unblended_cost of its Bedrock Usage rows */
	uint64_t lines;
};

/* What was read, for the summary. Every CUR data row is in exactly one of the first six. */
struct cur_counts {
	uint64_t usage;		 /* Bedrock Usage rows summed into the rows */
	uint64_t outside_window; /* Bedrock Usage rows outside --since/--until */
	uint64_t adjustments;	 /* Bedrock rows of other line-item types */
	uint64_t other;		 /* rows of other services: ignored */
	uint64_t malformed;	 /* rows that could not be read and are not Bedrock's: skipped */
	/* rows that mention Bedrock whose line item (identity_line_item_id and usage start)
	 * was read before, in this file or an earlier one: dropped */
	uint64_t duplicates;
	uint64_t unknown_prefix; /* summed rows whose region prefix is unknown */
	uint64_t
	    region_differs; /* summed rows whose prefix region and product_region_code differ */
	uint64_t
	    unit_unknown; /* summed rows of a token kind with a non-token unit (unclassified) */
	uint64_t files;	  /* files read whole */
	uint64_t principal_files; /* ... whose header has line_item_iam_principal */
};

struct cur_bill;

struct cur_bill *cur_bill_create(void);	   /* never NULL: OOM aborts */
void cur_bill_destroy(struct cur_bill *b); /* NULL is a no-op */

/*
 * Adds one CUR row to the row of key (made when new; key's strings are
 * copied). With unknown_billing_name, key->model is the billing name, and it
 * is added to the unknown names too. Returns 0, or -1, changing nothing,
 * when a sum would overflow (or its tokens, rounded, would not fit int64_t).
 */
int cur_bill_add(struct cur_bill *b, const struct cur_key *key, struct decimal tokens,
		 struct decimal usd, enum usage_category category, bool unknown_billing_name,
		 bool geo);

/*
 * Adds one Usage row's cost to what the bill charged `principal` (as
 * written: folded here) on `day`. 0, or -1 (nothing changed) on overflow.
 */
int cur_bill_add_caller(struct cur_bill *b, int64_t day, struct str principal, struct decimal usd);

/* Adds one adjustment row of that type. 0, or -1 (nothing changed) on overflow. */
int cur_bill_add_adjustment(struct cur_bill *b, struct str type, struct decimal usd);

/*
 * Adds everything of src (rows, adjustments, unknown names, counts) to dst;
 * src is unchanged. Returns 0, or -1 with dst unchanged when a sum would
 * overflow.
 */
int cur_bill_merge(struct cur_bill *dst, const struct cur_bill *src);

/* The counters; the reader (cur.c) updates them through the non-const pointer. */
struct cur_counts *cur_bill_counts(struct cur_bill *b);

/*
 * The rows, sorted by key (cur_key_cmp): an array of *n pointers owned by the
 * bill, valid until it changes.
 */
const struct cur_row *const *cur_bill_rows(struct cur_bill *b, size_t *n);

/* The adjustments sorted by type (byte order); owned by the bill, valid until it changes. */
const struct cur_adjustment *const *cur_bill_adjustments(struct cur_bill *b, size_t *n);

/*
 * The callers sorted by day, then principal (byte order); owned by the
 * bill, valid until it changes.
 */
const struct cur_caller *const *cur_bill_callers(struct cur_bill *b, size_t *n);

/* The unknown billing names sorted by name; owned by the bill, valid until it changes. */
const struct cur_unknown_name *const *cur_bill_unknown_names(struct cur_bill *b, size_t *n);

/*
 * The order of reconcile.csv: day, region, model (byte order), then kind,
 * routing, tier and context by the byte order of their names
 * (usagetype.h's *_name). Returns <0, 0 or >0.
 */
int cur_key_cmp(const struct cur_key *a, const struct cur_key *b);

/* Writes UTC day number `day` as YYYY-MM-DD and a NUL: 11 bytes. */
void cur_format_day(int64_t day, char out[11]);

#endif
