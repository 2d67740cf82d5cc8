/*
 * focus.c - app_day.csv's priced rows in the columns of FinOps FOCUS 1.2
 * (https://focus.finops.org/focus-specification/v1-2/).
 */
#include "ledger/views/focus.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/price/modelid.h"
#include "ledger/support/xalloc.h"

#define AWS "Amazon Web Services"
#define SOURCE                                                                                     \
	"estimate from Amazon Bedrock invocation logs by bedrock-ledger, not an invoice: "         \
	"costs at the price table's prices"

/*
 * FOCUS's Publisher is the company that built what was bought (its
 * Origination of cost data appendix, scenario 3.1): the model's vendor. A
 * vendor not named here is written as its model-ID prefix.
 */
static const char *const publishers[][2] = {
	{ "ai21", "AI21 Labs" }, { "amazon", AWS },	      { "anthropic", "Anthropic" },
	{ "cohere", "Cohere" },	 { "deepseek", "DeepSeek" },  { "google", "Google" },
	{ "meta", "Meta" },	 { "mistral", "Mistral AI" }, { "openai", "OpenAI" },
	{ "qwen", "Qwen" },	 { "writer", "Writer" },
};

/* A growable text buffer for the cells built here. */
struct buf {
	char *p;
	size_t n, cap;
};

static void put(struct buf *b, const char *s, size_t n)
{
	if (b->cap - b->n < n + 1) {
		b->cap = 2 * (b->n + n) + 64;
		b->p = xrealloc(b->p, b->cap);
	}
	memcpy(b->p + b->n, s, n);
	b->n += n;
	b->p[b->n] = '\0';
}

static void put_cstr(struct buf *b, const char *s)
{
	put(b, s, strlen(s));
}

/* s as a JSON string, quotes included (RFC 8259 escapes; other bytes as they are). */
static void put_json_string(struct buf *b, struct str s)
{
	put(b, "\"", 1);
	for (size_t i = 0; i < s.n; i++) {
		unsigned char c = (unsigned char)s.p[i];
		char esc[8];
		if (c == '"' || c == '\\') {
			esc[0] = '\\', esc[1] = (char)c;
			put(b, esc, 2);
		} else if (c < 0x20) {
			snprintf(esc, sizeof esc, "\\u%04x", c);
			put(b, esc, 6);
		} else {
			put(b, (const char *)&c, 1);
		}
	}
	put(b, "\"", 1);
}

static void publisher_of(struct str model, struct buf *b)
{
	size_t geo = modelid_geo_prefix_len(model);
	struct str m = { model.p + geo, model.n - geo };
	const char *dot = memchr(m.p, '.', m.n);
	if (!dot) {
		put_cstr(b, AWS);
		return;
	}
	struct str vendor = { m.p, (size_t)(dot - m.p) };
	for (size_t i = 0; i < sizeof publishers / sizeof publishers[0]; i++) {
		if (str_eq(vendor, str_from(publishers[i][0]))) {
			put_cstr(b, publishers[i][1]);
			return;
		}
	}
	put(b, vendor.p, vendor.n);
}

/* "YYYY-MM-01T00:00:00Z" of the month of day (YYYY-MM-DD, a C string), or of the month after. */
static void month_bound(const char *day, bool next, char out[32])
{
	int y = 0, m = 0;
	sscanf(day, "%4d-%2d", &y, &m);
	if (next && ++m > 12)
		m = 1, y++;
	snprintf(out, 32, "%04d-%02d-01T00:00:00Z", y, m);
}

static void write_periods(struct report_file *f, struct str day, bool billing)
{
	char text[32], d[11] = { 0 };
	struct ts t = { 0, 0 };
	memcpy(d, day.p, day.n < 10 ? day.n : 10);
	ts_parse_bound(d, &t);
	if (billing) { /* BillingPeriodEnd, BillingPeriodStart */
		month_bound(d, true, text);
		report_cstr(f, text);
		month_bound(d, false, text);
		report_cstr(f, text);
		return;
	}
	/* ChargePeriodEnd, ChargePeriodStart */
	report_ts(f, true, (struct ts){ t.sec + 86400, 0 });
	report_ts(f, true, t);
}

