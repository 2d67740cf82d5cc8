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

struct budget_result;

struct run_totals {
	uint64_t objects_read, objects_skipped, objects_error, objects_pruned;
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
	uint64_t duplicates; /* counted records whose requestId was counted before */
	bool dedupe;	     /* --dedupe: duplicates are not counted */
	const struct budget_result *budgets; /* --budget: what was over (borrowed), or NULL */
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

/*
 * The same content as summary_print, as one JSON document (schema version
 * SUMMARY_JSON_VERSION, documented in bedrock-ledger(1)): for summary.json
 * and --format json. `reports` lists the files written into out_dir.
 */
#define SUMMARY_JSON_VERSION 1
void summary_print_json(FILE *fp, const struct run_totals *t, const struct layout_plan *plan,
			const struct tally *all, const char *out_dir, const char *const *reports,
			size_t nreports);

#endif
