/*
 * take.c - an object taken from the state: whether it can be (its key, its
 * plan, and when the plan does not settle it, each stored cell), then its
 * rows, rejected lines and cells into the worker's books, checked against
 * the object's checksum. Each worker reads through its own connection.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/support/xalloc.h"
#include "state_int.h"

#define NS_PER_HOUR ((uint64_t)3600 * 1000000000u)

struct state_worker *state_worker_create(struct state *st)
{
	struct state_worker *w = xcalloc(1, sizeof *w);
	w->st = st;
	fact_key_init(&w->key, st->cfg.plan);
	w->fields = w->key.fields;
	capture_init(w);
	int rc = sqlite3_open_v2(st->cfg.path, &w->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX,
				 NULL);
	if (rc == SQLITE_OK) {
		sqlite3_busy_timeout(w->db, 2000);
		sqlite3_exec(w->db, "PRAGMA cache_size = -512", NULL, NULL, NULL);
		rc = sqlite3_prepare_v3(
		    w->db,
		    "SELECT ord, path, status, reason, bytes, records FROM sources"
		    " WHERE object_id = ? ORDER BY ord",
		    -1, SQLITE_PREPARE_PERSISTENT, &w->q_sources, NULL);
	}
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v3(w->db,
					"SELECT source_ord, line, reason, at_sec, at_nsec, "
					"account_id, region FROM rejects"
					" WHERE object_id = ? ORDER BY n",
					-1, SQLITE_PREPARE_PERSISTENT, &w->q_rejects, NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_prepare_v3(w->db,
					"SELECT source_ord, cells, request_ids FROM cell_blocks"
					" WHERE object_id = ? ORDER BY n",
					-1, SQLITE_PREPARE_PERSISTENT, &w->q_blocks, NULL);
	if (rc != SQLITE_OK)
		state_set_broken(st, "cannot read it: %s",
				 w->db ? sqlite3_errmsg(w->db) : sqlite3_errstr(rc));
	return w;
}

/*
 * A worker reads the objects it takes in read transactions of up to
 * READS_PER_TRANSACTION objects: not a lock and file checks per object,
 * and not one snapshot for the whole run either, which would keep the
 * writer's checkpoints from emptying the log (-wal) file until the run
 * ends. The objects it takes were stored before the run, and the writer
 * does not change them.
 */
#define READS_PER_TRANSACTION 256

static void reading(struct state_worker *w)
{
	if (!sqlite3_get_autocommit(w->db) && w->reads++ < READS_PER_TRANSACTION)
		return;
	state_worker_rest(w);
	w->reads = 1;
	sqlite3_exec(w->db, "BEGIN", NULL, NULL, NULL);
}

void state_worker_rest(struct state_worker *w)
{
	if (w && w->db && !sqlite3_get_autocommit(w->db))
		sqlite3_exec(w->db, "COMMIT", NULL, NULL, NULL);
}

void state_worker_destroy(struct state_worker *w)
{
	if (!w)
		return;
	state_worker_rest(w);
	sqlite3_finalize(w->q_sources);
	sqlite3_finalize(w->q_rejects);
	sqlite3_finalize(w->q_blocks);
	sqlite3_close(w->db);
	capture_finish(w);
	id_cache_finish(&w->ids);
	table_finish(&w->metas);
	arena_free(&w->meta_arena);
	fact_key_finish(&w->key);
	free(w->rows);
	sbuf_free(&w->scratch);
	free(w);
}

/* ---- one stored cell ---- */

struct cell {
	int64_t hour;
	uint64_t v[CC_COUNT]; /* the columns after the hour */
	struct counters c;
};

/*
 * The digits of an integer after separator sep, as the writer writes them (no
 * blanks, no leading zero, trailing zeros maybe an exponent: sbuf_u64_short):
 * the cells are most of what a warm run reads.
 */
