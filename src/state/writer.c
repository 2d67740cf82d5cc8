/*
 * writer.c - storing what read objects contributed: the string dictionary,
 * one object's rows in the writer's transaction, the batches, and the last
 * transaction of a run (objects the walk no longer met are dropped).
 *
 * A batch is one transaction of many objects; it is committed only when no
 * object is half stored (an object whose capture outgrew memory is stored
 * in parts, all inside one transaction), so every object is in the state
 * whole, with its key, or not at all.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ledger/support/xalloc.h"
#include "state_int.h"

/* A batch is committed after this many seconds even when not full. */
#define BATCH_SECONDS 2.0

static const char *const status_names[] = { "ok", "skipped", "error" };

bool state_rc_corrupt(int rc)
{
	rc &= 0xff;
	return rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB || rc == SQLITE_FORMAT ||
	       rc == SQLITE_MISMATCH || rc == SQLITE_SCHEMA || rc == SQLITE_ERROR;
}

int writer_prepare(struct state *st)
{
	static const char *const sql[W_COUNT] = {
		[W_INSERT_OBJECT] = "INSERT INTO objects(path, size, mtime_ns, plan_id, checksum)"
				    " VALUES(?, 0, 0, 0, 0)",
		[W_UPDATE_OBJECT] = "UPDATE objects SET size = ?2, mtime_ns = ?3, plan_id = ?4,"
				    " checksum = ?5 WHERE id = ?1",
		[W_INSERT_SOURCE] = "INSERT INTO sources VALUES(?, ?, ?, ?, ?, ?, ?)",
		[W_INSERT_REJECT] = "INSERT INTO rejects VALUES(?, ?, ?, ?, ?, ?, ?, ?, ?)",
		[W_INSERT_BLOCK] = "INSERT INTO cell_blocks VALUES(?, ?, ?, ?, ?)",
		[W_INSERT_STRING] = "INSERT INTO strings VALUES(?, ?, ?)",
		[W_DELETE_SOURCES] = "DELETE FROM sources WHERE object_id = ?",
		[W_DELETE_REJECTS] = "DELETE FROM rejects WHERE object_id = ?",
		[W_DELETE_BLOCKS] = "DELETE FROM cell_blocks WHERE object_id = ?",
		[W_DELETE_OBJECT] = "DELETE FROM objects WHERE id = ?",
	};
	for (int i = 0; i < W_COUNT; i++)
		if (sqlite3_prepare_v3(st->db, sql[i], -1, SQLITE_PREPARE_PERSISTENT, &st->w[i],
				       NULL) != SQLITE_OK)
			return -1;
	return 0;
}

void writer_finalize(struct state *st)
{
	for (int i = 0; i < W_COUNT; i++) {
		sqlite3_finalize(st->w[i]);
		st->w[i] = NULL;
	}
}

/* ---- the dictionary ---- */

static struct dict_entry *dict_find(struct table *t, struct str s, uint64_t h)
{
	size_t pos;
	for (struct dict_entry *e = table_first(t, h, &pos); e; e = table_next(t, h, &pos))
		if (str_eq(e->s, s))
			return e;
	return NULL;
}

static struct dict_entry *dict_new(struct table *t, struct arena *a, struct str s, uint64_t h,
				   int64_t id)
{
	struct dict_entry *e = arena_alloc(a, sizeof *e);
	char *copy = arena_alloc(a, s.n + 1);
	if (s.n)
		memcpy(copy, s.p, s.n);
	copy[s.n] = '\0';
	*e = (struct dict_entry){ { copy, s.n }, id };
	table_add(t, h, e);
	return e;
}

int64_t state_intern(struct state *st, struct id_cache *c, struct str s)
{
	uint64_t h = table_hash(s.p, s.n);
	struct dict_entry *e = dict_find(&c->t, s, h);
	if (e)
		return e->id;
	pthread_mutex_lock(&st->dict_lock);
	struct dict_entry *g = dict_find(&st->dict, s, h);
	if (!g) {
		g = dict_new(&st->dict, &st->dict_arena, s, h, st->next_id++);
		if (st->npending == st->cap_pending) {
			st->cap_pending = st->cap_pending ? 2 * st->cap_pending : 256;
			st->pending = xrealloc(st->pending, st->cap_pending * sizeof *st->pending);
		}
		st->pending[st->npending++] = g;
	}
	int64_t id = g->id;
	pthread_mutex_unlock(&st->dict_lock);
	dict_new(&c->t, &c->a, s, h, id);
	return id;
}

