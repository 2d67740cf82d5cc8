/*
 * reconcile.h - SPEC §8: the logs set against the bill, key by key.
 *
 * Pipeline: tally (LAYOUT_RECONCILE: the log side per key and kind of
 * token) + cur_bill (the bill side) -> [reconcile] -> reconcile.csv and the
 * summary's paragraph.
 * Both sides come sorted in one order (day, region, model, then the names
 * of kind, routing, tier and context in byte order), so the join is one
 * pass over each; a key seen on one side only counts as 0 on the other.
 * Ownership: the totals borrow the bill's adjustments and unknown names,
 * which live as long as the bill.
 */
#ifndef LEDGER_RECONCILE_H
#define LEDGER_RECONCILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ledger/bill/cur_bill.h"
#include "ledger/support/decimal.h"
#include "ledger/views/layout.h"
#include "ledger/views/report.h"

/* What the logs cannot show, by reconcile.csv's note. */
struct reconcile_gap {
	const char *note; /* "not-in-logs: batch", "not-tokens: guardrails", ... */
	struct decimal usd;
	uint64_t rows;
};

#define RECONCILE_GAPS 24

struct reconcile_totals {
	struct decimal billed;		 /* Bedrock Usage over the days compared */
	struct decimal billed_matched;	 /* ... on keys that the logs have too */
	int64_t token_diff_matched;	 /* billed - logged tokens on those keys */
	struct decimal usd_diff_matched; /* billed - estimated on those keys that are priced */
	uint64_t matched_unpriced;	 /* matched keys without an estimate */
	struct decimal not_billed;	 /* the estimate of keys logged but not billed */
	struct reconcile_gap gaps[RECONCILE_GAPS];
	size_t ngaps;
	uint64_t rows, matched;
};

/* The header of reconcile.csv. */
#define RECONCILE_HEADER                                                                           \
	"day,region,model,kind,routing,tier,context,log_tokens,billed_tokens,token_diff,"          \
	"estimated_usd,billed_usd,usd_diff,note"

/*
 * Writes reconcile.csv's rows (after its header) from the log side (the
 * tally's LAYOUT_RECONCILE table) and the bill, and fills *t. Returns 0, or
 * -1 when a sum overflows (d says so).
 */
int reconcile_write(struct report_file *f, const struct layout_plan *plan, const struct rollup *log,
		    struct cur_bill *bill, struct reconcile_totals *t, struct diag *d);

#endif
