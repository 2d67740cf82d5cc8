/*
 * db.c - the state's file: lock, open, schema and its version, and what is
 * loaded once per run (the stored objects, the string dictionary, the
 * plans); the end of the run.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "config.h"
#include "ledger/support/prose.h"
#include "ledger/support/xalloc.h"
#include "state_int.h"

/* How long a second run waits for the first to let go of the state. */
#define LOCK_WAIT_MS 2000
/* "LEDG": PRAGMA application_id of a state, so that sqlite3 and file(1) can tell. */
#define APPLICATION_ID 0x4c454447

#define WHAT_TO_DO "delete it (the next run reads every object again), or give --state another path"

bool state_broken(struct state *st, struct diag *d)
{
	if (!atomic_load(&st->broken))
		return false;
	if (d) {
		pthread_mutex_lock(&st->lock);
		diag_set(d, "%s: the state is corrupt (%s): " WHAT_TO_DO, st->cfg.path,
			 st->broken_msg);
		pthread_mutex_unlock(&st->lock);
	}
	return true;
}

uint64_t state_taken(struct state *st)
{
	return atomic_load(&st->taken);
}

/* ---- the schema ---- */

static const char schema_sql[] =
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;\n"
    "CREATE TABLE strings(id INTEGER PRIMARY KEY, text TEXT NOT NULL,\n"
    "  checksum INTEGER NOT NULL);\n"
    "CREATE TABLE plans(id INTEGER PRIMARY KEY, meta_keys TEXT NOT NULL,\n"
    "  context_over TEXT NOT NULL, bounds TEXT NOT NULL, checksum INTEGER NOT NULL);\n"
    "CREATE TABLE objects(id INTEGER PRIMARY KEY, path TEXT NOT NULL UNIQUE,\n"
    "  size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL, plan_id INTEGER NOT NULL,\n"
    "  checksum INTEGER NOT NULL);\n"
    "CREATE TABLE sources(object_id INTEGER NOT NULL, ord INTEGER NOT NULL,\n"
    "  path TEXT NOT NULL, status TEXT NOT NULL, reason TEXT NOT NULL,\n"
    "  bytes INTEGER NOT NULL, records INTEGER NOT NULL,\n"
    "  PRIMARY KEY(object_id, ord)) WITHOUT ROWID;\n"
    "CREATE TABLE rejects(object_id INTEGER NOT NULL, n INTEGER NOT NULL,\n"
    "  source_ord INTEGER NOT NULL, line INTEGER NOT NULL, reason TEXT NOT NULL,\n"
    "  at_sec INTEGER, at_nsec INTEGER, account_id TEXT, region TEXT,\n"
    "  PRIMARY KEY(object_id, n)) WITHOUT ROWID;\n"
    /* a rowid table: a block of a few KiB fits in its page, where an index b-tree
     * (WITHOUT ROWID) would spill all but 1 KiB of it into overflow pages */
    "CREATE TABLE cell_blocks(object_id INTEGER NOT NULL, n INTEGER NOT NULL,\n"
    "  source_ord INTEGER NOT NULL, cells TEXT NOT NULL, request_ids BLOB NOT NULL);\n"
    "CREATE UNIQUE INDEX cell_blocks_key ON cell_blocks(object_id, n);\n";

static const char *const count_names[] = {
	"invocations",		 "errors",
	"input_tokens",		 "output_tokens",
	"cache_read_tokens",	 "cache_write_tokens",
	"cache_write_1h_tokens", "ignored_1h",
	"context_min",
};

int cell_col_field(enum cell_col c)
{
	static const int field[CC_META + 1] = {
		[CC_HOUR] = -1,
		[CC_MODEL_ID] = FACT_MODEL_ID,
		[CC_REGION] = FACT_REGION,
		[CC_TIER] = FACT_TIER,
		[CC_KINDS] = -1,
		[CC_CALLER] = FACT_CALLER,
		[CC_ACCOUNT_ID] = FACT_ACCOUNT_ID,
		[CC_INFERENCE_REGION] = FACT_INFERENCE_REGION,
		[CC_OPERATION] = FACT_OPERATION,
		[CC_META] = -1,
	};
	return c <= CC_META ? field[c] : -1;
}

