/*
 * budgets.c - --budget: the file, the check against app_day.csv's table,
 * budgets.csv and the summary's lines.
 */
#include "ledger/views/budgets.h"

#include <stdlib.h>
#include <string.h>

#include "ledger/support/csvrows.h"
#include "ledger/support/prose.h"
#include "ledger/support/xalloc.h"
#include "ledger/views/spikes.h"

static char *xstrndup(const char *p, size_t n)
{
	char *s = xmalloc(n + 1);
	memcpy(s, p, n);
	s[n] = '\0';
	return s;
}

/* Column roles while the header is read. */
#define COL_MAX ((size_t)-1)
#define COL_PER ((size_t)-2)

struct load {
	struct budgets *b;
	const struct group_by *g;
	size_t *role; /* per file column: a group column's index in b, COL_MAX or COL_PER */
	size_t nfile;
};

static int read_header(struct load *ld, struct csvrows *r, const struct csvrows_row *row)
{
	struct budgets *b = ld->b;
	bool has_max = false, has_per = false;
	ld->nfile = row->nfields;
	ld->role = xcalloc(row->nfields, sizeof *ld->role);
	b->headers = xcalloc(row->nfields, sizeof *b->headers);
	b->group = xcalloc(row->nfields, sizeof *b->group);
	for (size_t i = 0; i < row->nfields; i++) {
		struct str h = row->field[i];
		for (size_t k = 0; k < i; k++)
			if (str_eq(row->field[k], h))
				return csvrows_fail(r, row->line,
						    "the column '%.*s' is there twice", (int)h.n,
						    h.p);
		if (str_eq(h, STR_LIT("max_usd"))) {
			ld->role[i] = COL_MAX, has_max = true;
			continue;
		}
		if (str_eq(h, STR_LIT("per"))) {
			ld->role[i] = COL_PER, has_per = true;
			continue;
		}
		size_t gi = 0;
		while (gi < ld->g->n && !str_eq(h, str_from(ld->g->items[gi].header)))
			gi++;
		if (gi == ld->g->n)
			return csvrows_fail(
			    r, row->line,
			    "the column '%.*s' is not a --group-by column (a budget"
			    " row matches app_day.csv's group columns, max_usd and per)",
			    (int)h.n, h.p);
		ld->role[i] = b->ncols;
		b->group[b->ncols] = gi;
		b->headers[b->ncols++] = xstrndup(h.p, h.n);
	}
	if (!has_max || !has_per)
		return csvrows_fail(r, row->line,
				    "a budget file needs the columns max_usd and per");
	return 0;
}

static int on_row(void *ctx, struct csvrows *r, const struct csvrows_row *row)
{
	struct load *ld = ctx;
	struct budgets *b = ld->b;
	if (!ld->role)
		return read_header(ld, r, row);
	if (row->nfields != ld->nfile)
		return csvrows_fail(r, row->line, "%zu cells, the header has %zu", row->nfields,
				    ld->nfile);
	if (b->n == b->cap) {
		b->cap = b->cap ? 2 * b->cap : 8;
		b->rows = xrealloc(b->rows, b->cap * sizeof *b->rows);
	}
	struct budget_row *br = &b->rows[b->n];
	memset(br, 0, sizeof *br);
	br->line = row->line;
	br->cells = xcalloc(b->ncols ? b->ncols : 1, sizeof *br->cells);
	b->n++;
	for (size_t i = 0; i < row->nfields; i++) {
		struct str v = row->field[i];
		if (ld->role[i] == COL_MAX) {
			char *text = xstrndup(v.p, v.n);
			int bad = spike_parse_usd(text, &br->max);
			free(text);
			if (bad)
				return csvrows_fail(
				    r, row->line,
				    "max_usd '%.*s' is not an amount in USD (a decimal"
				    " such as 100 or 2.50)",
				    (int)v.n, v.p);
		} else if (ld->role[i] == COL_PER) {
			if (!str_eq(v, STR_LIT("day")) && !str_eq(v, STR_LIT("run")))
				return csvrows_fail(r, row->line, "per '%.*s' is not day or run",
						    (int)v.n, v.p);
			br->per_day = str_eq(v, STR_LIT("day"));
		} else {
			br->cells[ld->role[i]] = xstrndup(v.p, v.n);
		}
	}
	return 0;
}

