/*
 * html_spend.c - report.html's panels on spending: who spends by day, the
 * top applications, teams and models, the model mix with the what-if
 * view, and the hours with their spikes.
 */
#include <stdlib.h>
#include <string.h>

#include "html_page.h"
#include "ledger/support/escape.h"
#include "ledger/support/xalloc.h"
#include "ledger/views/spikes.h"
#include "ledger/views/svg.h"

#define SERIES 8   /* named series in a stacked chart; the rest is "others" */
#define MAX_DAYS 62 /* days shown as columns: the last ones */

/* A matrix of counters: series (top values + others) x columns (days, teams...). */
struct grid {
	struct page_group s, c; /* the keys below point into them */
	struct str *series, *cols;
	size_t nseries, ncols; /* nseries counts "others" when there is one */
	bool others;
	struct counters *c_; /* [s * ncols + col] */
};

static void grid_finish(struct grid *g)
{
	page_group_finish(&g->s);
	page_group_finish(&g->c);
	free(g->series);
	free(g->cols);
	free(g->c_);
}

static long find(const struct str *v, size_t n, struct str s)
{
	for (size_t i = 0; i < n; i++)
		if (str_eq(v[i], s))
			return (long)i;
	return -1;
}

/*
 * series: the top SERIES values of field sf by cost, the rest as others;
 * columns: the values of field cf, the last maxcols in key order (days), or
 * the top maxcols by cost when cols_by_cost.
 */
static void grid_fill(struct grid *g, const struct rollup *src, int sf, int cf, size_t maxcols,
		      bool cols_by_cost)
{
	memset(g, 0, sizeof *g);
	page_group(&g->s, src, &sf, 1, false);
	page_group(&g->c, src, &cf, 1, false);
	size_t ns = g->s.n > SERIES ? SERIES : g->s.n;
	g->others = g->s.n > SERIES;
	g->nseries = ns + g->others;
	g->series = xcalloc(g->nseries + 1, sizeof *g->series);
	for (size_t i = 0; i < ns; i++)
		g->series[i] = g->s.rows[i].key[0];
	struct rollup_row *cols = cols_by_cost ? g->c.rows : rollup_sorted(g->c.by);
	size_t first = !cols_by_cost && g->c.n > maxcols ? g->c.n - maxcols : 0;
	g->ncols = g->c.n - first > maxcols ? maxcols : g->c.n - first;
	g->cols = xcalloc(g->ncols + 1, sizeof *g->cols);
	for (size_t i = 0; i < g->ncols; i++)
		g->cols[i] = cols[first + i].key[0];
	if (!cols_by_cost)
		free(cols);
	g->c_ = xcalloc(g->nseries * g->ncols + 1, sizeof *g->c_);
	size_t pos = 0;
	struct rollup_row row; /* sums: any order of the rows gives the same */
	while (rollup_each(src, &pos, &row)) {
		long col = find(g->cols, g->ncols, row.key[cf]);
		if (col < 0)
			continue;
		long si = find(g->series, ns, row.key[sf]);
		size_t at = (si < 0 ? ns : (size_t)si) * g->ncols + (size_t)col;
		counters_merge(&g->c_[at], row.c);
	}
}

static unsigned colour_of(const struct grid *g, size_t s)
{
	return g->others && s == g->nseries - 1 ? SVG_SERIES - 1 : (unsigned)s;
}

static void legend(FILE *fp, const struct grid *g)
{
	fputs("<div class=\"legend\">", fp);
	for (size_t s = 0; s < g->nseries; s++) {
		fprintf(fp, "<span><span class=\"sw s%u\"></span>", colour_of(g, s));
		if (g->others && s == g->nseries - 1)
			fputs("others", fp);
		else
			page_value(fp, g->series[s]);
		fputs("</span>", fp);
	}
	fputs("</div>\n", fp);
}

