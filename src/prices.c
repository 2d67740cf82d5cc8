/*
 * prices.c - the price table: CSV in (csvrows.h), validated rows found by
 * (model_id, region) through table.h, and the lookup chain of SPEC §5.
 */
#include "ledger/prices.h"

#include <stdlib.h>
#include <string.h>

#include "ledger/csvrows.h"
#include "ledger/diag.h"
#include "ledger/modelid.h"
#include "ledger/table.h"
#include "ledger/xalloc.h"

/* Generated from data/prices.csv by tools/embed.c (see meson.build). */
extern const unsigned char prices_builtin_data[];
extern const unsigned long prices_builtin_data_len;

/* The newest as_of in data/prices.csv; test_prices checks it against the CSV. */
#define BUILTIN_DATE "2026-08-21"
#define BUILTIN_NAME "(built-in prices)"

/* Values longer than this are cut in messages. */
#define SHOW_MAX 64

enum column {
	COL_MODEL_ID,
	COL_REGION,
	COL_INPUT,
	COL_OUTPUT,
	COL_CACHE_READ,
	COL_CACHE_WRITE,
	COL_COUNT
};

/* The required columns, and the kind of token each price column is for. */
static const struct {
	const char *name;
	enum record_token token;
} columns[COL_COUNT] = {
	[COL_MODEL_ID] = { "model_id", TOKEN_KINDS },
	[COL_REGION] = { "region", TOKEN_KINDS },
	[COL_INPUT] = { "input_per_mtok", TOKEN_INPUT },
	[COL_OUTPUT] = { "output_per_mtok", TOKEN_OUTPUT },
	[COL_CACHE_READ] = { "cache_read_per_mtok", TOKEN_CACHE_READ },
	[COL_CACHE_WRITE] = { "cache_write_per_mtok", TOKEN_CACHE_WRITE },
};

struct price_row {
	struct price price;
	uint64_t hash;
	unsigned long line;
	size_t source; /* index into price_table.names */
	size_t model_n, region_n;
	char key[]; /* model_id bytes, then region bytes */
};

struct price_table {
	/* rows are allocated one by one so that the struct price pointers handed out stay put */
	struct price_row **rows;
	size_t n, cap;
	struct table index; /* of struct price_row, by (model_id, region) */
	char **names;       /* the name of every buffer loaded */
	size_t nnames;
	struct diag diag;
};

struct price_table *prices_create(void)
{
	return xcalloc(1, sizeof(struct price_table));
}

/* Frees t, and its rows unless they have been handed over to another table. */
static void destroy(struct price_table *t, bool with_rows)
{
	for (size_t i = 0; with_rows && i < t->n; i++)
		free(t->rows[i]);
	free(t->rows);
	table_finish(&t->index);
	for (size_t i = 0; i < t->nnames; i++)
		free(t->names[i]);
	free(t->names);
	diag_clear(&t->diag);
	free(t);
}

void prices_destroy(struct price_table *t)
{
	if (t)
		destroy(t, true);
}

const char *prices_error(const struct price_table *t)
{
	return diag_msg(&t->diag);
}

size_t prices_count(const struct price_table *t)
{
	return t->n;
}

static uint64_t key_hash(struct str model, struct str region)
{
	return table_hash_add(table_hash(model.p, model.n), region.p, region.n);
}

static struct str row_model(const struct price_row *r)
{
	return (struct str){ r->key, r->model_n };
}

static struct str row_region(const struct price_row *r)
{
	return (struct str){ r->key + r->model_n, r->region_n };
}

static const struct price_row *find(const struct price_table *t, struct str model,
				    struct str region)
{
	uint64_t h = key_hash(model, region);
	size_t pos;
	for (const struct price_row *r = table_first(&t->index, h, &pos); r;
	     r = table_next(&t->index, h, &pos)) {
		if (str_eq(row_model(r), model) && str_eq(row_region(r), region))
			return r;
	}
	return NULL;
}

/* The caller has checked that the key is not in t yet. */
static void insert(struct price_table *t, struct price_row *r)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 64;
		t->rows = xrealloc(t->rows, t->cap * sizeof *t->rows);
	}
	t->rows[t->n++] = r;
	table_add(&t->index, r->hash, r);
}

static const struct price_row *find_in_region(const struct price_table *t, struct str model,
					      struct str region)
{
	const struct price_row *r = find(t, model, region);
	return r ? r : find(t, model, STR_LIT("*"));
}

const struct price *prices_lookup(const struct price_table *t, struct str model, struct str region)
{
	const struct price_row *r = find_in_region(t, model, region);
	size_t prefix = modelid_geo_prefix_len(model);
	/* global. profiles are priced on their own (about 10% below regional) */
	if (!r && prefix && !str_starts(model, "global.")) {
		model.p += prefix;
		model.n -= prefix;
		r = find_in_region(t, model, region);
	}
	return r ? &r->price : NULL;
}

int price_cost(const struct price *p, const uint64_t tokens[TOKEN_KINDS], money_t *cost)
{
	if (!p)
		return -1;
	/* SPEC §5.3: cache writes are priced by TTL, the 1-hour ones apart */
	uint64_t billed[TOKEN_KINDS];
	memcpy(billed, tokens, sizeof billed);
	billed[TOKEN_CACHE_WRITE] -= tokens[TOKEN_CACHE_WRITE_1H];
	money_t sum = 0;
	for (int k = 0; k < TOKEN_KINDS; k++) {
		if (billed[k] == 0)
			continue;
		if (!p->has[k])
			return -1;
		sum += money_cost(billed[k], p->nanos[k]);
	}
	*cost = sum;
	return 0;
}

