/*
 * cur_row.c - a CUR header and rows -> the staging bill: columns by name,
 * which rows are Bedrock's, the cells each needs, and the key.
 */
#include "cur_row.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/bill/usagetype.h"
#include "ledger/price/headers.h"
#include "ledger/support/table.h"
#include "ledger/support/xalloc.h"

#define SECONDS_PER_DAY 86400

/* Each column's names, in the order they are preferred: [0] CUR 2.0, [1] classic CUR. */
static const char *const col_names[CUR_COL_COUNT][5] = {
	[CUR_COL_USAGE_TYPE] = { "line_item_usage_type", "lineItem/UsageType" },
	[CUR_COL_ITEM_TYPE] = { "line_item_line_item_type", "lineItem/LineItemType" },
	[CUR_COL_START] = { "line_item_usage_start_date", "lineItem/UsageStartDate" },
	[CUR_COL_AMOUNT] = { "line_item_usage_amount", "lineItem/UsageAmount" },
	[CUR_COL_COST] = { "line_item_unblended_cost", "lineItem/UnblendedCost" },
	[CUR_COL_PRODUCT_CODE] = { "line_item_product_code", "lineItem/ProductCode" },
	[CUR_COL_UNIT] = { "pricing_unit", "pricing/unit" },
	[CUR_COL_DESCRIPTION] = { "line_item_line_item_description",
				  "lineItem/LineItemDescription" },
	[CUR_COL_ENTITY] = { "bill_billing_entity", "bill/BillingEntity" },
	[CUR_COL_REGION] = { "product_region_code", "product/regionCode", "product_region",
			     "product/region" },
	[CUR_COL_SERVICECODE] = { "product_servicecode", "product/servicecode" },
	[CUR_COL_PRODUCT_NAME] = { "product_product_name", "product/ProductName", "product_name" },
	[CUR_COL_PRODUCT_MAP] = { "product" },
	[CUR_COL_END] = { "line_item_usage_end_date", "lineItem/UsageEndDate" },
	[CUR_COL_LINE_ITEM_ID] = { "identity_line_item_id", "identity/LineItemId" },
	[CUR_COL_PRINCIPAL] = { "line_item_iam_principal" },
};

static const char *const bedrock_codes[] = { "AmazonBedrock", "AmazonBedrockService",
					     "AmazonBedrockFoundationModels",
					     "AmazonBedrockAgentCore" };

static int on_row(void *ctx, struct csvrows *csv, const struct csvrows_row *row);

void cur_parser_start(struct cur_parser *p, const struct cur_config *cfg, const char *name)
{
	*p = (struct cur_parser){ .cfg = cfg, .name = name, .stage = cur_bill_create(), .line = 1 };
	p->csv = csvrows_create(name, on_row, p);
	p->cache = cur_class_cache_create();
}

void cur_parser_end(struct cur_parser *p)
{
	csvrows_destroy(p->csv);
	cur_bill_destroy(p->stage);
	for (int c = 0; c < CUR_COL_COUNT; c++)
		free(p->col_name[c]);
	free(p->json.p);
	free(p->json_region.p);
	cur_class_cache_destroy(p->cache);
	*p = (struct cur_parser){ 0 };
}

static int fail(struct cur_parser *p)
{
	if (!p->failed) {
		uint64_t line = csvrows_diag(p->csv)->line;
		p->failed = true;
		p->fail_line = line ? line : p->line;
	}
	return -1;
}

static int feed_raw(struct cur_parser *p, const char *text, size_t n)
{
	if (p->failed)
		return -1;
	return csvrows_feed(p->csv, text, n) == 0 ? 0 : fail(p);
}

/* Line ends as csvrows counts them (LF, CRLF, a lone CR), memchr-fast when there is no CR. */
static unsigned long count_line_ends(const char *p, size_t n)
{
	const char *end = p + n;
	unsigned long c = 0;
	for (const char *q = p; (q = memchr(q, '\n', (size_t)(end - q))); q++)
		c++;
	for (const char *q = p; (q = memchr(q, '\r', (size_t)(end - q))); q++)
		c += q + 1 == end || q[1] != '\n';
	return c;
}

int cur_parser_feed(struct cur_parser *p, unsigned long line, const char *text, size_t n)
{
	static const char newlines[256] = { [0 ... 255] = '\n' };
	while (line > p->line && !p->failed) {
		unsigned long k =
		    line - p->line < sizeof newlines ? line - p->line : sizeof newlines;
		feed_raw(p, newlines, k);
		p->line += k;
	}
	if (feed_raw(p, text, n))
		return -1;
	p->line += count_line_ends(text, n);
	return 0;
}

