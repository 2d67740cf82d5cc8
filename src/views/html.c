/*
 * html.c - report.html: the page, its style sheet, the helpers the panels
 * share, and the first panel (the run in numbers).
 */
#include "ledger/views/html.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "html_page.h"
#include "ledger/support/escape.h"
#include "ledger/support/xalloc.h"

/* Inline only: the page's Content-Security-Policy allows nothing else. */
static const char style[] =
    ":root{--ink:#1d232b;--mute:#5b6670;--line:#d7dde3;--bg:#fff;--band:#f4f6f8}"
    "*{box-sizing:border-box}"
    "body{margin:0;font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;"
    "color:var(--ink);background:var(--bg)}"
    "main{max-width:1180px;margin:0 auto;padding:16px}"
    "header{border-bottom:2px solid var(--ink);margin-bottom:8px}"
    "h1{font-size:1.5em;margin:.4em 0}h2{font-size:1.2em;margin:0 0 .3em}"
    "nav{font-size:.9em;margin:.5em 0 1em;display:flex;flex-wrap:wrap;gap:2px 14px}"
    "section{border:1px solid var(--line);border-radius:6px;padding:14px 16px;margin:0 0 16px;"
    "break-inside:avoid-page}"
    ".answer{font-size:1.08em;font-weight:600;margin:.2em 0 .6em}"
    ".note{color:var(--mute);font-size:.88em}"
    ".pair{display:grid;grid-template-columns:minmax(0,1fr) minmax(0,1fr);gap:16px;"
    "align-items:start}"
    ".scroll{overflow-x:auto;max-width:100%}"
    "table{border-collapse:collapse;font-size:.86em;margin:.3em 0 .8em}"
    "caption{text-align:left;font-weight:600;padding:.2em 0;white-space:nowrap}"
    "th,td{border-bottom:1px solid var(--line);padding:3px 8px;text-align:left;"
    "vertical-align:top}"
    "th{background:var(--band);white-space:nowrap}"
    "td{overflow-wrap:break-word;max-width:28em}td:first-child{white-space:nowrap;max-width:none}"
    "td.n,th.n{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}"
    "tr.others td,tr.total td{font-style:italic}tr.total td{font-weight:600}"
    "td.low{background:#fde8d7}"
    "dl.books{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:0}"
    "dl.books dt{color:var(--mute)}dl.books dd{margin:0}"
    ".legend{display:flex;flex-wrap:wrap;gap:4px 12px;font-size:.85em;margin:.2em 0}"
    ".sw{display:inline-block;width:.9em;height:.9em;margin-right:4px;vertical-align:-1px}"
    "svg.chart{width:100%;max-width:760px;height:auto;display:block;margin:.3em 0}"
    "svg text{font:11px system-ui,sans-serif;fill:var(--ink)}"
    "svg .tick{text-anchor:end;fill:var(--mute)}svg .xlabel{text-anchor:middle}"
    "svg .slant{text-anchor:end}svg .grid{stroke:var(--line)}"
    "svg .line{fill:none;stroke:#4e79a7;stroke-width:1.5}"
    "svg .spike{fill:#e15759;stroke:#fff}"
    "svg .up{fill:#e15759}svg .down{fill:#59a14f}svg .total{fill:#4e79a7}"
    ".s0{fill:#4e79a7;background:#4e79a7}.s1{fill:#f28e2b;background:#f28e2b}"
    ".s2{fill:#e15759;background:#e15759}.s3{fill:#76b7b2;background:#76b7b2}"
    ".s4{fill:#59a14f;background:#59a14f}.s5{fill:#edc948;background:#edc948}"
    ".s6{fill:#b07aa1;background:#b07aa1}.s7{fill:#ff9da7;background:#ff9da7}"
    ".s8{fill:#9c755f;background:#9c755f}.s9{fill:#bab0ac;background:#bab0ac}"
    "ul.todo li{margin:.3em 0}"
    "@media (max-width:760px){main{padding:8px}.pair{grid-template-columns:minmax(0,1fr)}"
    "section{padding:10px}body{font-size:14px}svg text{font-size:17px}}"
    "@media print{body{font-size:10pt}main{max-width:none;padding:0}nav{display:none}"
    "section{border:none;padding:0;margin:0 0 12pt}.scroll{overflow:visible}"
    "td{max-width:none}a{color:inherit;text-decoration:none}"
    ".s0,.s1,.s2,.s3,.s4,.s5,.s6,.s7,.s8,.s9,td.low{-webkit-print-color-adjust:exact;"
    "print-color-adjust:exact}}";

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
	struct rollup_row *rows = rollup_sorted(src);
	struct str key[8];
	for (size_t i = 0; i < rollup_count(src); i++) {
		for (size_t f = 0; f < nf; f++)
			key[f] = rows[i].key[fields[f]];
		counters_merge(rollup_get(pg->by, key), rows[i].c);
	}
	free(rows);
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

struct counters page_rest(const struct page_group *pg, size_t from)
{
	struct counters c = { 0 };
	for (size_t i = from; i < pg->n; i++)
		counters_merge(&c, pg->rows[i].c);
	return c;
}

/* ---- the run in numbers ---- */

static void put_ts(FILE *fp, struct ts t)
{
	char buf[21];
	ts_format(t, buf);
	fputs(buf, fp);
}

