/*
 * summary.h - the run's summary as data: the books, the totals, the top
 * lists, the causes of unattributed and unpriced records, residency, the
 * largest spikes and the reconciliation, each computed once from the views.
 *
 * Pipeline: views (tally), spikes, reconcile -> [summary] -> the text
 * summary (summary_print), summary.json, run.json, report.html.
 * summary_build fills a struct summary; the renderers only format it, so
 * every output says the same numbers. The text layout is described in
 * bedrock-ledger(1), SUMMARY.
 * Ownership: a summary owns its lists and strings (freed by summary_finish);
 * the spikes, bill and reconciliation totals are borrowed from the run.
 */
#ifndef LEDGER_SUMMARY_H
#define LEDGER_SUMMARY_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "ledger/bill/cur_bill.h"
#include "ledger/bill/reconcile.h"
#include "ledger/facts/rollup.h"
#include "ledger/read/sources.h"
#include "ledger/support/arena.h"
#include "ledger/support/money.h"
#include "ledger/support/timestamp.h"
#include "ledger/views/layout.h"
#include "ledger/views/spikes.h"

struct budget_result;

/* How many rows a top list keeps, and account/region pairs an export advice names. */
#define SUMMARY_TOP	   5
#define SUMMARY_TOP_DIRECT 3
#define SUMMARY_WHERE_MAX  5
#define SUMMARY_SPIKES	   3

/* One value of a top list: its counters summed over every row that has it. */
struct summary_row {
	struct str value; /* owned; empty: (none) */
	struct counters c;
};

/* The largest values of one column by cost (then by value), and how many were left out. */
struct summary_top {
	const char *label; /* "top app", "top callers", "" */
	struct summary_row *rows;
	size_t n;     /* rows kept, at most the list's size */
	size_t total; /* distinct values in all */
};

/* An account and region where application profiles lack a manifest entry or a model. */
struct summary_where {
	struct str account, region; /* owned */
};

struct summary_causes {
	uint64_t profiles;	     /* distinct application profiles of this cause */
	struct summary_where *where; /* the first SUMMARY_WHERE_MAX, in byte order */
	size_t nwhere, total_where;
};

/* A flagged hour of spikes.csv, as the summary names it. */
struct summary_spike {
	struct str hour, group, who, model; /* borrowed from the spikes; who: principal or caller */
	money_t cost;
	bool has_ratio, has_baseline;
	char ratio[48];
};

struct summary {
	/* the books */
	uint64_t objects_read, objects_skipped, objects_error, objects_pruned;
	const char *state_line; /* --state: what came from it and what was read, or NULL */
	uint64_t records_read, counted, rejected, filtered;
	bool has_period;
	struct ts first, last; /* over counted records */
	bool seen;	       /* a record with a good timestamp was read ... */
	struct ts seen_first,
	    seen_last; /* ... these the least and greatest, in the window or not */
	struct ts pruned_first, pruned_last; /* the hour folders not opened (objects_pruned) */
	struct source_reason skip_reasons[SOURCE_REASONS]; /* why objects were skipped */
	size_t nskip_reasons;
	struct str most_rejected_path; /* the object with the most rejects (owned), and how many */
	uint64_t most_rejected;
	/* the totals */
	struct counters all;	      /* every counted record; cost over the priced ones */
	struct counters unpriced;     /* records without a cost */
	struct counters unattributed; /* application profiles with no manifest entry or model */
	struct counters direct;	      /* routes foundation-model and system-profile */
	uint64_t ignored_1h;	      /* records whose 1-hour cache-write count was ignored */
	const char *prices_name;      /* "built-in (YYYY-MM-DD)" or the --prices path (borrowed) */
	const char *prices_date;      /* the built-in table's YYYY-MM-DD, or NULL (--prices) */
	int64_t prices_age_days;      /* days from prices_date to the newest record's, if later */
	struct summary_causes missing, no_model;
	/* the top lists */
	const char *group_header; /* the first -g column of app_day.csv, or NULL */
	struct summary_top top_group, top_models, top_callers, top_direct;
	/* residency */
	uint64_t out_of_pool, no_inference_region;
	uint64_t eu_outside;  /* from eu-* source regions, on a pool neither eu nor in-region */
	struct str *eu_pools; /* those pools, in byte order (owned) */
	size_t neu_pools;
	uint64_t eu_source; /* from eu-* source regions */
	uint64_t eu_left;   /* ... that ran in a region of another geography (same_geography no) */
	/* spikes */
	const struct spikes *all_spikes; /* every flagged hour (borrowed), or NULL */
	size_t nspikes;			 /* flagged hours in all */
	const char *spike_group;	 /* the header of spikes.csv's first -g column, or NULL */
	const char *spike_who;		 /* "principal", "caller" (--spike-by), or NULL */
	struct summary_spike spikes[SUMMARY_SPIKES];
	size_t nlargest;
	const char *tz_name; /* --tz (borrowed), or NULL */
	/* the bill (borrowed), or NULL */
	struct cur_bill *bill;
	const struct reconcile_totals *rec;
	/* duplicates and budgets (bedrock-ledger(1), DUPLICATES, BUDGETS) */
	uint64_t duplicates;	 /* counted records whose requestId was counted before */
	bool dedupe;		 /* --dedupe: duplicates are not counted */
	const struct budget_result *budgets; /* --budget: what was over (borrowed), or NULL */
	/* the reports */
	const char *out_dir;
	const char **reports; /* the files written, as summary.json lists them (summary_set_reports) */
	size_t nreports;
	struct arena arena; /* the owned strings and lists */
};