/* The view `cells`: one row per stored cell, its columns named as in bedrock-ledger(1), STATE. */
static char *cells_view_sql(void)
{
	struct sbuf b = { 0 };
	char col[160];
	sbuf_cstr(&b, "CREATE VIEW cells AS SELECT b.object_id AS object_id,"
		      " b.source_ord AS source_ord,"
		      " strftime('%Y-%m-%dT%H:00:00Z', json_extract(c.value, '$[0]') * 3600,"
		      " 'unixepoch') AS hour");
	for (int i = CC_MODEL_ID; i <= CC_META; i++) {
		int f = cell_col_field((enum cell_col)i);
		const char *name = f >= 0	   ? fact_field_name((enum fact_field)f)
				   : i == CC_KINDS ? fact_field_name(FACT_KINDS)
						   : fact_field_name(FACT_META);
		if (i == CC_KINDS)
			snprintf(col, sizeof col, ", json_extract(c.value, '$[%d]') AS ", i);
		else
			snprintf(col, sizeof col,
				 ", (SELECT text FROM strings WHERE id = json_extract(c.value, "
				 "'$[%d]')) AS ",
				 i);
		sbuf_cstr(&b, col);
		sbuf_cstr(&b, name);
	}
	for (int i = CC_INVOCATIONS; i <= CC_CONTEXT_MIN; i++) {
		snprintf(col, sizeof col, ", json_extract(c.value, '$[%d]') AS ", i);
		sbuf_cstr(&b, col);
		sbuf_cstr(&b, count_names[i - CC_INVOCATIONS]);
	}
	snprintf(col, sizeof col,
		 ", json_extract(c.value, '$[%d]') + json_extract(c.value, '$[%d]') AS context_max",
		 CC_CONTEXT_MIN, CC_CONTEXT_SPAN);
	sbuf_cstr(&b, col);
	/* first and last to the millisecond (strftime's %f); the cells keep nanoseconds */
	for (int last = 0; last < 2; last++) {
		sbuf_cstr(&b,
			  ", strftime('%Y-%m-%dT%H:%M:%fZ', json_extract(c.value, '$[0]') * 3600");
		snprintf(col, sizeof col, " + (json_extract(c.value, '$[%d]')", CC_FIRST);
		sbuf_cstr(&b, col);
		if (last) {
			snprintf(col, sizeof col, " + json_extract(c.value, '$[%d]')", CC_SPAN);
			sbuf_cstr(&b, col);
		}
		sbuf_cstr(&b, last ? ") / 1e9, 'unixepoch') AS last"
				   : ") / 1e9, 'unixepoch') AS first");
	}
	const char *tail = " FROM cell_blocks b, json_each(b.cells) c;";
	sbuf_cstr(&b, tail);
	return b.p;
}

static int exec(sqlite3 *db, const char *sql)
{
	return sqlite3_exec(db, sql, NULL, NULL, NULL);
}

static int create_schema(struct state *st)
{
	char *view = cells_view_sql();
	char meta[256];
	snprintf(meta, sizeof meta,
		 "INSERT INTO meta VALUES('schema_version', '%d'),"
		 " ('written_by', 'bedrock-ledger %s');"
		 " PRAGMA application_id = %d;",
		 STATE_SCHEMA_VERSION, LEDGER_VERSION, APPLICATION_ID);
	int rc = exec(st->db, "BEGIN IMMEDIATE");
	if (rc == SQLITE_OK)
		rc = exec(st->db, schema_sql);
	if (rc == SQLITE_OK)
		rc = exec(st->db, view);
	if (rc == SQLITE_OK)
		rc = exec(st->db, meta);
	if (rc == SQLITE_OK)
		rc = exec(st->db, "COMMIT");
	else
		exec(st->db, "ROLLBACK");
	free(view);
	return rc;
}

