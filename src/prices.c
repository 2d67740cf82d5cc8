/*
 * prices.c - the price table: CSV in (libcsv), validated rows in an
 * open-addressing hash table keyed by (model_id, region), and the lookup
 * chain of SPEC §5.
 */
#include "ledger/prices.h"

#include <csv.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/modelid.h"
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

static const char *const column_names[COL_COUNT] = {
	[COL_MODEL_ID] = "model_id",
	[COL_REGION] = "region",
	[COL_INPUT] = "input_per_mtok",
	[COL_OUTPUT] = "output_per_mtok",
	[COL_CACHE_READ] = "cache_read_per_mtok",
	[COL_CACHE_WRITE] = "cache_write_per_mtok",
};

static const enum record_token column_token[COL_COUNT] = {
	[COL_INPUT] = TOKEN_INPUT,
	[COL_OUTPUT] = TOKEN_OUTPUT,
	[COL_CACHE_READ] = TOKEN_CACHE_READ,
	[COL_CACHE_WRITE] = TOKEN_CACHE_WRITE,
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
	size_t *slots; /* row index + 1; 0 is empty */
	size_t nslots; /* 0 or a power of two, at least 2 * n */
	char **names;  /* the name of every buffer loaded */
	size_t nnames;
	char *error;
};

struct price_table *prices_create(void)
{
	return xcalloc(1, sizeof(struct price_table));
}

static void free_all_but_rows(struct price_table *t)
{
	free(t->rows);
	free(t->slots);
	for (size_t i = 0; i < t->nnames; i++)
		free(t->names[i]);
	free(t->names);
	free(t->error);
	free(t);
}

void prices_destroy(struct price_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++)
		free(t->rows[i]);
	free_all_but_rows(t);
}

const char *prices_error(const struct price_table *t)
{
	return t->error ? t->error : "";
}

size_t prices_count(const struct price_table *t)
{
	return t->n;
}

#define FNV_OFFSET 14695981039346656037ull
#define FNV_PRIME 1099511628211ull

static uint64_t fnv1a(uint64_t h, const char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)p[i]) * FNV_PRIME;
	return h;
}

static uint64_t key_hash(struct str model, struct str region)
{
	/* 0xff never occurs in UTF-8, so it keeps ("ab","c") apart from ("a","bc") */
	uint64_t h = fnv1a(FNV_OFFSET, model.p, model.n);
	h = (h ^ 0xff) * FNV_PRIME;
	return fnv1a(h, region.p, region.n);
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
	if (t->nslots == 0)
		return NULL;
	uint64_t h = key_hash(model, region);
	size_t mask = t->nslots - 1;
	for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
		size_t s = t->slots[i];
		if (s == 0)
			return NULL;
		const struct price_row *r = t->rows[s - 1];
		if (r->hash == h && str_eq(row_model(r), model) && str_eq(row_region(r), region))
			return r;
	}
}

static void place(struct price_table *t, size_t index)
{
	size_t mask = t->nslots - 1;
	size_t i = (size_t)t->rows[index]->hash & mask;
	while (t->slots[i])
		i = (i + 1) & mask;
	t->slots[i] = index + 1;
}

/* The caller has checked that the key is not in t yet. */
static void insert(struct price_table *t, struct price_row *r)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? 2 * t->cap : 64;
		t->rows = xrealloc(t->rows, t->cap * sizeof *t->rows);
	}
	t->rows[t->n++] = r;
	if (2 * t->n > t->nslots) {
		free(t->slots);
		t->nslots = t->nslots ? 2 * t->nslots : 128;
		t->slots = xcalloc(t->nslots, sizeof *t->slots);
		for (size_t i = 0; i < t->n; i++)
			place(t, i);
	} else {
		place(t, t->n - 1);
	}
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

/* Parsing state of one prices_load_buffer call. */
struct loader {
	struct price_table *t; /* earlier loads: duplicates are checked against them too */
	struct price_table *stage; /* this buffer's rows, moved into t only if all are valid */
	const char *name;
	size_t source;
	unsigned long line;     /* the physical line being fed to libcsv */
	unsigned long row_line; /* the line the current row began on */
	bool in_row;
	bool have_header;
	size_t header_fields;
	size_t col[COL_COUNT];
	/* the cells of the current row, back to back in text */
	char *text;
	size_t text_n, text_cap;
	size_t *cell_off, *cell_len;
	size_t ncells, cells_cap;
	char *error;
};

