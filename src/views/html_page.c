/*
 * html_page.c - what the panels of report.html share (html_page.h): number
 * formatting, escaped values, tables whose cells name their CSV column,
 * panels, and rollups regrouped for a panel.
 */
#include "html_page.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/support/escape.h"
#include "ledger/support/xalloc.h"


/* ---- formatting ---- */

static void put_grouped(FILE *fp, const char *digits, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			fputc(',', fp);
		fputc(digits[i], fp);
	}
}

void page_u64(FILE *fp, uint64_t v)
{
	char d[24];
	int n = snprintf(d, sizeof d, "%" PRIu64, v);
	put_grouped(fp, d, (size_t)n);
}

/* "1234.567890" -> "$1,234.567890" */
static void put_usd_text(FILE *fp, const char *text)
{
	if (*text == '-') {
		fputc('-', fp);
		text++;
	}
	fputc('$', fp);
	const char *dot = strchr(text, '.');
	size_t n = dot ? (size_t)(dot - text) : strlen(text);
	put_grouped(fp, text, n);
	fputs(text + n, fp);
}

void page_usd(FILE *fp, money_t v)
{
	char text[48];
	money_format_usd(v, text);
	put_usd_text(fp, text);
}

void page_susd(FILE *fp, __int128 v)
{
	char text[48];
	sums_format_usd(v, text);
	put_usd_text(fp, text);
}

void page_cost(FILE *fp, const struct counters *c)
{
	if (c->unpriced_records && c->unpriced_records == c->invocations) {
		fputs("unpriced", fp);
		return;
	}
	page_usd(fp, c->cost);
	if (c->unpriced_records)
		fputs("+", fp);
}

void page_value(FILE *fp, struct str s)
{
	if (s.n)
		escape_html_str(fp, s);
	else
		fputs("<i>(none)</i>", fp);
}

void page_pct(FILE *fp, uint64_t part, uint64_t whole)
{
	fprintf(fp, "%.1f%%", whole ? 100.0 * (double)part / (double)whole : 0.0);
}

void page_json(FILE *fp, struct str s)
{
	char *buf = xmalloc(s.n * 6 + 3);
	size_t k = 0;
	buf[k++] = '"';
	for (size_t i = 0; i < s.n; i++) {
		unsigned char c = (unsigned char)s.p[i];
		if (c == '"' || c == '\\') {
			buf[k++] = '\\';
			buf[k++] = (char)c;
		} else if (c < 0x20 || c == 0x7f) {
			k += (size_t)sprintf(buf + k, "\\u%04x", c);
		} else {
			buf[k++] = (char)c;
		}
	}
	buf[k++] = '"';
	escape_html(fp, buf, k);
	free(buf);
}

double page_usd_double(money_t v)
{
	return (double)(v / 1000000000u) / 1e6; /* micro-USD: plenty for a chart */
}

/* ---- cells, rows, tables, panels ---- */

void page_td_key(FILE *fp, const char *col, struct str v)
{
	fprintf(fp, "<td data-col=\"%s\"%s>", col, v.n ? "" : " data-v=\"\"");
	page_value(fp, v);
	fputs("</td>", fp);
}

void page_td_u64(FILE *fp, const char *col, uint64_t v)
{
	fprintf(fp, "<td class=\"n\" data-col=\"%s\">", col);
	page_u64(fp, v);
	fputs("</td>", fp);
}

void page_td_cost(FILE *fp, const char *col, const struct counters *c)
{
	fprintf(fp, "<td class=\"n\" data-col=\"%s\">", col);
	page_cost(fp, c);
	fputs("</td>", fp);
}

void page_td_usd(FILE *fp, const char *col, money_t v)
{
	fprintf(fp, "<td class=\"n\" data-col=\"%s\">", col);
	page_usd(fp, v);
	fputs("</td>", fp);
}

void page_td_susd(FILE *fp, const char *col, __int128 v)
{
	fprintf(fp, "<td class=\"n\" data-col=\"%s\">", col);
	page_susd(fp, v);
	fputs("</td>", fp);
}

