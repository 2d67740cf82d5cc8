/*
 * dupes.c - requestId hashes in sorted runs, their merge, and --dedupe's
 * records kept back and replayed.
 */
#include "ledger/facts/dupes.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>
#include <xxhash.h>

#include "ledger/support/xalloc.h"

#define BUCKET_BITS 12
#define BUCKETS	    ((size_t)1 << BUCKET_BITS)

/* An entry: the hash, then (--dedupe) where the record is. */
struct hash128 {
	uint64_t hi, lo;
};
struct pos_entry {
	struct hash128 h;
	uint64_t seq, line, index;
	uint32_t order, worker;
};

/* The fields of a record kept back; its strings follow, then the metadata values. */
enum {
	KEPT_ACCOUNT,
	KEPT_CALLER,
	KEPT_REGION,
	KEPT_OPERATION,
	KEPT_MODEL,
	KEPT_INFERENCE,
	KEPT_TIER,
	KEPT_STRINGS
};
struct kept_head {
	uint64_t seq, line, order;
	int64_t sec;
	int32_t nsec;
	uint8_t error, ignored_1h;
	uint64_t tokens[TOKEN_KINDS];
};

/* What --dedupe adds to a row of sources.csv, and a duplicate line of rejects.csv. */
struct fix_entry {
	uint64_t seq, order;
	int64_t first_sec, last_sec;
	int64_t first_nsec, last_nsec;
};
struct line_entry {
	uint64_t seq, order, line;
};

void dupes_init(struct dupes_log *d, bool dedupe, unsigned worker, size_t nmeta)
{
	memset(d, 0, sizeof *d);
	d->dedupe = dedupe;
	d->worker = worker;
	d->nmeta = nmeta;
	d->esize = dedupe ? sizeof(struct pos_entry) : sizeof(struct hash128);
	d->cap = DUPES_BUFFER;
	d->buf = xmalloc(d->cap * d->esize);
	d->scratch = xmalloc(d->cap * d->esize);
	d->counts = xmalloc((BUCKETS + 1) * sizeof *d->counts);
	spill_init(&d->runs);
	if (dedupe) {
		spill_init(&d->kept);
		spill_init(&d->fixes);
		spill_init(&d->lines);
	} else {
		d->kept.fd = d->fixes.fd = d->lines.fd = -1;
	}
}

void dupes_finish(struct dupes_log *d)
{
	free(d->buf);
	free(d->scratch);
	free(d->counts);
	free(d->ends);
	free(d->dup_bits);
	spill_finish(&d->runs);
	if (d->dedupe) {
		spill_finish(&d->kept);
		spill_finish(&d->fixes);
		spill_finish(&d->lines);
	}
	diag_clear(&d->diag);
	memset(d, 0, sizeof *d);
}

static int hash_cmp(const struct hash128 *a, const struct hash128 *b)
{
	if (a->hi != b->hi)
		return a->hi < b->hi ? -1 : 1;
	return (a->lo > b->lo) - (a->lo < b->lo);
}

/*
 * Sorts the buffer by hash into scratch: the hashes are uniform, so a
 * counting pass on their top 12 bits leaves buckets of a few entries, each
 * finished by insertion.
 */
static void sort_buffer(struct dupes_log *d)
{
	size_t es = d->esize;
	memset(d->counts, 0, (BUCKETS + 1) * sizeof *d->counts);
	for (size_t i = 0; i < d->n; i++) {
		const struct hash128 *h = (const void *)(d->buf + i * es);
		d->counts[(h->hi >> (64 - BUCKET_BITS)) + 1]++;
	}
	for (size_t b = 1; b <= BUCKETS; b++)
		d->counts[b] += d->counts[b - 1];
	for (size_t i = 0; i < d->n; i++) {
		const struct hash128 *h = (const void *)(d->buf + i * es);
		memcpy(d->scratch + (size_t)d->counts[h->hi >> (64 - BUCKET_BITS)]++ * es, h, es);
	}
	unsigned char tmp[sizeof(struct pos_entry)];
	for (size_t i = 1; i < d->n; i++) {
		size_t k = i;
		memcpy(tmp, d->scratch + i * es, es);
		while (k > 0 &&
		       hash_cmp((const void *)(d->scratch + (k - 1) * es), (const void *)tmp) > 0) {
			memcpy(d->scratch + k * es, d->scratch + (k - 1) * es, es);
			k--;
		}
		if (k != i)
			memcpy(d->scratch + k * es, tmp, es);
	}
}

