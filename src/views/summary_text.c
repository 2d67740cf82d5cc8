/*
 * summary_text.c - the summary as the few lines a person reads after a run,
 * section by section: formatting only, every number comes from struct
 * summary. Prose is wrapped to the terminal's width (prose.h); table rows
 * and commands to copy are written as they are.
 */
#include "ledger/views/summary.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ledger/price/modelid.h"
#include "ledger/support/diag.h"
#include "ledger/support/prose.h"
#include "ledger/views/budgets.h"
#include "ledger/support/xalloc.h"

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

static const char *plural(uint64_t n)
{
	return n == 1 ? "" : "s";
}

/*
 * "1.234567", "1.234567+" (and some unpriced records), or "unpriced" (all of
 * them); in a column (`column`), a priced value keeps a blank for the +.
 */
static void format_cost(struct prose *p, const struct counters *c, bool column, char out[80])
{
	if (c->unpriced_records && c->unpriced_records == c->invocations) {
		snprintf(out, 80, "unpriced%s", column ? " " : "");
		return;
	}
	snprintf(out, 80, "%s%s", prose_usd(p, c->cost),
		 c->unpriced_records ? "+"
		 : column	     ? " "
				     : "");
}

static void put_value(FILE *fp, struct str v)
{
	if (v.n)
		diag_put_escaped(fp, v.p, v.n);
	else
		fputs("(none)", fp);
}

/*
 * A top list: its label line, then a row per value: cost and invocations,
 * each right-aligned to the list's widest, then the value.
 */
static void print_top(struct prose *p, const char *label, const struct summary_top *top)
{
	prose_printf(p, label, "by cost in USD, invocations (+: and some unpriced records)");
	char cost[SUMMARY_TOP][80], count[SUMMARY_TOP][32];
	int wc = 0, wn = 0;
	for (size_t i = 0; i < top->n && i < SUMMARY_TOP; i++) {
		format_cost(p, &top->rows[i].c, true, cost[i]);
		snprintf(count[i], sizeof count[i], "%s",
			 prose_count(p, top->rows[i].c.invocations));
		wc = (int)strlen(cost[i]) > wc ? (int)strlen(cost[i]) : wc;
		wn = (int)strlen(count[i]) > wn ? (int)strlen(count[i]) : wn;
	}
	for (size_t i = 0; i < top->n && i < SUMMARY_TOP; i++) {
		fprintf(p->fp, "%-*s %*s %*s  ", PROSE_LABEL - 1, "", wc, cost[i], wn, count[i]);
		put_value(p->fp, top->rows[i].value);
		fputc('\n', p->fp);
	}
	if (top->total > top->n)
		prose_printf(p, "", "... and %s more", prose_count(p, top->total - top->n));
}

static void print_rejects(struct prose *p, const struct summary *t)
{
	if (!t->rejected)
		return;
	FILE *m = prose_begin(p);
	fprintf(m, "%s record%s: see %s/rejects.csv; ", prose_count(p, t->rejected),
		plural(t->rejected), t->out_dir);
	if (t->most_rejected == t->rejected)
		fputs("all in ", m);
	else
		fprintf(m, "the most, %s, in ", prose_count(p, t->most_rejected));
	put_value(m, t->most_rejected_path);
	prose_end(p, "rejected", 0);
}

