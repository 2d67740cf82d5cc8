/*
 * html_more.c - report.html's other panels: direct calls, residency, cache,
 * the bill, coverage, and what to fix.
 */
#include <stdlib.h>
#include <string.h>

#include "html_page.h"
#include "ledger/bill/reconcile.h"
#include "ledger/support/decimal.h"
#include "ledger/support/escape.h"
#include "ledger/support/xalloc.h"
#include "ledger/views/svg.h"

#define COVERAGE_DAYS 31
#define COVERAGE_PAIRS 40 /* account and region rows, the most records first */

static void bars_of(struct page *p, const struct page_group *pg, const char *aria, bool calls)
{
	size_t n = pg->n < PAGE_TOP ? pg->n : PAGE_TOP;
	struct str *labels = xcalloc(n + 1, sizeof *labels);
	double *v = xcalloc(n + 1, sizeof *v);
	for (size_t i = 0; i < n; i++) {
		labels[i] = pg->rows[i].key[0];
		v[i] = calls ? (double)pg->rows[i].c->invocations
			     : page_usd_double(pg->rows[i].c->cost);
	}
	svg_bars(p->fp, aria, labels, v, n);
	free(labels);
	free(v);
}

void page_direct(struct page *p)
{
	FILE *fp = p->fp;
	const struct rollup *caller = p->all->tables[LAYOUT_CALLER];
	int route_col = layout_column_of(p->plan, LAYOUT_CALLER, FIELD_ROUTE);
	int caller_col = layout_column_of(p->plan, LAYOUT_CALLER, FIELD_CALLER_KEY);
	struct str fm = str_from(route_name(ROUTE_FOUNDATION_MODEL));
	struct str sp = str_from(route_name(ROUTE_SYSTEM_PROFILE));
	struct rollup *direct = rollup_create(1);
	size_t pos = 0;
	for (struct rollup_row row; rollup_each(caller, &pos, &row);)
		if (str_eq(row.key[route_col], fm) || str_eq(row.key[route_col], sp))
			counters_merge(rollup_get(direct, &row.key[caller_col]), row.c);
	int f0 = 0;
	struct page_group pg;
	page_group(&pg, direct, &f0, 1, false);
	const struct counters *d = &p->t->direct;
	page_panel_open(p, "direct", "Direct calls, not through an application profile");
	fputs("<p class=\"answer\">", fp);
	page_u64(fp, d->invocations);
	fputs(" invocations (", fp);
	page_pct(fp, d->invocations, p->t->all.invocations);
	fputs(") went straight to a model or a system profile, ", fp);
	page_cost(fp, d);
	fprintf(fp, ", by %zu caller%s", pg.n, pg.n == 1 ? "" : "s");
	if (pg.n) {
		fputs("; the most: ", fp);
		page_value(fp, pg.rows[0].key[0]);
	}
	fputs(".</p>\n", fp);
	if (pg.n) {
		bars_of(p, &pg, "direct calls: cost by caller", false);
		page_table_open(p, "sum", "caller.csv", "direct calls by caller");
		const char *names[] = { "caller", "invocations", "cost_usd" };
		page_thead(fp, names, 3);
		fputs("<tbody>", fp);
		for (size_t i = 0; i < pg.n && i < PAGE_TOP; i++) {
			fputs("<tr data-where=\"{&quot;caller&quot;:", fp);
			page_json(fp, pg.rows[i].key[0]);
			fputs(",&quot;route&quot;:[&quot;foundation-model&quot;,"
			      "&quot;system-profile&quot;]}\">",
			      fp);
			page_td_key(fp, "caller", pg.rows[i].key[0]);
			page_td_u64(fp, "invocations", pg.rows[i].c->invocations);
			page_td_cost(fp, "cost_usd", pg.rows[i].c);
			fputs("</tr>\n", fp);
		}
		page_others_row(fp, &pg, PAGE_TOP);
		fputs("</tbody>", fp);
		page_table_close(p);
	}
	page_group_finish(&pg);
	rollup_destroy(direct);
	page_panel_close(p);
}