static void grid_chart(FILE *fp, const struct grid *g, const char *aria)
{
	double *v = xcalloc(g->nseries * g->ncols + 1, sizeof *v);
	unsigned *colour = xcalloc(g->nseries + 1, sizeof *colour);
	for (size_t s = 0; s < g->nseries; s++) {
		colour[s] = colour_of(g, s);
		for (size_t c = 0; c < g->ncols; c++)
			v[s * g->ncols + c] = page_usd_double(g->c_[s * g->ncols + c].cost);
	}
	legend(fp, g);
	/* days as MM-DD under the columns: the table beside has them whole */
	struct str *cols = xcalloc(g->ncols + 1, sizeof *cols);
	for (size_t c = 0; c < g->ncols; c++) {
		struct str x = g->cols[c];
		bool day = x.n == 10 && x.p[4] == '-' && x.p[7] == '-';
		cols[c] = day ? (struct str){ x.p + 5, 5 } : x;
	}
	svg_stacked(fp, aria, cols, g->ncols, g->nseries, colour, v);
	free(cols);
	free(v);
	free(colour);
}

static void cell_where(FILE *fp, const char *col, struct str v, const struct counters *c)
{
	fputs("<td class=\"n\" data-col=\"cost_usd\" data-where=\"{", fp);
	page_json(fp, str_from(col));
	fputc(':', fp);
	page_json(fp, v);
	fputs("}\">", fp);
	page_cost(fp, c);
	fputs("</td>", fp);
}

/* The grid's costs: a row per series (and a total), a column per column value (and a total). */
static void grid_table(struct page *p, const struct grid *g, const char *sh, const char *ch,
		       const char *caption)
{
	FILE *fp = p->fp;
	page_table_open(p, "sum", "app_day.csv", caption);
	fputs("<thead><tr><th>", fp);
	escape_html_cstr(fp, sh);
	fputs("</th>", fp);
	for (size_t c = 0; c < g->ncols; c++) {
		fputs("<th class=\"n\">", fp);
		page_value(fp, g->cols[c]);
		fputs("</th>", fp);
	}
	fputs("<th class=\"n\">total</th></tr></thead>\n<tbody>", fp);
	struct counters *col_total = xcalloc(g->ncols + 1, sizeof *col_total);
	for (size_t s = 0; s < g->nseries; s++) {
		bool others = g->others && s == g->nseries - 1;
		struct counters row = { 0 };
		if (others)
			fputs("<tr class=\"others\"><td>others</td>", fp);
		else {
			page_tr_where(fp, &sh, &g->series[s], 1);
			page_td_key(fp, sh, g->series[s]);
		}
		for (size_t c = 0; c < g->ncols; c++) {
			const struct counters *x = &g->c_[s * g->ncols + c];
			cell_where(fp, ch, g->cols[c], x);
			counters_merge(&row, x);
			counters_merge(&col_total[c], x);
		}
		fputs("<td class=\"n\">", fp);
		page_cost(fp, &row);
		fputs("</td></tr>\n", fp);
	}
	fputs("<tr class=\"total\" data-where=\"{}\"><td>total</td>", fp);
	struct counters all = { 0 };
	for (size_t c = 0; c < g->ncols; c++) {
		cell_where(fp, ch, g->cols[c], &col_total[c]);
		counters_merge(&all, &col_total[c]);
	}
	fputs("<td class=\"n\">", fp);
	page_cost(fp, &all);
	fputs("</td></tr></tbody>\n", fp);
	free(col_total);
	page_table_close(p);
}

/* The top PAGE_TOP values of field f of app_day.csv, and the others, by cost. */
static void top_table(struct page *p, int f, const char *caption)
{
	FILE *fp = p->fp;
	const char *h = p->plan->reports[LAYOUT_APP_DAY].cols[f].header;
	struct page_group pg;
	page_group(&pg, p->all->tables[LAYOUT_APP_DAY], &f, 1, false);
	page_table_open(p, "sum", "app_day.csv", caption);
	const char *names[] = { h, "invocations", "cost_usd" };
	page_thead(fp, names, 3);
	fputs("<tbody>", fp);
	for (size_t i = 0; i < pg.n && i < PAGE_TOP; i++) {
		page_tr_where(fp, &h, pg.rows[i].key, 1);
		page_td_key(fp, h, pg.rows[i].key[0]);
		page_td_u64(fp, "invocations", pg.rows[i].c->invocations);
		page_td_cost(fp, "cost_usd", pg.rows[i].c);
		fputs("</tr>\n", fp);
	}
	page_others_row(fp, &pg, PAGE_TOP);
	fputs("</tbody>", fp);
	page_table_close(p);
	page_group_finish(&pg);
}