static void write_run(struct dupes_log *d)
{
	sort_buffer(d);
	spill_write(&d->runs, d->scratch, d->n * d->esize);
	if (d->nruns == d->cap_runs) {
		d->cap_runs = d->cap_runs ? 2 * d->cap_runs : 8;
		d->ends = xrealloc(d->ends, d->cap_runs * sizeof *d->ends);
	}
	d->ends[d->nruns++] = spill_size(&d->runs);
	d->n = 0;
}

static void keep_record(struct dupes_log *d, const struct record *r, uint64_t seq, uint64_t order)
{
	struct kept_head h;
	memset(&h, 0, sizeof h); /* no padding byte left undefined in the spill */
	h.seq = seq;
	h.line = r->line;
	h.order = order;
	h.sec = r->timestamp.sec;
	h.nsec = r->timestamp.nsec;
	h.error = r->error;
	h.ignored_1h = r->cache_write_1h_ignored;
	memcpy(h.tokens, r->tokens, sizeof h.tokens);
	const struct str s[KEPT_STRINGS] = { r->account_id, r->caller,	 r->region,
					     r->operation,  r->model_id, r->inference_region,
					     r->tier };
	spill_write(&d->kept, &h, sizeof h);
	for (size_t i = 0; i < KEPT_STRINGS + d->nmeta; i++) {
		struct str v = i < KEPT_STRINGS ? s[i] : r->meta[i - KEPT_STRINGS];
		uint32_t n = (uint32_t)v.n;
		spill_write(&d->kept, &n, sizeof n);
		if (n)
			spill_write(&d->kept, v.p, n);
	}
}

static void put_be64(unsigned char *p, uint64_t v)
{
	for (int i = 7; i >= 0; i--, v >>= 8)
		p[i] = (unsigned char)v;
}

static uint64_t get_be64(const unsigned char *p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | p[i];
	return v;
}

bool dupes_hash(const struct record *r, unsigned char out[DUPES_HASH_SIZE])
{
	if (!r->request_id.n)
		return false;
	XXH128_hash_t x = XXH3_128bits(r->request_id.p, r->request_id.n);
	put_be64(out, x.high64);
	put_be64(out + 8, x.low64);
	return true;
}

void dupes_note_hashes(struct dupes_log *d, const unsigned char *h, size_t n)
{
	assert(!d->dedupe); /* --dedupe with --state: a usage error */
	for (size_t i = 0; i < n; i++, h += DUPES_HASH_SIZE) {
		struct hash128 e = { get_be64(h), get_be64(h + 8) };
		memcpy(d->buf + d->n * d->esize, &e, sizeof e);
		d->noted++;
		if (++d->n == d->cap)
			write_run(d);
	}
}

bool dupes_note(struct dupes_log *d, const struct record *r, uint64_t seq, uint64_t order)
{
	if (!r->request_id.n)
		return false;
	XXH128_hash_t x = XXH3_128bits(r->request_id.p, r->request_id.n);
	unsigned char *e = d->buf + d->n * d->esize;
	struct hash128 h = { x.high64, x.low64 };
	if (d->dedupe) {
		struct pos_entry p = { h, seq, r->line, d->nkept, (uint32_t)order, d->worker };
		memcpy(e, &p, sizeof p);
		keep_record(d, r, seq, order);
		d->nkept++;
	} else {
		memcpy(e, &h, sizeof h);
	}
	d->noted++;
	if (++d->n == d->cap)
		write_run(d);
	return d->dedupe;
}

/* ---- the merge ---- */