static void overview(struct page *p)
{
	FILE *fp = p->fp;
	const struct summary *t = p->t;
	const struct counters *c = &t->all;
	page_panel_open(p, "run", "The run");
	fputs("<p class=\"answer\">", fp);
	page_u64(fp, c->invocations);
	fputs(" invocations", fp);
	if (t->unpriced.invocations) {
		fputs("; the ", fp);
		page_u64(fp, c->invocations - t->unpriced.invocations);
		fputs(c->invocations - t->unpriced.invocations == 1 ? " priced one" : " priced ones", fp);
	}
	fputs(" cost ", fp);
	page_usd(fp, c->cost);
	if (t->has_period) {
		fputs(" from ", fp);
		put_ts(fp, t->first);
		fputs(" to ", fp);
		put_ts(fp, t->last);
	}
	fputs(".</p>\n<dl class=\"books\">", fp);
	fputs("<dt>records</dt><dd>", fp);
	page_u64(fp, t->records_read);
	fputs(" read = ", fp);
	page_u64(fp, t->counted);
	fputs(" counted + ", fp);
	page_u64(fp, t->rejected);
	fputs(" rejected + ", fp);
	page_u64(fp, t->filtered);
	fputs(" filtered", fp);
	if (t->records_read != t->counted + t->rejected + t->filtered)
		fputs(" <b>(does not balance)</b>", fp);
	fputs("</dd><dt>objects</dt><dd>", fp);
	page_u64(fp, t->objects_read);
	fputs(" read, ", fp);
	page_u64(fp, t->objects_skipped);
	fputs(" skipped, ", fp);
	page_u64(fp, t->objects_error);
	fputs(" with errors (sources.csv)</dd><dt>invocations</dt><dd>", fp);
	page_u64(fp, c->invocations);
	fputs(", ", fp);
	page_u64(fp, c->errors);
	fputs(" with an error</dd><dt>tokens</dt><dd>input ", fp);
	page_u64(fp, c->tokens[TOKEN_INPUT]);
	fputs(", output ", fp);
	page_u64(fp, c->tokens[TOKEN_OUTPUT]);
	fputs(", cache read ", fp);
	page_u64(fp, c->tokens[TOKEN_CACHE_READ]);
	fputs(", cache write ", fp);
	page_u64(fp, c->tokens[TOKEN_CACHE_WRITE]);
	fputs(" (1-hour TTL ", fp);
	page_u64(fp, c->tokens[TOKEN_CACHE_WRITE_1H]);
	fputs(")</dd><dt>cost</dt><dd>", fp);
	page_usd(fp, c->cost);
	fputs(" at the prices of ", fp);
	escape_html_cstr(fp, t->prices_name);
	fputs("</dd><dt>unpriced</dt><dd>", fp);
	page_u64(fp, t->unpriced.invocations);
	fputs(" invocations (", fp);
	page_pct(fp, t->unpriced.invocations, c->invocations);
	fputs(t->unpriced.invocations ? "): see <a href=\"#fix\">what to fix</a>" : ")", fp);
	fputs("</dd><dt>unattributed</dt><dd>", fp);
	page_u64(fp, t->unattributed.invocations);
	fputs(" invocations (", fp);
	page_pct(fp, t->unattributed.invocations, c->invocations);
	fputs(")", fp);
	if (t->unattributed.invocations)
		fprintf(fp,
			": %" PRIu64 " application profile%s in no manifest, %" PRIu64
			" without a model; export them with aws bedrock list-inference-profiles"
			" --type-equals APPLICATION (and their tags with aws"
			" resourcegroupstaggingapi get-resources) per account and region, and"
			" pass the files with --manifest",
			t->missing.profiles, t->missing.profiles == 1 ? "" : "s",
			t->no_model.profiles);
	fputs("</dd></dl>\n", fp);
	page_panel_close(p);
}

static void page_head(struct page *p)
{
	FILE *fp = p->fp;
	fputs("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
	      "style-src 'unsafe-inline'\">\n"
	      "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
	      "<title>Bedrock ledger</title>\n<style>",
	      fp);
	fputs(style, fp);
	fputs("</style></head>\n<body><main>\n<header><h1>Amazon Bedrock usage", fp);
	if (p->t->has_period) {
		char a[11], b[11];
		ts_format_day(p->t->first, a);
		ts_format_day(p->t->last, b);
		fprintf(fp, ", %s to %s", a, b);
	}
	fputs("</h1><p class=\"note\">Written by bedrock-ledger from Amazon Bedrock model"
	      " invocation logs. Its numbers come from the same tables as the CSV files beside it"
	      " (money rounded half up to 6 decimals, as there).</p></header>\n"
	      "<nav><a href=\"#run\">run</a><a href=\"#spend\">who spends</a>"
	      "<a href=\"#models\">models and what-if</a><a href=\"#timeline\">hours</a>"
	      "<a href=\"#direct\">direct calls</a><a href=\"#residency\">residency</a>"
	      "<a href=\"#cache\">cache</a>",
	      fp);
	if (p->t->bill)
		fputs("<a href=\"#bill\">bill</a>", fp);
	fputs("<a href=\"#coverage\">coverage</a><a href=\"#fix\">what to fix</a></nav>\n", fp);
}

void html_write(FILE *fp, const struct summary *t, const struct layout_plan *plan,
		const struct tally *all)
{
	struct page p = { fp, t, plan, all, plan->g };
	page_head(&p);
	overview(&p);
	page_spend(&p);
	page_models(&p);
	page_timeline(&p);
	page_direct(&p);
	page_residency(&p);
	page_cache(&p);
	if (t->bill)
		page_reconcile(&p);
	page_coverage(&p);
	page_fix(&p);
	fputs("</main></body></html>\n", fp);
}