static inline bool next_u64(const char **pp, const char *end, char sep, uint64_t *v)
{
	const char *p = *pp;
	if (p == end || *p++ != sep || p == end || *p < '0' || *p > '9' ||
	    (*p == '0' && p + 1 < end && p[1] >= '0' && p[1] <= '9'))
		return false;
	const char *stop = end - p > 19 ? p + 19 : end; /* 19 digits cannot overflow */
	uint64_t x = 0;
	for (unsigned d; p < stop && (d = (unsigned char)*p - '0') <= 9; p++)
		x = x * 10 + d;
	if (p < end && *p >= '0' && *p <= '9') { /* a 20th digit: at most UINT64_MAX */
		unsigned d = (unsigned)(*p++ - '0');
		if (x > (UINT64_MAX - d) / 10 || (p < end && *p >= '0' && *p <= '9'))
			return false;
		x = x * 10 + d;
	}
	if (p < end && *p == 'e') { /* sbuf_u64_short's exponent: 1 or 2 digits */
		unsigned e = 0;
		const char *d = ++p;
		for (; p < end && *p >= '0' && *p <= '9' && p - d < 2; p++)
			e = e * 10 + (unsigned)(*p - '0');
		if (p == d || (p < end && *p >= '0' && *p <= '9'))
			return false;
		for (; e; e--) {
			if (x > UINT64_MAX / 10)
				return false;
			x *= 10;
		}
	}
	*pp = p;
	*v = x;
	return true;
}

static bool parse_cell(struct jr *r, struct cell *cell)
{
	uint64_t hour;
	const char *p = r->p, *end = r->end; /* in registers through the row's numbers */
	bool neg = end - p > 1 && p[1] == '-';
	if (neg)
		p++; /* next_u64 takes the '-' for the '[' */
	if (!next_u64(&p, end, neg ? '-' : '[', &hour) || hour > (uint64_t)1 << 40)
		return false;
	cell->hour = neg ? -(int64_t)hour : (int64_t)hour;
	for (int i = 1; i < CC_COUNT; i++)
		if (!next_u64(&p, end, ',', &cell->v[i]))
			return false;
	r->p = p;
	const uint64_t *v = cell->v;
	if (r->p == r->end || *r->p++ != ']' || cell->hour < -((int64_t)1 << 40) ||
	    cell->hour > (int64_t)1 << 40 || v[CC_SPAN] >= NS_PER_HOUR ||
	    v[CC_FIRST] >= NS_PER_HOUR - v[CC_SPAN] ||
	    v[CC_CONTEXT_SPAN] > UINT64_MAX - v[CC_CONTEXT_MIN] || v[CC_KINDS] >= 1u << TOKEN_KINDS)
		return false;
	struct counters *c = &cell->c;
	memset(c, 0, sizeof *c);
	c->invocations = v[CC_INVOCATIONS];
	c->errors = v[CC_ERRORS];
	for (int k = 0; k < TOKEN_KINDS; k++)
		c->tokens[k] = v[CC_TOKENS + k];
	c->ignored_1h = v[CC_IGNORED_1H];
	c->context_min = v[CC_CONTEXT_MIN];
	c->context_max = v[CC_CONTEXT_MIN] + v[CC_CONTEXT_SPAN];
	c->seen = true;
	int64_t h = cell->hour * 3600;
	c->first = (struct ts){ h + (int64_t)(v[CC_FIRST] / 1000000000u),
				(int32_t)(v[CC_FIRST] % 1000000000u) };
	uint64_t last = v[CC_FIRST] + v[CC_SPAN];
	c->last = (struct ts){ h + (int64_t)(last / 1000000000u), (int32_t)(last % 1000000000u) };
	return true;
}

/* A stored meta object's values, decoded once per worker. */
static const struct meta_values *meta_of(struct state_worker *w, int64_t id)
{
	uint64_t h = table_hash(&id, sizeof id);
	size_t pos;
	for (struct meta_values *m = table_first(&w->metas, h, &pos); m;
	     m = table_next(&w->metas, h, &pos))
		if (m->id == id)
			return m;
	const struct str *text = state_string(w->st, id);
	if (!text)
		return NULL;
	struct jr r = { text->p, text->p + text->n };
	struct sbuf *b = &w->scratch;
	b->n = 0;
	size_t n = 0, *ends = NULL;
	bool ok = jr_ch(&r, '{');
	for (bool first = true; ok && !jr_is(&r, '}'); first = false) {
		size_t skip = b->n;
		ok = (first || jr_ch(&r, ',')) && jr_str(&r, b) && jr_ch(&r, ':');
		b->n = skip; /* the key: the plan knows the order */
		ok = ok && jr_str(&r, b);
		ends = xrealloc(ends, (n + 1) * sizeof *ends);
		ends[n++] = b->n;
	}
	ok = ok && jr_ch(&r, '}') && jr_end(&r);
	struct meta_values *m = NULL;
	if (ok) {
		m = arena_alloc(&w->meta_arena, sizeof *m);
		m->id = id;
		m->n = n;
		m->v = arena_alloc(&w->meta_arena, (n + 1) * sizeof *m->v);
		char *all = arena_alloc(&w->meta_arena, b->n + 1);
		memcpy(all, b->p ? b->p : "", b->n);
		for (size_t i = 0; i < n; i++) {
			size_t start = i ? ends[i - 1] : 0;
			m->v[i] = (struct str){ all + start, ends[i] - start };
		}
		table_add(&w->metas, h, m);
	}
	free(ends);
	return m;
}

