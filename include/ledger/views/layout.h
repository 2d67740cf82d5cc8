/*
 * layout.h - the reports built from counted records, each described once:
 * its file, its key columns, its counters, which records it takes, and how
 * it is written.
 *
 * Pipeline: fields -> [layout] -> rollup -> report, summary.
 * A struct layout is static data (layout.c holds the list). At the start of
 * a run layout_plan_create resolves every layout against the -g items into
 * concrete columns; the plan is read-only afterwards and shared by the
 * workers (which count records into their own struct tallies) and by the
 * writer. Rows are sorted by their key columns, field by field, in byte
 * order. Adding a column or a report is a change to layout.c alone.
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
	COUNT_TOKENS = 1 << 2, /* the TOKENS columns of SPEC §6 */
	COUNT_COST = 1 << 3,   /* cost_usd: empty when any record was unpriced */
	COUNT_SEEN = 1 << 4,   /* first_seen,last_seen */
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
	bool active; /* counted at all (reconcile: only with --cur) */
};

struct layout_plan {
	struct plan_report reports[LAYOUT_COUNT];
	const struct group_by *g;
};

/*
 * Resolves every layout for these -g items (borrowed: they outlive the
 * plan); the reconcile layouts are counted only when `reconcile` is set.
 */
struct layout_plan *layout_plan_create(const struct group_by *g, bool reconcile);
void layout_plan_destroy(struct layout_plan *p); /* NULL is a no-op */

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
};

/* Cells a table of hourly cells keeps in memory, by default. */
#define TALLY_CELLS 4096

void tally_init(struct tally *t, const struct layout_plan *p, size_t cells);
void tally_finish(struct tally *t);
/* Counts one record into every report that takes it. */
void tally_add(struct tally *t, struct record_view *v);
/* Folds src into dst (per-worker tallies -> one); the WRITE_SPIKES tables stay apart. */
void tally_merge(struct tally *dst, const struct tally *src);

/*
 * Writes every WRITE_ROWS report of the tally into the set (header, then
 * rows in key order). Returns 0, or -1 when a file could not be started
 * (the set's error says why).
 */
int tally_write(const struct tally *t, struct report_set *set);

/* A merge of report id's cells over n tallies (runs and tables), for spikes.c. */
struct runs_merge *tally_merge_cells(struct tally *const *t, size_t n, enum layout_id id);

/* The header line of report id (for writers other than tally_write). */
void layout_write_header(struct report_file *f, const struct plan_report *pr);

/* TOKENS: the token column names, in enum record_token order. */
extern const char *const layout_token_columns[TOKEN_KINDS];

#endif