/* A run's read-ahead at most (spill_range: a spill read back a block at a time) */
#define READ_AHEAD ((size_t)1 << 15)

struct cursor {
	struct spill_range rd;	  /* a run in the spill file, */
	const unsigned char *mem; /* or in memory: mem[at..n) */
	size_t at, n;
	struct pos_entry e; /* the current entry (only the hash without --dedupe) */
	size_t esize;
};

static int cursor_next(struct cursor *c, bool *has, struct diag *d)
{
	*has = false;
	if (c->mem) {
		if (c->at == c->n)
			return 0;
		memcpy(&c->e, c->mem + c->at, c->esize);
		c->at += c->esize;
	} else {
		if (!spill_range_more(&c->rd))
			return 0;
		if (spill_range_read(&c->rd, &c->e, c->esize, d) != 0)
			return -1;
	}
	*has = true;
	return 0;
}

static void heap_down(struct cursor **h, size_t n, size_t i)
{
	for (;;) {
		size_t l = 2 * i + 1, m = i;
		if (l < n && hash_cmp(&h[l]->e.h, &h[m]->e.h) < 0)
			m = l;
		if (l + 1 < n && hash_cmp(&h[l + 1]->e.h, &h[m]->e.h) < 0)
			m = l + 1;
		if (m == i)
			return;
		struct cursor *t = h[i];
		h[i] = h[m];
		h[m] = t;
		i = m;
	}
}

/* Path byte order, then line: (input, rank of the object in it, line). */
static int pos_cmp(const struct pos_entry *a, const struct pos_entry *b, dupes_rank_fn rank,
		   void *ctx)
{
	if (a->seq != b->seq)
		return a->seq < b->seq ? -1 : 1;
	if (a->order != b->order) {
		uint64_t ra = rank(ctx, a->worker, a->seq, a->order);
		uint64_t rb = rank(ctx, b->worker, b->seq, b->order);
		if (ra != rb)
			return ra < rb ? -1 : 1;
	}
	if (a->line != b->line)
		return a->line < b->line ? -1 : 1;
	/* two values of one line (a JSON document): the first read; one worker read both */
	return (a->index > b->index) - (a->index < b->index);
}

static void mark(struct dupes_log *const *logs, const struct pos_entry *e)
{
	logs[e->worker]->dup_bits[e->index / 8] |= (unsigned char)(1u << (e->index % 8));
}

/* Every run of every log, and what is still in the buffers, as cursors. */
static struct cursor *make_cursors(struct dupes_log *const *logs, size_t n, size_t *ncur)
{
	size_t total = 0;
	for (size_t i = 0; i < n; i++)
		total += logs[i]->nruns + 1;
	struct cursor *c = xcalloc(total ? total : 1, sizeof *c);
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		struct dupes_log *l = logs[i];
		uint64_t start = 0;
		for (size_t r = 0; r < l->nruns; r++) {
			c[k].rd = (struct spill_range){ .s = &l->runs, .off = start, .end = l->ends[r] };
			c[k++].esize = l->esize;
			start = l->ends[r];
		}
		if (l->n) {
			sort_buffer(l);
			c[k].mem = l->scratch;
			c[k].n = l->n * l->esize;
			c[k++].esize = l->esize;
		}
		if (l->dedupe)
			l->dup_bits = xcalloc(l->nkept / 8 + 1, 1);
	}
	/* the merge's memory is bounded, not its number of runs */
	size_t ahead = k ? DUPES_MERGE_MEMORY / k : READ_AHEAD;
	ahead = ahead > READ_AHEAD ? READ_AHEAD : ahead < 1024 ? 1024 : ahead;
	for (size_t i = 0; i < k; i++)
		c[i].rd.ahead = ahead - ahead % c[i].esize;
	*ncur = k;
	return c;
}