/* The cell's key under the run's plan, in w->fields; false when it refers to nothing. */
static bool cell_key(struct state_worker *w, const struct state_plan *sp, const struct cell *cell)
{
	const struct fact_plan *p = w->st->cfg.plan;
	for (int col = CC_MODEL_ID; col <= CC_OPERATION; col++) {
		int f = cell_col_field((enum cell_col)col);
		if (f < 0)
			continue;
		const struct str *s = state_string(w->st, (int64_t)cell->v[col]);
		if (!s)
			return false;
		w->fields[f] = *s;
	}
	if (p->nmeta) {
		const struct meta_values *m = meta_of(w, (int64_t)cell->v[CC_META]);
		if (!m || m->n != sp->nkeys)
			return false;
		for (size_t i = 0; i < p->nmeta; i++)
			w->fields[FACT_META + i] = m->v[sp->meta_at[i]];
	}
	fact_key_set_class(&w->key, p, cell->hour, cell->c.context_min, cell->c.first,
			   (unsigned)cell->v[CC_KINDS]);
	return true;
}

/* Why the cell cannot be taken as one under this run's window and plan, or -1. */
static int cell_misfit(const struct state *st, const struct counters *c)
{
	const struct state_config *cfg = &st->cfg;
	const struct window *w = &cfg->window;
	if ((w->has_since && ts_cmp(c->first, w->since) < 0 && ts_cmp(c->last, w->since) >= 0) ||
	    (w->has_until && ts_cmp(c->first, w->until) < 0 && ts_cmp(c->last, w->until) >= 0))
		return STATE_WINDOW;
	if (!fact_one_context_class(cfg->plan, c->context_min, c->context_max) ||
	    !fact_one_time_class(cfg->plan, c->first, c->last))
		return STATE_PRICES;
	return -1;
}

/* ---- the object ---- */

struct take {
	struct state_worker *w;
	const struct state_object *o;
	const struct state_plan *sp;
	const struct state_sink *sink; /* NULL: only check the cells */
	size_t nrows;
	uint64_t h_rows, h_rejects, h_blocks;
	int misfit; /* check: the first reason found, or -1 */
};

static int bad(struct take *t, const char *what)
{
	state_set_broken(t->w->st, "object %" PRId64 " (%s): %s", t->o->id, t->o->path, what);
	return -1;
}

static int query_failed(struct take *t, int rc)
{
	return bad(t, sqlite3_errstr(rc));
}

static const char *text_col(sqlite3_stmt *s, int i, struct str *out)
{
	const char *p = (const char *)sqlite3_column_text(s, i);
	*out = (struct str){ p ? p : "", (size_t)sqlite3_column_bytes(s, i) };
	return out->p;
}

static int take_rows(struct take *t)
{
	struct state_worker *w = t->w;
	sqlite3_stmt *s = w->q_sources;
	sqlite3_bind_int64(s, 1, t->o->id);
	int rc;
	uint64_t h = TABLE_HASH_START;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct str path, status, reason;
		text_col(s, 1, &path);
		text_col(s, 2, &status);
		text_col(s, 3, &reason);
		int64_t ord = sqlite3_column_int64(s, 0);
		uint64_t bytes = (uint64_t)sqlite3_column_int64(s, 4);
		uint64_t records = (uint64_t)sqlite3_column_int64(s, 5);
		int st = str_eq(status, STR_LIT("ok"))	      ? SOURCE_OK
			 : str_eq(status, STR_LIT("skipped")) ? SOURCE_SKIPPED
			 : str_eq(status, STR_LIT("error"))   ? SOURCE_ERROR
							      : -1;
		if (ord != (int64_t)t->nrows || st < 0 || strlen(path.p) != path.n ||
		    strlen(reason.p) != reason.n) {
			sqlite3_reset(s);
			return bad(t, "a bad sources row");
		}
		h = sum_str(sum_str(sum_str(sum_u64(h, (uint64_t)ord), path), status), reason);
		if (ord == 0 && path.n == 0) /* the object's own row */
			path = (struct str){ t->o->path, strlen(t->o->path) };
		h = sum_u64(sum_u64(h, bytes), records);
		if (t->nrows == w->cap_rows) {
			w->cap_rows = w->cap_rows ? 2 * w->cap_rows : 16;
			w->rows = xrealloc(w->rows, w->cap_rows * sizeof *w->rows);
		}
		struct source_row *row = source_log_add(t->sink->log, path.p);
		source_row_set(row, (enum source_status)st, reason.n ? reason.p : NULL);
		row->bytes = bytes;
		row->records = records;
		w->rows[t->nrows++] = row;
	}
	sqlite3_reset(s);
	t->h_rows = h;
	return rc == SQLITE_DONE ? 0 : query_failed(t, rc);
}

