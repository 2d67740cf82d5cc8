/*
 * capture.c - what an input being read contributes to the state: its
 * rejected lines, and its cells, written as blocks of JSON (one block per
 * log object, or per fact table's worth of cells) with their strings as
 * dictionary ids; stored when the input ends, or in parts when it outgrows
 * CHUNK_BYTES.
 */
#include <stdlib.h>
#include <string.h>

#include "ledger/support/xalloc.h"
#include "state_int.h"

/* An input whose capture holds more than this is stored in parts (one transaction). */
#define CHUNK_BYTES ((size_t)4 << 20)

void capture_init(struct state_worker *w)
{
	w->cap.cells = rollup_create(w->st->cfg.plan->nfields);
}

void capture_finish(struct state_worker *w)
{
	struct capture *c = &w->cap;
	rollup_destroy(c->cells);
	free(c->path);
	free(c->rejects);
	free(c->blocks);
	free(c->idv);
	sbuf_free(&c->text);
	sbuf_free(&c->ids);
	memset(c, 0, sizeof *c);
}

void capture_begin(struct state_worker *w, const struct input *in, int64_t id)
{
	struct capture *c = &w->cap;
	free(c->path);
	c->path = xstrdup(in->path);
	c->size = (int64_t)in->size;
	c->mtime_ns = in->mtime_ns;
	c->id = id;
	c->begun = false;
	c->nblocks_out = c->nrejects_out = 0;
	c->h_rejects = c->h_blocks = TABLE_HASH_START;
	c->nrejects = c->nblocks = 0;
	c->text.n = 0;
	c->ids.n = 0;
	c->nids = 0;
	rollup_clear(c->cells);
	c->on = true;
}

struct rollup *state_capture_cells(struct state_worker *w)
{
	return w->cap.on ? w->cap.cells : NULL;
}

static void maybe_chunk(struct state_worker *w)
{
	struct capture *c = &w->cap;
	if (c->text.n + c->ids.n + c->nrejects * sizeof *c->rejects >= CHUNK_BYTES)
		writer_store(w->st, c, NULL, 0, false);
}

void state_capture_reject(struct state_worker *w, const struct source_row *s, uint64_t line,
			  enum record_reject why, const struct record *late)
{
	struct capture *c = &w->cap;
	if (!c->on)
		return;
	if (c->nrejects == c->cap_rejects) {
		c->cap_rejects = c->cap_rejects ? 2 * c->cap_rejects : 64;
		c->rejects = xrealloc(c->rejects, c->cap_rejects * sizeof *c->rejects);
	}
	struct cap_reject *r = &c->rejects[c->nrejects++];
	*r = (struct cap_reject){ .ord = s->order, .line = line, .why = why, .late = late != NULL };
	if (late) {
		struct str region = fact_source_region(late);
		r->at = late->timestamp;
		r->account_off = c->text.n;
		r->account_len = late->account_id.n;
		sbuf_put(&c->text, late->account_id.p, late->account_id.n);
		r->region_off = c->text.n;
		r->region_len = region.n;
		sbuf_put(&c->text, region.p, region.n);
	}
	maybe_chunk(w);
}

/* The requestMetadata values of a cell as a JSON object of the run's meta keys. */
static int64_t meta_id(struct state_worker *w, const struct str *key)
{
	const struct state_config *cfg = &w->st->cfg;
	size_t n = cfg->plan->nmeta;
	if (!n)
		return 0;
	struct sbuf *b = &w->scratch;
	b->n = 0;
	sbuf_ch(b, '{');
	for (size_t i = 0; i < n; i++) {
		if (i)
			sbuf_ch(b, ',');
		sbuf_jstr(b, str_from(cfg->metas[i]));
		sbuf_ch(b, ':');
		sbuf_jstr(b, key[FACT_META + i]);
	}
	sbuf_ch(b, '}');
	return state_intern(w->st, &w->ids, (struct str){ b->p, b->n });
}

