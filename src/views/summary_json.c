/*
 * summary_json.c - the summary as one JSON document (summary.json and
 * --format json): the numbers and lists of struct summary, which the text
 * summary formats too. Its schema is documented in bedrock-ledger(1),
 * SUMMARY; a change of meaning raises SUMMARY_JSON_VERSION.
 */
#include "ledger/views/summary.h"

#include <stdlib.h>
#include <string.h>

#include "ledger/support/json.h"
#include "ledger/views/budgets.h"

static uint64_t token_sum(const struct counters *c)
{
	uint64_t s = 0;
	for (int k = 0; k < TOKEN_LOGGED; k++)
		s += c->tokens[k];
	return s;
}

/* invocations, cost_usd (null when every record is unpriced), unpriced_invocations. */
static void put_cost(struct json *j, const struct counters *c)
{
	json_key(j, "invocations");
	json_u64(j, c->invocations);
	json_key(j, "cost_usd");
	if (c->unpriced_records && c->unpriced_records == c->invocations)
		json_cstr(j, NULL);
	else
		json_money(j, c->cost);
	json_key(j, "unpriced_invocations");
	json_u64(j, c->unpriced_records);
}

void summary_json_tokens(struct json *j, const struct counters *c)
{
	json_begin_object(j);
	for (int k = 0; k < TOKEN_KINDS; k++) {
		json_key(j, layout_token_columns[k]);
		json_u64(j, c->tokens[k]);
	}
	json_end_object(j);
}

/* {column, rows: [{value, invocations, cost_usd, unpriced_invocations}], more} */
static void put_top(struct json *j, const char *column, const struct summary_top *top)
{
	json_begin_object(j);
	json_key(j, "column");
	json_cstr(j, column);
	json_key(j, "rows");
	json_begin_array(j);
	for (size_t i = 0; i < top->n; i++) {
		json_begin_object(j);
		json_key(j, "value");
		json_str(j, top->rows[i].value);
		put_cost(j, &top->rows[i].c);
		json_end_object(j);
	}
	json_end_array(j);
	json_key(j, "more");
	json_u64(j, top->total > top->n ? top->total - top->n : 0);
	json_end_object(j);
}

void summary_json_period(struct json *j, const struct summary *t)
{
	json_key(j, "period");
	if (!t->has_period) {
		json_null(j);
		return;
	}
	json_begin_object(j);
	json_key(j, "first");
	json_ts(j, t->first);
	json_key(j, "last");
	json_ts(j, t->last);
	json_end_object(j);
}

static void put_books(struct json *j, const struct summary *t)
{
	json_key(j, "objects");
	json_begin_object(j);
	JSON_COUNTS(j, { "read", t->objects_read }, { "skipped", t->objects_skipped },
		    { "errors", t->objects_error }, { "outside_window", t->objects_pruned });
	json_key(j, "skip_reasons");
	json_begin_object(j);
	for (size_t i = 0; i < t->nskip_reasons; i++) {
		json_key(j, t->skip_reasons[i].name);
		json_u64(j, t->skip_reasons[i].n);
	}
	json_end_object(j);
	json_end_object(j);
	uint64_t dropped = t->dedupe ? t->duplicates : 0;
	json_key(j, "records");
	json_begin_object(j);
	JSON_COUNTS(j, { "read", t->records_read }, { "counted", t->counted },
		    { "rejected", t->rejected }, { "filtered", t->filtered },
		    { "duplicates", t->duplicates });
	json_key(j, "deduplicated");
	json_bool(j, t->dedupe);
	json_key(j, "balanced");
	json_bool(j, t->records_read == t->counted + t->rejected + t->filtered + dropped);
	json_key(j, "most_rejected");
	if (t->most_rejected) {
		json_begin_object(j);
		json_key(j, "path");
		json_str(j, t->most_rejected_path);
		json_key(j, "rejected");
		json_u64(j, t->most_rejected);
		json_end_object(j);
	} else {
		json_null(j);
	}
	json_end_object(j);
	char why[1024];
	json_key(j, "nothing_counted");
	if (summary_nothing(t, why, sizeof why))
		json_cstr(j, why);
	else
		json_null(j);
}

static void put_causes(struct json *j, const char *count, const char *where,
		       const struct summary_causes *c)
{
	json_key(j, count);
	json_u64(j, c->profiles);
	json_key(j, where);
	json_begin_array(j);
	for (size_t i = 0; i < c->nwhere; i++) {
		json_begin_object(j);
		json_key(j, "account_id");
		json_str(j, c->where[i].account);
		json_key(j, "region");
		json_str(j, c->where[i].region);
		json_end_object(j);
	}
	json_end_array(j);
}

