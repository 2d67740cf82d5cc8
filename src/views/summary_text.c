/*
 * summary_text.c - the summary as the few lines a person reads after a run,
 * section by section: formatting only, every number comes from struct summary.
 */
#include "ledger/views/summary.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/support/diag.h"
#include "ledger/price/modelid.h"
#include "ledger/views/budgets.h"
#include "ledger/support/xalloc.h"

/* A label column of 13: the label, and at least one space. */
#define LABEL "%-12s "

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

/* A top list: its label line, then a line per value. */
static void print_top(FILE *fp, const char *label, const struct summary_top *top)
{
	fprintf(fp, LABEL "by cost in USD (+: and some unpriced records)\n", label);
	for (size_t i = 0; i < top->n; i++) {
		char cost[64];
		format_cost(&top->rows[i].c, true, cost);
		fprintf(fp, LABEL "%13s %9" PRIu64 " invocations  ", "", cost,
			top->rows[i].c.invocations);
		put_value(fp, top->rows[i].value);
		fputc('\n', fp);
	}
	if (top->total > top->n)
		fprintf(fp, LABEL "... and %zu more\n", "", top->total - top->n);
}

static void print_inputs(FILE *fp, const struct summary *t)
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

static void print_tokens(FILE *fp, const struct summary *t)
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

static void print_cost(FILE *fp, const struct summary *t)
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
static void print_exports(FILE *fp, const struct summary_causes *c, bool tags)
{
	for (size_t i = 0; i < c->nwhere; i++) {
		struct str a = c->where[i].account, r = c->where[i].region;
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
	if (c->total_where > c->nwhere)
		fprintf(fp, LABEL "... and %zu more account and region pairs: see unresolved.csv\n",
			"", c->total_where - c->nwhere);
}

static void print_unattributed(FILE *fp, const struct summary *t)
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
	if (t->missing.profiles) {
		fprintf(fp,
			LABEL "%" PRIu64 " application profile%s in no manifest; export the"
			      " profiles (models)\n" LABEL
			      "and their tags, per account and region (the"
			      " export is per region):\n",
			"", t->missing.profiles, t->missing.profiles == 1 ? " is" : "s are", "");
		print_exports(fp, &t->missing, true);
	}
	if (t->no_model.profiles) {
		fprintf(fp,
			LABEL "%" PRIu64 " application profile%s in a manifest without a model;"
			      " only the JSON of\n" LABEL "list-inference-profiles gives models:\n",
			"", t->no_model.profiles, t->no_model.profiles == 1 ? " is" : "s are", "");
		print_exports(fp, &t->no_model, false);
	}
	fprintf(fp, LABEL "then pass every file with --manifest (CSV and JSON forms merge)\n", "");
}

/* Routes foundation-model and system-profile: calls that bypass the application profiles. */
static void print_direct(FILE *fp, const struct summary *t)
{
	if (!t->direct.invocations)
		return;
	char cost[64];
	format_cost(&t->direct, false, cost);
	fprintf(fp,
		LABEL "%" PRIu64 " invocations (%.1f%%), %s%s, by %zu caller%s, not through an"
		      " application\n" LABEL
		      "profile (routes foundation-model and system-profile)\n",
		"direct calls", t->direct.invocations,
		pct(t->direct.invocations, t->all.invocations), strcmp(cost, "unpriced") ? "$" : "",
		cost, t->top_direct.total, t->top_direct.total == 1 ? "" : "s", "");
	print_top(fp, "", &t->top_direct);
}

static void print_residency(FILE *fp, const struct summary *t)
{
	if (!t->all.invocations)
		return;
	fprintf(fp,
		LABEL "%" PRIu64 " invocation%s ran outside %s pool, %" PRIu64 " had no"
		      " inferenceRegion (see\n" LABEL "residency.csv)\n",
		"residency", t->out_of_pool, t->out_of_pool == 1 ? "" : "s",
		t->out_of_pool == 1 ? "its" : "their", t->no_inference_region, "");
	if (!t->eu_outside)
		return;
	fprintf(fp, LABEL "%" PRIu64 " invocation%s from EU source regions on pools outside the EU (",
		"", t->eu_outside, t->eu_outside == 1 ? "" : "s");
	for (size_t i = 0; i < t->neu_pools; i++)
		fprintf(fp, "%s%.*s", i ? ", " : "", (int)t->eu_pools[i].n, t->eu_pools[i].p);
	fprintf(fp, "):\n" LABEL "check them against your data-residency rules\n", "");
}

/* The largest flagged hours, in words. */
static void print_spikes(FILE *fp, const struct summary *t)
{
	if (!t->nspikes)
		return;
	fprintf(fp, LABEL "%zu expensive hour%s (see spikes.csv); the largest:\n", "spikes",
		t->nspikes, t->nspikes == 1 ? "" : "s");
	for (size_t i = 0; i < t->nlargest; i++) {
		const struct summary_spike *sp = &t->spikes[i];
		char usd[48];
		money_format_usd(sp->cost, usd);
		fprintf(fp, LABEL "%.*s  $%s, ", "", (int)sp->hour.n, sp->hour.p, usd);
		if (sp->has_ratio)
			fprintf(fp, "%sx its usual hour", sp->ratio);
		else if (sp->has_baseline)
			fputs("its usual hour costs nothing", fp);
		else
			fputs("its only hour", fp);
		if (t->spike_group) {
			fprintf(fp, ", %s ", t->spike_group);
			put_value(fp, sp->group);
		}
		fputs(", caller ", fp);
		put_value(fp, sp->caller);
		fputs(", model ", fp);
		put_value(fp, sp->model);
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
static void print_reconcile(FILE *fp, const struct summary *t)
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

void summary_print(FILE *fp, const struct summary *t)
{
	print_inputs(fp, t);
	print_tokens(fp, t);
	print_cost(fp, t);
	print_unattributed(fp, t);
	if (t->all.invocations) {
		if (t->group_header) {
			char label[64];
			snprintf(label, sizeof label, "top %s", t->group_header);
			print_top(fp, label, &t->top_group);
		}
		print_top(fp, t->top_callers.label, &t->top_callers);
	}
	print_direct(fp, t);
	print_residency(fp, t);
	print_spikes(fp, t);
	print_reconcile(fp, t);
	budgets_print(fp, t->budgets);
	fprintf(fp, LABEL "%s/ (", "reports", t->out_dir);
	for (size_t i = 0; i < t->nreports; i++)
		fprintf(fp, "%s%s", t->reports[i], i + 1 < t->nreports ? " " : "");
	fputs(")\n", fp);
}