static void print_inputs(struct prose *p, const struct summary *t)
{
	if (t->has_period) {
		char a[21], b[21];
		ts_format(t->first, a);
		ts_format(t->last, b);
		prose_printf(p, "period", "%s .. %s", a, b);
	} else {
		prose_printf(p, "period", "(no record counted)");
	}
	FILE *m = prose_begin(p);
	fprintf(m, "%s read, %s skipped, %s with errors", prose_count(p, t->objects_read),
		prose_count(p, t->objects_skipped), prose_count(p, t->objects_error));
	if (t->objects_pruned)
		fprintf(m, " (%s skipped as outside the time window)",
			prose_count(p, t->objects_pruned));
	prose_end(p, "objects", 0);
	if (t->state_line)
		prose_printf(p, "state", "%s", t->state_line);
	uint64_t dropped = t->dedupe ? t->duplicates : 0;
	m = prose_begin(p);
	fprintf(m, "%s read = %s counted + %s rejected + %s filtered", prose_count(p, t->records_read),
		prose_count(p, t->counted), prose_count(p, t->rejected), prose_count(p, t->filtered));
	if (t->dedupe)
		fprintf(m, " + %s duplicates", prose_count(p, t->duplicates));
	fputs(t->records_read == t->counted + t->rejected + t->filtered + dropped
		  ? ""
		  : "  (DOES NOT BALANCE)",
	      m);
	prose_end(p, "records", 0);
	if (t->duplicates && !t->dedupe)
		prose_printf(p, "duplicates",
			     "%s counted record%s a requestId counted before: counted twice?"
			     " --dedupe drops them",
			     prose_count(p, t->duplicates), t->duplicates == 1 ? " repeats" : "s repeat");
	print_rejects(p, t);
}

static void print_tokens(struct prose *p, const struct summary *t)
{
	const struct counters *c = &t->all;
	prose_printf(p, "invocations", "%s, %s with an error", prose_count(p, c->invocations),
		     prose_count(p, c->errors));
	prose_printf(
	    p, "tokens", "input %s, output %s, cache read %s, cache write %s (1-hour TTL %s)",
	    prose_count(p, c->tokens[TOKEN_INPUT]), prose_count(p, c->tokens[TOKEN_OUTPUT]),
	    prose_count(p, c->tokens[TOKEN_CACHE_READ]),
	    prose_count(p, c->tokens[TOKEN_CACHE_WRITE]),
	    prose_count(p, c->tokens[TOKEN_CACHE_WRITE_1H]));
	if (t->ignored_1h)
		prose_printf(
		    p, "",
		    "%s record%s a 1-hour cache-write count that is not a count from 0 to"
		    " its cache writes: ignored, all its writes priced at the 5-minute rate",
		    prose_count(p, t->ignored_1h), t->ignored_1h == 1 ? " has" : "s have");
}

/* The total, the price table and its age, the unpriced share. */
static void print_cost(struct prose *p, const struct summary *t)
{
	const struct counters *c = &t->all;
	prose_printf(p, "cost", "$%s%s", prose_usd(p, c->cost),
		     t->unpriced.invocations ? " for the priced records" : "");
	if (!t->prices_date)
		prose_printf(p, "prices", "%s", t->prices_name);
	else if (!t->prices_age_days)
		prose_printf(p, "prices", "built-in table of %s", t->prices_date);
	else
		prose_printf(p, "prices",
			     "built-in table of %s, %s day%s older than the newest record:"
			     " prices may have changed since (see --print-prices and --prices)",
			     t->prices_date, prose_count(p, (uint64_t)t->prices_age_days),
			     plural((uint64_t)t->prices_age_days));
	if (t->unpriced.invocations)
		prose_printf(p, "unpriced",
			     "%s of %s invocations (%.1f%%), %.1f%% of tokens: see unresolved.csv",
			     prose_count(p, t->unpriced.invocations),
			     prose_count(p, c->invocations),
			     pct(t->unpriced.invocations, c->invocations),
			     pct(token_sum(&t->unpriced), token_sum(c)));
}