/* A region's geography: its first dash-separated part; us-gov for us-gov-*. */
static struct str geography(struct str region)
{
	if (str_starts(region, "us-gov-"))
		return STR_LIT("us-gov");
	const char *dash = region.n ? memchr(region.p, '-', region.n) : NULL;
	return dash ? (struct str){ region.p, (size_t)(dash - region.p) } : region;
}

static void residency_pools(struct page *p, const struct rollup *res)
{
	FILE *fp = p->fp;
	int f[2] = { layout_column_of(p->plan, LAYOUT_RESIDENCY, FIELD_POOL),
		     layout_column_of(p->plan, LAYOUT_RESIDENCY, FIELD_IN_POOL) };
	struct page_group pg;
	page_group(&pg, res, f, 2, true);
	page_table_open(p, "sum", "residency.csv", "by pool");
	const char *names[] = { "pool", "in_pool", "invocations" };
	page_thead(fp, names, 3);
	fputs("<tbody>", fp);
	for (size_t i = 0; i < pg.n; i++) {
		page_tr_where(fp, names, pg.rows[i].key, 2);
		page_td_key(fp, "pool", pg.rows[i].key[0]);
		page_td_key(fp, "in_pool", pg.rows[i].key[1]);
		page_td_u64(fp, "invocations", pg.rows[i].c->invocations);
		fputs("</tr>\n", fp);
	}
	fputs("</tbody>", fp);
	page_table_close(p);
	page_group_finish(&pg);
}

/* Invocations by (source geography, inference geography, same); *eu_out: from eu-* run elsewhere. */
static struct rollup *geographies(struct page *p, const struct rollup *res, uint64_t *eu_out)
{
	int rc = layout_column_of(p->plan, LAYOUT_RESIDENCY, FIELD_REGION);
	int ic = layout_column_of(p->plan, LAYOUT_RESIDENCY, FIELD_INFERENCE_REGION);
	struct rollup *geo = rollup_create(3);
	*eu_out = 0;
	size_t pos = 0;
	for (struct rollup_row row; rollup_each(res, &pos, &row);) {
		struct str k[3] = { geography(row.key[rc]), geography(row.key[ic]) };
		k[2] = !k[0].n || !k[1].n ? STR_LIT("unknown")
		       : str_eq(k[0], k[1]) ? STR_LIT("yes")
					    : STR_LIT("no");
		if (str_eq(k[0], STR_LIT("eu")) && str_eq(k[2], STR_LIT("no")))
			*eu_out += row.c->invocations;
		counters_merge(rollup_get(geo, k), row.c);
	}
	return geo;
}

static void geography_table(struct page *p, const struct rollup *geo)
{
	FILE *fp = p->fp;
	struct rollup_row *rows = rollup_sorted(geo);
	fputs("<div class=\"scroll\"><table><caption>by geography (a region's first part)"
	      "</caption>",
	      fp);
	const char *names[] = { "source", "inference", "same geography", "invocations" };
	page_thead(fp, names, 4);
	fputs("<tbody>", fp);
	for (size_t i = 0; i < rollup_count(geo); i++) {
		fputs("<tr>", fp);
		for (int k = 0; k < 3; k++) {
			fputs("<td>", fp);
			page_value(fp, rows[i].key[k]);
			fputs("</td>", fp);
		}
		page_td_u64(fp, "invocations", rows[i].c->invocations);
		fputs("</tr>\n", fp);
	}
	fputs("</tbody></table></div>\n", fp);
	free(rows);
}

void page_residency(struct page *p)
{
	FILE *fp = p->fp;
	const struct rollup *res = p->all->tables[LAYOUT_RESIDENCY];
	const struct summary *t = p->t;
	uint64_t eu_out;
	struct rollup *geo = geographies(p, res, &eu_out);
	page_panel_open(p, "residency", "Where the calls ran");
	fputs("<p class=\"answer\">", fp);
	page_u64(fp, t->out_of_pool);
	fputs(" invocations ran outside their model's pool, ", fp);
	page_u64(fp, t->no_inference_region);
	fputs(" had no inferenceRegion; ", fp);
	page_u64(fp, eu_out);
	fputs(" from EU source regions ran outside the EU.</p>\n<div class=\"pair\"><div>", fp);
	residency_pools(p, res);
	fputs("</div><div>", fp);
	geography_table(p, geo);
	fputs("</div></div>\n", fp);
	rollup_destroy(geo);
	page_panel_close(p);
}

