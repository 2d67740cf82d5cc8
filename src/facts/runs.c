/*
 * runs.c - sorted runs of rollup rows on disk, and their k-way merge.
 *
 * A row is spilled as a head and the key's bytes. The head is its length
 * (32 bits), then its numbers as LEB128 varints: the counters (most are
 * small or zero: about 30 bytes, where the struct is 160) and each key
 * field's length. The key fields' bytes follow, one after the other.
 */
#include "ledger/facts/runs.h"

#include <stdlib.h>
#include <string.h>

#include "ledger/support/xalloc.h"

/* A head's numbers: the counters' (COUNTER_NUMBERS), then the key fields' lengths. */
#define COUNTER_NUMBERS 18
#define VARINT_MAX 10

void runs_init(struct runs *r, size_t nfields)
{
	memset(r, 0, sizeof *r);
	r->nfields = nfields;
	r->head = xmalloc(sizeof(uint32_t) + (COUNTER_NUMBERS + nfields) * VARINT_MAX);
	spill_init(&r->spill);
}

void runs_finish(struct runs *r)
{
	spill_finish(&r->spill);
	free(r->ends);
	free(r->head);
	memset(r, 0, sizeof *r);
}

static unsigned char *put_varint(unsigned char *p, uint64_t v)
{
	for (; v >= 0x80; v >>= 7)
		*p++ = (unsigned char)(v | 0x80);
	*p++ = (unsigned char)v;
	return p;
}

/* The varint at *p (before end); false when it does not end there or is too long. */
static bool get_varint(const unsigned char **p, const unsigned char *end, uint64_t *v)
{
	uint64_t x = 0;
	for (unsigned shift = 0; *p < end && shift < 64; shift += 7) {
		unsigned char b = *(*p)++;
		x |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80)) {
			*v = x;
			return true;
		}
	}
	return false;
}

static uint64_t zigzag(int64_t v)
{
	return ((uint64_t)v << 1) ^ (uint64_t)(v >> 63);
}

static int64_t unzigzag(uint64_t v)
{
	return (int64_t)(v >> 1) ^ -(int64_t)(v & 1);
}

/* The counters as numbers, in the head's order. */
static void counter_numbers(const struct counters *c, uint64_t v[COUNTER_NUMBERS])
{
	size_t i = 0;
	v[i++] = c->invocations;
	v[i++] = c->errors;
	v[i++] = c->unpriced_records;
	for (int k = 0; k < TOKEN_KINDS; k++)
		v[i++] = c->tokens[k];
	v[i++] = (uint64_t)c->cost;
	v[i++] = (uint64_t)(c->cost >> 64);
	v[i++] = (uint64_t)c->unpriced | (uint64_t)c->seen << 1;
	v[i++] = c->ignored_1h;
	v[i++] = c->context_min;
	v[i++] = c->context_max - c->context_min;
	v[i++] = zigzag(c->first.sec);
	v[i++] = (uint64_t)c->first.nsec;
	v[i++] = zigzag((int64_t)((uint64_t)c->last.sec - (uint64_t)c->first.sec));
	v[i++] = (uint64_t)c->last.nsec;
}

static void from_numbers(struct counters *c, const uint64_t v[COUNTER_NUMBERS])
{
	size_t i = 0;
	c->invocations = v[i++];
	c->errors = v[i++];
	c->unpriced_records = v[i++];
	for (int k = 0; k < TOKEN_KINDS; k++)
		c->tokens[k] = v[i++];
	c->cost = (money_t)v[i] | (money_t)v[i + 1] << 64;
	i += 2;
	c->unpriced = v[i] & 1;
	c->seen = v[i++] >> 1 & 1;
	c->ignored_1h = v[i++];
	c->context_min = v[i++];
	c->context_max = c->context_min + v[i++];
	c->first = (struct ts){ unzigzag(v[i]), (int32_t)v[i + 1] };
	c->last = (struct ts){ (int64_t)((uint64_t)c->first.sec + (uint64_t)unzigzag(v[i + 2])),
			       (int32_t)v[i + 3] };
}

static void dump_row(struct runs *r, const struct rollup_row *row)
{
	unsigned char *p = r->head + sizeof(uint32_t);
	uint64_t v[COUNTER_NUMBERS];
	counter_numbers(row->c, v);
	for (size_t i = 0; i < COUNTER_NUMBERS; i++)
		p = put_varint(p, v[i]);
	for (size_t f = 0; f < r->nfields; f++)
		p = put_varint(p, row->key[f].n);
	uint32_t n = (uint32_t)(p - r->head - sizeof n);
	memcpy(r->head, &n, sizeof n);
	spill_write(&r->spill, r->head, sizeof n + n);
	for (size_t f = 0; f < r->nfields; f++)
		if (row->key[f].n)
			spill_write(&r->spill, row->key[f].p, row->key[f].n);
}

void runs_dump(struct runs *r, struct rollup *t)
{
	size_t n = rollup_count(t);
	if (!n)
		return;
	struct rollup_row *rows = rollup_sorted(t);
	for (size_t i = 0; i < n; i++)
		dump_row(r, &rows[i]);
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

/* Room for n bytes in the cursor's buffer (its head, then its key's bytes). */
static unsigned char *room(struct cursor *c, size_t n)
{
	if (n > c->text_cap) {
		c->text_cap = 2 * n;
		c->text = xrealloc(c->text, c->text_cap);
	}
	return (unsigned char *)c->text;
}

/* A run's next row, as dump_row wrote it; -1 on a read error or a bad row. */
static int read_row(struct runs_merge *m, struct cursor *c, struct diag *d)
{
	uint32_t n;
	if (take(c, &n, sizeof n, d) != 0)
		return -1;
	const unsigned char *p = room(c, n), *end = p + n;
	if (take(c, c->text, n, d) != 0)
		return -1;
	uint64_t v[COUNTER_NUMBERS], len, total = 0;
	bool ok = true;
	for (size_t i = 0; i < COUNTER_NUMBERS && ok; i++)
		ok = get_varint(&p, end, &v[i]);
	for (size_t f = 0; f < m->nfields && ok; f++) {
		ok = get_varint(&p, end, &len) && len <= SIZE_MAX - total;
		c->key[f].n = (size_t)len;
		total += len;
	}
	if (!ok || p != end)
		return diag_set(d, "a spilled run is damaged (a row's head)");
	from_numbers(&c->c, v);
	char *text = (char *)room(c, (size_t)total);
	if (total && take(c, text, (size_t)total, d) != 0)
		return -1;
	for (size_t f = 0; f < m->nfields; f++) {
		c->key[f].p = c->key[f].n ? text : "";
		text += c->key[f].n;
	}
	return 0;
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
	if (read_row(m, c, d) != 0)
		return -1;
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