/* A fresh file gets the schema; any other must be a state of this schema version. */
static int check_schema(struct state *st, struct diag *d)
{
	const char *path = st->cfg.path;
	int64_t ntables = 0;
	int rc = state_query_one(st->db, "SELECT count(*) FROM sqlite_master", &ntables, NULL, 0);
	if (rc == SQLITE_NOTADB)
		return diag_set(d, "%s: not a bedrock-ledger state (not a SQLite database): %s",
				path, WHAT_TO_DO);
	if (rc != SQLITE_ROW)
		return diag_set(d, "%s: the state cannot be read (%s): %s", path,
				sqlite3_errmsg(st->db), WHAT_TO_DO);
	if (ntables == 0) {
		rc = create_schema(st);
		if (rc != SQLITE_OK)
			return diag_set(d, "%s: cannot create the state: %s", path,
					sqlite3_errmsg(st->db));
		return 0;
	}
	int64_t app = 0;
	char version[64] = "";
	state_query_one(st->db, "PRAGMA application_id", &app, NULL, 0);
	rc = state_query_one(st->db, "SELECT value FROM meta WHERE key = 'schema_version'", NULL,
			     version, sizeof version);
	if (app != APPLICATION_ID || rc != SQLITE_ROW)
		return diag_set(d,
				"%s: not a bedrock-ledger state (a SQLite database of something"
				" else): give --state another path",
				path);
	char want[16];
	snprintf(want, sizeof want, "%d", STATE_SCHEMA_VERSION);
	if (strcmp(version, want) != 0)
		return diag_set(d,
				"%s: a state of schema version %s, and this bedrock-ledger reads"
				" version %d only: %s",
				path, version, STATE_SCHEMA_VERSION, WHAT_TO_DO);
	return 0;
}

/* ---- the lock: one run at a time ---- */

static int take_lock(struct state *st, struct diag *d)
{
	const char *path = st->cfg.path;
	st->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0666);
	if (st->lock_fd < 0)
		return diag_set(d, "%s: cannot open the state: %s", path, strerror(errno));
	/* flock, not fcntl: SQLite's own locks are fcntl locks on this file, and the two kinds
	 * do not meet on a local file system */
	for (int waited = 0;; waited += 50) {
		if (flock(st->lock_fd, LOCK_EX | LOCK_NB) == 0)
			break;
		if (errno != EWOULDBLOCK && errno != EINTR)
			return diag_set(d, "%s: cannot lock the state: %s", path, strerror(errno));
		if (waited >= LOCK_WAIT_MS)
			return diag_set(d,
					"%s: the state is in use by another bedrock-ledger run:"
					" wait for it to end, or give --state another path",
					path);
		nanosleep(&(struct timespec){ 0, 50 * 1000 * 1000 }, NULL);
	}
	unsigned char head[16];
	ssize_t n = pread(st->lock_fd, head, sizeof head, 0);
	if (n > 0 && (n < 16 || memcmp(head, "SQLite format 3", 16) != 0))
		return diag_set(d, "%s: not a bedrock-ledger state (not a SQLite database): %s",
				path, WHAT_TO_DO);
	return 0;
}

/* ---- what is loaded once ---- */

static int load_strings(struct state *st)
{
	int64_t max = 0, count = 0;
	if (state_query_one(st->db, "SELECT max(id) FROM strings", &max, NULL, 0) != SQLITE_ROW ||
	    state_query_one(st->db, "SELECT count(*) FROM strings", &count, NULL, 0) != SQLITE_ROW)
		return -1;
	if (max < 0 || max > 4 * count + 1024) {
		state_set_broken(st, "string ids out of range");
		return -1;
	}
	st->nstrs = (size_t)max + 1;
	st->next_id = max + 1;
	st->strs = xcalloc(st->nstrs, sizeof *st->strs);
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(st->db, "SELECT id, text, checksum FROM strings", -1, &s, NULL) !=
	    SQLITE_OK)
		return -1;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		int64_t id = sqlite3_column_int64(s, 0);
		const char *t = (const char *)sqlite3_column_text(s, 1);
		size_t n = (size_t)sqlite3_column_bytes(s, 1);
		if (id < 1 || id > max || st->strs[id].p ||
		    sqlite3_column_int64(s, 2) != state_text_sum((struct str){ t ? t : "", n }))
			break;
		char *copy = arena_alloc(&st->dict_arena, n + 1);
		memcpy(copy, t ? t : "", n);
		copy[n] = '\0';
		st->strs[id] = (struct str){ copy, n };
		struct dict_entry *e = arena_alloc(&st->dict_arena, sizeof *e);
		*e = (struct dict_entry){ st->strs[id], id };
		table_add(&st->dict, table_hash(copy, n), e);
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE) {
		state_set_broken(st, "%s", rc == SQLITE_ROW ? "a bad string" : sqlite3_errstr(rc));
		return -1;
	}
	return 0;
}

