/*
 * reconcile.h - bedrock-ledger-formats(5), RECONCILIATION: the logs set against the bill, key by
 * key.
 *
 * Pipeline: tally (LAYOUT_RECONCILE: the log side per key and kind of
 * token) + cur_bill (the bill side) -> [reconcile] -> reconcile.csv and the
 * summary's paragraph.
 * Both sides come sorted in one order (day, region, model, then the names
 * of kind, routing, tier and context in byte order), so the join is one
 * pass over each; a key seen on one side only counts as 0 on the other.
 * reconcile.c joins and writes; reconcile_text.c says it in words.
 * Ownership: the totals are plain values (their notes are static strings).
 */
#ifndef LEDGER_RECONCILE_H
#define LEDGER_RECONCILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ledger/bill/cur_bill.h"
#include "ledger/support/decimal.h"
#include "ledger/views/layout.h"
#include "ledger/views/report.h"

/* What the logs cannot show, by reconcile.csv's note. */
struct reconcile_gap {
	const char *note; /* "not-in-logs: batch", "not-tokens: guardrails", ... */
	struct decimal usd;
	uint64_t rows;
	bool says_why; /* a reason the logs cannot have it; else (not-in-logs,
			  unknown-billing-name) the money is unexplained */
};

#define RECONCILE_GAPS 24
/* Days only one side has, named in the summary; the rest are counted. */
#define RECONCILE_DAYS_NAMED 5

/* Days that one side has and the other lacks, in day order. */
struct reconcile_days {
	uint64_t count;
	struct reconcile_day {
		char day[11];	    /* YYYY-MM-DD */
		struct decimal usd; /* billed (bill only), or estimated (logs only, priced keys) */
	} named[RECONCILE_DAYS_NAMED]; /* the first min(count, RECONCILE_DAYS_NAMED) */
	struct decimal usd;	       /* over all of them */
};

/* The first and last day a side has (both empty when it has none). */
struct reconcile_period {
	char first[11], last[11];
};

/* One (day, principal) of reconcile_callers.csv and its difference. */
struct reconcile_caller_diff {
	char day[11];
	struct str principal; /* borrowed from the bill or the tally; empty: none */
	struct decimal diff;  /* billed - logged */
	const char *note;
};

#define RECONCILE_CALLERS_TOP 3

/* reconcile_callers.csv in numbers (reconcile_callers.c). */
struct reconcile_callers_totals {
	bool active; /* the bill names callers: the file is written */
	uint64_t rows;
	struct decimal billed, logged; /* logged: over the priced records */
	struct decimal billed_no_principal;
	/* the rows with a difference, the largest in magnitude first (then by day, principal) */
	struct reconcile_caller_diff top[RECONCILE_CALLERS_TOP];
	size_t ntop;
};

/*
 * The reconciliation in numbers, for the summary and run.json: computed
 * before reconcile.csv is written (reconcile_compute), every amount exact.
 * billed = explained + unexplained.
 */
struct reconcile_totals {
	struct decimal billed;		 /* Bedrock Usage over the days compared */
	struct decimal billed_matched;	 /* ... on keys that the logs have too */
	int64_t token_diff_matched;	 /* billed - logged tokens on those keys */
	struct decimal usd_diff_matched; /* billed - estimated on those keys that are priced */
	uint64_t matched_unpriced;	 /* matched keys without an estimate */
	struct decimal not_billed;	 /* the estimate of keys logged but not billed */
	/* the verdict: billed on matched keys or on keys whose note says why (says_why) */
	struct decimal explained, unexplained;
	/* billed on keys the logs lack, by note, the largest amount first (then by note) */
	struct reconcile_gap gaps[RECONCILE_GAPS];
	size_t ngaps;
	uint64_t rows, matched;
	struct reconcile_days only_bill, only_logs;
	struct reconcile_period bill_days, log_days;
	bool days_shared;			 /* some day has keys on both sides */
	struct reconcile_callers_totals callers; /* filled by reconcile_callers_write */
};

/* The header of reconcile.csv. */
#define RECONCILE_HEADER                                                                           \
	"day,region,model,kind,routing,tier,context,log_tokens,billed_tokens,token_diff,"          \
	"estimated_usd,billed_usd,usd_diff,note"

/*
 * The join of the log side (the tally's LAYOUT_RECONCILE table) and the
 * bill, into *t. Returns 0, or -1 when a sum overflows (d says so).
 */
int reconcile_compute(const struct layout_plan *plan, const struct rollup *log,
		      struct cur_bill *bill, struct reconcile_totals *t, struct diag *d);

/*
 * reconcile_compute, then reconcile.csv's rows (after its header) into f.
 * Returns 0, or -1 when a sum overflows (d says so).
 */
int reconcile_write(struct report_file *f, const struct layout_plan *plan, const struct rollup *log,
		    struct cur_bill *bill, struct reconcile_totals *t, struct diag *d);

#define RECONCILE_CALLERS_HEADER "day,principal,log_usd,billed_usd,usd_diff,note"

/*
 * reconcile_callers.csv (bedrock-ledger(1), RECONCILIATION): the log side
 * (the tally's LAYOUT_RECONCILE_CALLERS table: cost by day and principal)
 * against what the bill charged each principal (cur_bill_callers), one row
 * per (day, principal) of either side. reconcile_callers_compute fills *t;
 * reconcile_callers_write does, then writes the rows (after the header).
 * Both return 0, or -1 when a difference overflows (d says so).
 */
int reconcile_callers_compute(const struct rollup *log, struct cur_bill *bill,
			      struct reconcile_callers_totals *t, struct diag *d);
int reconcile_callers_write(struct report_file *f, const struct rollup *log, struct cur_bill *bill,
			    struct reconcile_callers_totals *t, struct diag *d);

/*
 * When the bill's days and the logs' are both there and share none: true,
 * with d set to a warning naming both periods (the caller prints it).
 */
bool reconcile_period_warning(const struct reconcile_totals *t, struct diag *d);

/*
 * The summary's paragraph (bedrock-ledger(1), RECONCILIATION): what was
 * billed, the verdict, the matched keys, the notes by amount, days only one
 * side has, adjustments, unknown billing names. Lines start with a label
 * column of `label` bytes.
 */
void reconcile_summary_print(FILE *fp, const struct reconcile_totals *t, struct cur_bill *bill,
			     int label);

#endif
