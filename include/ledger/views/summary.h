/*
 * summary.h - the run's totals, and the summary printed on stdout.
 *
 * Pipeline: rollup -> report, [summary].
 */
#ifndef LEDGER_SUMMARY_H
#define LEDGER_SUMMARY_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "ledger/support/money.h"
#include "ledger/views/layout.h"
#include "ledger/facts/rollup.h"
#include "ledger/bill/reconcile.h"
#include "ledger/views/spikes.h"
#include "ledger/support/timestamp.h"

struct run_totals {
	uint64_t objects_read, objects_skipped, objects_error, objects_pruned;
	const char *state_line; /* --state: what came from it and what was read, or NULL */
	uint64_t records_read, counted, rejected, filtered;
	bool has_period;
	struct ts first, last;	      /* over counted records */
	struct counters all;	      /* every counted record; cost over the priced ones */
	struct counters unpriced;     /* records without a cost */
	struct counters unattributed; /* application profiles with no manifest entry or model */
	const char *prices_name;      /* "built-in (YYYY-MM-DD)" or the --prices path */
	uint64_t profiles_missing;    /* distinct application profiles not in the manifests */
	uint64_t profiles_no_model;   /* ... in a manifest, without a model */
	struct rollup *missing_where, *no_model_where; /* (account, region) of those profiles */
	struct counters direct;	     /* routes foundation-model and system-profile */
	uint64_t ignored_1h;	     /* records whose 1-hour cache-write count was ignored */
	const struct spikes *spikes; /* the flagged hours (borrowed), or NULL */
	uint64_t out_of_pool, no_inference_region; /* residency.csv: in_pool no, unknown */
	uint64_t eu_outside;   /* from eu-* source regions, on a pool neither eu nor in-region */
	char eu_pools[128];    /* those pools, comma-separated */
	struct cur_bill *bill; /* --cur: the bill (borrowed), or NULL */
	const struct reconcile_totals *rec; /* ... and its join with the logs */
};

/*
 * Fills the totals that come from the reports: all, unpriced, unattributed
 * (and where those profiles live), direct calls, the period. Release what it
 * made with summary_finish.
 */
void summary_totals(struct run_totals *t, const struct layout_plan *plan, const struct tally *all);
void summary_finish(struct run_totals *t);

/*
 * Prints the summary (SPEC §6): period, inputs, the balance of records,
 * tokens by kind and TTL, cost and the unpriced share, the unattributed share
 * and what to do about each cause, the top values of the first -g column and
 * the top callers by cost, direct calls, and where the reports are.
 */
void summary_print(FILE *fp, const struct run_totals *t, const struct layout_plan *plan,
		   const struct tally *all, const char *out_dir);

#endif
