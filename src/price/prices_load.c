/*
 * prices_load.c - a price table CSV in (csvrows.h): columns by name, every
 * cell checked, rows of one key whose periods overlap refused, a load
 * all or nothing; and the built-in table.
 */
#include "ledger/price/prices.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/price/headers.h"
#include "ledger/price/modelid.h"
#include "ledger/support/csvrows.h"
#include "ledger/support/diag.h"
#include "ledger/support/xalloc.h"
#include "prices_table.h"

/* Generated from data/prices.csv by tools/embed.c (see meson.build). */
extern const unsigned char prices_builtin_data[];
extern const unsigned long prices_builtin_data_len;

/* The newest as_of in data/prices.csv; test_prices checks it against the CSV. */
#define BUILTIN_DATE "2026-08-21"
#define BUILTIN_NAME "(built-in prices)"

enum column {
	COL_MODEL_ID,
	COL_REGION,
	COL_INPUT,
	COL_OUTPUT,
	COL_CACHE_READ,
	COL_CACHE_WRITE,
	COL_CACHE_WRITE_1H, /* the first optional column (bedrock-ledger-formats(5), PRICES v2) */
	COL_TIER,
	COL_CONTEXT_OVER,
	COL_VALID_FROM,
	COL_VALID_TO,
	COL_COUNT
};

#define COL_REQUIRED COL_CACHE_WRITE_1H

/* The columns read, and the kind of token each price column is for. */
static const struct {
	const char *name;
	enum record_token token;
} columns[COL_COUNT] = {
	[COL_MODEL_ID] = { "model_id", TOKEN_KINDS },
	[COL_REGION] = { "region", TOKEN_KINDS },
	[COL_INPUT] = { PRICES_INPUT_COLUMN, TOKEN_INPUT },
	[COL_OUTPUT] = { PRICES_OUTPUT_COLUMN, TOKEN_OUTPUT },
	[COL_CACHE_READ] = { "cache_read_per_mtok", TOKEN_CACHE_READ },
	[COL_CACHE_WRITE] = { "cache_write_per_mtok", TOKEN_CACHE_WRITE },
	[COL_CACHE_WRITE_1H] = { "cache_write_1h_per_mtok", TOKEN_CACHE_WRITE_1H },
	[COL_TIER] = { "tier", TOKEN_KINDS },
	[COL_CONTEXT_OVER] = { "context_over", TOKEN_KINDS },
	[COL_VALID_FROM] = { "valid_from", TOKEN_KINDS },
	[COL_VALID_TO] = { "valid_to", TOKEN_KINDS },
};

/* ---- loading ---- */

/* One load: its rows are staged, and moved into t only if all are valid. */
struct loader {
	struct price_table *t; /* earlier loads: overlaps are checked against them too */
	struct price_table *stage;
	size_t source;
	bool have_header;
	size_t header_fields;
	size_t col[COL_COUNT]; /* SIZE_MAX: an optional column that is not there */
	size_t last_required;  /* the highest index of a required column */
	const char *name;      /* of the file, for warnings */
};

static bool has_byte(const struct csvrows_row *row, char c)
{
	for (size_t i = 0; i < row->nfields; i++)
		if (row->field[i].n && memchr(row->field[i].p, c, row->field[i].n))
			return true;
	return false;
}

/* A header that is not a price table's: say what it looks like, and what to do. */
static int wrong_header(struct csvrows *r, const struct csvrows_row *row, const char *missing)
{
	if (row->nfields == 1 && has_byte(row, ';'))
		return csvrows_fail(r, row->line,
				    "missing required column \"%s\": the header is separated by"
				    " semicolons (a spreadsheet's CSV in a decimal-comma locale?);"
				    " save the table with commas between cells and dots in numbers",
				    missing);
	if (manifest_header_is(row))
		return csvrows_fail(r, row->line,
				    "missing required column \"%s\": this is a tag manifest (it has"
				    " profile_arn); give it with --manifest, not --prices",
				    missing);
	if (row->nfields && row->field[0].n &&
	    (row->field[0].p[0] == '{' || row->field[0].p[0] == '['))
		return csvrows_fail(
		    r, row->line,
		    "missing required column \"%s\": this is JSON (an invocation log or"
		    " a manifest?), not a price table; see --print-prices for the form",
		    missing);
	return csvrows_fail(r, row->line, "missing required column \"%s\" (see --print-prices)",
			    missing);
}