/* The columns of app_day.csv read here. */
struct cols {
	const struct plan_report *pr;
	int day, model;
};

static void write_row(struct report_file *f, const struct cols *k, const struct rollup_row *row,
		      const char *account, struct buf *b)
{
	const struct plan_report *pr = k->pr;
	const struct counters *c = row->c;
	struct str day = row->key[k->day], model = row->key[k->model];
	uint64_t tokens = 0;
	for (int k = 0; k < TOKEN_LOGGED; k++)
		tokens += c->tokens[k];

	report_money(f, c->cost); /* BilledCost */
	report_cstr(f, account ? account : "unknown");
	report_empty(f);       /* BillingAccountName: the payer's, which logs do not name */
	report_cstr(f, "USD"); /* BillingCurrency */
	write_periods(f, day, true);
	report_cstr(f, "Usage"); /* ChargeCategory */
	report_empty(f);	 /* ChargeClass: not a correction */
	b->n = 0;
	put_cstr(b, "Amazon Bedrock invocations of ");
	put(b, model.p, model.n);
	put_cstr(b, ", estimated from invocation logs");
	report_text(f, (struct str){ b->p, b->n }); /* ChargeDescription */
	report_cstr(f, "Usage-Based");		    /* ChargeFrequency */
	write_periods(f, day, false);
	report_u64(f, tokens); /* ConsumedQuantity */
	report_cstr(f, "Tokens");
	report_money(f, c->cost); /* ContractedCost */
	report_money(f, c->cost); /* EffectiveCost */
	report_cstr(f, AWS);	  /* InvoiceIssuerName */
	report_money(f, c->cost); /* ListCost */
	report_u64(f, tokens);	  /* PricingQuantity */
	report_cstr(f, "Tokens");
	report_cstr(f, AWS); /* ProviderName */
	b->n = 0;
	publisher_of(model, b);
	report_text(f, (struct str){ b->p, b->n });
	report_cstr(f, "AI and Machine Learning");
	report_cstr(f, "Amazon Bedrock");
	report_cstr(f, "Generative AI"); /* ServiceSubcategory */
	b->n = 0;
	put(b, "{", 1);
	for (size_t i = 0, first = 1; i < pr->ncols; i++) {
		if (!pr->cols[i].group || !row->key[i].n)
			continue;
		put_cstr(b, first ? "" : ",");
		put_json_string(b, str_from(pr->cols[i].header));
		put(b, ":", 1);
		put_json_string(b, row->key[i]);
		first = 0;
	}
	put(b, "}", 1);
	report_text(f, (struct str){ b->p, b->n }); /* Tags */
	report_text(f, model);
	report_u64(f, c->invocations);
	report_cstr(f, SOURCE);
	report_end_row(f);
}

void focus_write(struct report_file *f, const struct layout_plan *plan,
		 const struct rollup *app_day, const char *account)
{
	struct cols k = { &plan->reports[LAYOUT_APP_DAY],
			  layout_column_of(plan, LAYOUT_APP_DAY, FIELD_DAY),
			  layout_column_of(plan, LAYOUT_APP_DAY, FIELD_MODEL) };
	struct rollup_row *rows = rollup_sorted(app_day);
	struct buf b = { 0 };
	for (size_t i = 0; i < rollup_count(app_day); i++) {
		const struct counters *c = rows[i].c;
		/* a cost: some of its records are priced (app_day.csv's cost_usd) */
		if (c->invocations && c->unpriced_records < c->invocations)
			write_row(f, &k, &rows[i], account, &b);
	}
	free(b.p);
	free(rows);
}