static int load_objects(struct state *st)
{
	int64_t count = 0;
	if (state_query_one(st->db, "SELECT count(*) FROM objects", &count, NULL, 0) != SQLITE_ROW)
		return -1;
	st->objs = xcalloc((size_t)count + 1, sizeof *st->objs);
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(st->db,
			       "SELECT id, path, size, mtime_ns, plan_id, checksum FROM objects",
			       -1, &s, NULL) != SQLITE_OK)
		return -1;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && st->nobjs < (size_t)count) {
		struct state_object *o = &st->objs[st->nobjs++];
		struct str p = { (const char *)sqlite3_column_text(s, 1),
				 (size_t)sqlite3_column_bytes(s, 1) };
		o->path = arena_dup(&st->arena, p.p ? p : STR_LIT(""));
		o->id = sqlite3_column_int64(s, 0);
		o->size = sqlite3_column_int64(s, 2);
		o->mtime_ns = sqlite3_column_int64(s, 3);
		o->plan_id = sqlite3_column_int64(s, 4);
		o->checksum = sqlite3_column_int64(s, 5);
		atomic_init(&o->seen, false);
		if (!state_find_object(st, o->path))
			table_add(&st->index, table_hash(o->path, strlen(o->path)), o);
	}
	sqlite3_finalize(s);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW) {
		state_set_broken(st, "%s", sqlite3_errstr(rc));
		return -1;
	}
	return 0;
}

struct state_object *state_find_object(const struct state *st, const char *path)
{
	if (!table_count(&st->index))
		return NULL;
	uint64_t h = table_hash(path, strlen(path));
	size_t pos;
	for (struct state_object *o = table_first(&st->index, h, &pos); o;
	     o = table_next(&st->index, h, &pos))
		if (strcmp(o->path, path) == 0)
			return o;
	return NULL;
}

const struct str *state_string(const struct state *st, int64_t id)
{
	if (id < 1 || (uint64_t)id >= st->nstrs || !st->strs[id].p)
		return NULL;
	return &st->strs[id];
}

/* ---- open and close ---- */

static int open_db(struct state *st, struct diag *d)
{
	const char *path = st->cfg.path;
	int rc = sqlite3_open_v2(
	    path, &st->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK)
		return diag_set(d, "%s: cannot open the state: %s", path,
				st->db ? sqlite3_errmsg(st->db) : sqlite3_errstr(rc));
	sqlite3_busy_timeout(st->db, LOCK_WAIT_MS);
	/* a new file only: blocks of cells of a few KiB fill 16 KiB pages with little left over */
	exec(st->db, "PRAGMA page_size = 16384");
	char mode[16] = "";
	rc = state_query_one(st->db, "PRAGMA journal_mode = WAL", NULL, mode, sizeof mode);
	if (rc == SQLITE_NOTADB || rc == SQLITE_CORRUPT)
		return diag_set(d, "%s: not a bedrock-ledger state (not a SQLite database): %s",
				path, WHAT_TO_DO);
	if (rc != SQLITE_ROW || strcmp(mode, "wal") != 0)
		return diag_set(d, "%s: cannot use the state: %s", path, sqlite3_errmsg(st->db));
	exec(st->db, "PRAGMA synchronous = NORMAL");
	return check_schema(st, d);
}

int state_open(struct state **out, const struct state_config *cfg, struct diag *d)
{
	struct state *st = xcalloc(1, sizeof *st);
	*out = st;
	st->cfg = *cfg;
	struct ts bounds[2];
	size_t n = 0;
	if (cfg->window.has_since)
		bounds[n++] = cfg->window.since;
	if (cfg->window.has_until)
		bounds[n++] = cfg->window.until;
	fact_plan_add_bounds(cfg->plan, bounds, n);
	st->lock_fd = -1;
	st->batch_max = cfg->batch ? cfg->batch : 512;
	pthread_mutex_init(&st->lock, NULL);
	pthread_mutex_init(&st->dict_lock, NULL);
	atomic_init(&st->broken, false);
	if (take_lock(st, d) != 0 || open_db(st, d) != 0)
		return -1;
	if (load_strings(st) != 0 || load_objects(st) != 0 || state_load_plans(st) != 0) {
		if (!state_broken(st, d))
			diag_set(d, "%s: the state cannot be read (%s): %s", cfg->path,
				 sqlite3_errmsg(st->db), WHAT_TO_DO);
		return -1;
	}
	if (writer_prepare(st) != 0)
		return diag_set(d, "%s: the state cannot be used (%s): %s", cfg->path,
				sqlite3_errmsg(st->db), WHAT_TO_DO);
	return 0;
}