/* cache.csv summed by model, largest net saving first. */
static void cache_by_model(struct sums *by, struct sums_entry **out, size_t *n,
			   const struct views *v)
{
	struct sums_entry *rows = sums_sorted(v->cache);
	size_t ng = v->cache_groups.n;
	for (size_t i = 0; i < sums_count(v->cache); i++)
		sums_row_add(sums_get(by, &rows[i].key[ng]), rows[i].row);
	free(rows);
	*n = sums_count(by);
	*out = sums_sorted(by);
	for (size_t i = 1; i < *n; i++) { /* stable: ties keep model order */
		struct sums_entry e = (*out)[i];
		sums_usd_t net = e.row->usd[0] - e.row->usd[1];
		size_t j = i;
		for (; j > 0 && (*out)[j - 1].row->usd[0] - (*out)[j - 1].row->usd[1] < net; j--)
			(*out)[j] = (*out)[j - 1];
		(*out)[j] = e;
	}
}

void page_cache(struct page *p)
{
	FILE *fp = p->fp;
	struct sums *by = sums_create(1);
	struct sums_entry *rows;
	size_t n;
	cache_by_model(by, &rows, &n, &p->all->views);
	struct sums_row total = { 0 };
	for (size_t i = 0; i < n; i++)
		sums_row_add(&total, rows[i].row);
	page_panel_open(p, "cache", "Prompt caching");
	fputs("<p class=\"answer\">", fp);
	if (total.tokens[TOKEN_CACHE_READ] || total.tokens[TOKEN_CACHE_WRITE]) {
		fputs("Prompt caching saved ", fp);
		page_susd(fp, total.usd[CACHE_READ_SAVING] - total.usd[CACHE_WRITE_PREMIUM]);
		fputs(" net: cache reads saved ", fp);
		page_susd(fp, total.usd[CACHE_READ_SAVING]);
		fputs(" against the input price, cache writes cost ", fp);
		page_susd(fp, total.usd[CACHE_WRITE_PREMIUM]);
		fputs(" more than input.", fp);
	} else {
		fputs("No priced invocation read or wrote the prompt cache.", fp);
	}
	fputs("</p>\n", fp);
	size_t shown = n < PAGE_TOP ? n : PAGE_TOP;
	struct str *labels = xcalloc(shown + 1, sizeof *labels);
	double *v = xcalloc(shown + 1, sizeof *v);
	for (size_t i = 0; i < shown; i++) {
		sums_usd_t net = rows[i].row->usd[0] - rows[i].row->usd[1];
		labels[i] = rows[i].key[0];
		v[i] = net > 0 ? page_usd_double((money_t)net) : 0;
	}
	if (total.tokens[TOKEN_CACHE_READ] || total.tokens[TOKEN_CACHE_WRITE])
		svg_bars(fp, "net saving of prompt caching by model", labels, v, shown);
	free(labels);
	free(v);
	page_table_open(p, "sum", "cache.csv", "by model (cache.csv summed)");
	const char *names[] = { "model", "invocations", "cache_read_tokens", "cache_write_tokens",
				"cache_write_1h_tokens", "read_saving_usd", "write_premium_usd",
				"net_saving_usd" };
	page_thead(fp, names, 8);
	fputs("<tbody>", fp);
	for (size_t i = 0; i < shown; i++) {
		const struct sums_row *r = rows[i].row;
		page_tr_where(fp, names, rows[i].key, 1);
		page_td_key(fp, "model", rows[i].key[0]);
		page_td_u64(fp, "invocations", r->count[0]);
		page_td_u64(fp, "cache_read_tokens", r->tokens[TOKEN_CACHE_READ]);
		page_td_u64(fp, "cache_write_tokens", r->tokens[TOKEN_CACHE_WRITE]);
		page_td_u64(fp, "cache_write_1h_tokens", r->tokens[TOKEN_CACHE_WRITE_1H]);
		page_td_susd(fp, "read_saving_usd", r->usd[CACHE_READ_SAVING]);
		page_td_susd(fp, "write_premium_usd", r->usd[CACHE_WRITE_PREMIUM]);
		page_td_susd(fp, "net_saving_usd", r->usd[0] - r->usd[1]);
		fputs("</tr>\n", fp);
	}
	if (n > shown)
		fprintf(fp, "<tr class=\"others\"><td colspan=\"8\">%zu more models in cache.csv"
			"</td></tr>\n", n - shown);
	fputs("</tbody>", fp);
	page_table_close(p);
	free(rows);
	sums_destroy(by);
	page_panel_close(p);
}

