/*
 * html.c - report.html: the page, its style sheet, and the first panel (the
 * run in numbers); the other panels are html_spend.c's and html_more.c's,
 * and what they share is html_page.c's.
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

static void put_ts(FILE *fp, struct ts t)
{
	char buf[21];
	ts_format(t, buf);
	fputs(buf, fp);
}

/* The run in one sentence: invocations, cost, period. */
static void put_answer(FILE *fp, const struct summary *t)
{
	const struct counters *c = &t->all;
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
	fputs(".</p>\n", fp);
}

static void overview(struct page *p)
{
	FILE *fp = p->fp;
	const struct summary *t = p->t;
	const struct counters *c = &t->all;
	page_panel_open(p, "run", "The run");
	put_answer(fp, t);
	fputs("<dl class=\"books\">", fp);
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
