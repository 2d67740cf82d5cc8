/*
 * summary.c - the few lines a person reads after a run, section by section.
 */
#include "ledger/views/summary.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/support/diag.h"
#include "ledger/price/modelid.h"
#include "ledger/views/budgets.h"
#include "ledger/support/xalloc.h"

#define TOP 5
/* Account/region pairs spelled out in the advice; the rest are counted. */
#define WHERE_MAX 5

/* A label column of 13: the label, and at least one space. */
#define LABEL "%-12s "

static int by_cost_desc(const void *a, const void *b)
{
	const struct rollup_row *x = a, *y = b;
	if (x->c->cost != y->c->cost)
		return x->c->cost < y->c->cost ? 1 : -1;
	return str_cmp(x->key[0], y->key[0]);
}

/* The record's own counts: 1-hour writes are a part of cache writes. */
static uint64_t token_sum(const struct counters *c)
{
	uint64_t s = 0;
	for (int k = 0; k < TOKEN_LOGGED; k++)
		s += c->tokens[k];
	return s;
}

static double pct(uint64_t part, uint64_t whole)
{
	return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

/*
 * "1.234567", "1.234567+" (and some unpriced records), or "unpriced" (all of
 * them); in a column (`column`), a priced value keeps a blank for the +.
 */
static void format_cost(const struct counters *c, bool column, char out[64])
{
	if (c->unpriced_records && c->unpriced_records == c->invocations) {
		snprintf(out, 64, "unpriced%s", column ? " " : "");
		return;
	}
	char usd[48];
	money_format_usd(c->cost, usd);
	snprintf(out, 64, "%s%s", usd, c->unpriced ? "+" : column ? " " : "");
}

static void put_value(FILE *fp, struct str v)
{
	if (v.n)
		diag_put_escaped(fp, v.p, v.n);
	else
		fputs("(none)", fp);
}

/* Sums the rows of src by one key field and prints the `top` largest by cost. */
static void print_top(FILE *fp, const char *label, const struct rollup *src, size_t field,
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
	fprintf(fp, LABEL "by cost in USD (+: and some unpriced records)\n", label);
	for (size_t i = 0; i < n && i < top; i++) {
		char cost[64];
		format_cost(rows[i].c, true, cost);
		fprintf(fp, LABEL "%13s %9" PRIu64 " invocations  ", "", cost,
			rows[i].c->invocations);
		put_value(fp, rows[i].key[0]);
		fputc('\n', fp);
	}
	if (n > top)
		fprintf(fp, LABEL "... and %zu more\n", "", n - top);
	free(rows);
	rollup_destroy(by);
}

/* The account and region of an application-profile ARN, as a 2-field key. */
static bool arn_where(struct str arn, struct str key[2])
{
	/* arn:PARTITION:bedrock:REGION:ACCOUNT:application-inference-profile/ID */
	const char *f[6];
	const char *p = arn.p, *end = arn.p + arn.n;
	for (int i = 0; i < 6; i++) {
		f[i] = p;
		const char *c = i < 5 ? memchr(p, ':', (size_t)(end - p)) : end;
		if (!c)
			return false;
		p = c + 1;
	}
	key[0] = (struct str){ f[4], (size_t)(f[5] - 1 - f[4]) };
	key[1] = (struct str){ f[3], (size_t)(f[4] - 1 - f[3]) };
	return key[0].n && key[1].n;
}

/* residency.csv's rows: what ran outside its pool, and EU data on non-EU pools. */
static void residency_totals(struct run_totals *t, const struct layout_plan *plan,
			     const struct tally *all)
{
	const struct rollup *res = all->tables[LAYOUT_RESIDENCY];
	int in_col = layout_column_of(plan, LAYOUT_RESIDENCY, FIELD_IN_POOL);
	int pool_col = layout_column_of(plan, LAYOUT_RESIDENCY, FIELD_POOL);
	int region_col = layout_column_of(plan, LAYOUT_RESIDENCY, FIELD_REGION);
	int infr_col = layout_column_of(plan, LAYOUT_RESIDENCY, FIELD_INFERENCE_REGION);
	struct rollup *eu = rollup_create(1);
	struct rollup_row *rows = rollup_sorted(res);
	for (size_t i = 0; i < rollup_count(res); i++) {
		const struct str *k = rows[i].key;
		uint64_t n = rows[i].c->invocations;
		if (str_eq(k[in_col], STR_LIT("no")))
			t->out_of_pool += n;
		if (!k[infr_col].n)
			t->no_inference_region += n;
		/* an unknown pool (route other, a profile in no manifest) says nothing of where it
		 * ran */
		if (str_starts(k[region_col], "eu-") && !str_eq(k[pool_col], STR_LIT("eu")) &&
		    !str_eq(k[pool_col], STR_LIT("in-region")) &&
		    !str_eq(k[pool_col], STR_LIT("unknown"))) {
			t->eu_outside += n;
			counters_merge(rollup_get(eu, &k[pool_col]), rows[i].c);
		}
	}
	free(rows);
	rows = rollup_sorted(eu);
	size_t used = 0;
	for (size_t i = 0; i < rollup_count(eu); i++) {
		int w = snprintf(t->eu_pools + used, sizeof t->eu_pools - used, "%s%.*s",
				 i ? ", " : "", (int)rows[i].key[0].n, rows[i].key[0].p);
		if (w < 0 || (size_t)w >= sizeof t->eu_pools - used)
			break;
		used += (size_t)w;
	}
	free(rows);
	rollup_destroy(eu);
}

void summary_totals(struct run_totals *t, const struct layout_plan *plan, const struct tally *all)
{
	const struct rollup *caller = all->tables[LAYOUT_CALLER];
	int route_col = layout_column_of(plan, LAYOUT_CALLER, FIELD_ROUTE);
	struct str fm = str_from(route_name(ROUTE_FOUNDATION_MODEL));
	struct str sp = str_from(route_name(ROUTE_SYSTEM_PROFILE));
	struct rollup_row *rows = rollup_sorted(caller);
	for (size_t i = 0; i < rollup_count(caller); i++) {
		counters_merge(&t->all, rows[i].c);
		struct str route = rows[i].key[route_col];
		if (str_eq(route, fm) || str_eq(route, sp))
			counters_merge(&t->direct, rows[i].c);
	}
	free(rows);
	t->has_period = t->all.seen;
	t->first = t->all.first;
	t->last = t->all.last;

	const struct rollup *unresolved = all->tables[LAYOUT_UNRESOLVED];
	int col = layout_column_of(plan, LAYOUT_UNRESOLVED, FIELD_PROBLEM);
	int model_col = layout_column_of(plan, LAYOUT_UNRESOLVED, FIELD_PROBLEM_MODEL);
	struct str missing = str_from(problem_name(PROBLEM_NOT_IN_MANIFEST));
	struct str no_model = str_from(problem_name(PROBLEM_NO_MODEL));
	residency_totals(t, plan, all);
	t->missing_where = rollup_create(2);
	t->no_model_where = rollup_create(2);
	rows = rollup_sorted(unresolved);
	for (size_t i = 0; i < rollup_count(unresolved); i++) {
		counters_merge(&t->unpriced, rows[i].c);
		struct str p = rows[i].key[col];
		struct rollup *where = NULL;
		if (str_eq(p, missing)) {
			t->profiles_missing++;
			where = t->missing_where;
		} else if (str_eq(p, no_model)) {
			t->profiles_no_model++;
			where = t->no_model_where;
		}
		struct str key[2];
		if (where) {
			counters_merge(&t->unattributed, rows[i].c);
			if (arn_where(rows[i].key[model_col], key))
				counters_merge(rollup_get(where, key), rows[i].c);
		}
	}
	free(rows);
}

void summary_finish(struct run_totals *t)
{
	rollup_destroy(t->missing_where);
	rollup_destroy(t->no_model_where);
	t->missing_where = t->no_model_where = NULL;
}

static void print_inputs(FILE *fp, const struct run_totals *t)
{
	if (t->has_period) {
		char a[21], b[21];
		ts_format(t->first, a);
		ts_format(t->last, b);
		fprintf(fp, LABEL "%s .. %s\n", "period", a, b);
	} else {
		fprintf(fp, LABEL "(no record counted)\n", "period");
	}
	fprintf(fp, LABEL "%" PRIu64 " read, %" PRIu64 " skipped, %" PRIu64 " with errors",
		"objects", t->objects_read, t->objects_skipped, t->objects_error);
	if (t->objects_pruned)
		fprintf(fp, " (%" PRIu64 " skipped as outside the time window)", t->objects_pruned);
	fputc('\n', fp);
	uint64_t dropped = t->dedupe ? t->duplicates : 0;
	fprintf(fp,
		LABEL "%" PRIu64 " read = %" PRIu64 " counted + %" PRIu64 " rejected + %" PRIu64
		      " filtered",
		"records", t->records_read, t->counted, t->rejected, t->filtered);
	if (t->dedupe)
		fprintf(fp, " + %" PRIu64 " duplicates", t->duplicates);
	fprintf(fp, "%s\n",
		t->records_read == t->counted + t->rejected + t->filtered + dropped
		    ? ""
		    : "  (DOES NOT BALANCE)");
	if (t->duplicates && !t->dedupe)
		fprintf(fp,
			LABEL "%" PRIu64 " counted record%s a requestId counted before: counted"
			      " twice? --dedupe drops them\n",
			"duplicates", t->duplicates, t->duplicates == 1 ? " repeats" : "s repeat");
}

static void print_tokens(FILE *fp, const struct run_totals *t)
{
	const struct counters *c = &t->all;
	fprintf(fp, LABEL "%" PRIu64 ", %" PRIu64 " with an error\n", "invocations", c->invocations,
		c->errors);
	fprintf(fp,
		LABEL "input %" PRIu64 ", output %" PRIu64 ", cache read %" PRIu64
		      ", cache write %" PRIu64 " (1-hour TTL %" PRIu64 ")\n",
		"tokens", c->tokens[TOKEN_INPUT], c->tokens[TOKEN_OUTPUT],
		c->tokens[TOKEN_CACHE_READ], c->tokens[TOKEN_CACHE_WRITE],
		c->tokens[TOKEN_CACHE_WRITE_1H]);
	if (t->ignored_1h)
		fprintf(fp,
			LABEL "%" PRIu64 " record%s a 1-hour cache-write count that is not a count"
			      " from 0 to its cache writes:\n" LABEL
			      "ignored, all its writes priced at"
			      " the 5-minute rate\n",
			"", t->ignored_1h, t->ignored_1h == 1 ? " has" : "s have", "");
}

static void print_cost(FILE *fp, const struct run_totals *t)
{
	const struct counters *c = &t->all;
	char usd[48];
	money_format_usd(c->cost, usd);
	fprintf(fp, LABEL "$%s%s (prices: %s)\n", "cost", usd,
		t->unpriced.invocations ? " for the priced records" : "", t->prices_name);
	if (t->unpriced.invocations)
		fprintf(fp,
			LABEL "%" PRIu64 " of %" PRIu64 " invocations (%.1f%%), %.1f%% of tokens:"
			      " see unresolved.csv\n",
			"unpriced", t->unpriced.invocations, c->invocations,
			pct(t->unpriced.invocations, c->invocations),
			pct(token_sum(&t->unpriced), token_sum(c)));
}

/* The commands that export what a cause lacks, per account and region seen. */
static void print_exports(FILE *fp, const struct rollup *where, bool tags)
{
	struct rollup_row *rows = rollup_sorted(where);
	size_t n = rollup_count(where);
	for (size_t i = 0; i < n && i < WHERE_MAX; i++) {
		struct str a = rows[i].key[0], r = rows[i].key[1];
		fprintf(fp, LABEL "with credentials for account ", "");
		diag_put_escaped(fp, a.p, a.n);
		fputs(":\n", fp);
		fprintf(fp,
			LABEL "  aws bedrock list-inference-profiles --type-equals APPLICATION"
			      " --region %.*s > profiles-%.*s-%.*s.json\n",
			"", (int)r.n, r.p, (int)a.n, a.p, (int)r.n, r.p);
		if (tags)
			fprintf(fp,
				LABEL
				"  aws resourcegroupstaggingapi get-resources"
				" --resource-type-filters bedrock:application-inference-profile"
				" --region %.*s > tags-%.*s-%.*s.json\n",
				"", (int)r.n, r.p, (int)a.n, a.p, (int)r.n, r.p);
	}
	if (n > WHERE_MAX)
		fprintf(fp, LABEL "... and %zu more account and region pairs: see unresolved.csv\n",
			"", n - WHERE_MAX);
	free(rows);
}

static void print_unattributed(FILE *fp, const struct run_totals *t)
{
	const struct counters *c = &t->all;
	if (!t->unattributed.invocations)
		return;
	fprintf(fp,
		LABEL "%" PRIu64 " of %" PRIu64 " invocations (%.1f%%), %.1f%% of tokens:"
		      " application profiles\n" LABEL
		      "missing from the manifests or without a model\n",
		"unattributed", t->unattributed.invocations, c->invocations,
		pct(t->unattributed.invocations, c->invocations),
		pct(token_sum(&t->unattributed), token_sum(c)), "");
	if (t->profiles_missing) {
		fprintf(fp,
			LABEL "%" PRIu64 " application profile%s in no manifest; export the"
			      " profiles (models)\n" LABEL
			      "and their tags, per account and region (the"
			      " export is per region):\n",
			"", t->profiles_missing, t->profiles_missing == 1 ? " is" : "s are", "");
		print_exports(fp, t->missing_where, true);
	}
	if (t->profiles_no_model) {
		fprintf(fp,
			LABEL "%" PRIu64 " application profile%s in a manifest without a model;"
			      " only the JSON of\n" LABEL "list-inference-profiles gives models:\n",
			"", t->profiles_no_model, t->profiles_no_model == 1 ? " is" : "s are", "");
		print_exports(fp, t->no_model_where, false);
	}
	fprintf(fp, LABEL "then pass every file with --manifest (CSV and JSON forms merge)\n", "");
}

/* Routes foundation-model and system-profile: calls that bypass the application profiles. */
static void print_direct(FILE *fp, const struct run_totals *t, const struct layout_plan *plan,
			 const struct tally *all)
{
	if (!t->direct.invocations)
		return;
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
	char cost[64];
	format_cost(&t->direct, false, cost);
	fprintf(fp,
		LABEL "%" PRIu64 " invocations (%.1f%%), %s%s, by %zu caller%s, not through an"
		      " application\n" LABEL
		      "profile (routes foundation-model and system-profile)\n",
		"direct calls", t->direct.invocations,
		pct(t->direct.invocations, t->all.invocations), strcmp(cost, "unpriced") ? "$" : "",
		cost, rollup_count(direct), rollup_count(direct) == 1 ? "" : "s", "");
	print_top(fp, "", direct, 0, 3);
	rollup_destroy(direct);
}

static void print_residency(FILE *fp, const struct run_totals *t)
{
	if (!t->all.invocations)
		return;
	fprintf(fp,
		LABEL "%" PRIu64 " invocation%s ran outside %s pool, %" PRIu64 " had no"
		      " inferenceRegion (see\n" LABEL "residency.csv)\n",
		"residency", t->out_of_pool, t->out_of_pool == 1 ? "" : "s",
		t->out_of_pool == 1 ? "its" : "their", t->no_inference_region, "");
	if (t->eu_outside)
		fprintf(fp,
			LABEL "%" PRIu64 " invocation%s from EU source regions on pools outside the"
			      " EU (%s):\n" LABEL "check them against your data-residency rules\n",
			"", t->eu_outside, t->eu_outside == 1 ? "" : "s", t->eu_pools, "");
}

/* The three largest flagged hours, in words. */
static void print_spikes(FILE *fp, const struct run_totals *t, const struct layout_plan *plan)
{
	const struct spikes *s = t->spikes;
	if (!s || !s->n)
		return;
	const struct plan_report *pr = &plan->reports[LAYOUT_SPIKES];
	int g = layout_group_column(plan, LAYOUT_SPIKES, 0);
	int caller = layout_column_of(plan, LAYOUT_SPIKES, FIELD_CALLER_KEY);
	int model = layout_column_of(plan, LAYOUT_SPIKES, FIELD_MODEL);
	fprintf(fp, LABEL "%zu expensive hour%s (see spikes.csv); the largest:\n", "spikes", s->n,
		s->n == 1 ? "" : "s");
	for (size_t i = 0; i < s->n && i < 3; i++) {
		const struct spike *sp = spikes_largest(s, i);
		char usd[48], ratio[48];
		money_format_usd(sp->c.cost, usd);
		fprintf(fp, LABEL "%.*s  $%s, ", "", (int)sp->key[pr->ncols - 1].n,
			sp->key[pr->ncols - 1].p, usd);
		if (spike_ratio_text(sp, ratio))
			fprintf(fp, "%sx its usual hour", ratio);
		else if (sp->has_baseline)
			fputs("its usual hour costs nothing", fp);
		else
			fputs("its only hour", fp);
		if (g >= 0) {
			fprintf(fp, ", %s ", pr->cols[g].header);
			put_value(fp, sp->key[g]);
		}
		fputs(", caller ", fp);
		put_value(fp, sp->key[caller]);
		fputs(", model ", fp);
		put_value(fp, sp->key[model]);
		fputc('\n', fp);
	}
}

static void put_usd(FILE *fp, struct decimal d)
{
	char text[DECIMAL_TEXT_MAX];
	decimal_format(d, 6, text);
	if (text[0] == '-')
		fprintf(fp, "-$%s", text + 1);
	else
		fprintf(fp, "$%s", text);
}

static double share(struct decimal part, struct decimal whole)
{
	return whole.v ? 100.0 * (double)part.v / (double)whole.v : 0.0;
}

/* SPEC §8: the reconciliation in one paragraph. */
static void print_reconcile(FILE *fp, const struct run_totals *t)
{
	if (!t->bill)
		return;
	const struct reconcile_totals *r = t->rec;
	const struct cur_counts *n = cur_bill_counts(t->bill);
	fprintf(fp, LABEL, "bill");
	put_usd(fp, r->billed);
	fprintf(fp,
		" of Bedrock usage billed over the days compared (%" PRIu64 " CUR row%s of %" PRIu64
		" file%s)\n",
		n->usage, n->usage == 1 ? "" : "s", n->files, n->files == 1 ? "" : "s");
	fprintf(fp, LABEL, "");
	put_usd(fp, r->billed_matched);
	fprintf(fp,
		" (%.1f%%) on %" PRIu64 " keys the logs have too: billed - logged = %" PRId64
		" tokens, ",
		share(r->billed_matched, r->billed), r->matched, r->token_diff_matched);
	put_usd(fp, r->usd_diff_matched);
	fprintf(fp, "%s\n", r->matched_unpriced ? " (keys without an estimate left out)" : "");
	if (r->ngaps) {
		fprintf(fp,
			LABEL "billed, and what the logs cannot show (reconcile.csv's notes):\n",
			"");
		for (size_t i = 0; i < r->ngaps; i++) {
			fprintf(fp, LABEL "  %-34s ", "", r->gaps[i].note);
			put_usd(fp, r->gaps[i].usd);
			fputc('\n', fp);
		}
	}
	if (!decimal_is_zero(r->not_billed)) {
		fprintf(fp, LABEL "logged but not billed: estimated ", "");
		put_usd(fp, r->not_billed);
		fputc('\n', fp);
	}
	size_t na = 0, nu = 0;
	const struct cur_adjustment *const *adj = cur_bill_adjustments(t->bill, &na);
	if (na) {
		fprintf(fp, LABEL "not usage (not in reconcile.csv):", "");
		for (size_t i = 0; i < na; i++) {
			fprintf(fp, "%s %.*s ", i ? "," : "", (int)adj[i]->type.n, adj[i]->type.p);
			put_usd(fp, adj[i]->usd);
		}
		fputc('\n', fp);
	}
	const struct cur_unknown_name *const *un = cur_bill_unknown_names(t->bill, &nu);
	if (nu) {
		fprintf(fp,
			LABEL
			"%zu billing name%s no table maps (add billing_name,model_id rows with"
			" --billing-names):",
			"", nu, nu == 1 ? "" : "s");
		for (size_t i = 0; i < nu && i < 5; i++) {
			fputs(i ? ", " : " ", fp);
			diag_put_escaped(fp, un[i]->name.p, un[i]->name.n);
		}
		fprintf(fp, "%s\n", nu > 5 ? ", ..." : "");
	}
	if (n->malformed)
		fprintf(fp,
			LABEL "%" PRIu64 " row%s of other services could not be read and were"
			      " skipped\n",
			"", n->malformed, n->malformed == 1 ? "" : "s");
}

void summary_print(FILE *fp, const struct run_totals *t, const struct layout_plan *plan,
		   const struct tally *all, const char *out_dir)
{
	print_inputs(fp, t);
	print_tokens(fp, t);
	print_cost(fp, t);
	print_unattributed(fp, t);
	if (t->all.invocations) {
		int g = layout_group_column(plan, LAYOUT_APP_DAY, 0);
		if (g >= 0) {
			char label[64];
			snprintf(label, sizeof label, "top %s",
				 plan->reports[LAYOUT_APP_DAY].cols[g].header);
			print_top(fp, label, all->tables[LAYOUT_APP_DAY], (size_t)g, TOP);
		}
		print_top(fp, "top callers", all->tables[LAYOUT_CALLER],
			  (size_t)layout_column_of(plan, LAYOUT_CALLER, FIELD_CALLER_KEY), TOP);
	}
	print_direct(fp, t, plan, all);
	print_residency(fp, t);
	print_spikes(fp, t, plan);
	print_reconcile(fp, t);
	budgets_print(fp, t->budgets);
	fprintf(fp, LABEL "%s/ (", "reports", out_dir);
	for (int id = 0; id < LAYOUT_COUNT; id++)
		if (plan->reports[id].active)
			fprintf(fp, "%s ", plan->reports[id].file);
	fputs("sources.csv rejects.csv)\n", fp);
}