static void fail(struct loader *ld, unsigned long line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void fail(struct loader *ld, unsigned long line, const char *fmt, ...)
{
	if (ld->error)
		return;
	va_list ap, ap2;
	va_start(ap, fmt);
	va_copy(ap2, ap);
	int head = snprintf(NULL, 0, "%s:%lu: ", ld->name, line);
	int body = vsnprintf(NULL, 0, fmt, ap);
	size_t n = (size_t)head + (size_t)body + 1;
	ld->error = xmalloc(n);
	snprintf(ld->error, n, "%s:%lu: ", ld->name, line);
	vsnprintf(ld->error + head, n - (size_t)head, fmt, ap2);
	va_end(ap2);
	va_end(ap);
}

static struct str cell(const struct loader *ld, size_t i)
{
	/* a row of empty cells (",,") has stored no text: ld->text may be NULL */
	if (ld->cell_len[i] == 0)
		return (struct str){ "", 0 };
	return (struct str){ ld->text + ld->cell_off[i], ld->cell_len[i] };
}

/* Length to print of a value, and the "..." that says it was cut. */
static int show_len(struct str s)
{
	return (int)(s.n > SHOW_MAX ? SHOW_MAX : s.n);
}

static const char *show_cut(struct str s)
{
	return s.n > SHOW_MAX ? "..." : "";
}

static void on_field(void *s, size_t len, void *data)
{
	struct loader *ld = data;
	if (ld->error)
		return;
	if (ld->ncells == ld->cells_cap) {
		ld->cells_cap = ld->cells_cap ? 2 * ld->cells_cap : 16;
		ld->cell_off = xrealloc(ld->cell_off, ld->cells_cap * sizeof *ld->cell_off);
		ld->cell_len = xrealloc(ld->cell_len, ld->cells_cap * sizeof *ld->cell_len);
	}
	if (ld->text_cap - ld->text_n < len) {
		while (ld->text_cap - ld->text_n < len)
			ld->text_cap = ld->text_cap ? 2 * ld->text_cap : 256;
		ld->text = xrealloc(ld->text, ld->text_cap);
	}
	if (len)
		memcpy(ld->text + ld->text_n, s, len);
	ld->cell_off[ld->ncells] = ld->text_n;
	ld->cell_len[ld->ncells] = len;
	ld->text_n += len;
	ld->ncells++;
}

static void read_header(struct loader *ld)
{
	for (int c = 0; c < COL_COUNT; c++)
		ld->col[c] = SIZE_MAX;
	for (size_t i = 0; i < ld->ncells; i++) {
		for (int c = 0; c < COL_COUNT; c++) {
			if (!str_eq(cell(ld, i), str_from(column_names[c])))
				continue;
			if (ld->col[c] != SIZE_MAX) {
				fail(ld, ld->row_line, "duplicate column \"%s\"", column_names[c]);
				return;
			}
			ld->col[c] = i;
		}
	}
	for (int c = 0; c < COL_COUNT; c++) {
		if (ld->col[c] == SIZE_MAX) {
			fail(ld, ld->row_line, "missing required column \"%s\"", column_names[c]);
			return;
		}
	}
	ld->header_fields = ld->ncells;
	ld->have_header = true;
}

static void read_row(struct loader *ld)
{
	unsigned long line = ld->row_line;
	if (ld->ncells != ld->header_fields) {
		fail(ld, line, "%zu field%s, but the header has %zu", ld->ncells,
		     ld->ncells == 1 ? "" : "s", ld->header_fields);
		return;
	}
	struct str model = cell(ld, ld->col[COL_MODEL_ID]);
	struct str region = cell(ld, ld->col[COL_REGION]);
	if (model.n == 0) {
		fail(ld, line, "empty model_id");
		return;
	}
	if (region.n == 0) {
		fail(ld, line, "empty region");
		return;
	}

	struct price price = { 0 };
	for (int c = COL_INPUT; c <= COL_CACHE_WRITE; c++) {
		struct str v = cell(ld, ld->col[c]);
		if (v.n == 0)
			continue;
		const char *problem = money_price_problem(v.p, v.n);
		if (problem) {
			fail(ld, line, "%s \"%.*s%s\" %s", column_names[c], show_len(v), v.p,
			     show_cut(v), problem);
			return;
		}
		enum record_token k = column_token[c];
		money_parse_price(v.p, v.n, &price.nanos[k]);
		price.has[k] = true;
	}

	const struct price_row *first = find(ld->t, model, region);
	if (!first)
		first = find(ld->stage, model, region);
	if (first) {
		if (first->source == ld->source)
			fail(ld, line, "duplicate model_id \"%.*s%s\" and region \"%.*s%s\" (first on line %lu)",
			     show_len(model), model.p, show_cut(model), show_len(region), region.p,
			     show_cut(region), first->line);
		else
			fail(ld, line, "duplicate model_id \"%.*s%s\" and region \"%.*s%s\" (first at %s:%lu)",
			     show_len(model), model.p, show_cut(model), show_len(region), region.p,
			     show_cut(region), ld->t->names[first->source], first->line);
		return;
	}

	struct price_row *r = xmalloc(sizeof *r + model.n + region.n);
	r->price = price;
	r->hash = key_hash(model, region);
	r->line = line;
	r->source = ld->source;
	r->model_n = model.n;
	r->region_n = region.n;
	memcpy(r->key, model.p, model.n);
	memcpy(r->key + model.n, region.p, region.n);
	insert(ld->stage, r);
}

static void on_row(int terminator, void *data)
{
	(void)terminator;
	struct loader *ld = data;
	ld->in_row = false;
	if (!ld->error) {
		if (ld->have_header)
			read_row(ld);
		else
			read_header(ld);
	}
	ld->ncells = 0;
	ld->text_n = 0;
}

/* libcsv trims blanks around unquoted fields by default; we keep cells byte for byte. */
static int no_space(unsigned char c)
{
	(void)c;
	return 0;
}

static bool is_eol(char c)
{
	return c == '\n' || c == '\r';
}

static void parse(struct loader *ld, const char *buf, size_t n)
{
	struct csv_parser p;
	csv_init(&p, CSV_STRICT | CSV_STRICT_FINI);
	csv_set_space_func(&p, no_space);
	csv_set_realloc_func(&p, xrealloc);
	csv_set_free_func(&p, free);

	size_t i = 0;
	if (n >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	/*
	 * libcsv reports no positions, so it is fed one line break at a time, or
	 * one run of bytes without any: the line counter is then exact at every
	 * callback, and a run that starts outside a row is where a row begins.
	 */
	while (i < n && !ld->error) {
		size_t j = i + 1;
		if (!is_eol(buf[i])) {
			while (j < n && !is_eol(buf[j]))
				j++;
			if (!ld->in_row) {
				ld->in_row = true;
				ld->row_line = ld->line;
			}
		}
		if (csv_parse(&p, buf + i, j - i, on_field, on_row, ld) != j - i)
			fail(ld, ld->line, "malformed CSV: a quote in an unquoted field or after a closing quote");
		if (buf[i] == '\n' || (buf[i] == '\r' && (j == n || buf[j] != '\n')))
			ld->line++;
		i = j;
	}
	if (!ld->error && csv_fini(&p, on_field, on_row, ld) != 0)
		fail(ld, ld->row_line, "malformed CSV: a quoted field is not closed");
	csv_free(&p);

	if (!ld->error && !ld->have_header)
		fail(ld, 1, "missing header row");
}

int prices_load_buffer(struct price_table *t, const char *name, const char *buf, size_t n)
{
	struct loader ld = {
		.t = t,
		.stage = prices_create(),
		.name = name,
		.source = t->nnames,
		.line = 1,
		.row_line = 1,
	};
	parse(&ld, buf, n);
	free(ld.text);
	free(ld.cell_off);
	free(ld.cell_len);

	if (ld.error) {
		free(t->error);
		t->error = ld.error;
		prices_destroy(ld.stage);
		return -1;
	}
	t->names = xrealloc(t->names, (t->nnames + 1) * sizeof *t->names);
	t->names[t->nnames++] = xstrdup(name);
	for (size_t i = 0; i < ld.stage->n; i++)
		insert(t, ld.stage->rows[i]);
	free_all_but_rows(ld.stage);
	return 0;
}

static void set_errno_error(struct price_table *t, const char *path, int e)
{
	size_t n = (size_t)snprintf(NULL, 0, "%s: cannot read: %s", path, strerror(e));
	free(t->error);
	t->error = xmalloc(n + 1);
	snprintf(t->error, n + 1, "%s: cannot read: %s", path, strerror(e));
}

int prices_load_file(struct price_table *t, const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		set_errno_error(t, path, errno);
		return -1;
	}
	char *buf = NULL;
	size_t len = 0, cap = 0, got;
	do {
		if (cap - len < 65536) {
			cap = cap ? 2 * cap : 65536;
			buf = xrealloc(buf, cap);
		}
		got = fread(buf + len, 1, cap - len, f);
		len += got;
	} while (got > 0);
	int rc;
	if (ferror(f)) {
		set_errno_error(t, path, errno);
		rc = -1;
	} else {
		rc = prices_load_buffer(t, path, buf, len);
	}
	fclose(f);
	free(buf);
	return rc;
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
