/*
 * summary_json.c - the summary as one JSON document (summary.json and
 * --format json): the numbers and lists the text summary is made of, read
 * from the same totals and tables. Its schema is documented in
 * bedrock-ledger(1), SUMMARY; a change of meaning raises
 * SUMMARY_JSON_VERSION.
 */
#include "ledger/views/summary.h"

#include <stdlib.h>
#include <string.h>

#include "ledger/price/modelid.h"
#include "ledger/support/json.h"
#include "ledger/views/budgets.h"

#define TOP 5

static uint64_t token_sum(const struct counters *c)
{
	uint64_t s = 0;
	for (int k = 0; k < TOKEN_LOGGED; k++)
		s += c->tokens[k];
	return s;
}

static int by_cost_desc(const void *a, const void *b)
{
	const struct rollup_row *x = a, *y = b;
	if (x->c->cost != y->c->cost)
		return x->c->cost < y->c->cost ? 1 : -1;
	return str_cmp(x->key[0], y->key[0]);
}

/* cost_usd (null when every record is unpriced), unpriced_invocations, invocations. */
static void put_cost(struct json *j, const struct counters *c)
{
	json_key(j, "invocations");
	json_u64(j, c->invocations);
	json_key(j, "cost_usd");
	if (c->unpriced_records && c->unpriced_records == c->invocations)
		json_null(j);
	else
		json_money(j, c->cost);
	json_key(j, "unpriced_invocations");
	json_u64(j, c->unpriced_records);
}

static void put_tokens(struct json *j, const struct counters *c)
{
	json_begin_object(j);
	for (int k = 0; k < TOKEN_KINDS; k++) {
		json_key(j, layout_token_columns[k]);
		json_u64(j, c->tokens[k]);
	}
	json_end_object(j);
}

/* {"column", "rows": [{value, invocations, cost_usd, unpriced_invocations}], "more"}:
 * src's rows summed by one key field, the `top` largest by cost. */
static void put_top(struct json *j, const char *column, const struct rollup *src, size_t field,
		    size_t top)
{
	struct rollup *by = rollup_create(1);
	struct rollup_row *rows = rollup_sorted(src);
	for (size_t i = 0; i < rollup_count(src); i++)
		counters_merge(rollup_get(by, &rows[i].key[field]), rows[i].c);
	free(rows);
	size_t n = rollup_count(by);
	rows = rollup_sorted(by);
	qsort(rows, n, sizeof *rows, by_cost_desc);
	json_begin_object(j);
	json_key(j, "column");
	json_cstr(j, column);
	json_key(j, "rows");
	json_begin_array(j);
	for (size_t i = 0; i < n && i < top; i++) {
		json_begin_object(j);
		json_key(j, "value");
		json_str(j, rows[i].key[0]);
		put_cost(j, rows[i].c);
		json_end_object(j);
	}
	json_end_array(j);
	json_key(j, "more");
	json_u64(j, n > top ? n - top : 0);
	json_end_object(j);
	free(rows);
	rollup_destroy(by);
}

static void put_period_and_books(struct json *j, const struct run_totals *t)
{
	json_key(j, "period");
	if (t->has_period) {
		json_begin_object(j);
		json_key(j, "first");
		json_ts(j, t->first);
		json_key(j, "last");
		json_ts(j, t->last);
		json_end_object(j);
	} else {
		json_null(j);
	}
	json_key(j, "objects");
	json_begin_object(j);
	json_key(j, "read");
	json_u64(j, t->objects_read);
	json_key(j, "skipped");
	json_u64(j, t->objects_skipped);
	json_key(j, "errors");
	json_u64(j, t->objects_error);
	json_key(j, "outside_window");
	json_u64(j, t->objects_pruned);
	json_end_object(j);
	uint64_t dropped = t->dedupe ? t->duplicates : 0;
	json_key(j, "records");
	json_begin_object(j);
	json_key(j, "read");
	json_u64(j, t->records_read);
	json_key(j, "counted");
	json_u64(j, t->counted);
	json_key(j, "rejected");
	json_u64(j, t->rejected);
	json_key(j, "filtered");
	json_u64(j, t->filtered);
	json_key(j, "duplicates");
	json_u64(j, t->duplicates);
	json_key(j, "deduplicated");
	json_bool(j, t->dedupe);
	json_key(j, "balanced");
	json_bool(j, t->records_read == t->counted + t->rejected + t->filtered + dropped);
	json_end_object(j);
}

static void put_where(struct json *j, const char *key, const struct rollup *where)
{
	json_key(j, key);
	json_begin_array(j);
	struct rollup_row *rows = where ? rollup_sorted(where) : NULL;
	for (size_t i = 0; where && i < rollup_count(where); i++) {
		json_begin_object(j);
		json_key(j, "account_id");
		json_str(j, rows[i].key[0]);
		json_key(j, "region");
		json_str(j, rows[i].key[1]);
		json_end_object(j);
	}
	free(rows);
	json_end_array(j);
}

