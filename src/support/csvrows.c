/*
 * csvrows.c - libcsv fed so that every row knows its line.
 *
 * libcsv reports no positions. So it is fed either one line-end byte or one
 * run of bytes without any: the line counter is then exact at every
 * callback, a syntax error lies on the line being fed, and a run fed outside
 * a row is where a row begins. A CR is counted when the byte after it is
 * seen (it may come in the next chunk): CRLF is one line end, a lone CR one.
 */
#include "ledger/support/csvrows.h"

#include <assert.h>
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <csv.h>

#include "ledger/support/sha256.h"
#include "ledger/support/xalloc.h"

static const unsigned char bom[3] = { 0xef, 0xbb, 0xbf };

struct csvrows {
	const char *name;
	int (*on_row)(void *ctx, struct csvrows *r, const struct csvrows_row *row);
	void *ctx;
	struct csv_parser parser;
	bool parser_ok, failed, finished;
	size_t bom_seen;	/* bytes of a BOM matched at the start; 3: past the start */
	size_t magic_seen;	/* bytes of gzip's magic matched at the start; 2: past it */
	unsigned long line;	/* the line of the next byte */
	unsigned long row_line; /* the line the current row began on */
	bool in_row, after_cr;
	/* the current row: its cells back to back in text */
	char *text;
	size_t text_n, text_cap;
	size_t *cell_end; /* where each cell ends in text */
	size_t ncells, cells_cap;
	struct str *field; /* the slices handed out */
	size_t fields_cap;
	struct diag diag;
};

int csvrows_fail(struct csvrows *r, unsigned long line, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_setv(&r->diag, fmt, ap);
	va_end(ap);
	diag_place(&r->diag, r->name, line, 0);
	r->failed = true;
	return -1;
}

static void on_field(void *p, size_t n, void *data)
{
	struct csvrows *r = data;
	if (r->failed)
		return;
	if (r->text_cap - r->text_n <= n) {
		r->text_cap = 2 * (r->text_n + n) + 64;
		r->text = xrealloc(r->text, r->text_cap);
	}
	if (n)
		memcpy(r->text + r->text_n, p, n);
	r->text_n += n;
	if (r->ncells == r->cells_cap) {
		r->cells_cap = r->cells_cap ? 2 * r->cells_cap : 16;
		r->cell_end = xrealloc(r->cell_end, r->cells_cap * sizeof *r->cell_end);
	}
	r->cell_end[r->ncells++] = r->text_n;
}

static void on_row(int terminator, void *data)
{
	(void)terminator;
	struct csvrows *r = data;
	r->in_row = false;
	if (!r->failed) {
		/* the text has stopped moving: the slices can be made now */
		if (r->fields_cap < r->ncells) {
			r->fields_cap = r->cells_cap;
			r->field = xrealloc(r->field, r->fields_cap * sizeof *r->field);
		}
		size_t start = 0;
		for (size_t i = 0; i < r->ncells; i++) {
			r->field[i] =
			    (struct str){ r->text ? r->text + start : "", r->cell_end[i] - start };
			start = r->cell_end[i];
		}
		struct csvrows_row row = { r->field, r->ncells, r->row_line };
		if (r->on_row(r->ctx, r, &row) != 0 && !diag_has(&r->diag))
			csvrows_fail(r, r->row_line, "invalid row");
	}
	r->ncells = 0;
	r->text_n = 0;
}

/* libcsv trims blanks around unquoted cells by default; RFC 4180 keeps them,
 * and so do we (a tag value that begins with a tab must meet the formula guard). */
static int no_space(unsigned char c)
{
	(void)c;
	return 0;
}

struct csvrows *csvrows_create(const char *name,
			       int (*on_row_fn)(void *ctx, struct csvrows *r,
						const struct csvrows_row *row),
			       void *ctx)
{
	struct csvrows *r = xcalloc(1, sizeof *r);
	r->name = name;
	r->on_row = on_row_fn;
	r->ctx = ctx;
	r->line = r->row_line = 1;
	if (csv_init(&r->parser, CSV_STRICT | CSV_STRICT_FINI) != 0) {
		csvrows_fail(r, 0, "cannot start the CSV parser");
		return r;
	}
	r->parser_ok = true;
	csv_set_space_func(&r->parser, no_space);
	csv_set_realloc_func(&r->parser, xrealloc);
	csv_set_free_func(&r->parser, free);
	return r;
}

void csvrows_destroy(struct csvrows *r)
{
	if (!r)
		return;
	if (r->parser_ok)
		csv_free(&r->parser);
	free(r->text);
	free(r->cell_end);
	free(r->field);
	diag_clear(&r->diag);
	free(r);
}

struct diag *csvrows_diag(struct csvrows *r)
{
	return &r->diag;
}

static int parse(struct csvrows *r, const unsigned char *p, size_t n)
{
	if (csv_parse(&r->parser, p, n, on_field, on_row, r) == n)
		return r->failed ? -1 : 0;
	if (r->failed)
		return -1;
	if (csv_error(&r->parser) == CSV_ETOOBIG)
		return csvrows_fail(r, r->line, "malformed CSV: a cell too large to hold");
	return csvrows_fail(
	    r, r->line,
	    "malformed CSV: a quote inside an unquoted field, or text after a closing quote");
}

