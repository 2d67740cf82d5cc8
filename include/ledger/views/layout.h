/*
 * layout.h - the reports that are views of the priced cells, each described
 * once: its file, its key columns, its counters, which cells it takes, and
 * how it is written.
 *
 * Pipeline: ledger -> fields -> [layout] -> rollup -> report, summary.
 * A struct layout is static data (layout.c holds the list). At the start of
 * a run layout_plan_create resolves every layout against the -g items into
 * concrete columns; the plan is read-only afterwards and shared by the
 * workers' ledgers (which add priced cells to the run's one tally, under its
 * lock) and by the writers. Rows are sorted by their key columns, field by
 * field, in byte order. spikes.csv (spikes.c) and reconcile.csv
 * (reconcile.c) are written by their own writers from their tables.
 * Ownership: a plan owns its columns; a tally owns its rollup tables.
 */
#ifndef LEDGER_LAYOUT_H
#define LEDGER_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#include "ledger/views/fields.h"
#include "ledger/views/report.h"
#include "ledger/facts/rollup.h"
#include "ledger/facts/runs.h"
#include "ledger/views/views.h"

/* The reports kept as rollup tables, in the order they are written. */
enum layout_id {
	LAYOUT_APP_DAY,
	LAYOUT_CALLER,
	LAYOUT_UNRESOLVED,
	LAYOUT_RESIDENCY,
	LAYOUT_SPIKES,	  /* hourly cells; spikes.c writes the flagged ones */
	LAYOUT_RECONCILE, /* the log side of reconcile.csv, per kind of token (only with --cur) */
	/* the log side of reconcile_callers.csv, per day and principal (only with --cur; the
	 * pipeline turns it off when the bill names no caller) */
	LAYOUT_RECONCILE_CALLERS,
	LAYOUT_COUNT
};

/* Counter columns after the keys, in this order. */
enum layout_counter {
	COUNT_INVOCATIONS = 1 << 0,
	COUNT_ERRORS = 1 << 1,
	COUNT_TOKENS = 1 << 2,	 /* the TOKENS columns of bedrock-ledger-formats(5), REPORTS */
	COUNT_COST = 1 << 3,	 /* cost_usd: the priced records' sum, empty when none is priced */
	COUNT_UNPRICED = 1 << 4, /* unpriced: the unpriced invocations (after cost_usd) */
	COUNT_SEEN = 1 << 5,	 /* first_seen,last_seen */
};

/* Which records a report takes. */
enum layout_filter {
	TAKE_ALL,
	TAKE_UNRESOLVED, /* records with a problem (unattributed or unpriced) */
	TAKE_PRICED,	 /* records with a cost */
	TAKE_BILLABLE,	 /* routes foundation-model, system-profile, application-profile */
};

/* How a report is written. */
enum layout_writer {
	WRITE_ROWS,	 /* a row per key, in key order */
	WRITE_SPIKES,	 /* spikes.c: the flagged hours of a merge of every worker's cells */
	WRITE_RECONCILE, /* a row per (key, kind of token); reconcile.c joins it with the bill */
	WRITE_RECONCILE_CALLERS, /* reconcile_callers.c joins it with the bill's callers */
};

/* One key column; FIELD_COUNT as id stands for "the -g columns here". */
struct layout_column {
	struct field_ref ref;
	const char *header;
};

struct plan_column {
	struct field_ref ref;
	const char *header;
	bool group; /* from -g */
	size_t group_index;
};

struct plan_report {
	enum layout_id id;
	const char *file;
	struct plan_column *cols;
	size_t ncols;
	unsigned counters;
	enum layout_filter filter;
	enum layout_writer writer;
	bool last_key_first;	 /* the last key column is written first (spikes.csv's hour) */
	const char *const *tail; /* columns of the report's own writer after the cost, NULL-ended */
	bool active;		 /* counted at all (reconcile: only with --cur) */
	int from;		 /* a report whose rows this one's are sums of, or -1 (tally_derive) */
	size_t *from_cols;	 /* ... and its column of each of this one's */
};

struct layout_plan {
	struct plan_report reports[LAYOUT_COUNT];
	const struct group_by *g;
	const struct views_config *views; /* whatif, cache, coverage (views.h); NULL: none */
};

/*
 * Resolves every layout for these -g items (borrowed: they outlive the
 * plan); the reconcile layouts are counted only when `reconcile` is set.
 */
struct layout_plan *layout_plan_create(const struct group_by *g, bool reconcile);
void layout_plan_destroy(struct layout_plan *p); /* NULL is a no-op */

/* What one key of spikes.csv is (--spike-by; bedrock-ledger-formats(5), spikes.csv). */
enum spike_by {
	SPIKE_BY_PRINCIPAL, /* (principal, -g values, model): the default */
	SPIKE_BY_CALLER,    /* (caller as logged, -g values, model) */
	SPIKE_BY_NONE,	    /* (-g values, model) */
};

/* Sets the key of spikes.csv, and so its first column (principal, caller or none). */
void layout_plan_spike_by(struct layout_plan *p, enum spike_by by);

/* The index of the column with this field in report id, or -1. */
int layout_column_of(const struct layout_plan *p, enum layout_id id, enum field_id f);
/* The index of the i-th -g column in report id, or -1 when it is left out. */
int layout_group_column(const struct layout_plan *p, enum layout_id id, size_t i);

/*
 * One worker's tables: a rollup per report. The tables of reports written
 * by spikes.c grow with keys x hours: past `cells` rows they are dumped as
 * sorted runs (runs.h) and emptied, so memory stays bounded.
 */
struct tally {
	const struct layout_plan *plan;
	struct rollup *tables[LAYOUT_COUNT];
	struct runs runs[LAYOUT_COUNT];
	size_t cells;
	struct str *key; /* scratch */
	struct views views;
};

/* Cells a table of hourly cells keeps in memory, by default. */
#define TALLY_CELLS 4096

void tally_init(struct tally *t, const struct layout_plan *p, size_t cells);
void tally_finish(struct tally *t);
/*
 * Adds one priced cell (v describes it: v->r's tokens are the cell's sums)
 * with its counters into every report that takes it.
 */
void tally_add(struct tally *t, struct record_view *v, const struct counters *cell);
/*
 * Fills the reports made from another's rows (app_day.csv from
 * residency.csv's), once every cell has been added: a cell costs one table
 * lookup less, and the sums are the same.
 */
void tally_derive(struct tally *t);

/*
 * Writes every WRITE_ROWS report of the tally into the set (header, then
 * rows in key order). Returns 0, or -1 when a file could not be started
 * (the set's error says why).
 */
int tally_write(const struct tally *t, struct report_set *set);

/* A merge of report id's cells over n tallies (runs and tables), for spikes.c. */
struct runs_merge *tally_merge_cells(struct tally *const *t, size_t n, enum layout_id id);

/* The most value columns a report has. */
#define LAYOUT_VALUES_MAX 16

/*
 * The headers of report pr's value columns, after its key columns, in file
 * order (counters, cost, the report writer's own, first/last seen): the one
 * home of the reports' schema, read by the writers and the SQL generator.
 */
size_t layout_value_headers(const struct plan_report *pr, const char *out[LAYOUT_VALUES_MAX]);

/* The header line of report id. */
void layout_write_header(struct report_file *f, const struct plan_report *pr);

/* TOKENS: the token column names, in enum record_token order. */
extern const char *const layout_token_columns[TOKEN_KINDS];

#endif