int dupes_resolve(struct dupes_log *const *logs, size_t n, dupes_rank_fn rank, void *ctx,
		  uint64_t *count, struct diag *d)
{
	size_t ncur;
	struct cursor *cur = make_cursors(logs, n, &ncur);
	struct cursor **heap = xcalloc(ncur ? ncur : 1, sizeof *heap);
	size_t nh = 0;
	int rc = 0;
	bool dedupe = n && logs[0]->dedupe;
	for (size_t i = 0; i < ncur && rc == 0; i++) {
		bool has;
		rc = cursor_next(&cur[i], &has, d);
		if (has)
			heap[nh++] = &cur[i];
	}
	for (size_t i = nh / 2; i-- > 0;)
		heap_down(heap, nh, i);
	*count = 0;
	bool started = false;
	struct pos_entry best = { 0 }; /* the first copy so far of the current hash */
	while (rc == 0 && nh) {
		struct cursor *c = heap[0];
		struct pos_entry e = c->e;
		if (started && hash_cmp(&e.h, &best.h) == 0) {
			++*count;
			if (dedupe) {
				bool earlier = pos_cmp(&e, &best, rank, ctx) < 0;
				mark(logs, earlier ? &best : &e);
				if (earlier)
					best = e;
			}
		} else {
			best = e;
			started = true;
		}
		bool has;
		rc = cursor_next(c, &has, d);
		if (!has)
			heap[0] = heap[--nh];
		heap_down(heap, nh, 0);
	}
	for (size_t i = 0; i < ncur; i++)
		spill_range_finish(&cur[i].rd);
	free(cur);
	free(heap);
	return rc;
}

/* ---- --dedupe: the records kept back, counted after all or listed ---- */

static void put_fix(struct dupes_log *d, const struct source_row *row, uint64_t seq, uint64_t order)
{
	if (!row->has_ts)
		return;
	struct fix_entry f = { seq,	      order,	       row->first.sec,
			       row->last.sec, row->first.nsec, row->last.nsec };
	spill_write(&d->fixes, &f, sizeof f);
	d->nfixes++;
}

/* Reads the next kept record into r (its strings in *text). */
static int read_kept(struct spill_range *rd, struct kept_head *h, struct record *r, struct str *s,
		     char **text, size_t *cap, size_t nstr, struct diag *d)
{
	if (spill_range_read(rd, h, sizeof *h, d) != 0)
		return -1;
	uint32_t len[64 + KEPT_STRINGS];
	size_t used = 0;
	for (size_t i = 0; i < nstr; i++) {
		if (spill_range_read(rd, &len[i], sizeof len[i], d) != 0)
			return -1;
		if (used + len[i] > *cap) {
			*cap = 2 * (used + len[i]);
			*text = xrealloc(*text, *cap);
		}
		if (len[i] && spill_range_read(rd, *text + used, len[i], d) != 0)
			return -1;
		used += len[i];
	}
	for (size_t i = 0, at = 0; i < nstr; at += len[i], i++)
		s[i] = (struct str){ *text ? *text + at : "", len[i] };
	memset(r, 0, sizeof *r);
	r->line = h->line;
	r->timestamp = (struct ts){ h->sec, h->nsec };
	r->account_id = s[KEPT_ACCOUNT];
	r->caller = s[KEPT_CALLER];
	r->region = s[KEPT_REGION];
	r->operation = s[KEPT_OPERATION];
	r->model_id = s[KEPT_MODEL];
	r->inference_region = s[KEPT_INFERENCE];
	r->tier = s[KEPT_TIER];
	r->error = h->error;
	r->cache_write_1h_ignored = h->ignored_1h;
	memcpy(r->tokens, h->tokens, sizeof r->tokens);
	r->meta = s + KEPT_STRINGS;
	return 0;
}