void page_tr_where(FILE *fp, const char *const *cols, const struct str *vals, size_t n)
{
	fputs("<tr data-where=\"{", fp);
	for (size_t i = 0; i < n; i++) {
		fputs(i ? "," : "", fp);
		page_json(fp, str_from(cols[i]));
		fputc(':', fp);
		page_json(fp, vals[i]);
	}
	fputs("}\">", fp);
}

void page_thead(FILE *fp, const char *const *names, size_t n)
{
	fputs("<thead><tr>", fp);
	for (size_t i = 0; i < n; i++) {
		fputs("<th>", fp);
		escape_html_cstr(fp, names[i]);
		fputs("</th>", fp);
	}
	fputs("</tr></thead>\n", fp);
}

void page_panel_open(struct page *p, const char *id, const char *title)
{
	fprintf(p->fp, "<section id=\"%s\"><h2>%s</h2>\n", id, title);
}

void page_panel_close(struct page *p)
{
	fputs("</section>\n", p->fp);
}

void page_table_open(struct page *p, const char *kind, const char *file, const char *caption)
{
	fprintf(p->fp, "<div class=\"scroll\"><table data-%s=\"%s\"><caption>", kind, file);
	escape_html_cstr(p->fp, caption);
	fputs("</caption>\n", p->fp);
}

void page_table_close(struct page *p)
{
	fputs("</table></div>\n", p->fp);
}

/* ---- regrouping ---- */

static int by_cost(const void *a, const void *b)
{
	const struct rollup_row *x = a, *y = b;
	if (x->c->cost != y->c->cost)
		return x->c->cost < y->c->cost ? 1 : -1;
	if (x->c->invocations != y->c->invocations)
		return x->c->invocations < y->c->invocations ? 1 : -1;
	return 0;
}

static int by_calls(const void *a, const void *b)
{
	const struct rollup_row *x = a, *y = b;
	if (x->c->invocations != y->c->invocations)
		return x->c->invocations < y->c->invocations ? 1 : -1;
	return by_cost(a, b);
}

void page_group(struct page_group *pg, const struct rollup *src, const int *fields, size_t nf,
		bool by_invocations)
{
	pg->by = rollup_create(nf);
	struct str key[8];
	size_t pos = 0;
	struct rollup_row row; /* sums: any order of the rows gives the same */
	while (rollup_each(src, &pos, &row)) {
		for (size_t f = 0; f < nf; f++)
			key[f] = row.key[fields[f]];
		counters_merge(rollup_get(pg->by, key), row.c);
	}
	pg->n = rollup_count(pg->by);
	pg->rows = rollup_sorted(pg->by); /* key order first: ties stay in it (stable below) */
	/* qsort is not stable: break ties by position in key order */
	struct rollup_row *tmp = pg->rows;
	for (size_t i = 1; i < pg->n; i++) {
		struct rollup_row r = tmp[i];
		size_t j = i;
		int (*cmp)(const void *, const void *) = by_invocations ? by_calls : by_cost;
		while (j > 0 && cmp(&tmp[j - 1], &r) > 0) {
			tmp[j] = tmp[j - 1];
			j--;
		}
		tmp[j] = r;
	}
}

void page_group_finish(struct page_group *pg)
{
	free(pg->rows);
	rollup_destroy(pg->by);
	memset(pg, 0, sizeof *pg);
}

void page_others_row(FILE *fp, const struct page_group *pg, size_t from)
{
	if (pg->n <= from)
		return;
	struct counters c = { 0 };
	for (size_t i = from; i < pg->n; i++)
		counters_merge(&c, pg->rows[i].c);
	size_t n = pg->n - from;
	fprintf(fp, "<tr class=\"others\"><td>%zu other%s</td>", n, n == 1 ? "" : "s");
	page_td_u64(fp, "invocations", c.invocations);
	page_td_cost(fp, "cost_usd", &c);
	fputs("</tr>\n", fp);
}

/* ---- the run in numbers ---- */
