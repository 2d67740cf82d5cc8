/*
 * summary.c - the few lines a person reads after a run.
 */
#include "ledger/summary.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/diag.h"
#include "ledger/xalloc.h"

#define TOP 5

static int by_cost_desc(const void *a, const void *b)
{
	const struct rollup_row *x = a, *y = b;
	if (x->c->cost != y->c->cost)
		return x->c->cost < y->c->cost ? 1 : -1;
	return str_cmp(x->key[0], y->key[0]);
}

static uint64_t token_sum(const struct counters *c)
{
	uint64_t s = 0;
	for (int k = 0; k < TOKEN_KINDS; k++)
		s += c->tokens[k];
	return s;
}

#define LABEL "%-13s"

/* Sums src rows by one key field into a 1-field table and prints the top rows by cost. */
static void print_top(FILE *fp, const char *label, const struct rollup *src, size_t field)
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
	for (size_t i = 0; i < n && i < TOP; i++) {
		char usd[48];
		money_format_usd(rows[i].c->cost, usd);
		fprintf(fp, LABEL "%12s%s %9" PRIu64 " invocations  ", "", usd,
			rows[i].c->unpriced ? "+" : " ", rows[i].c->invocations);
		if (rows[i].key[0].n)
			diag_put_escaped(fp, rows[i].key[0].p, rows[i].key[0].n);
		else
			fputs("(none)", fp);
		fputc('\n', fp);
	}
	if (n > TOP)
		fprintf(fp, LABEL "... and %zu more\n", "", n - TOP);
	free(rows);
	rollup_destroy(by);
}

static double pct(uint64_t part, uint64_t whole)
{
	return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

void summary_totals(struct run_totals *t, const struct layout_plan *plan, const struct tally *all)
{
	const struct rollup *caller = all->tables[LAYOUT_CALLER];
	struct rollup_row *rows = rollup_sorted(caller);
	for (size_t i = 0; i < rollup_count(caller); i++)
		counters_merge(&t->all, rows[i].c);
	free(rows);
	t->has_period = t->all.seen;
	t->first = t->all.first;
	t->last = t->all.last;

	const struct rollup *unresolved = all->tables[LAYOUT_UNRESOLVED];
	int col = layout_column_of(plan, LAYOUT_UNRESOLVED, FIELD_PROBLEM);
	struct str missing = str_from(problem_name(PROBLEM_NOT_IN_MANIFEST));
	struct str no_model = str_from(problem_name(PROBLEM_NO_MODEL));
	rows = rollup_sorted(unresolved);
	for (size_t i = 0; i < rollup_count(unresolved); i++) {
		counters_merge(&t->unpriced, rows[i].c);
		struct str p = rows[i].key[col];
		if (str_eq(p, missing) || str_eq(p, no_model))
			counters_merge(&t->unattributed, rows[i].c);
		if (str_eq(p, missing))
			t->profiles_missing++;
	}
	free(rows);
}

void summary_print(FILE *fp, const struct run_totals *t, const struct layout_plan *plan,
		   const struct tally *all, const char *out_dir)
{
	if (t->has_period) {
		char a[21], b[21];
		ts_format(t->first, a);
		ts_format(t->last, b);
		fprintf(fp, LABEL "%s .. %s\n", "period", a, b);
	} else {
		fprintf(fp, LABEL "(no record counted)\n", "period");
	}
	fprintf(fp, LABEL "%" PRIu64 " read, %" PRIu64 " skipped, %" PRIu64 " with errors", "objects",
		t->objects_read, t->objects_skipped, t->objects_error);
	if (t->objects_pruned)
		fprintf(fp, " (%" PRIu64 " skipped as outside the time window)", t->objects_pruned);
	fputc('\n', fp);
	fprintf(fp, LABEL "%" PRIu64 " read = %" PRIu64 " counted + %" PRIu64 " rejected + %" PRIu64
		    " filtered%s\n", "records",
		t->records_read, t->counted, t->rejected, t->filtered,
		t->records_read == t->counted + t->rejected + t->filtered ? "" : "  (DOES NOT BALANCE)");
	const struct counters *c = &t->all;
	fprintf(fp, LABEL "%" PRIu64 ", %" PRIu64 " with an error\n", "invocations", c->invocations,
		c->errors);
	fprintf(fp, LABEL "input %" PRIu64 ", output %" PRIu64 ", cache read %" PRIu64
		    ", cache write %" PRIu64 "\n", "tokens",
		c->tokens[TOKEN_INPUT], c->tokens[TOKEN_OUTPUT], c->tokens[TOKEN_CACHE_READ],
		c->tokens[TOKEN_CACHE_WRITE]);
	char usd[48];
	money_format_usd(c->cost, usd);
	fprintf(fp, LABEL "$%s%s (prices: %s)\n", "cost", usd,
		t->unpriced.invocations ? " for the priced records" : "", t->prices_name);
	if (t->unpriced.invocations)
		fprintf(fp, LABEL "%" PRIu64 " of %" PRIu64 " invocations (%.1f%%), %.1f%% of tokens:"
			    " see unresolved.csv\n", "unpriced",
			t->unpriced.invocations, c->invocations, pct(t->unpriced.invocations, c->invocations),
			pct(token_sum(&t->unpriced), token_sum(c)));
	if (t->unattributed.invocations)
		fprintf(fp, LABEL "%" PRIu64 " of %" PRIu64 " invocations (%.1f%%), %.1f%% of tokens:"
			    " application profiles\n" LABEL "missing from the manifests or without a model\n",
			"unattributed", t->unattributed.invocations, c->invocations,
			pct(t->unattributed.invocations, c->invocations),
			pct(token_sum(&t->unattributed), token_sum(c)), "");
	if (t->profiles_missing)
		fprintf(fp, LABEL "%" PRIu64 " application profile%s in no manifest; export them with\n"
			    LABEL "  aws bedrock list-inference-profiles --type-equals APPLICATION > profiles.json\n"
			    LABEL "  aws resourcegroupstaggingapi get-resources --resource-type-filters"
			    " bedrock:application-inference-profile > tags.json\n"
			    LABEL "and pass both with --manifest profiles.json --manifest tags.json\n",
			"", t->profiles_missing, t->profiles_missing == 1 ? " is" : "s are", "", "", "");
	if (c->invocations) {
		int g = layout_group_column(plan, LAYOUT_APP_DAY, 0);
		if (g >= 0) {
			char label[64];
			snprintf(label, sizeof label, "top %s", plan->reports[LAYOUT_APP_DAY].cols[g].header);
			print_top(fp, label, all->tables[LAYOUT_APP_DAY], (size_t)g);
		}
		print_top(fp, "top callers", all->tables[LAYOUT_CALLER],
			  (size_t)layout_column_of(plan, LAYOUT_CALLER, FIELD_CALLER_KEY));
	}
	fprintf(fp, LABEL "%s/ (", "reports", out_dir);
	for (int id = 0; id < LAYOUT_COUNT; id++)
		fprintf(fp, "%s ", plan->reports[id].file);
	fputs("sources.csv rejects.csv)\n", fp);
}