static int reject_reason(struct str name)
{
	for (int i = RECORD_OK + 1; i < RECORD_REJECT_COUNT; i++)
		if (str_eq(name, str_from(record_reject_name((enum record_reject)i))))
			return i;
	return -1;
}

/* The reject at the statement's row: checked, summed, handed to the sink. */
static int take_reject(struct take *t, sqlite3_stmt *s)
{
	uint64_t ord = (uint64_t)sqlite3_column_int64(s, 0);
	uint64_t line = (uint64_t)sqlite3_column_int64(s, 1);
	struct str name, account, region;
	text_col(s, 2, &name);
	int why = reject_reason(name);
	bool late = sqlite3_column_type(s, 3) != SQLITE_NULL;
	int64_t nsec = sqlite3_column_int64(s, 4);
	struct record r = { .line = line,
			    .timestamp = { sqlite3_column_int64(s, 3), (int32_t)nsec } };
	text_col(s, 5, &account);
	text_col(s, 6, &region);
	if (ord >= t->nrows || why < 0 || (late && (nsec < 0 || nsec > 999999999)))
		return bad(t, "a bad rejects row");
	uint64_t h = sum_u64(sum_str(sum_u64(sum_u64(t->h_rejects, ord), line), name), late);
	if (late) {
		h = sum_u64(sum_u64(h, (uint64_t)r.timestamp.sec), (uint64_t)nsec);
		h = sum_str(sum_str(h, account), region);
		r.reject = (enum record_reject)why;
		r.account_id = account;
		r.region = region; /* the source region as stored */
	}
	t->h_rejects = h;
	t->sink->reject(t->sink->ctx, t->w->rows[ord], line, (enum record_reject)why,
			late ? &r : NULL);
	return 0;
}

/*
 * The next cell's requestId hashes in a block's request_ids (bedrock-ledger(1),
 * STATE: a LEB128 count, then the hashes); false when the blob is cut short or
 * holds more than the cell's records.
 */
static bool next_ids(struct str *ids, uint64_t records, const unsigned char **h, size_t *n)
{
	const unsigned char *p = (const unsigned char *)ids->p, *end = p + ids->n;
	uint64_t v = 0;
	for (int shift = 0;; shift += 7) {
		if (p == end || shift > 56)
			return false;
		v |= (uint64_t)(*p & 0x7f) << shift;
		if (!(*p++ & 0x80))
			break;
	}
	if (v > records || v > (uint64_t)(end - p) / DUPES_HASH_SIZE)
		return false;
	*h = p;
	*n = (size_t)v;
	p += v * DUPES_HASH_SIZE;
	*ids = (struct str){ (const char *)p, (size_t)(end - p) };
	return true;
}

/* One block's cells: checked (t->sink NULL) or handed to the sink with their hashes. */
static int take_block(struct take *t, uint64_t ord, struct str text, struct str ids)
{
	struct jr r = { text.p, text.p + text.n };
	if (!jr_ch(&r, '['))
		return bad(t, "a bad cell block");
	struct cell cell;
	for (bool first = true; r.p < r.end && *r.p != ']'; first = false) {
		if ((!first && *r.p++ != ',') || !parse_cell(&r, &cell))
			return bad(t, "a bad cell");
		if (!t->sink) {
			int why = cell_misfit(t->w->st, &cell.c);
			if (why >= 0) {
				t->misfit = why;
				return 0;
			}
			continue;
		}
		const unsigned char *h;
		size_t nh;
		if (!next_ids(&ids, cell.c.invocations, &h, &nh))
			return bad(t, "a bad request_ids blob");
		if (!cell_key(t->w, t->sp, &cell))
			return bad(t, "a cell refers to a string that is not stored");
		t->sink->cell(t->sink->ctx, t->w->rows[ord], t->w->fields, &cell.c, h, nh);
	}
	if (!jr_ch(&r, ']') || !jr_end(&r) || (t->sink && ids.n))
		return bad(t, "a bad cell block");
	return 0;
}