int budgets_load(struct budgets *b, const char *path, const struct group_by *g, struct diag *d)
{
	memset(b, 0, sizeof *b);
	struct load ld = { .b = b, .g = g };
	int rc = csvrows_parse_file(path, on_row, &ld, d);
	if (rc == 0 && !ld.role)
		rc = diag_set(d, "%s: empty: a budget file needs a header with max_usd and per",
			      path);
	free(ld.role);
	return rc;
}

void budgets_finish(struct budgets *b)
{
	for (size_t i = 0; i < b->n; i++) {
		for (size_t c = 0; c < b->ncols; c++)
			free(b->rows[i].cells[c]);
		free(b->rows[i].cells);
	}
	for (size_t c = 0; c < b->ncols; c++)
		free(b->headers[c]);
	free(b->headers);
	free(b->group);
	free(b->rows);
	memset(b, 0, sizeof *b);
}

static bool matches(const struct budgets *b, const struct budget_row *br, const int *col,
		    const struct str *key)
{
	for (size_t c = 0; c < b->ncols; c++) {
		const char *want = br->cells[c];
		if (*want && (col[c] < 0 || !str_eq(key[col[c]], str_from(want))))
			return false;
	}
	return true;
}

static void add_over(struct budget_result *out, size_t *cap, const struct budget_row *br,
		     struct str day, money_t cost)
{
	if (cost <= br->max)
		return;
	if (out->n == *cap) {
		*cap = *cap ? 2 * *cap : 8;
		out->v = xrealloc(out->v, *cap * sizeof *out->v);
	}
	struct budget_over *o = &out->v[out->n++];
	memset(o, 0, sizeof *o);
	o->row = br;
	memcpy(o->day, day.p, day.n < sizeof o->day - 1 ? day.n : sizeof o->day - 1);
	o->cost = cost;
}

/* budgets.csv's order: the row's cells, per, day, then the file's order. */
static const struct budgets *sort_b;
static int by_key(const void *x, const void *y)
{
	const struct budget_over *a = x, *b = y;
	for (size_t c = 0; c < sort_b->ncols; c++) {
		int k = strcmp(a->row->cells[c], b->row->cells[c]);
		if (k)
			return k;
	}
	if (a->row->per_day != b->row->per_day)
		return a->row->per_day ? -1 : 1; /* "day" < "run" */
	int k = strcmp(a->day, b->day);
	if (k)
		return k;
	return (a->row->line > b->row->line) - (a->row->line < b->row->line);
}

void budgets_check(const struct budgets *b, const struct layout_plan *plan,
		   const struct rollup *app_day, struct budget_result *out)
{
	memset(out, 0, sizeof *out);
	out->b = b;
	size_t cap = 0;
	int *col = xcalloc(b->ncols ? b->ncols : 1, sizeof *col);
	for (size_t c = 0; c < b->ncols; c++)
		col[c] = layout_group_column(plan, LAYOUT_APP_DAY, b->group[c]);
	int day_col = layout_column_of(plan, LAYOUT_APP_DAY, FIELD_DAY);
	struct rollup_row *rows = rollup_sorted(app_day); /* in day order: days come sorted */
	size_t n = rollup_count(app_day);
	struct rollup *days = rollup_create(1);
	for (size_t i = 0; i < b->n; i++) {
		const struct budget_row *br = &b->rows[i];
		money_t run = 0;
		for (size_t k = 0; k < n; k++) {
			if (!matches(b, br, col, rows[k].key))
				continue;
			if (br->per_day)
				rollup_get(days, &rows[k].key[day_col])->cost += rows[k].c->cost;
			else
				run += rows[k].c->cost;
		}
		if (!br->per_day) {
			add_over(out, &cap, br, STR_LIT(""), run);
			continue;
		}
		struct rollup_row *d = rollup_sorted(days);
		for (size_t k = 0; k < rollup_count(days); k++)
			add_over(out, &cap, br, d[k].key[0], d[k].c->cost);
		free(d);
		rollup_clear(days);
	}
	rollup_destroy(days);
	free(rows);
	free(col);
	sort_b = b;
	if (out->n > 1)
		qsort(out->v, out->n, sizeof *out->v, by_key);
}