/* "which app calls Claude the most": the first -g value with the most Claude invocations. */
static void spend_answer(struct page *p, int g0, int model)
{
	FILE *fp = p->fp;
	const struct rollup *ad = p->all->tables[LAYOUT_APP_DAY];
	struct rollup *claude = rollup_create(ad ? rollup_nfields(ad) : 1);
	size_t pos = 0;
	for (struct rollup_row row; rollup_each(ad, &pos, &row);) {
		struct str m = row.key[model];
		if (m.n >= 6 && memmem(m.p, m.n, "claude", 6))
			counters_merge(rollup_get(claude, row.key), row.c);
	}
	bool any = rollup_count(claude) > 0;
	struct page_group pg;
	page_group(&pg, any ? claude : ad, &g0, 1, any);
	const char *h = p->plan->reports[LAYOUT_APP_DAY].cols[g0].header;
	fputs("<p class=\"answer\">", fp);
	if (pg.n) {
		escape_html_cstr(fp, h);
		fputc(' ', fp);
		page_value(fp, pg.rows[0].key[0]);
		fputs(any ? " called Claude most: " : " cost most: ", fp);
		page_u64(fp, pg.rows[0].c->invocations);
		fputs(pg.rows[0].c->invocations == 1 ? " call, " : " calls, ", fp);
		page_cost(fp, pg.rows[0].c);
		fputs(".", fp);
	} else {
		fputs("No invocation was counted.", fp);
	}
	fputs("</p>\n", fp);
	page_group_finish(&pg);
	rollup_destroy(claude);
}

void page_spend(struct page *p)
{
	const struct rollup *ad = p->all->tables[LAYOUT_APP_DAY];
	int day = layout_column_of(p->plan, LAYOUT_APP_DAY, FIELD_DAY);
	int model = layout_column_of(p->plan, LAYOUT_APP_DAY, FIELD_MODEL);
	int g0 = layout_group_column(p->plan, LAYOUT_APP_DAY, 0);
	int g1 = layout_group_column(p->plan, LAYOUT_APP_DAY, 1);
	const char *h0 = p->plan->reports[LAYOUT_APP_DAY].cols[g0].header;
	page_panel_open(p, "spend", "Who spends");
	spend_answer(p, g0, model);
	if (!rollup_count(ad)) {
		page_panel_close(p);
		return;
	}
	struct grid g;
	grid_fill(&g, ad, g0, day, MAX_DAYS, false);
	fprintf(p->fp, "<p class=\"note\">Daily cost by %s", h0);
	if (g.c.n > MAX_DAYS)
		fprintf(p->fp, " (the last %d days of %zu)", MAX_DAYS, g.c.n);
	fputs("; + marks a cost with some unpriced invocations left out.</p>\n", p->fp);
	grid_chart(p->fp, &g, "daily cost, stacked by the first group-by column");
	grid_table(p, &g, h0, "day", "cost by day (USD)");
	grid_finish(&g);
	fputs("<div class=\"pair\"><div>", p->fp);
	top_table(p, g0, "top by cost");
	fputs("</div><div>", p->fp);
	if (g1 >= 0) {
		top_table(p, g1, "top by cost");
		fputs("</div><div>", p->fp);
	}
	top_table(p, model, "top models by cost");
	fputs("</div></div>\n", p->fp);
	page_panel_close(p);
}

static sums_usd_t saving_of(const struct sums_row *r)
{
	return r->usd[WHATIF_COST] - r->usd[WHATIF_ALT];
}

static int by_saving(const void *a, const void *b)
{
	sums_usd_t x = saving_of(((const struct sums_entry *)a)->row);
	sums_usd_t y = saving_of(((const struct sums_entry *)b)->row);
	return x < y ? 1 : x > y ? -1 : 0;
}