/* One load: its rows are staged, and moved into t only if all are valid. */
struct loader {
	struct price_table *t; /* earlier loads: duplicates are checked against them too */
	struct price_table *stage;
	size_t source;
	bool have_header;
	size_t header_fields;
	size_t col[COL_COUNT];
};

/* Length to print of a value, and the "..." that says it was cut. */
static int show_len(struct str s)
{
	return (int)(s.n > SHOW_MAX ? SHOW_MAX : s.n);
}

static const char *show_cut(struct str s)
{
	return s.n > SHOW_MAX ? "..." : "";
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
	for (int c = 0; c < COL_COUNT; c++) {
		if (ld->col[c] == SIZE_MAX)
			return csvrows_fail(r, row->line, "missing required column \"%s\"",
					    columns[c].name);
	}
	ld->header_fields = row->nfields;
	ld->have_header = true;
	return 0;
}

static int duplicate(struct loader *ld, struct csvrows *r, unsigned long line,
		     const struct price_row *first, struct str model, struct str region)
{
	if (first->source == ld->source)
		return csvrows_fail(
		    r, line,
		    "duplicate model_id \"%.*s%s\" and region \"%.*s%s\" (first on line %lu)",
		    show_len(model), model.p, show_cut(model), show_len(region), region.p,
		    show_cut(region), first->line);
	return csvrows_fail(r, line,
			    "duplicate model_id \"%.*s%s\" and region \"%.*s%s\" (first at %s:%lu)",
			    show_len(model), model.p, show_cut(model), show_len(region), region.p,
			    show_cut(region), ld->t->names[first->source], first->line);
}

static int read_row(struct loader *ld, struct csvrows *r, const struct csvrows_row *row)
{
	unsigned long line = row->line;
	if (row->nfields != ld->header_fields)
		return csvrows_fail(r, line, "%zu field%s, but the header has %zu", row->nfields,
				    row->nfields == 1 ? "" : "s", ld->header_fields);
	struct str model = row->field[ld->col[COL_MODEL_ID]];
	struct str region = row->field[ld->col[COL_REGION]];
	if (model.n == 0)
		return csvrows_fail(r, line, "empty model_id");
	if (region.n == 0)
		return csvrows_fail(r, line, "empty region");

	struct price price = { 0 };
	for (int c = COL_INPUT; c <= COL_CACHE_WRITE; c++) {
		struct str v = row->field[ld->col[c]];
		if (v.n == 0)
			continue;
		const char *problem = money_price_problem(v.p, v.n);
		if (problem)
			return csvrows_fail(r, line, "%s \"%.*s%s\" %s", columns[c].name,
					    show_len(v), v.p, show_cut(v), problem);
		enum record_token k = columns[c].token;
		money_parse_price(v.p, v.n, &price.nanos[k]);
		price.has[k] = true;
	}

	const struct price_row *first = find(ld->t, model, region);
	if (!first)
		first = find(ld->stage, model, region);
	if (first)
		return duplicate(ld, r, line, first, model, region);

	struct price_row *pr = xmalloc(sizeof *pr + model.n + region.n);
	pr->price = price;
	pr->hash = key_hash(model, region);
	pr->line = line;
	pr->source = ld->source;
	pr->model_n = model.n;
	pr->region_n = region.n;
	memcpy(pr->key, model.p, model.n);
	memcpy(pr->key + model.n, region.p, region.n);
	insert(ld->stage, pr);
	return 0;
}

static int on_row(void *ctx, struct csvrows *r, const struct csvrows_row *row)
{
	struct loader *ld = ctx;
	return ld->have_header ? read_row(ld, r, row) : read_header(ld, r, row);
}

static struct loader loader_start(struct price_table *t)
{
	diag_clear(&t->diag);
	return (struct loader){ .t = t, .stage = prices_create(), .source = t->nnames };
}

/* Moves the staged rows into the table when rc is 0; else keeps the message of d. */
static int loader_finish(struct loader *ld, const char *name, int rc, struct diag *d)
{
	struct price_table *t = ld->t;
	if (rc == 0 && !ld->have_header)
		rc = diag_set(d, "%s:1: missing header row", name);
	if (rc != 0) {
		diag_move(&t->diag, d);
		destroy(ld->stage, true);
		return -1;
	}
	t->names = xrealloc(t->names, (t->nnames + 1) * sizeof *t->names);
	t->names[t->nnames++] = xstrdup(name);
	for (size_t i = 0; i < ld->stage->n; i++)
		insert(t, ld->stage->rows[i]);
	destroy(ld->stage, false);
	return 0;
}

int prices_load_buffer(struct price_table *t, const char *name, const char *buf, size_t n)
{
	struct loader ld = loader_start(t);
	struct diag d = DIAG_INIT;
	int rc = csvrows_parse(name, buf, n, on_row, &ld, &d);
	return loader_finish(&ld, name, rc, &d);
}

int prices_load_file(struct price_table *t, const char *path)
{
	struct loader ld = loader_start(t);
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
