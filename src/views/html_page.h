/*
 * html_page.h - what the panels of report.html share (private to
 * src/views/html*.c): the page being written, number formatting, escaped
 * values, tables whose cells say which CSV column they show, and rollups
 * regrouped for a panel.
 *
 * A table that shows CSV rows as they are carries data-src="FILE"; one that
 * shows sums of them carries data-sum="FILE"; each row's data-where (and a
 * cell's, for a column of days) holds the key as a JSON object, and each
 * number cell names its column with data-col, so that a test can find the
 * rows behind every number in the CSVs. A cell whose text is not the CSV's
 * value (an empty key shown as "(none)") has that value in data-v.
 */
#ifndef LEDGER_HTML_PAGE_H
#define LEDGER_HTML_PAGE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "ledger/facts/rollup.h"
#include "ledger/support/money.h"
#include "ledger/views/layout.h"
#include "ledger/views/summary.h"

#define PAGE_TOP 10 /* rows before "others" */

struct page {
	FILE *fp;
	const struct summary *t;
	const struct layout_plan *plan;
	const struct tally *all;
	const struct group_by *g;
};

/* 1,234,567 */
void page_u64(FILE *fp, uint64_t v);
/* $1,234.567890 (money.h's rounding: half up, 6 decimals) */
void page_usd(FILE *fp, money_t v);
/* the same for a signed amount: -$0.125000 */
void page_susd(FILE *fp, __int128 v);
/* a counters' cost: $X, $X+ (and some unpriced invocations), or "unpriced" */
void page_cost(FILE *fp, const struct counters *c);
/* an input value, escaped; "(none)" when empty */
void page_value(FILE *fp, struct str s);
/* a percentage with one decimal */
void page_pct(FILE *fp, uint64_t part, uint64_t whole);
/* the value as a JSON string, escaped for an attribute */
void page_json(FILE *fp, struct str s);

/* Key cells and number cells. */
void page_td_key(FILE *fp, const char *col, struct str v);
void page_td_u64(FILE *fp, const char *col, uint64_t v);
void page_td_cost(FILE *fp, const char *col, const struct counters *c);
void page_td_usd(FILE *fp, const char *col, money_t v);
void page_td_susd(FILE *fp, const char *col, __int128 v);
/* <tr data-where='{"k1":"v1",...}'> for n keys (names from `cols`) */
void page_tr_where(FILE *fp, const char *const *cols, const struct str *vals, size_t n);
/* <tr> with its header cells */
void page_thead(FILE *fp, const char *const *names, size_t n);

void page_panel_open(struct page *p, const char *id, const char *title);
void page_panel_close(struct page *p);
/* a table in a scrolling box: data-src or data-sum FILE (kind "src" or "sum") */
void page_table_open(struct page *p, const char *kind, const char *file, const char *caption);
void page_table_close(struct page *p);

/*
 * A rollup regrouped by some of its key fields (fields[i] of src's), rows
 * sorted by cost (then invocations, then key) from the largest; the caller
 * frees with page_group_finish.
 */
struct page_group {
	struct rollup *by;
	struct rollup_row *rows;
	size_t n;
};
void page_group(struct page_group *pg, const struct rollup *src, const int *fields, size_t nf,
		bool by_invocations);
void page_group_finish(struct page_group *pg);
/* The row of a top list's others: rows from..n summed, their invocations and cost (none if none). */
void page_others_row(FILE *fp, const struct page_group *pg, size_t from);

/* a money amount as a double, for geometry only */
double page_usd_double(money_t v);

/* the panels (html_spend.c, html_more.c) */
void page_spend(struct page *p);
void page_models(struct page *p);
void page_timeline(struct page *p);
void page_direct(struct page *p);
void page_residency(struct page *p);
void page_cache(struct page *p);
void page_reconcile(struct page *p);
void page_coverage(struct page *p);
void page_fix(struct page *p);

#endif