static bool is_special(unsigned char c)
{
	return c == '\n' || c == '\r' || c == '\0';
}

static int feed_text(struct csvrows *r, const unsigned char *p, size_t n)
{
	size_t i = 0;
	while (i < n) {
		if (r->after_cr) {
			r->after_cr = false;
			if (p[i] != '\n')
				r->line++;
		}
		if (p[i] == '\n' || p[i] == '\r') {
			if (parse(r, p + i, 1))
				return -1;
			r->line += p[i] == '\n';
			r->after_cr = p[i] == '\r';
			i++;
			continue;
		}
		size_t j = i;
		while (j < n && !is_special(p[j]))
			j++;
		if (!r->in_row) {
			r->in_row = true;
			r->row_line = r->line;
		}
		if (j > i && parse(r, p + i, j - i))
			return -1;
		if (j < n && p[j] == '\0')
			return csvrows_fail(
			    r, r->line,
			    "malformed CSV: a NUL byte (not UTF-8 text: a binary file?)");
		i = j;
	}
	return 0;
}

int csvrows_feed(struct csvrows *r, const void *buf, size_t n)
{
	assert(!r->finished);
	const unsigned char *p = buf;
	if (r->failed)
		return -1;
	/* a BOM may arrive split over chunks */
	/* gzip's magic (1f 8b) first: a log or a compressed export given as a table */
	while (r->magic_seen < 2 && n > 0) {
		if (r->magic_seen == 0 && *p != 0x1f) {
			r->magic_seen = 2;
			break;
		}
		if (r->magic_seen == 1 && *p != 0x8b) {
			r->magic_seen = 2;
			static const unsigned char first = 0x1f;
			r->bom_seen = 3;
			if (feed_text(r, &first, 1))
				return -1;
			break;
		}
		if (++r->magic_seen == 2)
			return csvrows_fail(r, 1,
					    "gzip-compressed data, not a CSV table (an invocation"
					    " log? logs are given as PATH arguments)");
		p++;
		n--;
	}
	while (r->bom_seen < 3 && n > 0) {
		if (*p == bom[r->bom_seen]) {
			r->bom_seen++;
			p++;
			n--;
			continue;
		}
		size_t matched = r->bom_seen;
		r->bom_seen = 3;
		if (feed_text(r, bom, matched))
			return -1;
	}
	return n ? feed_text(r, p, n) : 0;
}

int csvrows_finish(struct csvrows *r)
{
	assert(!r->finished);
	r->finished = true;
	if (r->failed)
		return -1;
	if (r->magic_seen == 1) {
		static const unsigned char first = 0x1f;
		r->bom_seen = 3;
		if (feed_text(r, &first, 1))
			return -1;
	}
	if (r->bom_seen < 3 && feed_text(r, bom, r->bom_seen))
		return -1;
	if (csv_fini(&r->parser, on_field, on_row, r) != 0 && !r->failed)
		return csvrows_fail(r, r->row_line, "malformed CSV: a quoted field is not closed");
	return r->failed ? -1 : 0;
}

int csvrows_parse(const char *name, const void *buf, size_t n,
		  int (*on_row_fn)(void *ctx, struct csvrows *r, const struct csvrows_row *row),
		  void *ctx, struct diag *d)
{
	struct csvrows *r = csvrows_create(name, on_row_fn, ctx);
	int rc = csvrows_feed(r, buf, n);
	if (csvrows_finish(r) != 0 || rc != 0) {
		diag_move(d, &r->diag);
		rc = -1;
	}
	csvrows_destroy(r);
	return rc;
}

int csvrows_parse_file(const char *path,
		       int (*on_row_fn)(void *ctx, struct csvrows *r,
					const struct csvrows_row *row),
		       void *ctx, struct diag *d)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return diag_set_at(d, path, 0, "cannot read: %s", strerror(errno));
	struct csvrows *r = csvrows_create(path, on_row_fn, ctx);
	struct sha256 *h = sha256_create(); /* every table read is listed in run.json */
	char buf[65536];
	size_t got;
	uint64_t size = 0;
	int rc = 0;
	while (rc == 0 && (got = fread(buf, 1, sizeof buf, f)) > 0) {
		sha256_update(h, buf, got);
		size += got;
		rc = csvrows_feed(r, buf, got);
	}
	if (rc == 0 && ferror(f))
		rc = diag_set_at(d, path, 0, "cannot read: %s", strerror(errno));
	else if (csvrows_finish(r) != 0 || rc != 0)
		rc = diag_move(d, &r->diag);
	if (rc == 0) {
		unsigned char digest[SHA256_SIZE];
		sha256_final(h, digest);
		sha256_note_table(path, size, digest);
	}
	sha256_destroy(h);
	csvrows_destroy(r);
	fclose(f);
	return rc;
}