int dupes_replay(struct dupes_log *d, dupes_count_fn fn, void *ctx)
{
	if (!d->dedupe)
		return 0;
	size_t nstr = KEPT_STRINGS + d->nmeta;
	if (d->nmeta > 64)
		return diag_set(&d->diag, "too many requestMetadata keys to keep back");
	struct spill_range rd = { .s = &d->kept, .end = spill_size(&d->kept) };
	struct str *s = xcalloc(nstr, sizeof *s);
	char *text = NULL;
	size_t cap = 0;
	struct source_row row = { 0 };
	uint64_t seq = 0, order = 0;
	int rc = 0;
	for (uint64_t i = 0; i < d->nkept && rc == 0; i++) {
		struct kept_head h;
		struct record r;
		rc = read_kept(&rd, &h, &r, s, &text, &cap, nstr, &d->diag);
		if (rc)
			break;
		if (i == 0 || h.seq != seq || h.order != order) {
			if (i)
				put_fix(d, &row, seq, order);
			memset(&row, 0, sizeof row);
			seq = h.seq, order = h.order;
		}
		if (d->dup_bits[i / 8] & (1u << (i % 8))) {
			struct line_entry l = { h.seq, h.order, h.line };
			spill_write(&d->lines, &l, sizeof l);
			d->nlines++;
			fn(ctx, &r, &row, true);
		} else {
			fn(ctx, &r, &row, false);
		}
	}
	if (rc == 0 && d->nkept)
		put_fix(d, &row, seq, order);
	spill_range_finish(&rd);
	free(s);
	free(text);
	return rc;
}

/* ---- lookups for sources.csv and rejects.csv ---- */

static int key_cmp(uint64_t s1, uint64_t o1, uint64_t s2, uint64_t o2)
{
	if (s1 != s2)
		return s1 < s2 ? -1 : 1;
	return (o1 > o2) - (o1 < o2);
}

/* The (seq, order) of entry i of a spill of fixed-size entries that begin with them. */
static int key_at(struct spill *s, size_t es, uint64_t i, uint64_t k[2])
{
	return spill_read_at(s, i * es, k, 2 * sizeof *k);
}

/* The first entry whose key is >= (seq, order): *at is tried first (the next in order). */
static uint64_t lower_bound(struct spill *s, size_t es, uint64_t n, uint64_t at, uint64_t seq,
			    uint64_t order)
{
	uint64_t k[2];
	bool before_ok =
	    at == 0 || (key_at(s, es, at - 1, k) == 0 && key_cmp(k[0], k[1], seq, order) < 0);
	bool at_ok = at == n ||
		     (at < n && key_at(s, es, at, k) == 0 && key_cmp(k[0], k[1], seq, order) >= 0);
	if (at <= n && before_ok && at_ok)
		return at;
	uint64_t lo = 0, hi = n;
	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;
		if (key_at(s, es, mid, k) != 0)
			return n;
		if (key_cmp(k[0], k[1], seq, order) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

uint64_t dupes_row(struct dupes_log *d, uint64_t seq, uint64_t order, bool *has, struct ts *first,
		   struct ts *last)
{
	if (!d->dedupe)
		return 0;
	uint64_t i =
	    lower_bound(&d->fixes, sizeof(struct fix_entry), d->nfixes, d->fix_at, seq, order);
	struct fix_entry f;
	if (i < d->nfixes && spill_read_at(&d->fixes, i * sizeof f, &f, sizeof f) == 0 &&
	    f.seq == seq && f.order == order) {
		struct ts a = { f.first_sec, (int32_t)f.first_nsec },
			  b = { f.last_sec, (int32_t)f.last_nsec };
		if (!*has || ts_cmp(a, *first) < 0)
			*first = a;
		if (!*has || ts_cmp(b, *last) > 0)
			*last = b;
		*has = true;
		d->fix_at = i + 1;
	}
	d->line_at =
	    lower_bound(&d->lines, sizeof(struct line_entry), d->nlines, d->line_at, seq, order);
	d->line_seq = seq;
	d->line_order = order;
	return d->line_at < d->nlines;
}

int dupes_next_line(struct dupes_log *d, uint64_t *line)
{
	struct line_entry l;
	if (d->line_at >= d->nlines)
		return 0;
	if (spill_read_at(&d->lines, d->line_at * sizeof l, &l, sizeof l) != 0)
		return diag_move(&d->diag, &d->lines.diag);
	if (l.seq != d->line_seq || l.order != d->line_order)
		return 0;
	d->line_at++;
	*line = l.line;
	return 1;
}