void cur_parser_take_header(struct cur_parser *p, const struct cur_parser *src)
{
	p->header_done = src->header_done;
	p->nfields = src->nfields;
	for (int c = 0; c < CUR_COL_COUNT; c++) {
		p->col[c] = src->col[c];
		p->col_name[c] = src->col_name[c] ? xstrdup(src->col_name[c]) : NULL;
	}
}

int cur_parser_finish(struct cur_parser *p)
{
	if (p->failed)
		return -1;
	return csvrows_finish(p->csv) == 0 ? 0 : fail(p);
}

static char lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool eq_ci(struct str s, const char *name)
{
	size_t n = strlen(name);
	if (s.n != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (lower(s.p[i]) != lower(name[i]))
			return false;
	return true;
}

bool cur_header_is(const struct csvrows_row *row)
{
	for (size_t i = 0; i < row->nfields; i++)
		for (size_t k = 0; k < 2; k++)
			if (eq_ci(row->field[i], col_names[CUR_COL_USAGE_TYPE][k]))
				return true;
	return false;
}

/* What the header says instead, when it is recognisably no CUR. */
static const char *header_hint(const struct csvrows_row *row)
{
	struct str first = row->field[0];
	if (first.n && (first.p[0] == '{' || first.p[0] == '['))
		return " (this looks like JSON, such as an invocation log, not a CUR export)";
	if (row->nfields == 1 && memchr(first.p, ';', first.n))
		return " (the header is separated by semicolons: export the CUR with commas)";
	if (prices_header_is(row))
		return " (this is a price table: give it with --prices)";
	if (billing_names_header_is(row))
		return " (this is a billing-name table: give it with --billing-names)";
	if (manifest_header_is(row))
		return " (this is a manifest: give it with --manifest)";
	return "";
}

static int missing_columns(struct cur_parser *f, struct csvrows *csv, const struct csvrows_row *row)
{
	bool classic = false;
	for (size_t i = 0; i < row->nfields; i++)
		classic |= memchr(row->field[i].p, '/', row->field[i].n) != NULL;
	char list[512];
	size_t n = 0;
	for (int c = 0; c < CUR_COL_REQUIRED; c++) {
		if (f->col[c] != SIZE_MAX)
			continue;
		int k = snprintf(list + n, sizeof list - n, "%s%s", n ? ", " : "",
				 col_names[c][classic ? 1 : 0]);
		if (k > 0 && (size_t)k < sizeof list - n)
			n += (size_t)k;
	}
	return csvrows_fail(csv, row->line, "missing CUR columns: %s%s", list, header_hint(row));
}

static int read_header(struct cur_parser *f, struct csvrows *csv, const struct csvrows_row *row)
{
	size_t rank[CUR_COL_COUNT];
	for (int c = 0; c < CUR_COL_COUNT; c++)
		f->col[c] = rank[c] = SIZE_MAX;
	for (size_t i = 0; i < row->nfields; i++) {
		for (int c = 0; c < CUR_COL_COUNT; c++) {
			for (size_t k = 0; k < 5 && col_names[c][k]; k++) {
				if (!eq_ci(row->field[i], col_names[c][k]))
					continue;
				if (k == rank[c])
					return csvrows_fail(csv, row->line,
							    "duplicate column \"%.*s\"",
							    (int)row->field[i].n, row->field[i].p);
				if (k < rank[c]) {
					rank[c] = k;
					f->col[c] = i;
				}
			}
		}
	}
	for (int c = 0; c < CUR_COL_REQUIRED; c++)
		if (f->col[c] == SIZE_MAX)
			return missing_columns(f, csv, row);
	for (int c = 0; c < CUR_COL_COUNT; c++)
		if (f->col[c] != SIZE_MAX)
			f->col_name[c] = xmemdup0(row->field[f->col[c]].p, row->field[f->col[c]].n);
	f->nfields = row->nfields;
	f->header_done = true;
	cur_bill_counts(f->stage)->principal_files += f->col[CUR_COL_PRINCIPAL] != SIZE_MAX;
	return 0;
}

static struct str cell(const struct cur_parser *f, const struct csvrows_row *row, enum cur_col c)
{
	size_t i = f->col[c];
	return i < row->nfields ? row->field[i] : (struct str){ "", 0 };
}

static bool is_bedrock_code(struct str code)
{
	for (size_t i = 0; i < sizeof bedrock_codes / sizeof bedrock_codes[0]; i++)
		if (str_eq(code, str_from(bedrock_codes[i])))
			return true;
	return false;
}

/* The product name: its own column, else the product map's product_name. */
static enum jsonmap_result product_name(struct cur_parser *f, const struct csvrows_row *row,
					struct str *name)
{

	if (f->col[CUR_COL_PRODUCT_NAME] != SIZE_MAX) {
		*name = cell(f, row, CUR_COL_PRODUCT_NAME);
		return name->n ? JSONMAP_FOUND : JSONMAP_ABSENT;
	}
	if (f->col[CUR_COL_PRODUCT_MAP] != SIZE_MAX)
		return jsonmap_get(cell(f, row, CUR_COL_PRODUCT_MAP), "product_name", &f->json,
				   name);
	return JSONMAP_ABSENT;
}

enum scope { SCOPE_OTHER, SCOPE_BEDROCK, SCOPE_UNREADABLE };

/* reference/cur.md §3; a Marketplace row's product name is kept in *name. */
static enum scope scope_of(struct cur_parser *f, const struct csvrows_row *row, struct str *name,
			   bool *have_name)
{

	bool any_entity = f->col[CUR_COL_ENTITY] == SIZE_MAX;
	struct str entity = cell(f, row, CUR_COL_ENTITY);
	if ((any_entity || str_eq(entity, STR_LIT("AWS"))) &&
	    (is_bedrock_code(cell(f, row, CUR_COL_PRODUCT_CODE)) ||
	     is_bedrock_code(cell(f, row, CUR_COL_SERVICECODE))))
		return SCOPE_BEDROCK;
	if (!any_entity && !str_eq(entity, STR_LIT("AWS Marketplace")))
		return SCOPE_OTHER;
	enum jsonmap_result res = product_name(f, row, name);
	if (res == JSONMAP_INVALID)
		return SCOPE_UNREADABLE;
	*have_name = true;
	if (res == JSONMAP_FOUND && name->n >= 7 && memmem(name->p, name->n, "Bedrock", 7))
		return SCOPE_BEDROCK;
	return SCOPE_OTHER;
}

static int bad_value(struct csvrows *csv, const struct csvrows_row *row, const struct cur_parser *f,
		     enum cur_col c, const char *problem)
{
	struct str v = cell(f, row, c);
	return csvrows_fail(csv, row->line, "%s \"%.*s%s\" %s", f->col_name[c], DIAG_CELL(v),
			    problem);
}

static int read_decimal(struct csvrows *csv, const struct csvrows_row *row,
			const struct cur_parser *f, enum cur_col c, struct decimal *out)
{
	struct str v = cell(f, row, c);
	if (decimal_parse(v.p, v.n, out) == 0)
		return 0;
	return bad_value(csv, row, f, c, decimal_problem(v.p, v.n));
}

/* A start date: ts.h's forms, or with a space for the T (Athena's output). */
static int parse_start(struct str s, struct ts *out)
{
	char buf[40];
	if (s.n == 0 || s.n >= sizeof buf)
		return -1;
	memcpy(buf, s.p, s.n);
	buf[s.n] = '\0';
	if (s.n > 10 && buf[10] == ' ')
		buf[10] = 'T';
	return ts_parse_bound(buf, out);
}

/* A date cell through its cache: 0, or -1 when it is not a date. */
static int cached_date(struct str v, struct cur_date_cache *c, struct ts *out)
{
	if (v.n && v.n == c->n && memcmp(v.p, c->text, v.n) == 0) {
		*out = c->ts;
		return 0;
	}
	if (parse_start(v, out) != 0)
		return -1;
	memcpy(c->text, v.p, v.n);
	c->n = v.n;
	c->ts = *out;
	return 0;
}

static int read_start(struct csvrows *csv, const struct csvrows_row *row, struct cur_parser *f,
		      struct ts *out)
{
	struct str v = cell(f, row, CUR_COL_START);
	if (cached_date(v, &f->last_start, out) != 0)
		return bad_value(csv, row, f, CUR_COL_START,
				 v.n ? "is not a date and time" : "is empty");
	return 0;
}

/*
 * A MONTHLY export puts a month on one row: it cannot be compared by day
 * (reference/cur.md §1), and summing it into its first day would be a silent
 * error. A row of 28 days or more says so; the end date is read for nothing
 * else, and one that is not a date is left alone.
 */
#define MONTHLY_SECONDS (28 * 86400)

static int check_span(struct csvrows *csv, const struct csvrows_row *row, struct cur_parser *f,
		      struct ts start)
{
	struct ts end;
	struct str s = cell(f, row, CUR_COL_START), e = cell(f, row, CUR_COL_END);
	if (f->col[CUR_COL_END] == SIZE_MAX || cached_date(e, &f->last_end, &end) != 0 ||
	    end.sec - start.sec < MONTHLY_SECONDS)
		return 0;
	return csvrows_fail(csv, row->line,
			    "a usage row from %.*s to %.*s: this export's time granularity is "
			    "MONTHLY, which cannot be compared by day: export the CUR HOURLY or "
			    "DAILY",
			    (int)s.n, s.p, (int)e.n, e.p);
}

static bool in_window(const struct cur_parser *f, struct ts t)
{
	const struct cur_config *c = f->cfg;
	return (!c->has_since || ts_cmp(t, c->since) >= 0) &&
	       (!c->has_until || ts_cmp(t, c->until) < 0);
}

/* A row whose field count is not the header's: an error if it is Bedrock's, else skipped. */
static int wrong_width(struct cur_parser *f, struct csvrows *csv, const struct csvrows_row *row)
{
	if (is_bedrock_code(cell(f, row, CUR_COL_PRODUCT_CODE)) ||
	    is_bedrock_code(cell(f, row, CUR_COL_SERVICECODE)))
		return csvrows_fail(csv, row->line, "%zu field%s, but the header has %zu",
				    row->nfields, row->nfields == 1 ? "" : "s", f->nfields);
	cur_bill_counts(f->stage)->malformed++;
	return 0;
}

/* The source region when the prefix gave none and no column holds one: the product map's. */
static int map_region(struct cur_parser *f, struct csvrows *csv, const struct csvrows_row *row,
		      struct str *region)
{

	if (f->col[CUR_COL_REGION] != SIZE_MAX || f->col[CUR_COL_PRODUCT_MAP] == SIZE_MAX)
		return 0;
	struct str v;
	switch (jsonmap_get(cell(f, row, CUR_COL_PRODUCT_MAP), "region", &f->json_region, &v)) {
	case JSONMAP_FOUND:
		*region = v;
		return 0;
	case JSONMAP_ABSENT:
		return 0;
	case JSONMAP_INVALID:
		break;
	}
	return csvrows_fail(csv, row->line, "the %s cell is not a JSON object",
			    f->col_name[CUR_COL_PRODUCT_MAP]);
}

static int64_t day_of(struct ts t)
{
	int64_t d = t.sec / SECONDS_PER_DAY;
	return t.sec % SECONDS_PER_DAY < 0 ? d - 1 : d;
}

/* Classifies the usage type and names its region and model (uncached). */
static int resolve(struct cur_parser *p, struct csvrows *csv, const struct csvrows_row *row,
		   const struct usagetype_in *in, struct cur_resolved *r, bool *cacheable)
{
	usagetype_classify(in, &r->cls);
	r->region = r->cls.region;
	*cacheable = true;
	if (!r->cls.prefix_known && r->region.n == 0) {
		*cacheable = false; /* the region comes from the row's product map */
		if (map_region(p, csv, row, &r->region))
			return -1;
	}
	r->model = r->cls.rest;
	r->unknown = false;
	if (r->cls.kind != USAGE_KIND_OTHER &&
	    !billing_names_lookup(p->cfg->names, r->cls.billing_name, &r->model)) {
		r->model = r->cls.billing_name;
		r->unknown = true;
	}
	return 0;
}

/* The counters of a summed row that say what its region and unit rest on. */
static void count_class(struct cur_parser *p, const struct usagetype_class *cls, struct str region,
			struct str column)
{
	struct cur_counts *n = cur_bill_counts(p->stage);
	if (cls->prefix.n && !cls->prefix_known)
		n->unknown_prefix++;
	if (cls->prefix_known && column.n && !str_eq(column, region))
		n->region_differs++;
	if (cls->unit_unknown)
		n->unit_unknown++;
}

/* A Bedrock Usage row: every cell checked, then summed when in the window. */
static int read_usage(struct cur_parser *p, struct csvrows *csv, const struct csvrows_row *row,
		      struct str mp_name, bool have_name)
{
	struct ts start;
	struct decimal amount, cost;
	if (read_start(csv, row, p, &start) || check_span(csv, row, p, start) ||
	    read_decimal(csv, row, p, CUR_COL_AMOUNT, &amount) ||
	    read_decimal(csv, row, p, CUR_COL_COST, &cost))
		return -1;
	if (!in_window(p, start)) {
		cur_bill_counts(p->stage)->outside_window++;
		return 0;
	}
	struct usagetype_in in = {
		.usage_type = cell(p, row, CUR_COL_USAGE_TYPE),
		.product_code = cell(p, row, CUR_COL_PRODUCT_CODE),
		.product_name = mp_name,
		.region_code = cell(p, row, CUR_COL_REGION),
		.unit = cell(p, row, CUR_COL_UNIT),
		.description = cell(p, row, CUR_COL_DESCRIPTION),
	};
	if (!have_name && memmem(in.usage_type.p, in.usage_type.n, "MP:", 3) &&
	    product_name(p, row, &in.product_name) == JSONMAP_INVALID)
		return csvrows_fail(csv, row->line, "the %s cell is not a JSON object",
				    p->col_name[CUR_COL_PRODUCT_MAP]);
	const struct str cells[CUR_CACHE_CELLS] = { in.usage_type,   in.product_code,
						    in.product_name, in.region_code,
						    in.unit,	     in.description };
	struct cur_resolved r;
	if (!cur_class_cache_get(p->cache, cells, &r)) {
		bool cacheable;
		if (resolve(p, csv, row, &in, &r, &cacheable))
			return -1;
		if (cacheable)
			cur_class_cache_put(p->cache, cells, &r);
	}
	count_class(p, &r.cls, r.region, in.region_code);

	struct cur_key key = { day_of(start), r.region,	  r.model,	r.cls.kind,
			       r.cls.routing, r.cls.tier, r.cls.context };
	struct decimal tokens = DECIMAL_ZERO; /* exact: rounded once per key (cur_bill.h) */
	int64_t whole;
	if (r.cls.kind != USAGE_KIND_OTHER &&
	    (decimal_mul_int(amount, r.cls.unit_tokens, &tokens) != 0 ||
	     decimal_to_integer(tokens, 1, &whole) != 0))
		return bad_value(csv, row, p, CUR_COL_AMOUNT, "is too large");
	if (cur_bill_add(p->stage, &key, tokens, cost, r.cls.category, r.unknown, r.cls.geo) != 0 ||
	    (p->col[CUR_COL_PRINCIPAL] != SIZE_MAX &&
	     cur_bill_add_caller(p->stage, key.day, cell(p, row, CUR_COL_PRINCIPAL), cost) != 0))
		return csvrows_fail(csv, row->line,
				    "the bill's sums grow too large to add up exactly");
	cur_bill_counts(p->stage)->usage++;
	return 0;
}

/* Does a cell hold "Bedrock"? The cutter's test (cur.c), on the cells. */
static bool row_mentions_bedrock(const struct csvrows_row *row)
{
	for (size_t i = 0; i < row->nfields; i++)
		if (row->field[i].n >= 7 && memmem(row->field[i].p, row->field[i].n, "Bedrock", 7))
			return true;
	return false;
}

/* A line item read before, on a row fed straight to this parser (cur_row.h). */
static bool repeated(struct cur_parser *f, const struct csvrows_row *row)
{
	if (!f->dedupe || f->col[CUR_COL_LINE_ITEM_ID] == SIZE_MAX || !row_mentions_bedrock(row))
		return false;
	return cur_dedupe_repeated(f->dedupe, cell(f, row, CUR_COL_LINE_ITEM_ID),
				   cell(f, row, CUR_COL_START), &f->dedupe_date);
}

static int read_row(struct cur_parser *f, struct csvrows *csv, const struct csvrows_row *row)
{
	if (repeated(f, row)) {
		cur_bill_counts(f->stage)->duplicates++;
		return 0;
	}
	if (row->nfields != f->nfields)
		return wrong_width(f, csv, row);
	struct str name = { "", 0 };
	bool have_name = false;
	switch (scope_of(f, row, &name, &have_name)) {
	case SCOPE_OTHER:
		cur_bill_counts(f->stage)->other++;
		return 0;
	case SCOPE_UNREADABLE:
		cur_bill_counts(f->stage)->malformed++;
		return 0;
	case SCOPE_BEDROCK:
		break;
	}
	struct str type = cell(f, row, CUR_COL_ITEM_TYPE);
	if (str_eq(type, STR_LIT("Usage")))
		return read_usage(f, csv, row, name, have_name);
	if (type.n == 0)
		return bad_value(csv, row, f, CUR_COL_ITEM_TYPE, "is empty");
	struct decimal cost;
	if (read_decimal(csv, row, f, CUR_COL_COST, &cost))
		return -1;
	if (cur_bill_add_adjustment(f->stage, type, cost) != 0)
		return csvrows_fail(csv, row->line,
				    "the bill's sums grow too large to add up exactly");
	cur_bill_counts(f->stage)->adjustments++;
	return 0;
}

static int on_row(void *ctx, struct csvrows *csv, const struct csvrows_row *row)
{
	struct cur_parser *p = ctx;
	if (!p->header_done)
		return read_header(p, csv, row);
	return read_row(p, csv, row);
}