static int read_header(struct loader *ld, struct csvrows *r, const struct csvrows_row *row)
{
	for (int c = 0; c < COL_COUNT; c++)
		ld->col[c] = SIZE_MAX;
	for (size_t i = 0; i < row->nfields; i++) {
		for (int c = 0; c < COL_COUNT; c++) {
			if (!str_eq(row->field[i], str_from(columns[c].name)))
				continue;
			if (ld->col[c] != SIZE_MAX)
				return csvrows_fail(r, row->line, "duplicate column \"%s\"",
						    columns[c].name);
			ld->col[c] = i;
		}
	}
	ld->last_required = 0;
	for (int c = 0; c < COL_REQUIRED; c++) {
		if (ld->col[c] == SIZE_MAX)
			return wrong_header(r, row, columns[c].name);
		if (ld->col[c] > ld->last_required)
			ld->last_required = ld->col[c];
	}
	ld->header_fields = row->nfields;
	ld->have_header = true;
	return 0;
}

/* The cell of column c, empty when the column is absent or the row stops before it. */
static struct str cell(const struct loader *ld, const struct csvrows_row *row, enum column c)
{
	size_t i = ld->col[c];
	return i < row->nfields ? row->field[i] : (struct str){ "", 0 };
}

static bool blank_at_ends(struct str s)
{
	return s.n &&
	       (s.p[0] == ' ' || s.p[0] == '\t' || s.p[s.n - 1] == ' ' || s.p[s.n - 1] == '\t');
}

/* A lower-case word: letters and digits, words joined by '-' or '_'. */
static bool is_tier(struct str s)
{
	if (!s.n || s.p[0] == '-' || s.p[s.n - 1] == '-')
		return false;
	for (size_t i = 0; i < s.n; i++) {
		char c = s.p[i];
		if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return false;
	}
	return true;
}

static int check_text(struct csvrows *r, unsigned long line, enum column c, struct str v)
{
	if (blank_at_ends(v))
		return csvrows_fail(r, line,
				    "%s \"%.*s%s\" has spaces around it: it could never"
				    " match a record",
				    columns[c].name, DIAG_CELL(v));
	return 0;
}

/* Warns once per region that is well formed but not in the geography table. */
static void warn_region(struct loader *ld, unsigned long line, struct str region, const char *near)
{
	struct price_table *st = ld->stage;
	for (size_t i = 0; i < st->n; i++)
		if (str_eq(st->rows[i]->row.region, region))
			return; /* said at its first row */
	st->warnings = xrealloc(st->warnings, (st->nwarnings + 1) * sizeof *st->warnings);
	struct diag *w = &st->warnings[st->nwarnings++];
	*w = DIAG_INIT;
	diag_set_at(w, ld->name, line,
		    "region \"%.*s%s\" is not a Region bedrock-ledger knows (a new AWS"
		    " Region?): its rows price the records made there%s%s%s",
		    DIAG_CELL(region), near ? "; if it is a typo, did you mean " : "",
		    near ? near : "", near ? "?" : "");
}

/*
 * A region is * or an AWS Region code: a typo would leave its rows unused,
 * so a code that is not even shaped like one is an error, and a well-formed
 * one the geography table (modelid.c) does not know yet is a warning.
 */
static int check_region(struct loader *ld, struct csvrows *r, unsigned long line, struct str v)
{
	if (str_eq(v, STR_LIT("*")) || modelid_region_known(v))
		return 0;
	const char *near = modelid_region_nearest(v);
	if (modelid_region_well_formed(v)) {
		warn_region(ld, line, v, near);
		return 0;
	}
	return csvrows_fail(r, line,
			    "region \"%.*s%s\" is not an AWS Region code (such as us-east-1) or"
			    " *%s%s%s",
			    DIAG_CELL(v), near ? ": did you mean " : "", near ? near : "",
			    near ? "?" : "");
}

static int parse_context(struct csvrows *r, unsigned long line, struct str v, uint64_t *out)
{
	*out = 0;
	if (!v.n)
		return 0;
	uint64_t x = 0;
	for (size_t i = 0; i < v.n; i++) {
		if (v.p[i] < '0' || v.p[i] > '9' || x > (UINT64_MAX - 9) / 10)
			return csvrows_fail(r, line,
					    "context_over \"%.*s%s\" is not a whole number of"
					    " tokens (0 or more, no sign, no decimals)",
					    DIAG_CELL(v));
		x = x * 10 + (uint64_t)(v.p[i] - '0');
	}
	*out = x;
	return 0;
}