/* The commands that export what a cause lacks, per account and region seen. */
static void print_exports(struct prose *p, const struct summary_causes *c, bool tags)
{
	for (size_t i = 0; i < c->nwhere; i++) {
		struct str a = c->where[i].account, r = c->where[i].region;
		FILE *m = prose_begin(p);
		fputs("with credentials for account ", m);
		diag_put_escaped(m, a.p, a.n);
		fputc(':', m);
		prose_end(p, "", 0);
		prose_command(p, "",
			      "aws bedrock list-inference-profiles --type-equals APPLICATION"
			      " --region %.*s > profiles-%.*s-%.*s.json",
			      (int)r.n, r.p, (int)a.n, a.p, (int)r.n, r.p);
		if (tags)
			prose_command(
			    p, "",
			    "aws resourcegroupstaggingapi get-resources"
			    " --resource-type-filters bedrock:application-inference-profile"
			    " --region %.*s > tags-%.*s-%.*s.json",
			    (int)r.n, r.p, (int)a.n, a.p, (int)r.n, r.p);
	}
	if (c->total_where > c->nwhere)
		prose_printf(p, "", "... and %zu more account and region pairs: see unresolved.csv",
			     c->total_where - c->nwhere);
}

static void print_unattributed(struct prose *p, const struct summary *t)
{
	const struct counters *c = &t->all;
	if (!t->unattributed.invocations)
		return;
	prose_printf(p, "unattributed",
		     "%s of %s invocations (%.1f%%), %.1f%% of tokens: application profiles"
		     " missing from the manifests or without a model",
		     prose_count(p, t->unattributed.invocations), prose_count(p, c->invocations),
		     pct(t->unattributed.invocations, c->invocations),
		     pct(token_sum(&t->unattributed), token_sum(c)));
	if (t->missing.profiles) {
		prose_printf(p, "",
			     "%s application profile%s in no manifest; export the profiles"
			     " (models) and their tags, per account and region (the export is per"
			     " region):",
			     prose_count(p, t->missing.profiles),
			     t->missing.profiles == 1 ? " is" : "s are");
		print_exports(p, &t->missing, true);
	}
	if (t->no_model.profiles) {
		prose_printf(p, "",
			     "%s application profile%s in a manifest without a model; only the"
			     " JSON of list-inference-profiles gives models:",
			     prose_count(p, t->no_model.profiles),
			     t->no_model.profiles == 1 ? " is" : "s are");
		print_exports(p, &t->no_model, false);
	}
	prose_printf(p, "", "then pass every file with --manifest (CSV and JSON forms merge)");
}

/* Routes foundation-model and system-profile: calls that bypass the application profiles. */
static void print_direct(struct prose *p, const struct summary *t)
{
	if (!t->direct.invocations)
		return;
	char cost[80];
	format_cost(p, &t->direct, false, cost);
	prose_printf(p, "direct calls",
		     "%s invocations (%.1f%%), %s%s, by %s caller%s, not through an application"
		     " profile (routes foundation-model and system-profile)",
		     prose_count(p, t->direct.invocations),
		     pct(t->direct.invocations, t->all.invocations),
		     strcmp(cost, "unpriced") ? "$" : "", cost, prose_count(p, t->top_direct.total),
		     plural(t->top_direct.total));
	print_top(p, "", &t->top_direct);
}

static void print_residency(struct prose *p, const struct summary *t)
{
	if (!t->all.invocations)
		return;
	prose_printf(p, "residency",
		     "%s invocation%s ran outside %s pool, %s had no inferenceRegion (see"
		     " residency.csv)",
		     prose_count(p, t->out_of_pool), plural(t->out_of_pool),
		     t->out_of_pool == 1 ? "its" : "their", prose_count(p, t->no_inference_region));
	if (t->eu_source)
		prose_printf(p, "",
			     "%s of %s invocation%s from eu-* source regions ran outside eu-*"
			     " regions",
			     prose_count(p, t->eu_left), prose_count(p, t->eu_source),
			     plural(t->eu_source));
	if (!t->eu_outside)
		return;
	FILE *m = prose_begin(p);
	fprintf(m, "%s invocation%s from EU source regions on pools outside the EU (",
		prose_count(p, t->eu_outside), plural(t->eu_outside));
	for (size_t i = 0; i < t->neu_pools; i++)
		fprintf(m, "%s%.*s", i ? ", " : "", (int)t->eu_pools[i].n, t->eu_pools[i].p);
	fputs("): check them against your data-residency rules", m);
	prose_end(p, "", 0);
}

