/*
 * reconcile.c - the one-pass join of the log side and the bill.
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

static void add_gap(struct reconcile_totals *t, const char *note, struct decimal usd)
{
	size_t i = 0;
	while (i < t->ngaps && strcmp(t->gaps[i].note, note) != 0)
		i++;
	if (i == t->ngaps) {
		if (t->ngaps == RECONCILE_GAPS)
			return;
		t->gaps[t->ngaps++] = (struct reconcile_gap){ note, DECIMAL_ZERO, 0 };
	}
	decimal_add(&t->gaps[i].usd, usd);
	t->gaps[i].rows++;
}

static void cell_i64(struct report_file *f, int64_t v)
{
	char buf[24];
	snprintf(buf, sizeof buf, "%" PRId64, v);
	report_number(f, buf);
}

static void cell_decimal(struct report_file *f, struct decimal d)
{
	char buf[DECIMAL_TEXT_MAX];
	decimal_format(d, 6, buf);
	report_number(f, buf);
}

/* SPEC §8: the first note that applies. */
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

static int write_row(struct report_file *f, const struct str *key, const struct rollup_row *log,
		     const struct cur_row *bill, int note_col, struct reconcile_totals *t,
		     struct diag *d)
{
	for (int i = 0; i < K_PARTS; i++)
		report_text(f, key[i]);
	int64_t logged = log ? (int64_t)log->c->tokens[TOKEN_INPUT] : 0;
	int64_t billed = bill ? bill->billed_tokens : 0;
	struct decimal billed_usd = bill ? bill->billed_usd : DECIMAL_ZERO;
	bool estimated = !log || !log->c->unpriced;
	struct decimal est = DECIMAL_ZERO, diff = DECIMAL_ZERO;
	if (log && estimated && decimal_from_money(log->c->cost, &est) != 0)
		return diag_set(d, "reconcile.csv: an estimate too large to print");
	if (estimated && decimal_sub(billed_usd, est, &diff) != 0)
		return diag_set(d, "reconcile.csv: a difference too large to print");
	cell_i64(f, logged);
	cell_i64(f, billed);
	cell_i64(f, billed - logged);
	if (estimated)
		cell_decimal(f, est);
	else
		report_empty(f);
	cell_decimal(f, billed_usd);
	if (estimated)
		cell_decimal(f, diff);
	else
		report_empty(f);
	bool batch = str_eq(key[K_TIER], STR_LIT("batch"));
	const char *note = note_of(bill, log, note_col, batch);
	report_cstr(f, note);
	report_end_row(f);

	t->rows++;
	if (bill)
		decimal_add(&t->billed, billed_usd);
	if (bill && log) {
		t->matched++;
		decimal_add(&t->billed_matched, billed_usd);
		t->token_diff_matched += billed - logged;
		if (estimated)
			decimal_add(&t->usd_diff_matched, diff);
		else
			t->matched_unpriced++;
	} else if (bill && *note) {
		add_gap(t, note, billed_usd);
	} else if (log && estimated) {
		decimal_add(&t->not_billed, est);
	}
	return 0;
}

int reconcile_write(struct report_file *f, const struct layout_plan *plan, const struct rollup *log,
		    struct cur_bill *bill, struct reconcile_totals *t, struct diag *d)
{
	memset(t, 0, sizeof *t);
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
		if (c < 0)
			rc = write_row(f, lrows[i].key, &lrows[i], NULL, note_col, t, d), i++;
		else if (c > 0)
			rc = write_row(f, bk, NULL, brows[j], note_col, t, d), j++;
		else
			rc = write_row(f, bk, &lrows[i], brows[j], note_col, t, d), i++, j++;
	}
	free(lrows);
	return rc;
}