int state_finish(struct state *st, bool walked_all, struct state_stats *stats, struct diag *d)
{
	memset(stats, 0, sizeof *stats);
	uint64_t dropped = 0;
	int rc = state_broken(st, d) ? -1 : writer_finish(st, walked_all, &dropped);
	if (rc != 0 && state_broken(st, d))
		return -1;
	stats->taken = atomic_load(&st->taken);
	stats->read_new = atomic_load(&st->read_new);
	for (int i = 0; i < STATE_REASONS; i++)
		stats->reread[i] = atomic_load(&st->reread[i]);
	stats->dropped = dropped;
	stats->unstored = st->unstored;
	stats->write_failed = st->write_failed;
	snprintf(stats->problem, sizeof stats->problem, "%s", st->problem);
	return 0;
}

void state_destroy(struct state *st)
{
	if (!st)
		return;
	writer_finalize(st);
	sqlite3_close(st->db);
	if (st->lock_fd >= 0)
		close(
		    st->lock_fd); /* after SQLite's last fd: closing any fd drops its fcntl locks */
	table_finish(&st->index);
	free(st->objs);
	arena_free(&st->arena);
	free(st->strs);
	table_finish(&st->dict);
	arena_free(&st->dict_arena);
	free(st->pending);
	for (size_t i = 0; i < st->nplans; i++)
		free(st->plans[i].meta_at);
	free(st->plans);
	for (int i = 0; i < 3; i++)
		free(st->plan_text[i]);
	pthread_mutex_destroy(&st->lock);
	pthread_mutex_destroy(&st->dict_lock);
	free(st);
}

/* ---- the summary's line ---- */

const char *state_reason_key(enum state_reason r)
{
	static const char *const keys[STATE_REASONS] = {
		[STATE_CHANGED] = "changed",
		[STATE_META] = "meta_key",
		[STATE_PRICES] = "price_boundary",
		[STATE_WINDOW] = "window_bound",
	};
	return (unsigned)r < STATE_REASONS ? keys[r] : "";
}

/* n with thousands separators, as the summary's other lines print numbers */
static const char *grouped(uint64_t n, char buf[32])
{
	snprintf(buf, 32, "%" PRIu64, n);
	prose_group_digits(buf, 32);
	return buf;
}

size_t state_stats_format(const struct state_stats *s, char *buf, size_t cap)
{
	static const char *const why[STATE_REASONS] = {
		[STATE_CHANGED] = "changed",
		[STATE_META] = "a -g meta: key not kept",
		[STATE_PRICES] = "a price class boundary inside a stored cell",
		[STATE_WINDOW] = "a --since/--until bound inside a stored cell",
	};
	uint64_t reread = 0;
	for (int i = 0; i < STATE_REASONS; i++)
		reread += s->reread[i];
	char a[32], b[32], c[32], e[32];
	int n = snprintf(buf, cap, "%s objects taken from the state, %s read (%s new, %s read again",
			 grouped(s->taken, a), grouped(s->read_new + reread, b),
			 grouped(s->read_new, c), grouped(reread, e));
	for (int i = 0; i < STATE_REASONS && n >= 0 && (size_t)n < cap; i++)
		if (s->reread[i])
			n += snprintf(buf + n, cap - (size_t)n, "; %s: %s", grouped(s->reread[i], a),
				      why[i]);
	if (n >= 0 && (size_t)n < cap)
		n += snprintf(buf + n, cap - (size_t)n, "), %s dropped", grouped(s->dropped, a));
	if (s->write_failed && n >= 0 && (size_t)n < cap)
		n += snprintf(buf + n, cap - (size_t)n,
			      "; NOT UPDATED: %s objects not stored (%s), read again next time",
			      grouped(s->unstored, a), s->problem);
	return n < 0 ? 0 : (size_t)n < cap ? (size_t)n : cap - 1;
}