void id_cache_finish(struct id_cache *c)
{
	table_finish(&c->t);
	arena_free(&c->a);
}

/* ---- the transaction ---- */

static int step(sqlite3_stmt *s)
{
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? SQLITE_OK : rc;
}

/* A write failed: the batch is rolled back and nothing more is stored. Under st->lock. */
static void fail(struct state *st, int rc)
{
	const char *msg = sqlite3_errmsg(st->db);
	if (state_rc_corrupt(rc) && !atomic_load(&st->broken)) {
		snprintf(st->broken_msg, sizeof st->broken_msg, "%s", msg);
		atomic_store(&st->broken, true);
	}
	if (!st->write_failed)
		snprintf(st->problem, sizeof st->problem, "%s", msg);
	st->write_failed = true;
	if (st->in_txn)
		sqlite3_exec(st->db, "ROLLBACK", NULL, NULL, NULL);
	st->in_txn = false;
	st->unstored += st->batch_n;
	st->batch_n = 0;
	st->open_objects = 0;
}

/* The plans row of this run, inserted in the first transaction that needs it. */
static int run_plan(struct state *st)
{
	if (st->run_plan_id)
		return SQLITE_OK;
	sqlite3_stmt *s;
	int rc = sqlite3_prepare_v2(
	    st->db,
	    "INSERT INTO plans(meta_keys, context_over, bounds, checksum) VALUES(?, ?, ?, ?)", -1,
	    &s, NULL);
	if (rc != SQLITE_OK)
		return rc;
	for (int i = 0; i < 3; i++)
		sqlite3_bind_text(s, i + 1, st->plan_text[i], -1, SQLITE_STATIC);
	sqlite3_bind_int64(s, 4, plan_sum((const char *const *)st->plan_text));
	rc = step(s);
	sqlite3_finalize(s);
	if (rc == SQLITE_OK)
		st->run_plan_id = sqlite3_last_insert_rowid(st->db);
	return rc;
}