static struct str blob_col(sqlite3_stmt *s, int i)
{
	const void *p = sqlite3_column_blob(s, i);
	return (struct str){ p ? p : "", (size_t)sqlite3_column_bytes(s, i) };
}

/* Before taking: the first reason a stored cell does not fit this run, in t->misfit. */
static int check_cells(struct take *t)
{
	sqlite3_stmt *s = t->w->q_blocks;
	sqlite3_bind_int64(s, 1, t->o->id);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && t->misfit < 0) {
		struct str text;
		text_col(s, 1, &text);
		if (take_block(t, (uint64_t)sqlite3_column_int64(s, 0), text, blob_col(s, 2)) != 0) {
			sqlite3_reset(s);
			return -1;
		}
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return query_failed(t, rc);
	return 0;
}

/*
 * Row by row: the sink's row, then the row's rejects and blocks, both
 * stored in row order (a row's lines and cells are captured while it is read).
 */
static int take_object(struct take *t)
{
	if (take_rows(t) != 0)
		return -1;
	sqlite3_stmt *rj = t->w->q_rejects, *bl = t->w->q_blocks;
	sqlite3_bind_int64(rj, 1, t->o->id);
	sqlite3_bind_int64(bl, 1, t->o->id);
	t->h_rejects = t->h_blocks = TABLE_HASH_START;
	int rrc = sqlite3_step(rj), brc = sqlite3_step(bl), rc = 0;
	for (uint64_t ord = 0; ord < t->nrows && rc == 0; ord++) {
		t->sink->row(t->sink->ctx, t->w->rows[ord]);
		while (rc == 0 && rrc == SQLITE_ROW &&
		       (uint64_t)sqlite3_column_int64(rj, 0) == ord) {
			rc = take_reject(t, rj);
			rrc = sqlite3_step(rj);
		}
		while (rc == 0 && brc == SQLITE_ROW &&
		       (uint64_t)sqlite3_column_int64(bl, 0) == ord) {
			struct str text, ids;
			text_col(bl, 1, &text);
			ids = blob_col(bl, 2);
			t->h_blocks = state_block_sum(t->h_blocks, ord, text, ids);
			rc = take_block(t, ord, text, ids);
			brc = sqlite3_step(bl);
		}
	}
	sqlite3_reset(rj);
	sqlite3_reset(bl);
	if (rc != 0)
		return -1;
	if (rrc == SQLITE_ROW || brc == SQLITE_ROW)
		return bad(t, "rejects or cells out of their rows' order");
	if (rrc != SQLITE_DONE || brc != SQLITE_DONE)
		return query_failed(t, rrc != SQLITE_DONE ? rrc : brc);
	uint64_t sum = sum_u64(sum_u64(t->h_rows, t->h_rejects), t->h_blocks);
	if ((int64_t)sum != t->o->checksum)
		return bad(t, "its checksum does not match what is stored");
	return 0;
}

bool state_take(struct state_worker *w, const struct input *in, const struct state_sink *sink)
{
	struct state *st = w->st;
	w->cap.on = false;
	if (in->kind == INPUT_STDIN || atomic_load(&st->broken))
		return false;
	struct state_object *o = state_find_object(st, in->path);
	if (o && atomic_exchange(&o->seen, true))
		return false; /* met twice in one run: read, not stored */
	if (in->kind != INPUT_FILE)
		return false;
	if (!o) {
		atomic_fetch_add(&st->read_new, 1);
		capture_begin(w, in, 0);
		return false;
	}
	struct take t = { w, o, state_find_plan(st, o->plan_id), NULL, 0, 0, 0, 0, -1 };
	int why = -1;
	reading(w);
	if (o->size != (int64_t)in->size || o->mtime_ns != in->mtime_ns) {
		why = STATE_CHANGED;
	} else if (!t.sp) {
		bad(&t, "its plan is not stored");
		return false;
	} else if (!t.sp->meta_ok) {
		why = STATE_META;
	} else if (!t.sp->exact) {
		if (check_cells(&t) != 0)
			return false;
		why = t.misfit;
	}
	if (why >= 0) {
		atomic_fetch_add(&st->reread[why], 1);
		capture_begin(w, in, o->id);
		return false;
	}
	t.sink = sink;
	if (take_object(&t) == 0)
		atomic_fetch_add(&st->taken, 1);
	return true;
}