static double dec_double(struct decimal d)
{
	return (double)d.v / 1e18;
}

static void put_dec(FILE *fp, struct decimal d)
{
	char text[DECIMAL_TEXT_MAX];
	decimal_format(d, 6, text);
	if (text[0] == '-')
		fprintf(fp, "-$%s", text + 1);
	else
		fprintf(fp, "$%s", text);
}

/* The bill: from the estimate of what was logged to what was billed, step by step. */
void page_reconcile(struct page *p)
{
	FILE *fp = p->fp;
	const struct reconcile_totals *r = p->t->rec;
	page_panel_open(p, "bill", "The bill");
	fputs("<p class=\"answer\">The bill shows ", fp);
	put_dec(fp, r->billed);
	fputs(" of Bedrock usage over the days compared; ", fp);
	put_dec(fp, r->billed_matched);
	fprintf(fp, " (%.1f%%) on keys the logs have too, where billed minus estimated is ",
		r->billed.v ? 100.0 * (double)r->billed_matched.v / (double)r->billed.v : 0.0);
	put_dec(fp, r->usd_diff_matched);
	fputs(".</p>\n", fp);
	size_t n = 0, cap = r->ngaps + 4;
	struct str *labels = xcalloc(cap, sizeof *labels);
	struct decimal *d = xcalloc(cap, sizeof *d);
	bool *total = xcalloc(cap, sizeof *total);
	struct decimal logged = r->billed_matched;
	decimal_sub(logged, r->usd_diff_matched, &logged);
	decimal_add(&logged, r->not_billed);
	labels[n] = STR_LIT("logged (estimate)");
	total[n] = true;
	d[n++] = logged;
	labels[n] = STR_LIT("not billed");
	decimal_sub(DECIMAL_ZERO, r->not_billed, &d[n++]);
	labels[n] = STR_LIT("difference on matched keys");
	d[n++] = r->usd_diff_matched;
	for (size_t i = 0; i < r->ngaps; i++) {
		labels[n] = str_from(r->gaps[i].note);
		d[n++] = r->gaps[i].usd;
	}
	labels[n] = STR_LIT("billed");
	total[n] = true;
	d[n++] = r->billed;
	double *v = xcalloc(n, sizeof *v);
	for (size_t i = 0; i < n; i++)
		v[i] = dec_double(d[i]);
	svg_waterfall(fp, "from the logged estimate to the bill", v, total, n);
	fputs("<div class=\"scroll\"><table><caption>from logged to billed (reconcile.csv, summed)"
	      "</caption><thead><tr><th class=\"n\">#</th><th>step</th><th class=\"n\">USD</th></tr>"
	      "</thead><tbody>",
	      fp);
	for (size_t i = 0; i < n; i++) {
		fprintf(fp, "<tr%s><td class=\"n\">%zu</td><td>", total[i] ? " class=\"total\"" : "",
			i + 1);
		escape_html_str(fp, labels[i]);
		fputs("</td><td class=\"n\">", fp);
		put_dec(fp, d[i]);
		fputs("</td></tr>\n", fp);
	}
	fputs("</tbody></table></div>\n", fp);
	free(v);
	free(labels);
	free(d);
	free(total);
	page_panel_close(p);
}