/* whatif.csv's rows with the largest savings, as they are in the file. */
static void whatif_table(struct page *p)
{
	FILE *fp = p->fp;
	const struct views *v = &p->all->views;
	size_t ng = v->whatif_groups.n, n = sums_count(v->whatif);
	struct sums_entry *rows = sums_sorted(v->whatif);
	/* a stable sort: ties keep the file's order */
	for (size_t i = 1; i < n; i++) {
		struct sums_entry e = rows[i];
		size_t j = i;
		for (; j > 0 && by_saving(&rows[j - 1], &e) > 0; j--)
			rows[j] = rows[j - 1];
		rows[j] = e;
	}
	const char **cols = xcalloc(ng + 9, sizeof *cols);
	for (size_t i = 0; i < ng; i++)
		cols[i] = p->g->items[v->whatif_groups.idx[i]].header;
	cols[ng] = "model";
	cols[ng + 1] = "alternative";
	fputs("<p class=\"answer\">", fp);
	if (n && saving_of(rows[0].row) > 0) {
		const struct sums_row *r = rows[0].row;
		for (size_t i = 0; i < ng; i++) {
			fputs(i ? ", " : "", fp);
			escape_html_cstr(fp, cols[i]);
			fputc(' ', fp);
			page_value(fp, rows[0].key[i]);
		}
		fputs(ng ? ": " : "", fp);
		page_u64(fp, r->count[0]);
		fputs(" calls of ", fp);
		page_value(fp, rows[0].key[ng]);
		fputs(" cost ", fp);
		page_susd(fp, r->usd[WHATIF_COST]);
		fputs("; at the prices of ", fp);
		page_value(fp, rows[0].key[ng + 1]);
		fputs(" they would have cost ", fp);
		page_susd(fp, r->usd[WHATIF_ALT]);
		fputs(" (", fp);
		page_susd(fp, saving_of(r));
		fputs(" less).", fp);
	} else {
		fputs("No cheaper model of the ladder would have cost less for these calls.", fp);
	}
	fputs("</p>\n<p class=\"note\">whatif.csv prices the same tokens at the price rows of"
	      " the cheaper models of each model's family (data/model-ladder.csv, --ladder):"
	      " a price comparison, not a claim that the cheaper model would have answered as"
	      " well.</p>\n",
	      fp);
	if (!n)
		goto out;
	page_table_open(p, "src", "whatif.csv", "largest savings (whatif.csv)");
	cols[ng + 2] = "invocations";
	cols[ng + 3] = "cost_usd";
	cols[ng + 4] = "alternative_usd";
	cols[ng + 5] = "saving_usd";
	page_thead(fp, cols, ng + 6);
	fputs("<tbody>", fp);
	for (size_t i = 0; i < n && i < PAGE_TOP; i++) {
		const struct sums_row *r = rows[i].row;
		page_tr_where(fp, cols, rows[i].key, ng + 2);
		for (size_t k = 0; k < ng + 2; k++)
			page_td_key(fp, cols[k], rows[i].key[k]);
		page_td_u64(fp, "invocations", r->count[0]);
		page_td_susd(fp, "cost_usd", r->usd[WHATIF_COST]);
		page_td_susd(fp, "alternative_usd", r->usd[WHATIF_ALT]);
		page_td_susd(fp, "saving_usd", saving_of(r));
		fputs("</tr>\n", fp);
	}
	if (n > PAGE_TOP)
		fprintf(fp, "<tr class=\"others\"><td colspan=\"%zu\">%zu more rows in whatif.csv"
			"</td></tr>\n", ng + 6, n - PAGE_TOP);
	fputs("</tbody>", fp);
	page_table_close(p);
out:
	free(cols);
	free(rows);
}

void page_models(struct page *p)
{
	const struct rollup *ad = p->all->tables[LAYOUT_APP_DAY];
	int model = layout_column_of(p->plan, LAYOUT_APP_DAY, FIELD_MODEL);
	int team = layout_group_column(p->plan, LAYOUT_APP_DAY, 1);
	if (team < 0)
		team = layout_group_column(p->plan, LAYOUT_APP_DAY, 0);
	const char *ht = p->plan->reports[LAYOUT_APP_DAY].cols[team].header;
	page_panel_open(p, "models", "Models and what they would cost one step down");
	whatif_table(p);
	if (!rollup_count(ad)) {
		page_panel_close(p);
		return;
	}
	struct grid g;
	grid_fill(&g, ad, model, team, PAGE_TOP, true);
	fputs("<p class=\"note\">The model mix by ", p->fp);
	escape_html_cstr(p->fp, ht);
	fprintf(p->fp, " (the %zu largest by cost).</p>\n", g.ncols);
	grid_chart(p->fp, &g, "cost by model, stacked, per team");
	grid_table(p, &g, "model", ht, "cost by model (USD)");
	grid_finish(&g);
	page_panel_close(p);
}

