/*
 * reconcile.c - the one-pass join of the log side and the bill: once for the
 * totals, once more for reconcile.csv's rows (keys, not records: cheap).
 */
#include "ledger/bill/reconcile.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/support/xalloc.h"

enum { K_DAY, K_REGION, K_MODEL, K_KIND, K_ROUTING, K_TIER, K_CONTEXT, K_PARTS };

/* A bill row's key as the log side writes it. */
static void bill_key(const struct cur_row *r, struct str k[K_PARTS])
{
	k[K_DAY] = (struct str){ r->day, 10 };
	k[K_REGION] = r->key.region;
	k[K_MODEL] = r->key.model;
	k[K_KIND] = str_from(usage_kind_name(r->key.kind));
	k[K_ROUTING] = str_from(usage_routing_name(r->key.routing));
	k[K_TIER] = str_from(usage_tier_name(r->key.tier));
	k[K_CONTEXT] = str_from(usage_context_name(r->key.context));
}

static int key_cmp(const struct str *a, const struct str *b)
{
	for (int i = 0; i < K_PARTS; i++) {
		int c = str_cmp(a[i], b[i]);
		if (c)
			return c;
	}
	return 0;
}

/* One key of either side or both, with what reconcile.csv says of it. */
struct line {
	const struct str *key;
	const struct rollup_row *log; /* NULL: the logs lack it */
	const struct cur_row *bill;   /* NULL: the bill lacks it */
	int64_t logged, billed;
	struct decimal billed_usd, est, diff; /* est and diff only when estimated */
	bool estimated;
	const char *note;
};

/* bedrock-ledger-formats(5), RECONCILIATION: the first note that applies. */
static const char *note_of(const struct cur_row *bill, const struct rollup_row *log, int note_col,
			   bool batch)
{
	if (bill && bill->key.kind == USAGE_KIND_OTHER)
		return usage_category_note(bill->category);
	if (bill && bill->unknown_billing_name)
		return "unknown-billing-name";
	if (log && log->key[note_col].n)
		return "unattributed";
	if (!log)
		return batch ? "not-in-logs: batch" : "not-in-logs";
	if (!bill)
		return "not-billed";
	return "";
}

static int line_of(struct line *l, const struct str *key, const struct rollup_row *log,
		   const struct cur_row *bill, int note_col, struct diag *d)
{
	*l = (struct line){ .key = key, .log = log, .bill = bill };
	l->logged = log ? (int64_t)log->c->tokens[TOKEN_INPUT] : 0;
	l->billed = bill ? bill->billed_tokens : 0;
	l->billed_usd = bill ? bill->billed_usd : DECIMAL_ZERO;
	l->estimated = !log || !log->c->unpriced;
	if (log && l->estimated && decimal_from_money(log->c->cost, &l->est) != 0)
		return diag_set(d, "reconcile.csv: an estimate too large to print");
	if (l->estimated && decimal_sub(l->billed_usd, l->est, &l->diff) != 0)
		return diag_set(d, "reconcile.csv: a difference too large to print");
	l->note = note_of(bill, log, note_col, str_eq(key[K_TIER], STR_LIT("batch")));
	return 0;
}

typedef int (*line_fn)(void *ctx, const struct line *l);

/* Calls fn on every key of either side, in key order. 0, or -1 (d set). */
static int join(const struct layout_plan *plan, const struct rollup *log, struct cur_bill *bill,
		line_fn fn, void *ctx, struct diag *d)
{
	const struct plan_report *pr = &plan->reports[LAYOUT_RECONCILE];
	int note_col = (int)pr->ncols - 1; /* the last key column: unattributed or not */
	struct rollup_row *lrows = rollup_sorted(log);
	size_t nl = rollup_count(log), nb = 0;
	const struct cur_row *const *brows = cur_bill_rows(bill, &nb);
	size_t i = 0, j = 0;
	int rc = 0;
	while (rc == 0 && (i < nl || j < nb)) {
		struct str bk[K_PARTS];
		if (j < nb)
			bill_key(brows[j], bk);
		int c = i == nl ? 1 : j == nb ? -1 : key_cmp(lrows[i].key, bk);
		struct line l;
		if (c < 0)
			rc = line_of(&l, lrows[i].key, &lrows[i], NULL, note_col, d), i++;
		else if (c > 0)
			rc = line_of(&l, bk, NULL, brows[j], note_col, d), j++;
		else
			rc = line_of(&l, bk, &lrows[i], brows[j], note_col, d), i++, j++;
		if (rc == 0)
			rc = fn(ctx, &l);
	}
	free(lrows);
	return rc;
}

/* ---- the totals ---- */

/* The day being joined: which sides have it, and its amounts. */
struct day_acc {
	struct str day; /* empty: none yet */
	bool log, bill;
	struct decimal billed, est;
};

struct totals_ctx {
	struct reconcile_totals *t;
	struct day_acc day;
};

static void note_day(struct reconcile_days *days, struct str day, struct decimal usd)
{
	if (days->count < RECONCILE_DAYS_NAMED) {
		struct reconcile_day *nd = &days->named[days->count];
		memcpy(nd->day, day.p, day.n < 10 ? day.n : 10);
		nd->usd = usd;
	}
	days->count++;
	decimal_add(&days->usd, usd);
}