/* The largest flagged hours, in words. */
static void print_spikes(struct prose *p, const struct summary *t)
{
	if (!t->nspikes)
		return;
	prose_printf(p, "spikes", "%zu expensive hour%s (see spikes.csv); the largest:", t->nspikes,
		     plural(t->nspikes));
	for (size_t i = 0; i < t->nlargest; i++) {
		const struct summary_spike *sp = &t->spikes[i];
		FILE *m = prose_begin(p);
		fprintf(m, "%.*s  $%s, ", (int)sp->hour.n, sp->hour.p, prose_usd(p, sp->cost));
		if (sp->has_ratio)
			fprintf(m, "%sx its usual hour", sp->ratio);
		else if (sp->has_baseline)
			fputs("its usual hour costs nothing", m);
		else
			fputs("its only hour", m);
		if (t->spike_group) {
			fprintf(m, ", %s ", t->spike_group);
			put_value(m, sp->group);
		}
		if (t->spike_who) {
			fprintf(m, ", %s ", t->spike_who);
			put_value(m, sp->who);
		}
		fputs(", model ", m);
		put_value(m, sp->model);
		prose_end(p, "", 2);
	}
}


/* "$1,234.500000" or "-$3.000000" */

/*
 * bedrock-ledger(1), RECONCILIATION: the reconciliation's paragraph, in
 * reconcile_text.c's words, each line wrapped here as the rest of the
 * summary is (a list item, indented, is kept on its line).
 */
static void print_reconcile(struct prose *p, const struct summary *t)
{
	if (!t->bill)
		return;
	char *buf = NULL;
	size_t n = 0;
	FILE *m = open_memstream(&buf, &n);
	if (!m)
		return;
	reconcile_summary_print(m, t->rec, t->bill, PROSE_LABEL);
	fclose(m);
	bool first = true;
	for (char *line = buf, *end; line && *line; line = end ? end + 1 : NULL) {
		end = strchr(line, '\n');
		if (end)
			*end = '\0';
		char label[PROSE_LABEL + 1];
		size_t k = strlen(line) < PROSE_LABEL ? strlen(line) : PROSE_LABEL;
		memcpy(label, line, k);
		while (k && label[k - 1] == ' ')
			k--;
		label[k] = '\0';
		const char *text = strlen(line) > PROSE_LABEL ? line + PROSE_LABEL : "";
		if (text[0] == ' ' && text[1] == ' ')
			prose_raw(p, label, "%s", text);
		else
			prose_printf(p, label, "%s", text);
		if (first && t->tz_name)
			prose_printf(p, "",
				     "(reconcile.csv compares UTC days, as the bill counts them, not"
				     " days of --tz %s)",
				     t->tz_name);
		first = false;
	}
	free(buf);
}

void summary_print(FILE *fp, const struct summary *t)
{
	struct prose p;
	prose_init(&p, fp, prose_terminal_width(fileno(fp)));
	print_inputs(&p, t);
	print_tokens(&p, t);
	print_cost(&p, t);
	print_unattributed(&p, t);
	if (t->all.invocations) {
		if (t->group_header) {
			char label[64];
			snprintf(label, sizeof label, "top %s", t->group_header);
			print_top(&p, label, &t->top_group);
		}
		print_top(&p, t->top_models.label, &t->top_models);
		print_top(&p, t->top_callers.label, &t->top_callers);
	}
	print_direct(&p, t);
	print_residency(&p, t);
	print_spikes(&p, t);
	print_reconcile(&p, t);
	budgets_print(&p, t->budgets);
	FILE *m = prose_begin(&p);
	fprintf(m, "%s/ (", t->out_dir);
	for (size_t i = 0; i < t->nreports; i++)
		fprintf(m, "%s%s", t->reports[i], i + 1 < t->nreports ? " " : "");
	fputs(")", m);
	prose_end(&p, "reports", 0);
	prose_finish(&p);
}
