/*
 * runs.c - sorted runs of rollup rows on disk, and their k-way merge.
 *
 * A row is spilled as its counters (a plain struct, read back as written by
 * this process) and then, per key field, a 32-bit length and the bytes.
 */
#include "ledger/facts/runs.h"

#include <stdlib.h>
#include <string.h>

#include "ledger/support/xalloc.h"

void runs_init(struct runs *r, size_t nfields)
{
	memset(r, 0, sizeof *r);
	r->nfields = nfields;
	spill_init(&r->spill);
}

void runs_finish(struct runs *r)
{
	spill_finish(&r->spill);
	free(r->ends);
	memset(r, 0, sizeof *r);
}

void runs_dump(struct runs *r, struct rollup *t)
{
	size_t n = rollup_count(t);
	if (!n)
		return;
	struct rollup_row *rows = rollup_sorted(t);
	for (size_t i = 0; i < n; i++) {
		spill_write(&r->spill, rows[i].c, sizeof *rows[i].c);
		for (size_t f = 0; f < r->nfields; f++) {
			uint32_t len = (uint32_t)rows[i].key[f].n;
			spill_write(&r->spill, &len, sizeof len);
			if (len)
				spill_write(&r->spill, rows[i].key[f].p, len);
		}
	}
	free(rows);
	if (r->nruns == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 8;
		r->ends = xrealloc(r->ends, r->cap * sizeof *r->ends);
	}
	r->ends[r->nruns++] = spill_size(&r->spill);
	rollup_clear(t);
}

/* One input of the merge: a run on disk, or a table's sorted rows. */
struct cursor {
	struct runs *runs; /* NULL: a table */
	struct spill_range rd; /* a run: its bytes in runs->spill, read ahead */
	struct rollup_row *rows;
	size_t next, nrows;
	bool has;
	struct counters c;
	struct str *key;
	char *text; /* the key's bytes, for a run */
	size_t text_cap;
};

/* A run's read-ahead, and all runs' together: the merge's memory stays the same
 * however many runs a large input makes (a run is TALLY_CELLS rows). */
#define READ_AHEAD ((size_t)1 << 14)
#define MERGE_MEMORY ((size_t)1 << 19)
#define READ_AHEAD_MIN ((size_t)1 << 10)

struct runs_merge {
	size_t nfields;
	bool started;
	struct cursor *in;
	size_t n, cap;
	struct cursor **heap; /* the inputs with a row, least key on top */
	size_t nheap;
	struct str *key; /* handed out */
	char *text;
	size_t text_cap;
};

struct runs_merge *runs_merge_create(size_t nfields)
{
	struct runs_merge *m = xcalloc(1, sizeof *m);
	m->nfields = nfields;
	m->key = xcalloc(nfields ? nfields : 1, sizeof *m->key);
	return m;
}

void runs_merge_destroy(struct runs_merge *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n; i++) {
		free(m->in[i].rows);
		free(m->in[i].key);
		free(m->in[i].text);
		spill_range_finish(&m->in[i].rd);
	}
	free(m->in);
	free(m->heap);
	free(m->key);
	free(m->text);
	free(m);
}

static struct cursor *new_cursor(struct runs_merge *m)
{
	if (m->n == m->cap) {
		m->cap = m->cap ? 2 * m->cap : 8;
		m->in = xrealloc(m->in, m->cap * sizeof *m->in);
	}
	struct cursor *c = &m->in[m->n++];
	memset(c, 0, sizeof *c);
	c->key = xcalloc(m->nfields ? m->nfields : 1, sizeof *c->key);
	return c;
}

/* The next n bytes of the cursor's run, through its read-ahead buffer. */
static int take(struct cursor *c, void *p, size_t n, struct diag *d)
{
	return spill_range_read(&c->rd, p, n, d);
}

