/*
 * budgets.h - --budget FILE: spending limits per group-by values, checked
 * against the day's and the run's priced cost; budgets.csv and exit 4.
 *
 * Pipeline: tally (the app_day.csv table) -> [budgets] -> budgets.csv,
 * summary, exit status.
 * The file is a CSV (read by csvrows, hashed for run.json): some of the -g
 * headers, plus max_usd (a decimal, USD) and per (day or run), in any
 * order; an empty group cell matches any value. A (row, day) with per day,
 * or a row with per run, whose priced cost (the sum of app_day.csv's
 * cost_usd over the rows it matches, exact) is above max_usd, is over.
 * See bedrock-ledger(1), BUDGETS.
 * Ownership: a struct budgets owns its copies of the file's cells; a result
 * borrows its budgets and owns its list.
 */
#ifndef LEDGER_BUDGETS_H
#define LEDGER_BUDGETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "ledger/facts/rollup.h"
#include "ledger/support/diag.h"
#include "ledger/support/json.h"
#include "ledger/support/money.h"
#include "ledger/views/fields.h"
#include "ledger/views/layout.h"
#include "ledger/views/report.h"

struct budget_row {
	char **cells; /* one per group column of the file, "" matches any */
	money_t max;
	bool per_day;
	unsigned long line;
};

struct budgets {
	size_t ncols;	/* group columns of the file */
	char **headers; /* their headers, in the file's order */
	size_t *group;	/* their index among the -g items */
	struct budget_row *rows;
	size_t n, cap;
};

/*
 * Reads FILE against the -g items. Returns 0, or -1 with d set ("FILE:LINE:
 * PROBLEM": a column that is not a -g header, a missing max_usd or per, a
 * bad amount or period).
 */
int budgets_load(struct budgets *b, const char *path, const struct group_by *g, struct diag *d);
void budgets_finish(struct budgets *b);

/* One (row, day) or (row, run) over its limit. */
struct budget_over {
	const struct budget_row *row;
	char day[16]; /* "" for per run */
	money_t cost;
};

struct budget_result {
	const struct budgets *b;
	struct budget_over *v; /* sorted as budgets.csv */
	size_t n;
};

/* Checks every row against the app_day.csv table of the plan. */
void budgets_check(const struct budgets *b, const struct layout_plan *plan,
		   const struct rollup *app_day, struct budget_result *out);
void budget_result_finish(struct budget_result *r);

/* budgets.csv: header, then the rows over (BUDGETS_TAIL after the file's columns). */
#define BUDGETS_TAIL "per,day,cost_usd,max_usd,over_usd"
void budgets_write(const struct budget_result *r, struct report_file *f);

/* The summary's lines (nothing when r is NULL). */
struct prose;
void budgets_print(struct prose *p, const struct budget_result *r);
/* The summary.json member's value: null when r is NULL. */
void budgets_json(struct json *j, const struct budget_result *r);

#endif