static int begin(struct state *st)
{
	if (st->in_txn)
		return SQLITE_OK;
	int rc = sqlite3_exec(st->db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return rc;
	st->in_txn = true;
	st->batch_t0 = state_now();
	return run_plan(st); /* after a rollback nothing more is written: no stale plan id */
}

static int commit(struct state *st)
{
	if (!st->in_txn)
		return SQLITE_OK;
	int rc = sqlite3_exec(st->db, "COMMIT", NULL, NULL, NULL);
	if (rc != SQLITE_OK)
		return rc;
	st->in_txn = false;
	st->batch_n = 0;
	return SQLITE_OK;
}

/* New strings go in with the first object that may use them. */
static int flush_strings(struct state *st)
{
	pthread_mutex_lock(&st->dict_lock);
	int rc = SQLITE_OK;
	size_t i = 0;
	for (; i < st->npending && rc == SQLITE_OK; i++) {
		sqlite3_stmt *s = st->w[W_INSERT_STRING];
		sqlite3_bind_int64(s, 1, st->pending[i]->id);
		sqlite3_bind_text(s, 2, st->pending[i]->s.p, (int)st->pending[i]->s.n,
				  SQLITE_STATIC);
		sqlite3_bind_int64(s, 3, state_text_sum(st->pending[i]->s));
		rc = step(s);
	}
	st->npending = 0;
	pthread_mutex_unlock(&st->dict_lock);
	return rc;
}

static int delete_rows(struct state *st, int64_t id, bool object_too)
{
	int rc = SQLITE_OK;
	for (int i = W_DELETE_SOURCES; i <= W_DELETE_OBJECT && rc == SQLITE_OK; i++) {
		if (i == W_DELETE_OBJECT && !object_too)
			break;
		sqlite3_bind_int64(st->w[i], 1, id);
		rc = step(st->w[i]);
	}
	return rc;
}

/* ---- one object ---- */

static int begin_object(struct state *st, struct capture *c)
{
	int rc;
	if (c->id) { /* held before: its old rows go, its key row is updated at the end */
		rc = delete_rows(st, c->id, false);
	} else {
		sqlite3_stmt *s = st->w[W_INSERT_OBJECT];
		sqlite3_bind_text(s, 1, c->path, -1, SQLITE_STATIC);
		rc = step(s);
		if ((rc & 0xff) == SQLITE_CONSTRAINT)
			return rc; /* the path twice in one run: stored once */
		c->id = sqlite3_last_insert_rowid(st->db);
	}
	if (rc == SQLITE_OK) {
		c->begun = true;
		st->open_objects++;
	}
	return rc;
}

static int put_rejects(struct state *st, struct capture *c)
{
	sqlite3_stmt *s = st->w[W_INSERT_REJECT];
	int rc = SQLITE_OK;
	for (size_t i = 0; i < c->nrejects && rc == SQLITE_OK; i++) {
		const struct cap_reject *r = &c->rejects[i];
		const char *why = record_reject_name(r->why);
		sqlite3_bind_int64(s, 1, c->id);
		sqlite3_bind_int64(s, 2, (int64_t)c->nrejects_out++);
		sqlite3_bind_int64(s, 3, (int64_t)r->ord);
		sqlite3_bind_int64(s, 4, (int64_t)r->line);
		sqlite3_bind_text(s, 5, why, -1, SQLITE_STATIC);
		uint64_t h = sum_u64(sum_u64(c->h_rejects, r->ord), r->line);
		h = sum_u64(sum_str(h, str_from(why)), r->late);
		if (r->late) {
			struct str account = { c->text.p + r->account_off, r->account_len };
			struct str region = { c->text.p + r->region_off, r->region_len };
			sqlite3_bind_int64(s, 6, r->at.sec);
			sqlite3_bind_int64(s, 7, r->at.nsec);
			sqlite3_bind_text(s, 8, account.p, (int)account.n, SQLITE_STATIC);
			sqlite3_bind_text(s, 9, region.p, (int)region.n, SQLITE_STATIC);
			h = sum_u64(sum_u64(h, (uint64_t)r->at.sec), (uint64_t)r->at.nsec);
			h = sum_str(sum_str(h, account), region);
		} else {
			for (int col = 6; col <= 9; col++)
				sqlite3_bind_null(s, col);
		}
		c->h_rejects = h;
		rc = step(s);
	}
	return rc;
}

static int put_blocks(struct state *st, struct capture *c)
{
	sqlite3_stmt *s = st->w[W_INSERT_BLOCK];
	int rc = SQLITE_OK;
	for (size_t i = 0; i < c->nblocks && rc == SQLITE_OK; i++) {
		const struct cap_block *b = &c->blocks[i];
		struct str text = { c->text.p + b->off, b->len };
		struct str ids = { b->ids_len ? c->ids.p + b->ids_off : "", b->ids_len };
		sqlite3_bind_int64(s, 1, c->id);
		sqlite3_bind_int64(s, 2, (int64_t)c->nblocks_out++);
		sqlite3_bind_int64(s, 3, (int64_t)b->ord);
		sqlite3_bind_text(s, 4, text.p, (int)text.n, SQLITE_STATIC);
		sqlite3_bind_blob(s, 5, ids.p, (int)ids.n, SQLITE_STATIC);
		c->h_blocks = state_block_sum(c->h_blocks, b->ord, text, ids);
		rc = step(s);
	}
	return rc;
}

/* The rows of sources.csv, and the key row with the checksum of everything. */
static int put_rows(struct state *st, struct capture *c, struct source_row *const *rows,
		    size_t nrows)
{
	sqlite3_stmt *s = st->w[W_INSERT_SOURCE];
	uint64_t h = TABLE_HASH_START;
	int rc = SQLITE_OK;
	for (size_t i = 0; i < nrows && rc == SQLITE_OK; i++) {
		const struct source_row *r = rows[i];
		const char *status = status_names[r->status], *reason = r->reason ? r->reason : "";
		/* the object's own row: its path is the objects row's (bedrock-ledger(1), STATE) */
		const char *path = i == 0 && strcmp(r->path, c->path) == 0 ? "" : r->path;
		sqlite3_bind_int64(s, 1, c->id);
		sqlite3_bind_int64(s, 2, (int64_t)i);
		sqlite3_bind_text(s, 3, path, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 4, status, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 5, reason, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 6, (int64_t)r->bytes);
		sqlite3_bind_int64(s, 7, (int64_t)r->records);
		h = sum_str(sum_str(sum_str(sum_u64(h, i), str_from(path)), str_from(status)),
			    str_from(reason));
		h = sum_u64(sum_u64(h, r->bytes), r->records);
		rc = step(s);
	}
	if (rc != SQLITE_OK)
		return rc;
	s = st->w[W_UPDATE_OBJECT];
	sqlite3_bind_int64(s, 1, c->id);
	sqlite3_bind_int64(s, 2, c->size);
	sqlite3_bind_int64(s, 3, c->mtime_ns);
	sqlite3_bind_int64(s, 4, st->run_plan_id);
	sqlite3_bind_int64(s, 5, (int64_t)sum_u64(sum_u64(h, c->h_rejects), c->h_blocks));
	return step(s);
}

static void empty(struct capture *c)
{
	c->nrejects = 0;
	c->nblocks = 0;
	c->text.n = 0;
	c->ids.n = 0;
}

void writer_store(struct state *st, struct capture *c, struct source_row *const *rows, size_t nrows,
		  bool last)
{
	pthread_mutex_lock(&st->lock);
	if (st->write_failed || atomic_load(&st->broken) || c->id < 0) {
		if (last && c->id >= 0)
			st->unstored++;
		goto out;
	}
	int rc = begin(st);
	if (rc == SQLITE_OK && !c->begun) {
		rc = begin_object(st, c);
		if ((rc & 0xff) == SQLITE_CONSTRAINT) {
			c->id = -1;
			goto out;
		}
	}
	if (rc == SQLITE_OK)
		rc = flush_strings(st);
	if (rc == SQLITE_OK)
		rc = put_rejects(st, c);
	if (rc == SQLITE_OK)
		rc = put_blocks(st, c);
	if (rc == SQLITE_OK && last)
		rc = put_rows(st, c, rows, nrows);
	if (rc == SQLITE_OK && last) {
		st->open_objects--;
		st->batch_n++;
		if (st->open_objects == 0 &&
		    (st->batch_n >= st->batch_max || state_now() - st->batch_t0 >= BATCH_SECONDS))
			rc = commit(st);
	}
	if (rc != SQLITE_OK) {
		fail(st, rc);
		if (last)
			st->unstored++;
	}
out:
	pthread_mutex_unlock(&st->lock);
	empty(c);
}

void writer_forget(struct state *st, struct capture *c)
{
	pthread_mutex_lock(&st->lock);
	if (c->begun && st->in_txn && !st->write_failed) {
		int rc = delete_rows(st, c->id, true); /* its old rows went with its first part */
		st->open_objects--;
		if (rc != SQLITE_OK)
			fail(st, rc);
	}
	pthread_mutex_unlock(&st->lock);
	empty(c);
}

int writer_finish(struct state *st, bool walked_all, uint64_t *dropped)
{
	*dropped = 0;
	pthread_mutex_lock(&st->lock);
	int rc = SQLITE_OK;
	for (size_t i = 0; walked_all && i < st->nobjs && rc == SQLITE_OK && !st->write_failed;
	     i++) {
		struct state_object *o = &st->objs[i];
		struct stat sb;
		/* kept: met by the walk, or still there (outside this run's paths) */
		if (atomic_load(&o->seen) || stat(o->path, &sb) == 0 ||
		    (errno != ENOENT && errno != ENOTDIR))
			continue;
		rc = begin(st);
		if (rc == SQLITE_OK)
			rc = delete_rows(st, o->id, true);
		if (rc == SQLITE_OK)
			++*dropped;
	}
	if (rc == SQLITE_OK && !st->write_failed)
		rc = commit(st);
	if (rc != SQLITE_OK) {
		fail(st, rc);
		*dropped = 0;
	}
	pthread_mutex_unlock(&st->lock);
	return atomic_load(&st->broken) ? -1 : 0;
}