#define TIMELINE_DAYS 14

/* Seconds since the epoch of an hour key "YYYY-MM-DDTHH:00Z" (with --tz, of its wall clock). */
static int64_t hour_sec(struct str h)
{
	char day[11];
	struct ts t = { 0, 0 };
	if (h.n < 13)
		return 0;
	memcpy(day, h.p, 10);
	day[10] = '\0';
	ts_parse_bound(day, &t);
	return t.sec + 3600 * ((h.p[11] - '0') * 10 + (h.p[12] - '0'));
}

/* One spike, in words: as the summary says it. */
static void spike_words(struct page *p, const struct spike *sp)
{
	FILE *fp = p->fp;
	const struct plan_report *pr = &p->plan->reports[LAYOUT_SPIKES];
	char ratio[48];
	escape_html_str(fp, sp->key[pr->ncols - 1]);
	fputs(": ", fp);
	page_usd(fp, sp->c.cost);
	if (spike_ratio_text(sp, ratio))
		fprintf(fp, ", %sx its usual hour", ratio);
	else
		fputs(sp->has_baseline ? ", its usual hour costs nothing" : ", its only hour", fp);
	for (size_t i = 0; i + 1 < pr->ncols; i++) {
		fprintf(fp, ", %s ", pr->cols[i].header);
		page_value(fp, sp->key[i]);
	}
}

static void spikes_table(struct page *p)
{
	FILE *fp = p->fp;
	const struct spikes *s = p->t->all_spikes;
	const struct plan_report *pr = &p->plan->reports[LAYOUT_SPIKES];
	size_t nk = pr->ncols;
	const char **cols = xcalloc(nk + 5, sizeof *cols);
	cols[0] = pr->cols[nk - 1].header;
	for (size_t i = 0; i + 1 < nk; i++)
		cols[i + 1] = pr->cols[i].header;
	cols[nk] = "invocations";
	cols[nk + 1] = "cost_usd";
	cols[nk + 2] = "baseline_usd";
	cols[nk + 3] = "ratio";
	page_table_open(p, "src", "spikes.csv", "the largest expensive hours (spikes.csv)");
	page_thead(fp, cols, nk + 4);
	fputs("<tbody>", fp);
	struct str *key = xcalloc(nk + 1, sizeof *key);
	for (size_t i = 0; i < s->n && i < PAGE_TOP; i++) {
		const struct spike *sp = spikes_largest(s, i);
		key[0] = sp->key[nk - 1];
		for (size_t k = 0; k + 1 < nk; k++)
			key[k + 1] = sp->key[k];
		page_tr_where(fp, cols, key, nk);
		for (size_t k = 0; k < nk; k++)
			page_td_key(fp, cols[k], key[k]);
		page_td_u64(fp, "invocations", sp->c.invocations);
		page_td_usd(fp, "cost_usd", sp->c.cost);
		char text[48];
		spike_baseline_text(sp, text);
		fprintf(fp, "<td class=\"n\" data-col=\"baseline_usd\">%s</td>",
			sp->has_baseline ? text : "");
		bool has_ratio = spike_ratio_text(sp, text);
		fprintf(fp, "<td class=\"n\" data-col=\"ratio\">%s</td></tr>\n",
			has_ratio ? text : "");
	}
	fputs("</tbody>", fp);
	page_table_close(p);
	free(key);
	free(cols);
}