/* coverage.csv: a row per account and region, a column per day, hours with records in each. */
/* A row per account and region (the most records first), a column per day. */
static void coverage_table(struct page *p, const struct sums_entry *d, size_t nd,
			   const struct sums_entry *pr, size_t np)
{
	FILE *fp = p->fp;
	const struct sums *cov = p->all->views.coverage;
	size_t shown = np < COVERAGE_PAIRS ? np : COVERAGE_PAIRS;
	page_table_open(p, "sum", "coverage.csv", "hours with records");
	fputs("<thead><tr><th>account_id</th><th>region</th>", fp);
	for (size_t j = 0; j < nd; j++) {
		fputs("<th class=\"n\">", fp);
		escape_html_str(fp, d[j].key[0]);
		fputs("</th>", fp);
	}
	fputs("</tr></thead><tbody>", fp);
	const char *names[] = { "account_id", "region" };
	for (size_t i = 0; i < shown; i++) {
		page_tr_where(fp, names, pr[i].key, 2);
		page_td_key(fp, "account_id", pr[i].key[0]);
		page_td_key(fp, "region", pr[i].key[1]);
		for (size_t j = 0; j < nd; j++) {
			struct str k[3] = { pr[i].key[0], pr[i].key[1], d[j].key[0] };
			const struct sums_row *r = sums_find(cov, k);
			if (!r) {
				fputs("<td class=\"n low\"></td>", fp);
				continue;
			}
			unsigned h = views_hours(r);
			fprintf(fp, "<td class=\"n%s\" data-col=\"hours_with_records\" data-where=\"{",
				h < 24 ? " low" : "");
			page_json(fp, STR_LIT("day"));
			fputc(':', fp);
			page_json(fp, d[j].key[0]);
			fprintf(fp, "}\">%u</td>", h);
		}
		fputs("</tr>\n", fp);
	}
	if (np > shown)
		fprintf(fp, "<tr class=\"others\"><td colspan=\"2\">%zu more pairs with fewer"
			" records in coverage.csv</td></tr>\n", np - shown);
	fputs("</tbody>", fp);
	page_table_close(p);
}

void page_coverage(struct page *p)
{
	FILE *fp = p->fp;
	const struct sums *cov = p->all->views.coverage;
	size_t n = sums_count(cov);
	struct sums_entry *rows = sums_sorted(cov);
	struct sums *days = sums_create(1), *pairs = sums_create(2);
	size_t short_days = 0;
	for (size_t i = 0; i < n; i++) {
		sums_get(days, &rows[i].key[2]);
		sums_get(pairs, rows[i].key)->count[0] += rows[i].row->count[COVERAGE_RECORDS];
		short_days += views_hours(rows[i].row) < 24;
	}
	struct sums_entry *d = sums_sorted(days), *pr = sums_sorted(pairs);
	size_t np = sums_count(pairs);
	for (size_t i = 1; i < np; i++) { /* the most records first; ties in key order */
		struct sums_entry e = pr[i];
		size_t j = i;
		for (; j > 0 && pr[j - 1].row->count[0] < e.row->count[0]; j--)
			pr[j] = pr[j - 1];
		pr[j] = e;
	}
	size_t nd = sums_count(days), first = nd > COVERAGE_DAYS ? nd - COVERAGE_DAYS : 0;
	page_panel_open(p, "coverage", "Coverage: are the logs complete?");
	fputs("<p class=\"answer\">", fp);
	page_u64(fp, sums_count(pairs));
	fputs(" account and region pair", fp);
	fputs(sums_count(pairs) == 1 ? "" : "s", fp);
	fputs(" over ", fp);
	page_u64(fp, nd);
	fputs(" day", fp);
	fputs(nd == 1 ? "" : "s", fp);
	fputs("; ", fp);
	page_u64(fp, short_days);
	fputs(" account-region-day", fp);
	fputs(short_days == 1 ? " has" : "s have", fp);
	fputs(" records in fewer than 24 hours.</p>\n<p class=\"note\">Hours with records per"
	      " day (coverage.csv); shaded: fewer than 24. The first and last day of a run, and"
	      " quiet accounts, are often partial; a gap in busy days is worth a look.</p>\n",
	      fp);
	coverage_table(p, d + first, nd - first, pr, sums_count(pairs));
	free(rows);
	free(d);
	free(pr);
	sums_destroy(days);
	sums_destroy(pairs);
	page_panel_close(p);
}