/* Reads the cursor's next row (sets has); -1 on a read error. */
static int advance(struct runs_merge *m, struct cursor *c, struct diag *d)
{
	c->has = false;
	if (!c->runs) {
		if (c->next == c->nrows)
			return 0;
		c->c = *c->rows[c->next].c;
		memcpy(c->key, c->rows[c->next].key, m->nfields * sizeof *c->key);
		c->next++;
		c->has = true;
		return 0;
	}
	if (!spill_range_more(&c->rd))
		return 0;
	if (take(c, &c->c, sizeof c->c, d) != 0)
		return -1;
	/* the bytes of all fields into one buffer; the slices are set once it has stopped moving */
	size_t used = 0;
	for (size_t f = 0; f < m->nfields; f++) {
		uint32_t len;
		if (take(c, &len, sizeof len, d) != 0)
			return -1;
		if (used + len > c->text_cap) {
			c->text_cap = (used + len) * 2;
			c->text = xrealloc(c->text, c->text_cap);
		}
		if (len && take(c, c->text + used, len, d) != 0)
			return -1;
		c->key[f] = (struct str){ NULL, len };
		used += len;
	}
	size_t at = 0;
	for (size_t f = 0; f < m->nfields; f++) {
		c->key[f].p = c->text ? c->text + at : "";
		at += c->key[f].n;
	}
	c->has = true;
	return 0;
}

void runs_merge_add_runs(struct runs_merge *m, struct runs *r)
{
	uint64_t start = 0;
	for (size_t i = 0; i < r->nruns; i++) {
		struct cursor *c = new_cursor(m);
		c->runs = r;
		c->rd = (struct spill_range){ .s = &r->spill, .off = start, .end = r->ends[i] };
		start = r->ends[i];
	}
}

void runs_merge_add_table(struct runs_merge *m, const struct rollup *t)
{
	struct cursor *c = new_cursor(m);
	c->rows = rollup_sorted(t);
	c->nrows = rollup_count(t);
}

static int key_cmp(const struct str *a, const struct str *b, size_t nfields)
{
	for (size_t f = 0; f < nfields; f++) {
		int c = str_cmp(a[f], b[f]);
		if (c)
			return c;
	}
	return 0;
}

/* Copies the key into the merge's own buffer: the cursors move on. */
static void hand_out(struct runs_merge *m, const struct str *key)
{
	size_t total = 0;
	for (size_t f = 0; f < m->nfields; f++)
		total += key[f].n;
	if (total > m->text_cap) {
		m->text_cap = total * 2;
		m->text = xrealloc(m->text, m->text_cap);
	}
	char *p = m->text;
	for (size_t f = 0; f < m->nfields; f++) {
		if (key[f].n)
			memcpy(p, key[f].p, key[f].n);
		m->key[f] = (struct str){ p, key[f].n };
		p += key[f].n;
	}
}

static void sift_down(struct runs_merge *m, size_t i)
{
	struct cursor **h = m->heap;
	for (;;) {
		size_t least = i, l = 2 * i + 1, r = l + 1;
		if (l < m->nheap && key_cmp(h[l]->key, h[least]->key, m->nfields) < 0)
			least = l;
		if (r < m->nheap && key_cmp(h[r]->key, h[least]->key, m->nfields) < 0)
			least = r;
		if (least == i)
			return;
		struct cursor *t = h[i];
		h[i] = h[least];
		h[least] = t;
		i = least;
	}
}

/* The first call: every input's first row, and the heap of those that have one. */
static int start(struct runs_merge *m, struct diag *d)
{
	m->started = true;
	size_t ahead = m->n ? MERGE_MEMORY / m->n : READ_AHEAD;
	ahead = ahead > READ_AHEAD ? READ_AHEAD : ahead < READ_AHEAD_MIN ? READ_AHEAD_MIN : ahead;
	m->heap = xmalloc((m->n ? m->n : 1) * sizeof *m->heap);
	for (size_t i = 0; i < m->n; i++) {
		m->in[i].rd.ahead = ahead;
		if (advance(m, &m->in[i], d) != 0)
			return -1;
		if (m->in[i].has)
			m->heap[m->nheap++] = &m->in[i];
	}
	for (size_t i = m->nheap / 2; i-- > 0;)
		sift_down(m, i);
	return 0;
}

int runs_merge_next(struct runs_merge *m, const struct str **key, struct counters *c,
		    struct diag *d)
{
	if (!m->started && start(m, d) != 0)
		return -1;
	if (!m->nheap)
		return 0;
	hand_out(m, m->heap[0]->key);
	memset(c, 0, sizeof *c);
	/* every input whose row has this key comes to the top in turn */
	while (m->nheap && key_cmp(m->heap[0]->key, m->key, m->nfields) == 0) {
		struct cursor *in = m->heap[0];
		counters_merge(c, &in->c);
		if (advance(m, in, d) != 0)
			return -1;
		if (!in->has)
			m->heap[0] = m->heap[--m->nheap];
		sift_down(m, 0);
	}
	*key = m->key;
	return 1;
}