/* What the run knows besides the views: the books and the borrowed parts. */
struct summary_inputs {
	uint64_t objects_read, objects_skipped, objects_error, objects_pruned;
	uint64_t records_read, counted, rejected, filtered, ignored_1h;
	bool seen; /* records with a good timestamp: the least and greatest */
	struct ts seen_first, seen_last;
	struct ts pruned_first, pruned_last; /* the hour folders of the objects_pruned */
	struct source_counts sources;	     /* sources.csv's rows by status and skip reason */
	const char *prices_name;
	const char *prices_date; /* the built-in table's, or NULL */
	const struct spikes *spikes;
	struct cur_bill *bill;
	const struct reconcile_totals *rec;
	uint64_t duplicates;
	bool dedupe;
	const struct budget_result *budgets;
	const char *out_dir;
	const char *tz_name; /* --tz, or NULL */
};

/* Computes the summary from the merged views. Release it with summary_finish. */
void summary_build(struct summary *s, const struct summary_inputs *in,
		   const struct layout_plan *plan, const struct tally *all);
void summary_finish(struct summary *s);

/* The names of the files written into the output directory, in their order (copied). */
void summary_set_reports(struct summary *s, const char *const *names, size_t n);

/* The text summary on stdout (bedrock-ledger(1), SUMMARY). */
void summary_print(FILE *fp, const struct summary *s);

/*
 * When no record was counted, why, in one line without a newline
 * (bedrock-ledger-formats(5), The books): no object found; every object
 * skipped, with the reasons and counts; every record rejected; every record
 * outside the window, with the first and last timestamp seen. Returns its
 * length (truncated to cap - 1), or 0 when some record was counted.
 */
size_t summary_nothing(const struct summary *s, char *out, size_t cap);

/*
 * The same content as summary_print, as one JSON document (schema version
 * SUMMARY_JSON_VERSION, documented in bedrock-ledger(1), SUMMARY): for
 * summary.json and --format json. `files` are the reports written into
 * the output directory.
 */
#define SUMMARY_JSON_VERSION 1
/* Pieces of summary.json that run.json writes alike: "period": {first, last} or null,
 * and a counters' tokens as {input_tokens, ...}. */
struct json;
void summary_json_period(struct json *j, const struct summary *s);
void summary_json_tokens(struct json *j, const struct counters *c);

void summary_print_json(FILE *fp, const struct summary *s, const char *const *files, size_t nfiles);

#endif