static const char *advice(struct str problem)
{
	if (str_eq(problem, STR_LIT("not-in-manifest")))
		return "an application profile in no manifest: export it with aws bedrock"
		       " list-inference-profiles --type-equals APPLICATION (and its tags) and pass"
		       " the file with --manifest";
	if (str_eq(problem, STR_LIT("no-model")))
		return "a profile in a manifest without a model: the JSON of"
		       " list-inference-profiles names it";
	if (str_eq(problem, STR_LIT("no-price")))
		return "no price for these records: add a row to a price table (--prices; see"
		       " --print-prices for the form)";
	return "billed by the hour or by contract, not per token: see the bill (--cur)";
}

static int by_calls_desc(const void *a, const void *b)
{
	uint64_t x = ((const struct rollup_row *)a)->c->invocations;
	uint64_t y = ((const struct rollup_row *)b)->c->invocations;
	return x < y ? 1 : x > y ? -1 : 0;
}

/* unresolved.csv as a to-do list, the most invocations first. */
void page_fix(struct page *p)
{
	FILE *fp = p->fp;
	const struct rollup *u = p->all->tables[LAYOUT_UNRESOLVED];
	int mc = layout_column_of(p->plan, LAYOUT_UNRESOLVED, FIELD_PROBLEM_MODEL);
	int pc = layout_column_of(p->plan, LAYOUT_UNRESOLVED, FIELD_PROBLEM);
	int dc = layout_column_of(p->plan, LAYOUT_UNRESOLVED, FIELD_DETAIL);
	size_t n = rollup_count(u);
	struct rollup_row *rows = rollup_sorted(u);
	for (size_t i = 1; i < n; i++) { /* stable: ties keep the file's order */
		struct rollup_row r = rows[i];
		size_t j = i;
		for (; j > 0 && by_calls_desc(&rows[j - 1], &r) > 0; j--)
			rows[j] = rows[j - 1];
		rows[j] = r;
	}
	page_panel_open(p, "fix", "What to fix");
	fputs("<p class=\"answer\">", fp);
	if (n) {
		page_u64(fp, p->t->unpriced.invocations);
		fprintf(fp, " invocations could not be attributed or priced: %zu row%s of"
			" unresolved.csv, the most invocations first.", n, n == 1 ? "" : "s");
	} else {
		fputs("Nothing to fix: every invocation was attributed and priced.", fp);
	}
	fputs("</p>\n", fp);
	if (n) {
		page_table_open(p, "src", "unresolved.csv", "to do");
		const char *names[] = { "model_id", "problem", "detail", "invocations", "what to do" };
		page_thead(fp, names, 5);
		fputs("<tbody>", fp);
		for (size_t i = 0; i < n && i < 2 * PAGE_TOP; i++) {
			struct str k[3] = { rows[i].key[mc], rows[i].key[pc], rows[i].key[dc] };
			page_tr_where(fp, names, k, 3);
			for (int c = 0; c < 3; c++)
				page_td_key(fp, names[c], k[c]);
			page_td_u64(fp, "invocations", rows[i].c->invocations);
			fputs("<td>", fp);
			fputs(advice(k[1]), fp);
			fputs("</td></tr>\n", fp);
		}
		if (n > 2 * PAGE_TOP)
			fprintf(fp, "<tr class=\"others\"><td colspan=\"5\">%zu more rows in"
				" unresolved.csv</td></tr>\n", n - 2 * PAGE_TOP);
		fputs("</tbody>", fp);
		page_table_close(p);
	}
	free(rows);
	page_panel_close(p);
}
