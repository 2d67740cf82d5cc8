/*
 * reconcile_callers.c - the logs' cost by day and principal set against
 * what the bill charged each principal (line_item_iam_principal): one pass
 * over both, each sorted by day, then principal in byte order.
 */
#include <stdlib.h>
#include <string.h>

#include "ledger/bill/reconcile.h"

/* One row of reconcile_callers.csv. */
struct caller_line {
	struct str day, principal;
	const struct counters *log; /* NULL: nothing logged */
	const struct cur_caller *bill;
	bool priced; /* log_usd is a number (0 when nothing was logged) */
	struct decimal logged, billed, diff;
	const char *note;
};

static int line_of(struct caller_line *l, struct str day, struct str principal,
		   const struct counters *log, const struct cur_caller *bill, struct diag *d)
{
	*l = (struct caller_line){ .day = day, .principal = principal, .log = log, .bill = bill };
	l->priced = !log || log->unpriced_records < log->invocations;
	if (log && l->priced && decimal_from_money(log->cost, &l->logged) != 0)
		return diag_set(d, "reconcile_callers.csv: a cost too large to print");
	l->billed = bill ? bill->usd : DECIMAL_ZERO;
	if (l->priced && decimal_sub(l->billed, l->logged, &l->diff) != 0)
		return diag_set(d, "reconcile_callers.csv: a difference too large to print");
	l->note = !principal.n ? "no-principal" : !log ? "not-in-logs" : !bill ? "not-billed" : "";
	return 0;
}

typedef void (*caller_fn)(void *ctx, const struct caller_line *l);

static int join(const struct rollup *log, struct cur_bill *bill, caller_fn fn, void *ctx,
		struct diag *d)
{
	struct rollup_row *lrows = rollup_sorted(log);
	size_t nl = rollup_count(log), nb = 0;
	const struct cur_caller *const *brows = cur_bill_callers(bill, &nb);
	size_t i = 0, j = 0;
	int rc = 0;
	while (rc == 0 && (i < nl || j < nb)) {
		struct str bday = { "", 0 }, bp = { "", 0 };
		if (j < nb)
			bday = (struct str){ brows[j]->day_text, 10 }, bp = brows[j]->principal;
		int c = i == nl ? 1 : j == nb ? -1 : str_cmp(lrows[i].key[0], bday);
		if (c == 0)
			c = str_cmp(lrows[i].key[1], bp);
		struct caller_line l;
		if (c < 0)
			rc = line_of(&l, lrows[i].key[0], lrows[i].key[1], lrows[i].c, NULL, d),
			i++;
		else if (c > 0)
			rc = line_of(&l, bday, bp, NULL, brows[j], d), j++;
		else
			rc = line_of(&l, bday, bp, lrows[i].c, brows[j], d), i++, j++;
		if (rc == 0)
			fn(ctx, &l);
	}
	free(lrows);
	return rc;
}

/* Does a come before b among the largest differences? */
static bool larger(const struct reconcile_caller_diff *a, const struct reconcile_caller_diff *b)
{
	struct decimal ma = a->diff, mb = b->diff;
	if (ma.v < 0)
		ma.v = -ma.v;
	if (mb.v < 0)
		mb.v = -mb.v;
	int c = decimal_cmp(ma, mb);
	if (c)
		return c > 0;
	c = strcmp(a->day, b->day);
	return c ? c < 0 : str_cmp(a->principal, b->principal) < 0;
}

static void keep_top(struct reconcile_callers_totals *t, const struct caller_line *l)
{
	struct reconcile_caller_diff x = { .principal = l->principal,
					   .diff = l->diff,
					   .note = l->note };
	memcpy(x.day, l->day.p, l->day.n < 10 ? l->day.n : 10);
	size_t at = t->ntop;
	while (at > 0 && larger(&x, &t->top[at - 1]))
		at--;
	if (at == RECONCILE_CALLERS_TOP)
		return;
	size_t last = t->ntop < RECONCILE_CALLERS_TOP ? t->ntop : RECONCILE_CALLERS_TOP - 1;
	memmove(&t->top[at + 1], &t->top[at], (last - at) * sizeof t->top[0]);
	t->top[at] = x;
	if (t->ntop < RECONCILE_CALLERS_TOP)
		t->ntop++;
}

static void add_line(void *ctx, const struct caller_line *l)
{
	struct reconcile_callers_totals *t = ctx;
	t->rows++;
	decimal_add(&t->billed, l->billed);
	if (l->log && l->priced)
		decimal_add(&t->logged, l->logged);
	if (!l->principal.n)
		decimal_add(&t->billed_no_principal, l->billed);
	if (l->priced && !decimal_is_zero(l->diff))
		keep_top(t, l);
}

int reconcile_callers_compute(const struct rollup *log, struct cur_bill *bill,
			      struct reconcile_callers_totals *t, struct diag *d)
{
	*t = (struct reconcile_callers_totals){ .active = true };
	return join(log, bill, add_line, t, d);
}

static void cell_decimal(struct report_file *f, struct decimal v)
{
	char buf[DECIMAL_TEXT_MAX];
	decimal_format(v, 6, buf);
	report_number(f, buf);
}

static void write_line(void *ctx, const struct caller_line *l)
{
	struct report_file *f = ctx;
	report_text(f, l->day);
	report_text(f, l->principal);
	if (l->priced)
		cell_decimal(f, l->logged);
	else
		report_empty(f);
	cell_decimal(f, l->billed);
	if (l->priced)
		cell_decimal(f, l->diff);
	else
		report_empty(f);
	report_cstr(f, l->note);
	report_end_row(f);
}

int reconcile_callers_write(struct report_file *f, const struct rollup *log, struct cur_bill *bill,
			    struct reconcile_callers_totals *t, struct diag *d)
{
	if (reconcile_callers_compute(log, bill, t, d) != 0)
		return -1;
	return join(log, bill, write_line, f, d);
}