static void put_totals(struct json *j, const struct run_totals *t)
{
	const struct counters *c = &t->all;
	json_key(j, "invocations");
	json_u64(j, c->invocations);
	json_key(j, "errors");
	json_u64(j, c->errors);
	json_key(j, "tokens");
	put_tokens(j, c);
	json_key(j, "ignored_1h_counts");
	json_u64(j, t->ignored_1h);
	json_key(j, "cost_usd");
	json_money(j, c->cost);
	json_key(j, "prices");
	json_cstr(j, t->prices_name);
	json_key(j, "unpriced");
	json_begin_object(j);
	json_key(j, "invocations");
	json_u64(j, t->unpriced.invocations);
	json_key(j, "tokens");
	json_u64(j, token_sum(&t->unpriced));
	json_end_object(j);
	json_key(j, "unattributed");
	json_begin_object(j);
	json_key(j, "invocations");
	json_u64(j, t->unattributed.invocations);
	json_key(j, "tokens");
	json_u64(j, token_sum(&t->unattributed));
	json_key(j, "profiles_not_in_manifest");
	json_u64(j, t->profiles_missing);
	put_where(j, "not_in_manifest_where", t->missing_where);
	json_key(j, "profiles_without_model");
	json_u64(j, t->profiles_no_model);
	put_where(j, "without_model_where", t->no_model_where);
	json_end_object(j);
	json_key(j, "all_tokens");
	json_u64(j, token_sum(c));
}

static void put_direct(struct json *j, const struct run_totals *t, const struct layout_plan *plan,
		       const struct tally *all)
{
	const struct rollup *caller = all->tables[LAYOUT_CALLER];
	int route_col = layout_column_of(plan, LAYOUT_CALLER, FIELD_ROUTE);
	int caller_col = layout_column_of(plan, LAYOUT_CALLER, FIELD_CALLER_KEY);
	struct str fm = str_from(route_name(ROUTE_FOUNDATION_MODEL));
	struct str sp = str_from(route_name(ROUTE_SYSTEM_PROFILE));
	struct rollup *direct = rollup_create(1);
	struct rollup_row *rows = rollup_sorted(caller);
	for (size_t i = 0; i < rollup_count(caller); i++) {
		struct str route = rows[i].key[route_col];
		if (str_eq(route, fm) || str_eq(route, sp))
			counters_merge(rollup_get(direct, &rows[i].key[caller_col]), rows[i].c);
	}
	free(rows);
	json_key(j, "direct_calls");
	json_begin_object(j);
	put_cost(j, &t->direct);
	json_key(j, "callers");
	json_u64(j, rollup_count(direct));
	json_key(j, "top_callers");
	put_top(j, "caller", direct, 0, 3);
	json_end_object(j);
	rollup_destroy(direct);
}

static void put_residency(struct json *j, const struct run_totals *t)
{
	json_key(j, "residency");
	json_begin_object(j);
	json_key(j, "outside_pool");
	json_u64(j, t->out_of_pool);
	json_key(j, "no_inference_region");
	json_u64(j, t->no_inference_region);
	json_key(j, "eu_outside_eu");
	json_u64(j, t->eu_outside);
	json_key(j, "eu_outside_pools");
	json_begin_array(j);
	for (const char *p = t->eu_pools; *p;) {
		const char *e = strstr(p, ", ");
		size_t n = e ? (size_t)(e - p) : strlen(p);
		json_str(j, (struct str){ p, n });
		p += n + (e ? 2 : 0);
	}
	json_end_array(j);
	json_end_object(j);
}

static void put_spikes(struct json *j, const struct run_totals *t, const struct layout_plan *plan)
{
	const struct spikes *s = t->spikes;
	json_key(j, "spikes");
	json_begin_object(j);
	json_key(j, "count");
	json_u64(j, s ? s->n : 0);
	json_key(j, "largest");
	json_begin_array(j);
	const struct plan_report *pr = &plan->reports[LAYOUT_SPIKES];
	int g = layout_group_column(plan, LAYOUT_SPIKES, 0);
	int caller = layout_column_of(plan, LAYOUT_SPIKES, FIELD_CALLER_KEY);
	int model = layout_column_of(plan, LAYOUT_SPIKES, FIELD_MODEL);
	for (size_t i = 0; s && i < s->n && i < 3; i++) {
		const struct spike *sp = spikes_largest(s, i);
		char text[48];
		json_begin_object(j);
		json_key(j, "hour");
		json_str(j, sp->key[pr->ncols - 1]);
		json_key(j, "cost_usd");
		json_money(j, sp->c.cost);
		json_key(j, "baseline_usd");
		if (sp->has_baseline) {
			spike_baseline_text(sp, text);
			json_cstr(j, text);
		} else {
			json_null(j);
		}
		json_key(j, "ratio");
		json_cstr(j, spike_ratio_text(sp, text) ? text : NULL);
		if (g >= 0) {
			json_key(j, pr->cols[g].header);
			json_str(j, sp->key[g]);
		}
		if (caller >= 0) {
			json_key(j, "caller");
			json_str(j, sp->key[caller]);
		}
		json_key(j, "model");
		json_str(j, sp->key[model]);
		json_end_object(j);
	}
	json_end_array(j);
	json_end_object(j);
}

