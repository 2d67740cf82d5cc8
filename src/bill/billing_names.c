/*
 * billing_names.c - billing name -> model ID: CSV in (csvrows.h), entries in
 * an arena found through table.h. A load is staged and applied whole, so a
 * bad file changes nothing.
 */
#include "ledger/bill/billing_names.h"

#include <stdlib.h>
#include <string.h>

#include "ledger/support/arena.h"
#include "ledger/support/csvrows.h"
#include "ledger/price/modelid.h"
#include "ledger/support/table.h"
#include "ledger/support/xalloc.h"

/* Generated from data/billing-names.csv by tools/embed.c (see meson.build). */
extern const unsigned char billing_names_builtin_data[];
extern const unsigned long billing_names_builtin_data_len;

#define BUILTIN_NAME "(built-in billing names)"

struct entry {
	struct str name, model;
	uint64_t hash;
};

struct billing_names {
	struct arena arena; /* entries and their strings */
	struct table index; /* of struct entry, by name */
};

struct billing_names *billing_names_create(void)
{
	return xcalloc(1, sizeof(struct billing_names));
}

void billing_names_destroy(struct billing_names *t)
{
	if (!t)
		return;
	table_finish(&t->index);
	arena_free(&t->arena);
	free(t);
}

static const char bedrock_edition[] = " (Amazon Bedrock Edition)";

static struct str without_edition(struct str s)
{
	size_t m = sizeof bedrock_edition - 1;
	if (s.n > m && memcmp(s.p + s.n - m, bedrock_edition, m) == 0)
		s.n -= m;
	return s;
}

static struct entry *find(const struct billing_names *t, struct str name, uint64_t h)
{
	size_t pos;
	for (struct entry *e = table_first(&t->index, h, &pos); e;
	     e = table_next(&t->index, h, &pos))
		if (str_eq(e->name, name))
			return e;
	return NULL;
}

bool billing_names_lookup(const struct billing_names *t, struct str billing_name,
			  struct str *model_id)
{
	struct str name = without_edition(billing_name);
	const struct entry *e = find(t, name, table_hash(name.p, name.n));
	if (!e)
		return false;
	*model_id = e->model;
	return true;
}

size_t billing_names_count(const struct billing_names *t)
{
	return table_count(&t->index);
}

static struct str copy(struct arena *a, struct str s)
{
	return (struct str){ arena_dup(a, s), s.n };
}

static void put(struct billing_names *t, struct str name, struct str model)
{
	uint64_t h = table_hash(name.p, name.n);
	struct entry *e = find(t, name, h);
	if (e) {
		if (!str_eq(e->model, model))
			e->model = copy(&t->arena, model);
		return;
	}
	e = arena_alloc(&t->arena, sizeof *e);
	*e = (struct entry){ copy(&t->arena, name), copy(&t->arena, model), h };
	table_add(&t->index, h, e);
}

/* One load: rows are kept in a staging table, then put into t whole. */
struct loader {
	struct billing_names *stage; /* a later row has already won in it */
	bool have_header;
	size_t header_fields, col_name, col_model;
};

#define NAME_COLUMN "billing_name"

bool billing_names_header_is(const struct csvrows_row *row)
{
	for (size_t i = 0; i < row->nfields; i++)
		if (str_eq(row->field[i], STR_LIT(NAME_COLUMN)))
			return true;
	return false;
}

static int read_header(struct loader *ld, struct csvrows *r, const struct csvrows_row *row)
{
	ld->col_name = ld->col_model = SIZE_MAX;
	for (size_t i = 0; i < row->nfields; i++) {
		size_t *col = str_eq(row->field[i], STR_LIT(NAME_COLUMN))  ? &ld->col_name
			      : str_eq(row->field[i], STR_LIT("model_id")) ? &ld->col_model
									   : NULL;
		if (!col)
			continue;
		if (*col != SIZE_MAX)
			return csvrows_fail(r, row->line, "duplicate column \"%.*s\"",
					    (int)row->field[i].n, row->field[i].p);
		*col = i;
	}
	if (ld->col_name == SIZE_MAX)
		return csvrows_fail(r, row->line, "missing required column \"billing_name\"");
	if (ld->col_model == SIZE_MAX)
		return csvrows_fail(r, row->line, "missing required column \"model_id\"");
	ld->header_fields = row->nfields;
	ld->have_header = true;
	return 0;
}

static bool has_edge_blank(struct str s)
{
	return s.n &&
	       (s.p[0] == ' ' || s.p[0] == '\t' || s.p[s.n - 1] == ' ' || s.p[s.n - 1] == '\t');
}

static int check_cell(struct csvrows *r, unsigned long line, const char *column, struct str v)
{
	if (v.n == 0)
		return csvrows_fail(r, line, "empty %s", column);
	if (has_edge_blank(v))
		return csvrows_fail(r, line, "%s \"%.*s%s\" has leading or trailing blanks", column,
				    DIAG_CELL(v));
	return 0;
}

static int read_row(struct loader *ld, struct csvrows *r, const struct csvrows_row *row)
{
	if (row->nfields != ld->header_fields)
		return csvrows_fail(r, row->line, "%zu field%s, but the header has %zu",
				    row->nfields, row->nfields == 1 ? "" : "s", ld->header_fields);
	struct str name = row->field[ld->col_name];
	struct str model = row->field[ld->col_model];
	if (check_cell(r, row->line, "billing_name", name) ||
	    check_cell(r, row->line, "model_id", model))
		return -1;
	name = without_edition(name);
	struct str given = model;
	model = modelid_strip_arn(model);
	size_t geo = modelid_geo_prefix_len(model);
	model.p += geo;
	model.n -= geo;
	if (model.n == 0)
		return csvrows_fail(r, row->line, "model_id \"%.*s%s\" names no model",
				    DIAG_CELL(given));
	put(ld->stage, name, model);
	return 0;
}

static int on_row(void *ctx, struct csvrows *r, const struct csvrows_row *row)
{
	struct loader *ld = ctx;
	return ld->have_header ? read_row(ld, r, row) : read_header(ld, r, row);
}

static int finish(struct billing_names *t, struct loader *ld, const char *name, int rc,
		  struct diag *d)
{
	if (rc == 0 && !ld->have_header)
		rc = diag_set_at(d, name, 1, "missing header row");
	size_t pos = 0;
	for (const struct entry *e; rc == 0 && (e = table_each(&ld->stage->index, &pos));)
		put(t, e->name, e->model);
	billing_names_destroy(ld->stage);
	return rc ? -1 : 0;
}

int billing_names_load_buffer(struct billing_names *t, const char *name, const char *buf, size_t n,
			      struct diag *d)
{
	struct loader ld = { .stage = billing_names_create() };
	int rc = csvrows_parse(name, buf, n, on_row, &ld, d);
	return finish(t, &ld, name, rc, d);
}

int billing_names_load_file(struct billing_names *t, const char *path, struct diag *d)
{
	struct loader ld = { .stage = billing_names_create() };
	int rc = csvrows_parse_file(path, on_row, &ld, d);
	return finish(t, &ld, path, rc, d);
}

int billing_names_load_builtin(struct billing_names *t)
{
	struct diag d = DIAG_INIT;
	int rc =
	    billing_names_load_buffer(t, BUILTIN_NAME, (const char *)billing_names_builtin_data,
				      (size_t)billing_names_builtin_data_len, &d);
	diag_clear(&d);
	return rc;
}

const char *billing_names_builtin_csv(size_t *len)
{
	if (len)
		*len = (size_t)billing_names_builtin_data_len;
	return (const char *)billing_names_builtin_data;
}
