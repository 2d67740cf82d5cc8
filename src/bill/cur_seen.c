/*
 * cur_seen.c - the line items read, as a set of 128-bit hashes: a line item
 * read again (overlapping exports, a month delivered twice) is counted once;
 * and the cutter's way to the two cells that name a line item.
 *
 * Why hashes: a CUR 2.0 identity_line_item_id is some fifty bytes, and a
 * bill has millions of line items; two 64-bit hashes with different seeds
 * take 16 bytes, and the chance that two of ten million line items share
 * both is about 10^-24.
 */
#include <stdlib.h>
#include <string.h>

#include "cur_row.h"
#include "ledger/support/table.h"
#include "ledger/support/xalloc.h"

#define SECOND_SEED UINT64_C(0x9e3779b97f4a7c15)

/* A date cell through its cache: 0, or -1 when it is not a date. */
static int start_time(struct str v, struct cur_date_cache *c, struct ts *out)
{
	if (v.n && v.n == c->n && memcmp(v.p, c->text, v.n) == 0) {
		*out = c->ts;
		return 0;
	}
	char buf[sizeof c->text];
	if (v.n == 0 || v.n >= sizeof buf)
		return -1;
	memcpy(buf, v.p, v.n);
	buf[v.n] = '\0';
	if (v.n > 10 && buf[10] == ' ') /* Athena's form */
		buf[10] = 'T';
	if (ts_parse_bound(buf, out) != 0)
		return -1;
	memcpy(c->text, v.p, v.n);
	c->n = v.n;
	c->ts = *out;
	return 0;
}

bool cur_line_item_key(struct str id, struct str start, struct cur_date_cache *c,
		       struct cur_seen_key *k)
{
	if (id.n == 0)
		return false;
	struct ts t;
	uint64_t a = table_hash_add(TABLE_HASH_START, id.p, id.n);
	uint64_t b = table_hash_add(SECOND_SEED, id.p, id.n);
	if (start_time(start, c, &t) == 0) {
		int64_t when[2] = { t.sec, t.nsec };
		a = table_hash_add(a, when, sizeof when);
		b = table_hash_add(b, when, sizeof when);
	} else {
		a = table_hash_add(a ^ 1, start.p, start.n);
		b = table_hash_add(b ^ 1, start.p, start.n);
	}
	*k = (struct cur_seen_key){ a | 1, b }; /* never the empty slot */
	return true;
}

static size_t slot_of(const struct cur_seen *s, struct cur_seen_key k)
{
	size_t i = (size_t)k.b & s->mask;
	while (s->slots[i].a && (s->slots[i].a != k.a || s->slots[i].b != k.b))
		i = (i + 1) & s->mask;
	return i;
}

bool cur_seen_has(const struct cur_seen *s, struct cur_seen_key k)
{
	return s->slots && s->slots[slot_of(s, k)].a != 0;
}

void cur_seen_add(struct cur_seen *s, struct cur_seen_key k)
{
	size_t nslots = s->slots ? s->mask + 1 : 0;
	if (4 * (s->count + 1) > 3 * nslots) { /* at most three quarters full */
		struct cur_seen grown = { xcalloc(nslots ? 2 * nslots : 64, sizeof *grown.slots),
					  (nslots ? 2 * nslots : 64) - 1, 0 };
		for (size_t i = 0; i < nslots; i++)
			if (s->slots[i].a)
				grown.slots[slot_of(&grown, s->slots[i])] = s->slots[i];
		grown.count = s->count;
		free(s->slots);
		*s = grown;
	}
	s->slots[slot_of(s, k)] = k;
	s->count++;
}

void cur_seen_merge(struct cur_seen *dst, struct cur_seen *src)
{
	if (src->count > dst->count) { /* the smaller goes into the larger: no second copy */
		struct cur_seen t = *dst;
		*dst = *src;
		*src = t;
	}
	for (size_t i = 0; src->slots && i <= src->mask; i++)
		if (src->slots[i].a)
			cur_seen_add(dst, src->slots[i]);
	cur_seen_clear(src);
}

void cur_seen_clear(struct cur_seen *s)
{
	free(s->slots);
	*s = (struct cur_seen){ 0 };
}

bool cur_dedupe_repeated(struct cur_dedupe *d, struct str id, struct str start,
			 struct cur_date_cache *c)
{
	struct cur_seen_key k;
	if (!cur_line_item_key(id, start, c, &k))
		return false;
	if (cur_seen_has(&d->done, k) || cur_seen_has(&d->file, k))
		return true;
	cur_seen_add(&d->file, k);
	return false;
}

/* Keeps n bytes at p in the buffer (which may move); returns their offset. */
static size_t keep_cell_bytes(struct cur_cellbuf *r, const char *p, size_t n)
{
	if (n == 0) /* "" as a cell: nothing to keep (and r->p may still be NULL) */
		return r->n;
	if (r->cap - r->n < n) {
		r->cap = 2 * (r->n + n) + 64;
		r->p = xrealloc(r->p, r->cap);
	}
	memcpy(r->p + r->n, p, n);
	r->n += n;
	return r->n - n;
}

/*
 * The cell of a row's text that starts at p (the text ends at end); *next
 * is where the cell ends (at a ',' or end). A quoted cell is unquoted into
 * the buffer as the CSV reader would (*in_cells set, out->p then an offset
 * into it, which may still move). -1 when a quoted cell is not closed.
 */
static int cut_cell(struct cur_cellbuf *r, const char *p, const char *end, const char **next,
		    struct str *out, bool *in_cells)
{
	*in_cells = p < end && *p == '"';
	if (!*in_cells) {
		const char *comma = memchr(p, ',', (size_t)(end - p));
		*next = comma ? comma : end;
		*out = (struct str){ p, (size_t)(*next - p) };
		return 0;
	}
	size_t start = r->n;
	for (const char *q = p + 1;;) {
		const char *quote = memchr(q, '"', (size_t)(end - q));
		if (!quote)
			return -1;
		keep_cell_bytes(r, q, (size_t)(quote - q) + (quote + 1 < end && quote[1] == '"'));
		if (quote + 1 < end && quote[1] == '"') {
			q = quote + 2;
			continue;
		}
		*next = quote + 1;
		*out = (struct str){ NULL, r->n - start };
		out->p = (const char *)(uintptr_t)start;
		return 0;
	}
}

bool cur_text_cells(struct cur_cellbuf *r, const char *p, size_t n, const size_t col[2],
		    struct str out[2])
{
	const char *end = p + n;
	while (end > p && (end[-1] == '\n' || end[-1] == '\r'))
		end--;
	size_t last = col[0] > col[1] ? col[0] : col[1];
	bool in_cells[2] = { false, false };
	r->n = 0;
	for (size_t i = 0; i <= last; i++) {
		struct str c;
		bool quoted;
		if (cut_cell(r, p, end, &p, &c, &quoted) != 0)
			return false;
		for (int k = 0; k < 2; k++)
			if (col[k] == i)
				out[k] = c, in_cells[k] = quoted;
		if (i < last && (p >= end || *p++ != ','))
			return false;
	}
	for (int k = 0; k < 2; k++)
		if (in_cells[k])
			out[k].p = r->p + (uintptr_t)out[k].p;
	return true;
}