/* Cost per hour of the last TIMELINE_DAYS days (priced invocations): hours as rows, days as columns. */
static void hours_table(struct page *p, const sums_usd_t *cost, const bool *have,
			int64_t start, size_t ndays)
{
	FILE *fp = p->fp;
	fputs("<div class=\"scroll\"><table><caption>cost per hour, ", fp);
	escape_html_cstr(fp, p->t->tz_name ? p->t->tz_name : "UTC");
	fputs(" (priced invocations; a day's total is its cost in app_day.csv)</caption>"
	      "<thead><tr><th>hour</th>",
	      fp);
	for (size_t d = 0; d < ndays; d++) {
		char day[11];
		ts_format_day((struct ts){ start + (int64_t)d * 86400, 0 }, day);
		fprintf(fp, "<th class=\"n\">%s</th>", day);
	}
	fputs("</tr></thead><tbody>", fp);
	for (size_t h = 0; h < 24; h++) {
		fprintf(fp, "<tr><td>%02zu:00</td>", h);
		for (size_t d = 0; d < ndays; d++) {
			size_t i = d * 24 + h;
			fputs("<td class=\"n\">", fp);
			if (have[i])
				page_susd(fp, cost[i]);
			fputs("</td>", fp);
		}
		fputs("</tr>\n", fp);
	}
	fputs("</tbody></table></div>\n", fp);
}

void page_timeline(struct page *p)
{
	FILE *fp = p->fp;
	const struct sums *hourly = p->all->views.hourly;
	const struct spikes *s = p->t->all_spikes;
	page_panel_open(p, "timeline", "Hours, and the expensive ones");
	fputs("<p class=\"answer\">", fp);
	if (s && s->n) {
		fprintf(fp, "%zu expensive hour%s; the largest: ", s->n, s->n == 1 ? "" : "s");
		spike_words(p, spikes_largest(s, 0));
		fputs(".", fp);
	} else {
		fputs("No hour was expensive enough to flag (--spike-usd, --spike-factor).", fp);
	}
	fputs("</p>\n", fp);
	size_t n = sums_count(hourly);
	struct sums_entry *rows = sums_sorted(hourly);
	if (n) {
		int64_t last = hour_sec(rows[n - 1].key[0]);
		int64_t first = hour_sec(rows[0].key[0]);
		int64_t start = last - last % 86400 - (TIMELINE_DAYS - 1) * 86400;
		if (start < first - first % 86400)
			start = first - first % 86400;
		size_t ndays = (size_t)((last - start) / 86400 + 1), nh = ndays * 24;
		sums_usd_t *cost = xcalloc(nh, sizeof *cost);
		bool *have = xcalloc(nh, sizeof *have), *marked = xcalloc(nh, sizeof *marked);
		double *v = xcalloc(nh, sizeof *v);
		for (size_t i = 0; i < n; i++) {
			int64_t at = hour_sec(rows[i].key[0]);
			if (at < start)
				continue;
			size_t k = (size_t)((at - start) / 3600);
			cost[k] += rows[i].row->usd[0]; /* --tz: a repeated hour adds up */
			have[k] = true;
			v[k] = page_usd_double((money_t)(cost[k] > 0 ? cost[k] : 0));
		}
		const struct plan_report *pr = &p->plan->reports[LAYOUT_SPIKES];
		for (size_t i = 0; s && i < s->n; i++) {
			int64_t at = hour_sec(s->v[i].key[pr->ncols - 1]);
			if (at >= start && (size_t)((at - start) / 3600) < nh)
				marked[(at - start) / 3600] = true;
		}
		struct str *ticks = xcalloc(ndays, sizeof *ticks);
		char (*labels)[6] = xcalloc(ndays, sizeof *labels);
		for (size_t d = 0; d < ndays; d++) {
			char day[11];
			ts_format_day((struct ts){ start + (int64_t)d * 86400, 0 }, day);
			memcpy(labels[d], day + 5, 5);
			ticks[d] = (struct str){ labels[d], 5 };
		}
		fprintf(fp, "<p class=\"note\">Cost per hour over the last %zu day%s, UTC; the"
			" flagged hours of spikes.csv are red dots.</p>\n", ndays,
			ndays == 1 ? "" : "s");
		svg_line(fp, "cost per hour, flagged hours marked", v, marked, nh, ticks, 24);
		if (s && s->n)
			spikes_table(p);
		hours_table(p, cost, have, start, ndays);
		free(cost);
		free(have);
		free(marked);
		free(v);
		free(ticks);
		free(labels);
	}
	free(rows);
	page_panel_close(p);
}
