/*
 * cur_row.c - a CUR header and rows -> the staging bill: columns by name,
 * which rows are Bedrock's, the cells each needs, and the key.
 */
#include "cur_row.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/usagetype.h"
#include "ledger/xalloc.h"

/* Values longer than this are cut in messages. */
#define SHOW_MAX 64
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
};

static const char *const bedrock_codes[] = { "AmazonBedrock", "AmazonBedrockService",
					     "AmazonBedrockFoundationModels",
					     "AmazonBedrockAgentCore" };

static int on_row(void *ctx, struct csvrows *csv, const struct csvrows_row *row);

void cur_file_start(struct cur_reader *r, const char *name)
{
	r->f = (struct cur_file){ .name = name, .stage = cur_bill_create() };
	r->f.csv = csvrows_create(name, on_row, r);
	r->carry_n = 0;
	r->carry_odd = false;
	r->carry_lfs = 0;
}

void cur_file_end(struct cur_reader *r)
{
	struct cur_file *f = &r->f;
	csvrows_destroy(f->csv);
	cur_bill_destroy(f->stage);
	for (int c = 0; c < CUR_COL_COUNT; c++)
		free(f->col_name[c]);
	*f = (struct cur_file){ 0 };
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

static int show_len(struct str s)
{
	return (int)(s.n > SHOW_MAX ? SHOW_MAX : s.n);
}

static const char *show_cut(struct str s)
{
	return s.n > SHOW_MAX ? "..." : "";
}

/* What the header says instead, when it is recognisably no CUR. */
static const char *header_hint(const struct csvrows_row *row)
{
	struct str first = row->field[0];
	if (first.n && (first.p[0] == '{' || first.p[0] == '['))
		return " (this looks like JSON, such as an invocation log, not a CUR export)";
	if (row->nfields == 1 && memchr(first.p, ';', first.n))
		return " (the header is separated by semicolons: export the CUR with commas)";
	for (size_t i = 0; i < row->nfields; i++) {
		if (str_eq(row->field[i], STR_LIT("input_per_mtok")))
			return " (this is a price table: give it with --prices)";
		if (str_eq(row->field[i], STR_LIT("billing_name")))
			return " (this is a billing-name table: give it with --billing-names)";
		if (str_eq(row->field[i], STR_LIT("profile_arn")))
			return " (this is a manifest: give it with --manifest)";
	}
	return "";
}

static int missing_columns(struct cur_file *f, struct csvrows *csv, const struct csvrows_row *row)
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

static int read_header(struct cur_file *f, struct csvrows *csv, const struct csvrows_row *row)
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
					return csvrows_fail(csv, row->line, "duplicate column \"%.*s\"",
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
	return 0;
}

static struct str cell(const struct cur_file *f, const struct csvrows_row *row, enum cur_col c)
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
static enum jsonmap_result product_name(struct cur_reader *r, const struct csvrows_row *row,
					struct str *name)
{
	const struct cur_file *f = &r->f;
	if (f->col[CUR_COL_PRODUCT_NAME] != SIZE_MAX) {
		*name = cell(f, row, CUR_COL_PRODUCT_NAME);
		return name->n ? JSONMAP_FOUND : JSONMAP_ABSENT;
	}
	if (f->col[CUR_COL_PRODUCT_MAP] != SIZE_MAX)
		return jsonmap_get(cell(f, row, CUR_COL_PRODUCT_MAP), "product_name", &r->json, name);
	return JSONMAP_ABSENT;
}

enum scope { SCOPE_OTHER, SCOPE_BEDROCK, SCOPE_UNREADABLE };

/* reference/cur.md §3; a Marketplace row's product name is kept in *name. */
static enum scope scope_of(struct cur_reader *r, const struct csvrows_row *row, struct str *name,
			   bool *have_name)
{
	const struct cur_file *f = &r->f;
	bool any_entity = f->col[CUR_COL_ENTITY] == SIZE_MAX;
	struct str entity = cell(f, row, CUR_COL_ENTITY);
	if ((any_entity || str_eq(entity, STR_LIT("AWS"))) &&
	    (is_bedrock_code(cell(f, row, CUR_COL_PRODUCT_CODE)) ||
	     is_bedrock_code(cell(f, row, CUR_COL_SERVICECODE))))
		return SCOPE_BEDROCK;
	if (!any_entity && !str_eq(entity, STR_LIT("AWS Marketplace")))
		return SCOPE_OTHER;
	enum jsonmap_result res = product_name(r, row, name);
	if (res == JSONMAP_INVALID)
		return SCOPE_UNREADABLE;
	*have_name = true;
	if (res == JSONMAP_FOUND && memmem(name->p, name->n, "Bedrock", 7))
		return SCOPE_BEDROCK;
	return SCOPE_OTHER;
}

static int bad_value(struct csvrows *csv, const struct csvrows_row *row, const struct cur_file *f,
		     enum cur_col c, const char *problem)
{
	struct str v = cell(f, row, c);
	return csvrows_fail(csv, row->line, "%s \"%.*s%s\" %s", f->col_name[c], show_len(v), v.p,
			    show_cut(v), problem);
}

static int read_decimal(struct csvrows *csv, const struct csvrows_row *row,
			const struct cur_file *f, enum cur_col c, struct decimal *out)
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

static int read_start(struct csvrows *csv, const struct csvrows_row *row, struct cur_file *f,
		      struct ts *out)
{
	struct str v = cell(f, row, CUR_COL_START);
	if (v.n && v.n == f->last_start_n && memcmp(v.p, f->last_start, v.n) == 0) {
		*out = f->last_ts;
		return 0;
	}
	if (parse_start(v, out) != 0)
		return bad_value(csv, row, f, CUR_COL_START, v.n ? "is not a date and time" : "is empty");
	memcpy(f->last_start, v.p, v.n);
	f->last_start_n = v.n;
	f->last_ts = *out;
	return 0;
}

static bool in_window(const struct cur_reader *r, struct ts t)
{
	return (!r->has_since || ts_cmp(t, r->since) >= 0) &&
	       (!r->has_until || ts_cmp(t, r->until) < 0);
}

/* A row whose field count is not the header's: an error if it is Bedrock's, else skipped. */
static int wrong_width(struct cur_file *f, struct csvrows *csv, const struct csvrows_row *row)
{
	if (is_bedrock_code(cell(f, row, CUR_COL_PRODUCT_CODE)) ||
	    is_bedrock_code(cell(f, row, CUR_COL_SERVICECODE)))
		return csvrows_fail(csv, row->line, "%zu field%s, but the header has %zu",
				    row->nfields, row->nfields == 1 ? "" : "s", f->nfields);
	cur_bill_counts(f->stage)->malformed++;
	return 0;
}

/* The source region when the prefix gave none and no column holds one: the product map's. */
static int map_region(struct cur_reader *r, struct csvrows *csv, const struct csvrows_row *row,
		      struct str *region)
{
	const struct cur_file *f = &r->f;
	if (f->col[CUR_COL_REGION] != SIZE_MAX || f->col[CUR_COL_PRODUCT_MAP] == SIZE_MAX)
		return 0;
	struct str v;
	switch (jsonmap_get(cell(f, row, CUR_COL_PRODUCT_MAP), "region", &r->json_region, &v)) {
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

/* The counters of a summed row that say what its region rests on. */
static void count_region(struct cur_file *f, const struct usagetype_class *cls, struct str column)
{
	struct cur_counts *n = cur_bill_counts(f->stage);
	if (cls->prefix.n && !cls->prefix_known)
		n->unknown_prefix++;
	if (cls->prefix_known && column.n && !str_eq(column, cls->region))
		n->region_differs++;
	if (cls->unit_unknown)
		n->unit_unknown++;
}

/* A Bedrock Usage row: every cell checked, then summed when in the window. */
static int read_usage(struct cur_reader *r, struct csvrows *csv, const struct csvrows_row *row,
		      struct str mp_name, bool have_name)
{
	struct cur_file *f = &r->f;
	struct ts start;
	struct decimal amount, cost;
	if (read_start(csv, row, f, &start) || read_decimal(csv, row, f, CUR_COL_AMOUNT, &amount) ||
	    read_decimal(csv, row, f, CUR_COL_COST, &cost))
		return -1;
	if (!in_window(r, start)) {
		cur_bill_counts(f->stage)->outside_window++;
		return 0;
	}
	struct usagetype_in in = {
		.usage_type = cell(f, row, CUR_COL_USAGE_TYPE),
		.product_code = cell(f, row, CUR_COL_PRODUCT_CODE),
		.product_name = mp_name,
		.region_code = cell(f, row, CUR_COL_REGION),
		.unit = cell(f, row, CUR_COL_UNIT),
		.description = cell(f, row, CUR_COL_DESCRIPTION),
	};
	if (!have_name && memmem(in.usage_type.p, in.usage_type.n, "MP:", 3) &&
	    product_name(r, row, &in.product_name) == JSONMAP_INVALID)
		return csvrows_fail(csv, row->line, "the %s cell is not a JSON object",
				    f->col_name[CUR_COL_PRODUCT_MAP]);
	struct usagetype_class cls;
	usagetype_classify(&in, &cls);
	if (!cls.prefix_known && cls.region.n == 0 && map_region(r, csv, row, &cls.region))
		return -1;
	count_region(f, &cls, in.region_code);

	struct cur_key key = { day_of(start), cls.region, cls.rest, cls.kind,
			       cls.routing,   cls.tier,	  cls.context };
	int64_t tokens = 0;
	bool unknown = false;
	if (cls.kind != USAGE_KIND_OTHER) {
		if (!billing_names_lookup(r->names, cls.billing_name, &key.model)) {
			key.model = cls.billing_name;
			unknown = true;
		}
		if (decimal_to_integer(amount, cls.unit_tokens, &tokens) != 0)
			return bad_value(csv, row, f, CUR_COL_AMOUNT, "is too large");
	}
	if (cur_bill_add(f->stage, &key, tokens, cost, cls.category, unknown, cls.geo) != 0)
		return csvrows_fail(csv, row->line,
				    "the bill's sums grow too large to add up exactly");
	cur_bill_counts(f->stage)->usage++;
	return 0;
}

static int read_row(struct cur_reader *r, struct csvrows *csv, const struct csvrows_row *row)
{
	struct cur_file *f = &r->f;
	if (row->nfields != f->nfields)
		return wrong_width(f, csv, row);
	struct str name = { "", 0 };
	bool have_name = false;
	switch (scope_of(r, row, &name, &have_name)) {
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
		return read_usage(r, csv, row, name, have_name);
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
	struct cur_reader *r = ctx;
	if (!r->f.header_done)
		return read_header(&r->f, csv, row);
	return read_row(r, csv, row);
}