static void put_reconcile(struct json *j, const struct run_totals *t)
{
	json_key(j, "reconciliation");
	if (!t->bill) {
		json_null(j);
		return;
	}
	const struct reconcile_totals *r = t->rec;
	const struct cur_counts *n = cur_bill_counts(t->bill);
	json_begin_object(j);
	json_key(j, "billed_usd");
	json_decimal(j, r->billed);
	json_key(j, "cur_rows");
	json_u64(j, n->usage);
	json_key(j, "cur_files");
	json_u64(j, n->files);
	json_key(j, "matched_keys");
	json_u64(j, r->matched);
	json_key(j, "billed_matched_usd");
	json_decimal(j, r->billed_matched);
	json_key(j, "token_diff_matched");
	json_i64(j, r->token_diff_matched);
	json_key(j, "usd_diff_matched");
	json_decimal(j, r->usd_diff_matched);
	json_key(j, "matched_without_estimate");
	json_u64(j, r->matched_unpriced);
	json_key(j, "gaps");
	json_begin_array(j);
	for (size_t i = 0; i < r->ngaps; i++) {
		json_begin_object(j);
		json_key(j, "note");
		json_cstr(j, r->gaps[i].note);
		json_key(j, "billed_usd");
		json_decimal(j, r->gaps[i].usd);
		json_end_object(j);
	}
	json_end_array(j);
	json_key(j, "not_billed_usd");
	json_decimal(j, r->not_billed);
	size_t na = 0, nu = 0;
	const struct cur_adjustment *const *adj = cur_bill_adjustments(t->bill, &na);
	json_key(j, "adjustments");
	json_begin_array(j);
	for (size_t i = 0; i < na; i++) {
		json_begin_object(j);
		json_key(j, "type");
		json_str(j, adj[i]->type);
		json_key(j, "usd");
		json_decimal(j, adj[i]->usd);
		json_end_object(j);
	}
	json_end_array(j);
	const struct cur_unknown_name *const *un = cur_bill_unknown_names(t->bill, &nu);
	json_key(j, "unknown_billing_names");
	json_begin_array(j);
	for (size_t i = 0; i < nu; i++)
		json_str(j, un[i]->name);
	json_end_array(j);
	json_key(j, "malformed_rows");
	json_u64(j, n->malformed);
	json_end_object(j);
}

void summary_print_json(FILE *fp, const struct run_totals *t, const struct layout_plan *plan,
			const struct tally *all, const char *out_dir, const char *const *reports,
			size_t nreports)
{
	struct json j;
	json_init(&j, fp);
	json_begin_object(&j);
	json_key(&j, "schema");
	json_cstr(&j, "bedrock-ledger summary");
	json_key(&j, "version");
	json_u64(&j, SUMMARY_JSON_VERSION);
	put_period_and_books(&j, t);
	put_totals(&j, t);
	int g = layout_group_column(plan, LAYOUT_APP_DAY, 0);
	json_key(&j, "top_group");
	if (g >= 0)
		put_top(&j, plan->reports[LAYOUT_APP_DAY].cols[g].header,
			all->tables[LAYOUT_APP_DAY], (size_t)g, TOP);
	else
		json_null(&j);
	json_key(&j, "top_callers");
	put_top(&j, "caller", all->tables[LAYOUT_CALLER],
		(size_t)layout_column_of(plan, LAYOUT_CALLER, FIELD_CALLER_KEY), TOP);
	put_direct(&j, t, plan, all);
	put_residency(&j, t);
	put_spikes(&j, t, plan);
	put_reconcile(&j, t);
	json_key(&j, "budgets");
	budgets_json(&j, t->budgets);
	json_key(&j, "reports");
	json_begin_object(&j);
	json_key(&j, "dir");
	json_cstr(&j, out_dir);
	json_key(&j, "files");
	json_begin_array(&j);
	for (size_t i = 0; i < nreports; i++)
		json_cstr(&j, reports[i]);
	json_end_array(&j);
	json_end_object(&j);
	json_end_object(&j);
	json_finish(&j);
}