static int parse_validity(struct csvrows *r, unsigned long line, enum column c, struct str v,
			  bool *has, struct ts *out)
{
	*has = false;
	if (!v.n)
		return 0;
	char buf[64];
	if (v.n < sizeof buf) {
		memcpy(buf, v.p, v.n);
		buf[v.n] = '\0';
		if (ts_parse_bound(buf, out) == 0) {
			*has = true;
			return 0;
		}
	}
	return csvrows_fail(r, line, "%s \"%.*s%s\" is not YYYY-MM-DD or an ISO-8601 time",
			    columns[c].name, DIAG_CELL(v));
}

static int read_prices(struct csvrows *r, const struct loader *ld, const struct csvrows_row *row,
		       struct price *price)
{
	memset(price, 0, sizeof *price);
	for (int c = COL_INPUT; c <= COL_CACHE_WRITE_1H; c++) {
		struct str v = cell(ld, row, (enum column)c);
		if (v.n == 0)
			continue;
		const char *problem = money_price_problem(v.p, v.n);
		if (problem) {
			bool comma = memchr(v.p, ',', v.n) != NULL;
			return csvrows_fail(r, row->line, "%s \"%.*s%s\" %s%s", columns[c].name,
					    DIAG_CELL(v), problem,
					    comma ? " (write a decimal point: 3.5, not 3,5)" : "");
		}
		enum record_token k = columns[c].token;
		money_parse_price(v.p, v.n, &price->nanos[k]);
		price->has[k] = true;
	}
	return 0;
}

struct overlap {
	const struct price_row *mine;
	const struct price_row *hit;
};

static bool find_overlap(void *ctx, const struct price_row *r)
{
	struct overlap *o = ctx;
	const struct price_row *a = o->mine;
	if (!str_eq(r->tier, a->tier) || r->context_over != a->context_over)
		return true;
	/* [from, to) periods, unbounded where a cell is empty */
	bool a_before_r = a->has_to && r->has_from && ts_cmp(a->valid_to, r->valid_from) <= 0;
	bool r_before_a = r->has_to && a->has_from && ts_cmp(r->valid_to, a->valid_from) <= 0;
	if (a_before_r || r_before_a)
		return true;
	o->hit = r;
	return false;
}

static int overlapping(struct loader *ld, struct csvrows *r, const struct price_row *mine)
{
	struct overlap o = { mine, NULL };
	prices_each_row(ld->t, mine->model, mine->region, find_overlap, &o);
	if (!o.hit)
		prices_each_row(ld->stage, mine->model, mine->region, find_overlap, &o);
	if (!o.hit)
		return 0;
	const struct price_row *first = o.hit;
	struct str m = mine->model, g = mine->region;
	char where[512];
	if (first->source == ld->source)
		snprintf(where, sizeof where, "line %lu", first->line);
	else
		snprintf(where, sizeof where, "%s:%lu", ld->t->names[first->source], first->line);
	return csvrows_fail(
	    r, mine->line,
	    "this row and the one on %s both price model_id \"%.*s%s\", region"
	    " \"%.*s%s\", tier %.*s%s, context_over %" PRIu64 " at the same time: give"
	    " them valid_from/valid_to periods that do not overlap, or remove one",
	    where, DIAG_CELL(m), DIAG_CELL(g), DIAG_CELL(mine->tier), mine->context_over);
}

static struct stored_row *new_row(struct str model, struct str region, struct str tier)
{
	struct stored_row *s = xmalloc(sizeof *s + model.n + region.n + tier.n);
	memset(&s->row, 0, sizeof s->row);
	memcpy(s->text, model.p, model.n);
	memcpy(s->text + model.n, region.p, region.n);
	memcpy(s->text + model.n + region.n, tier.p, tier.n);
	s->row.model = (struct str){ s->text, model.n };
	s->row.region = (struct str){ s->text + model.n, region.n };
	s->row.tier = (struct str){ s->text + model.n + region.n, tier.n };
	s->hash = prices_key_hash(model, region);
	return s;
}

