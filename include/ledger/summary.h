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

#include "ledger/money.h"
#include "ledger/rollup.h"
#include "ledger/timestamp.h"

struct run_totals {
	uint64_t objects_read, objects_skipped, objects_error, objects_pruned;
	uint64_t records_read, counted, rejected, filtered;
	bool has_period;
	struct ts first, last;    /* over counted records */
	struct counters all;      /* every counted record; cost over the priced ones */
	struct counters unpriced; /* records without a cost */
	struct counters unattributed; /* application profiles with no manifest entry or model */
	const char *prices_name;  /* "built-in (YYYY-MM-DD)" or the --prices path */
	uint64_t profiles_missing; /* distinct application profiles not in the manifests */
};

/*
 * Prints the summary: period, inputs, the balance of records, tokens by kind,
 * cost and the unpriced share, the top apps (by the group-by tag values of
 * app_day) and callers by cost, and where the reports are.
 * app_day has 2 + ngroup fields (day, tags..., model), caller 4.
 */
void summary_print(FILE *fp, const struct run_totals *t, const struct rollup *app_day,
		   size_t ngroup, const char *const *group_by, const struct rollup *caller,
		   const char *out_dir);

#endif