void budget_result_finish(struct budget_result *r)
{
	free(r->v);
	memset(r, 0, sizeof *r);
}

void budgets_write(const struct budget_result *r, struct report_file *f)
{
	const struct budgets *b = r->b;
	for (size_t c = 0; c < b->ncols; c++)
		report_cstr(f, b->headers[c]); /* -g headers: the user's text, guarded as cells */
	report_number(f, BUDGETS_TAIL);
	report_end_row(f);
	for (size_t i = 0; i < r->n; i++) {
		const struct budget_over *o = &r->v[i];
		for (size_t c = 0; c < b->ncols; c++)
			report_cstr(f, o->row->cells[c]);
		report_cstr(f, o->row->per_day ? "day" : "run");
		report_cstr(f, o->day);
		report_money(f, o->cost);
		report_money(f, o->row->max);
		report_money(f, o->cost - o->row->max);
		report_end_row(f);
	}
}

/* "app=support-bot, team=(any)" */
static void put_match(FILE *fp, const struct budgets *b, const struct budget_row *br)
{
	if (!b->ncols)
		fputs("everything", fp);
	for (size_t c = 0; c < b->ncols; c++) {
		fprintf(fp, "%s%s=", c ? ", " : "", b->headers[c]);
		if (*br->cells[c])
			diag_put_escaped(fp, br->cells[c], strlen(br->cells[c]));
		else
			fputs("(any)", fp);
	}
}

void budgets_print(struct prose *p, const struct budget_result *r)
{
	if (!r)
		return;
	if (!r->n) {
		prose_printf(p, "budgets", "none over, %zu row%s checked", r->b->n,
			     r->b->n == 1 ? "" : "s");
		return;
	}
	prose_printf(p, "budgets", "%zu over (see budgets.csv):", r->n);
	for (size_t i = 0; i < r->n && i < 5; i++) {
		const struct budget_over *o = &r->v[i];
		FILE *m = prose_begin(p);
		put_match(m, r->b, o->row);
		if (*o->day)
			fprintf(m, " on %s", o->day);
		else
			fputs(" over the run", m);
		fprintf(m, ": $%s,", prose_usd(p, o->cost));
		fprintf(m, " limit $%s", prose_usd(p, o->row->max));
		prose_end(p, "", 2);
	}
	if (r->n > 5)
		prose_printf(p, "", "... and %zu more", r->n - 5);
}

void budgets_json(struct json *j, const struct budget_result *r)
{
	if (!r) {
		json_null(j);
		return;
	}
	json_begin_object(j);
	json_key(j, "rows_checked");
	json_u64(j, r->b->n);
	json_key(j, "over");
	json_begin_array(j);
	for (size_t i = 0; i < r->n; i++) {
		const struct budget_over *o = &r->v[i];
		json_begin_object(j);
		json_key(j, "match");
		json_begin_object(j);
		for (size_t c = 0; c < r->b->ncols; c++) {
			json_key(j, r->b->headers[c]);
			json_cstr(j, o->row->cells[c]);
		}
		json_end_object(j);
		json_key(j, "per");
		json_cstr(j, o->row->per_day ? "day" : "run");
		json_key(j, "day");
		json_cstr(j, o->row->per_day ? o->day : NULL);
		json_key(j, "cost_usd");
		json_money(j, o->cost);
		json_key(j, "max_usd");
		json_money(j, o->row->max);
		json_key(j, "over_usd");
		json_money(j, o->cost - o->row->max);
		json_end_object(j);
	}
	json_end_array(j);
	json_end_object(j);
}