/* One cell as the JSON array of bedrock-ledger(1), STATE (columns: enum cell_col). */
static void encode_cell(struct state_worker *w, struct sbuf *b, const struct str *key,
			const struct counters *c)
{
	int64_t hour = fact_hour(c->first);
	sbuf_ch(b, '[');
	sbuf_i64(b, hour);
	for (int col = CC_MODEL_ID; col <= CC_META; col++) {
		sbuf_ch(b, ',');
		int f = cell_col_field((enum cell_col)col);
		if (f >= 0)
			sbuf_i64(b, state_intern(w->st, &w->ids, key[f]));
		else if (col == CC_KINDS)
			sbuf_u64(b, (unsigned char)key[FACT_KINDS].p[0]);
		else
			sbuf_i64(b, meta_id(w, key));
	}
	uint64_t v[CC_COUNT - CC_INVOCATIONS] = { c->invocations, c->errors };
	for (int k = 0; k < TOKEN_KINDS; k++)
		v[CC_TOKENS - CC_INVOCATIONS + k] = c->tokens[k];
	v[CC_IGNORED_1H - CC_INVOCATIONS] = c->ignored_1h;
	v[CC_CONTEXT_MIN - CC_INVOCATIONS] = c->context_min;
	v[CC_CONTEXT_SPAN - CC_INVOCATIONS] = c->context_max - c->context_min;
	uint64_t first =
	    (uint64_t)(c->first.sec - hour * 3600) * 1000000000u + (uint64_t)c->first.nsec;
	uint64_t last =
	    (uint64_t)(c->last.sec - hour * 3600) * 1000000000u + (uint64_t)c->last.nsec;
	v[CC_FIRST - CC_INVOCATIONS] = first;
	v[CC_SPAN - CC_INVOCATIONS] = last - first; /* mostly 0: one record */
	for (int i = 0; i < CC_COUNT - CC_INVOCATIONS; i++) {
		sbuf_ch(b, ',');
		if (i + CC_INVOCATIONS >= CC_FIRST)
			sbuf_u64_short(b, v[i]); /* instants of second precision: 12 digits less */
		else
			sbuf_u64(b, v[i]);
	}
	sbuf_ch(b, ']');
}

size_t state_capture_id(struct state_worker *w, const struct counters *cell,
			const unsigned char hash[DUPES_HASH_SIZE])
{
	struct capture *c = &w->cap;
	if (!c->on)
		return 0;
	if (c->nids == c->cap_ids) {
		c->cap_ids = c->cap_ids ? 2 * c->cap_ids : 256;
		c->idv = xrealloc(c->idv, c->cap_ids * sizeof *c->idv);
	}
	c->idv[c->nids].cell = cell;
	memcpy(c->idv[c->nids++].hash, hash, DUPES_HASH_SIZE);
	return c->nids;
}

static int by_cell(const void *a, const void *b)
{
	const struct cap_id *x = a, *y = b;
	uintptr_t p = (uintptr_t)x->cell, q = (uintptr_t)y->cell;
	if (p != q)
		return p < q ? -1 : 1;
	return memcmp(x->hash, y->hash, DUPES_HASH_SIZE); /* a stored order that -j cannot change */
}

/* The first of the sorted ids of cell, or nids. */
static size_t first_id(const struct capture *c, const struct counters *cell)
{
	size_t lo = 0, hi = c->nids;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if ((uintptr_t)c->idv[mid].cell < (uintptr_t)cell)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* A cell's part of the request_ids blob (bedrock-ledger(1), STATE): how many, then the hashes. */
static void encode_ids(struct capture *c, const struct counters *cell)
{
	size_t i = first_id(c, cell), n = 0;
	while (i + n < c->nids && c->idv[i + n].cell == cell)
		n++;
	unsigned char len[10];
	size_t k = 0;
	for (uint64_t v = n; k == 0 || v; v >>= 7) /* LEB128 */
		len[k++] = (unsigned char)((v & 0x7f) | (v >> 7 ? 0x80 : 0));
	sbuf_put(&c->ids, len, k);
	for (size_t j = 0; j < n; j++)
		sbuf_put(&c->ids, c->idv[i + j].hash, DUPES_HASH_SIZE);
}

void state_capture_flush(struct state_worker *w, const struct source_row *s,
			 void (*fold)(void *ctx, const struct str *key, const struct counters *c),
			 void *ctx)
{
	struct capture *c = &w->cap;
	if (!c->on || rollup_count(c->cells) == 0)
		return;
	struct sbuf *b = &c->text;
	size_t off = b->n, ids_off = c->ids.n;
	qsort(c->idv, c->nids, sizeof *c->idv, by_cell);
	sbuf_ch(b, '[');
	size_t pos = 0;
	struct rollup_row row;
	for (bool first = true; rollup_each(c->cells, &pos, &row); first = false) {
		if (!first)
			sbuf_ch(b, ',');
		encode_cell(w, b, row.key, row.c);
		encode_ids(c, row.c);
		fold(ctx, row.key, row.c);
	}
	sbuf_ch(b, ']');
	if (c->nblocks == c->cap_blocks) {
		c->cap_blocks = c->cap_blocks ? 2 * c->cap_blocks : 16;
		c->blocks = xrealloc(c->blocks, c->cap_blocks * sizeof *c->blocks);
	}
	c->blocks[c->nblocks++] =
	    (struct cap_block){ s->order, off, b->n - off, ids_off, c->ids.n - ids_off };
	c->nids = 0;
	rollup_clear(c->cells);
	maybe_chunk(w);
}

void state_capture_end(struct state_worker *w, const struct source_log *log)
{
	struct capture *c = &w->cap;
	if (!c->on)
		return;
	c->on = false;
	/* a read error may not happen again (permissions, a disk): never kept */
	for (size_t i = 0; i < log->nrows; i++)
		if (log->rows[i]->status == SOURCE_ERROR) {
			writer_forget(w->st, c);
			return;
		}
	writer_store(w->st, c, log->rows, log->nrows, true);
}