static void put_totals(struct json *j, const struct summary *t)
{
	const struct counters *c = &t->all;
	JSON_COUNTS(j, { "invocations", c->invocations }, { "errors", c->errors });
	json_key(j, "tokens");
	summary_json_tokens(j, c);
	JSON_COUNTS(j, { "all_tokens", token_sum(c) }, { "ignored_1h_counts", t->ignored_1h });
	json_key(j, "cost_usd");
	json_money(j, c->cost);
	json_key(j, "prices");
	json_cstr(j, t->prices_name);
	json_key(j, "prices_date");
	json_cstr(j, t->prices_date);
	json_key(j, "prices_age_days");
	json_i64(j, t->prices_age_days);
	json_key(j, "time_zone");
	json_cstr(j, t->tz_name);
	json_key(j, "unpriced");
	json_begin_object(j);
	JSON_COUNTS(j, { "invocations", t->unpriced.invocations },
		    { "tokens", token_sum(&t->unpriced) });
	json_end_object(j);
	json_key(j, "unattributed");
	json_begin_object(j);
	JSON_COUNTS(j, { "invocations", t->unattributed.invocations },
		    { "tokens", token_sum(&t->unattributed) });
	put_causes(j, "profiles_not_in_manifest", "not_in_manifest_where", &t->missing);
	put_causes(j, "profiles_without_model", "without_model_where", &t->no_model);
	json_end_object(j);
}

static void put_direct_and_residency(struct json *j, const struct summary *t)
{
	json_key(j, "direct_calls");
	json_begin_object(j);
	put_cost(j, &t->direct);
	json_key(j, "callers");
	json_u64(j, t->top_direct.total);
	json_key(j, "top_callers");
	put_top(j, "caller", &t->top_direct);
	json_end_object(j);
	json_key(j, "residency");
	json_begin_object(j);
	JSON_COUNTS(j, { "outside_pool", t->out_of_pool },
		    { "no_inference_region", t->no_inference_region },
		    { "eu_outside_eu", t->eu_outside }, { "eu_source", t->eu_source },
		    { "eu_left_geography", t->eu_left });
	json_key(j, "eu_outside_pools");
	json_begin_array(j);
	for (size_t i = 0; i < t->neu_pools; i++)
		json_str(j, t->eu_pools[i]);
	json_end_array(j);
	json_end_object(j);
}

static void put_spikes(struct json *j, const struct summary *t)
{
	json_key(j, "spikes");
	json_begin_object(j);
	json_key(j, "count");
	json_u64(j, t->nspikes);
	json_key(j, "largest");
	json_begin_array(j);
	for (size_t i = 0; i < t->nlargest; i++) {
		const struct summary_spike *sp = &t->spikes[i];
		json_begin_object(j);
		json_key(j, "hour");
		json_str(j, sp->hour);
		json_key(j, "cost_usd");
		json_money(j, sp->cost);
		json_key(j, "has_baseline");
		json_bool(j, sp->has_baseline);
		json_key(j, "ratio");
		json_cstr(j, sp->has_ratio ? sp->ratio : NULL);
		if (t->spike_group) {
			json_key(j, t->spike_group);
			json_str(j, sp->group);
		}
		if (t->spike_who) { /* "principal" or "caller", as spikes.csv's first column */
			json_key(j, t->spike_who);
			json_str(j, sp->who);
		}
		json_key(j, "model");
		json_str(j, sp->model);
		json_end_object(j);
	}
	json_end_array(j);
	json_end_object(j);
}

static void put_reconcile(struct json *j, const struct summary *t)
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

void summary_print_json(FILE *fp, const struct summary *t, const char *const *files, size_t nfiles)
{
	struct json j;
	json_init(&j, fp);
	json_begin_object(&j);
	json_key(&j, "schema");
	json_cstr(&j, "bedrock-ledger summary");
	json_key(&j, "version");
	json_u64(&j, SUMMARY_JSON_VERSION);
	summary_json_period(&j, t);
	put_books(&j, t);
	put_totals(&j, t);
	json_key(&j, "top_group");
	if (t->group_header)
		put_top(&j, t->group_header, &t->top_group);
	else
		json_null(&j);
	json_key(&j, "top_models");
	put_top(&j, "model", &t->top_models);
	json_key(&j, "top_callers");
	put_top(&j, "caller", &t->top_callers);
	put_direct_and_residency(&j, t);
	put_spikes(&j, t);
	put_reconcile(&j, t);
	json_key(&j, "budgets");
	budgets_json(&j, t->budgets);
	json_key(&j, "reports");
	json_begin_object(&j);
	json_key(&j, "dir");
	json_cstr(&j, t->out_dir);
	json_key(&j, "files");
	json_begin_array(&j);
	for (size_t i = 0; i < nfiles; i++)
		json_cstr(&j, files[i]);
	json_end_array(&j);
	json_end_object(&j);
	json_end_object(&j);
	json_finish(&j);
}