static int read_row(struct loader *ld, struct csvrows *r, const struct csvrows_row *row)
{
	unsigned long line = row->line;
	if (row->nfields > ld->header_fields)
		return csvrows_fail(r, line,
				    "%zu fields, but the header has %zu (a decimal comma?"
				    " write 3.5, not 3,5; or quote a cell that holds a comma)",
				    row->nfields, ld->header_fields);
	if (row->nfields <= ld->last_required)
		return csvrows_fail(r, line,
				    "%zu field%s, but the header has %zu: the row stops"
				    " before a required column",
				    row->nfields, row->nfields == 1 ? "" : "s", ld->header_fields);
	struct str model = cell(ld, row, COL_MODEL_ID);
	struct str region = cell(ld, row, COL_REGION);
	struct str tier = cell(ld, row, COL_TIER);
	if (model.n == 0)
		return csvrows_fail(r, line, "empty model_id");
	if (region.n == 0)
		return csvrows_fail(r, line, "empty region");
	if (check_text(r, line, COL_MODEL_ID, model) || check_text(r, line, COL_REGION, region) ||
	    check_text(r, line, COL_TIER, tier) || check_region(ld, r, line, region))
		return -1;
	if (str_starts(model, "arn:"))
		return csvrows_fail(r, line,
				    "model_id \"%.*s%s\" is an ARN: write the model ID"
				    " after its last '/'",
				    DIAG_CELL(model));
	if (tier.n && !is_tier(tier))
		return csvrows_fail(r, line,
				    "tier \"%.*s%s\" is not a lower-case word (standard,"
				    " priority, flex, latency-optimized, reserved, ...)",
				    DIAG_CELL(tier));
	struct price price;
	uint64_t context;
	bool has_from, has_to;
	struct ts from, to;
	if (read_prices(r, ld, row, &price) ||
	    parse_context(r, line, cell(ld, row, COL_CONTEXT_OVER), &context) ||
	    parse_validity(r, line, COL_VALID_FROM, cell(ld, row, COL_VALID_FROM), &has_from,
			   &from) ||
	    parse_validity(r, line, COL_VALID_TO, cell(ld, row, COL_VALID_TO), &has_to, &to))
		return -1;
	if (has_from && has_to && ts_cmp(from, to) >= 0)
		return csvrows_fail(r, line,
				    "valid_from is not before valid_to: the row would never"
				    " be in force");

	struct stored_row *s = new_row(model, region, tier.n ? tier : STR_LIT("standard"));
	s->row.price = price;
	s->row.context_over = context;
	s->row.has_from = has_from;
	s->row.has_to = has_to;
	s->row.valid_from = from;
	s->row.valid_to = to;
	s->row.line = line;
	s->row.source = ld->source;
	if (overlapping(ld, r, &s->row) != 0) {
		free(s);
		return -1;
	}
	prices_insert(ld->stage, s);
	return 0;
}

static int on_row(void *ctx, struct csvrows *r, const struct csvrows_row *row)
{
	struct loader *ld = ctx;
	return ld->have_header ? read_row(ld, r, row) : read_header(ld, r, row);
}

static struct loader loader_start(struct price_table *t, const char *name)
{
	diag_clear(&t->diag);
	return (
	    struct loader){ .t = t, .stage = prices_create(), .source = t->nnames, .name = name };
}

/* Moves the staged rows into the table when rc is 0; else keeps the message of d. */
static int loader_finish(struct loader *ld, const char *name, int rc, struct diag *d)
{
	struct price_table *t = ld->t;
	if (rc == 0 && !ld->have_header)
		rc = diag_set_at(d, name, 1, "missing header row");
	if (rc != 0) {
		diag_move(&t->diag, d);
		prices_table_free(ld->stage, true);
		return -1;
	}
	t->names = xrealloc(t->names, (t->nnames + 1) * sizeof *t->names);
	t->names[t->nnames++] = xstrdup(name);
	for (size_t i = 0; i < ld->stage->n; i++)
		prices_insert(t, ld->stage->rows[i]);
	struct price_table *st = ld->stage;
	t->warnings =
	    xrealloc(t->warnings, (t->nwarnings + st->nwarnings + 1) * sizeof *t->warnings);
	for (size_t i = 0; i < st->nwarnings; i++) {
		t->warnings[t->nwarnings] = DIAG_INIT;
		diag_move(&t->warnings[t->nwarnings++], &st->warnings[i]);
	}
	prices_table_free(st, false);
	return 0;
}

int prices_load_buffer(struct price_table *t, const char *name, const char *buf, size_t n)
{
	struct loader ld = loader_start(t, name);
	struct diag d = DIAG_INIT;
	int rc = csvrows_parse(name, buf, n, on_row, &ld, &d);
	return loader_finish(&ld, name, rc, &d);
}

int prices_load_file(struct price_table *t, const char *path)
{
	struct loader ld = loader_start(t, path);
	struct diag d = DIAG_INIT;
	int rc = csvrows_parse_file(path, on_row, &ld, &d);
	return loader_finish(&ld, path, rc, &d);
}

int prices_load_builtin(struct price_table *t)
{
	return prices_load_buffer(t, BUILTIN_NAME, (const char *)prices_builtin_data,
				  (size_t)prices_builtin_data_len);
}

const char *prices_builtin_csv(size_t *len)
{
	if (len)
		*len = (size_t)prices_builtin_data_len;
	return (const char *)prices_builtin_data;
}

const char *prices_builtin_date(void)
{
	return BUILTIN_DATE;
}