static void extend_period(struct reconcile_period *p, struct str day)
{
	size_t n = day.n < 10 ? day.n : 10;
	if (!p->first[0])
		memcpy(p->first, day.p, n);
	memset(p->last, 0, sizeof p->last);
	memcpy(p->last, day.p, n);
}

static void close_day(struct reconcile_totals *t, const struct day_acc *a)
{
	if (!a->day.n)
		return;
	if (a->log)
		extend_period(&t->log_days, a->day);
	if (a->bill)
		extend_period(&t->bill_days, a->day);
	if (a->log && a->bill)
		t->days_shared = true;
	else if (a->bill)
		note_day(&t->only_bill, a->day, a->billed);
	else
		note_day(&t->only_logs, a->day, a->est);
}

static void add_gap(struct reconcile_totals *t, const char *note, struct decimal usd)
{
	size_t i = 0;
	while (i < t->ngaps && strcmp(t->gaps[i].note, note) != 0)
		i++;
	if (i == t->ngaps) {
		if (t->ngaps == RECONCILE_GAPS)
			return;
		bool why = strcmp(note, "not-in-logs") != 0 && strcmp(note, "unknown-billing-name");
		t->gaps[t->ngaps++] = (struct reconcile_gap){ note, DECIMAL_ZERO, 0, why };
	}
	decimal_add(&t->gaps[i].usd, usd);
	t->gaps[i].rows++;
}

static int add_line(void *ctx, const struct line *l)
{
	struct totals_ctx *c = ctx;
	struct reconcile_totals *t = c->t;
	struct str day = l->key[K_DAY];
	if (!str_eq(day, c->day.day)) {
		close_day(t, &c->day);
		c->day = (struct day_acc){ .day = day };
	}
	c->day.log |= l->log != NULL;
	c->day.bill |= l->bill != NULL;
	decimal_add(&c->day.billed, l->billed_usd);
	if (l->log && l->estimated)
		decimal_add(&c->day.est, l->est);

	t->rows++;
	if (l->bill)
		decimal_add(&t->billed, l->billed_usd);
	if (l->bill && l->log) {
		t->matched++;
		decimal_add(&t->billed_matched, l->billed_usd);
		t->token_diff_matched += l->billed - l->logged;
		if (l->estimated)
			decimal_add(&t->usd_diff_matched, l->diff);
		else
			t->matched_unpriced++;
	} else if (l->bill && *l->note) {
		add_gap(t, l->note, l->billed_usd);
	} else if (l->log && l->estimated) {
		decimal_add(&t->not_billed, l->est);
	}
	return 0;
}

static int by_amount(const void *a, const void *b)
{
	const struct reconcile_gap *x = a, *y = b;
	int c = decimal_cmp(y->usd, x->usd);
	return c ? c : strcmp(x->note, y->note);
}

int reconcile_compute(const struct layout_plan *plan, const struct rollup *log,
		      struct cur_bill *bill, struct reconcile_totals *t, struct diag *d)
{
	memset(t, 0, sizeof *t);
	struct totals_ctx c = { t, { { "", 0 }, false, false, DECIMAL_ZERO, DECIMAL_ZERO } };
	if (join(plan, log, bill, add_line, &c, d) != 0)
		return -1;
	close_day(t, &c.day);
	qsort(t->gaps, t->ngaps, sizeof t->gaps[0], by_amount);
	t->explained = t->billed_matched;
	for (size_t i = 0; i < t->ngaps; i++)
		if (t->gaps[i].says_why)
			decimal_add(&t->explained, t->gaps[i].usd);
	decimal_sub(t->billed, t->explained, &t->unexplained);
	return 0;
}

bool reconcile_period_warning(const struct reconcile_totals *t, struct diag *d)
{
	if (t->days_shared || !t->bill_days.first[0] || !t->log_days.first[0])
		return false;
	diag_set(d,
		 "--cur: the bill's Bedrock usage (%s to %s) shares no day with the logs' records"
		 " (%s to %s), so nothing can match: give the CUR export of the logs' period, or"
		 " the logs of the bill's",
		 t->bill_days.first, t->bill_days.last, t->log_days.first, t->log_days.last);
	return true;
}

/* ---- reconcile.csv ---- */

static void cell_i64(struct report_file *f, int64_t v)
{
	char buf[24];
	snprintf(buf, sizeof buf, "%" PRId64, v);
	report_number(f, buf);
}

static void cell_decimal(struct report_file *f, struct decimal v)
{
	char buf[DECIMAL_TEXT_MAX];
	decimal_format(v, 6, buf);
	report_number(f, buf);
}

static int write_line(void *ctx, const struct line *l)
{
	struct report_file *f = ctx;
	for (int i = 0; i < K_PARTS; i++)
		report_text(f, l->key[i]);
	cell_i64(f, l->logged);
	cell_i64(f, l->billed);
	cell_i64(f, l->billed - l->logged);
	if (l->estimated)
		cell_decimal(f, l->est);
	else
		report_empty(f);
	cell_decimal(f, l->billed_usd);
	if (l->estimated)
		cell_decimal(f, l->diff);
	else
		report_empty(f);
	report_cstr(f, l->note);
	report_end_row(f);
	return 0;
}

int reconcile_write(struct report_file *f, const struct layout_plan *plan, const struct rollup *log,
		    struct cur_bill *bill, struct reconcile_totals *t, struct diag *d)
{
	if (reconcile_compute(plan, log, bill, t, d) != 0)
		return -1;
	return join(plan, log, bill, write_line, f, d);
}
