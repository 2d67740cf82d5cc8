/*
 * state_int.h - what the files of the state module share: the struct state
 * itself, a worker's read connection and capture, and the small JSON the
 * state's text columns are written in. Not a public header: the contract is
 * include/ledger/state/state.h.
 *
 * Files: common.c (the clock, the broken flag, one-value queries), json.c
 * (buffers, JSON, checksums), db.c (open, lock, schema, the index, the
 * dictionary, finish), plans.c (how cells were split), writer.c (strings,
 * storing objects, transactions), take.c (taking an object from the state),
 * capture.c (what a read object contributed). db.c calls plans.c and
 * writer.c, writer.c calls plans.c, and none is called back.
 * Locks: st->lock guards the writer connection, its statements and the
 * batch; st->dict_lock the dictionary's map and its pending strings. A
 * thread that holds st->lock may take st->dict_lock, never the reverse.
 */
#ifndef LEDGER_STATE_INT_H
#define LEDGER_STATE_INT_H

#include <pthread.h>
#include <sqlite3.h>
#include <stdatomic.h>

#include "ledger/state/state.h"
#include "ledger/support/arena.h"
#include "ledger/support/table.h"

/* ---- json.c: a growable buffer, the JSON the state writes, checksums ---- */

struct sbuf {
	char *p;
	size_t n, cap;
};

void sbuf_put(struct sbuf *b, const void *p, size_t n);
void sbuf_ch(struct sbuf *b, char c);
void sbuf_cstr(struct sbuf *b, const char *s);
void sbuf_u64(struct sbuf *b, uint64_t v);
/* v with its trailing zeros as an exponent when that is shorter (timestamps to the second). */
void sbuf_u64_short(struct sbuf *b, uint64_t v);
void sbuf_i64(struct sbuf *b, int64_t v);
/* s as a JSON string: quotes, backslash and control bytes escaped, other bytes as they are. */
void sbuf_jstr(struct sbuf *b, struct str s);
void sbuf_free(struct sbuf *b);

/* Reads JSON from p to end; every function skips blanks first and returns false on anything else.
 */
struct jr {
	const char *p, *end;
};

bool jr_ch(struct jr *r, char c);	     /* the character c */
bool jr_is(struct jr *r, char c);	     /* c is next (not consumed) */
bool jr_i64(struct jr *r, int64_t *v);	     /* an integer in int64 range */
bool jr_u64(struct jr *r, uint64_t *v);	     /* a non-negative integer in uint64 range */
bool jr_str(struct jr *r, struct sbuf *out); /* a string, its bytes appended to out */
bool jr_end(struct jr *r);		     /* nothing but blanks left */

/* A checksum of what an object stores (bedrock-ledger(1), STATE): values in a fixed order. */
uint64_t sum_u64(uint64_t h, uint64_t v);
uint64_t sum_str(uint64_t h, struct str s);
/* A cell block's part of its object's checksum: its row, its cells, its request_ids. */
uint64_t state_block_sum(uint64_t h, uint64_t ord, struct str cells, struct str ids);
/* The checksum column of a strings row, and of a plans row (its three texts). */
int64_t state_text_sum(struct str s);
int64_t plan_sum(const char *const text[3]);

/* ---- the columns of a stored cell (a JSON array in cell_blocks.cells) ---- */

enum cell_col {
	CC_HOUR,
	CC_MODEL_ID,
	CC_REGION,
	CC_TIER,
	CC_KINDS,
	CC_CALLER,
	CC_ACCOUNT_ID,
	CC_INFERENCE_REGION,
	CC_OPERATION,
	CC_META,
	CC_INVOCATIONS,
	CC_ERRORS,
	CC_TOKENS, /* TOKEN_KINDS of them */
	CC_IGNORED_1H = CC_TOKENS + TOKEN_KINDS,
	CC_CONTEXT_MIN,
	CC_CONTEXT_SPAN, /* context_max - context_min */
	CC_FIRST,	 /* ns after the hour's start */
	CC_SPAN,	 /* last - first, ns */
	CC_COUNT
};

/* The fact field of a string column, or -1. */
int cell_col_field(enum cell_col c);

/* ---- common.c ---- */

/* The single integer or text a query gives: SQLITE_ROW, SQLITE_DONE (no row) or an error. */
int state_query_one(sqlite3 *db, const char *sql, int64_t *num, char *text, size_t cap);
/* Says the state is unusable (first message wins); thread-safe. */
void state_set_broken(struct state *st, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Seconds on a monotonic clock. */
double state_now(void);

/* ---- db.c ---- */

/* An object the state holds, as the index loaded it. */
struct state_object {
	const char *path;
	int64_t id, size, mtime_ns, plan_id, checksum;
	atomic_bool seen; /* the walk met its path in this run */
};

/* A stored plan, and what it means for this run. */
struct state_plan {
	int64_t id;
	size_t nkeys;	 /* its meta keys */
	bool meta_ok;	 /* it keeps every -g meta: key of the run */
	size_t *meta_at; /* run meta key i -> its index among the plan's keys */
	bool exact; /* its cells are split at every context and bound of the run: none needs a check
		     */
};

struct dict_entry {
	struct str s;
	int64_t id;
};

enum writer_stmt {
	W_INSERT_OBJECT,
	W_UPDATE_OBJECT,
	W_INSERT_SOURCE,
	W_INSERT_REJECT,
	W_INSERT_BLOCK,
	W_INSERT_STRING,
	W_DELETE_SOURCES,
	W_DELETE_REJECTS,
	W_DELETE_BLOCKS,
	W_DELETE_OBJECT,
	W_COUNT
};

struct state {
	struct state_config cfg;
	int lock_fd;
	sqlite3 *db; /* the writer */
	pthread_mutex_t lock;
	sqlite3_stmt *w[W_COUNT];

	/* the stored objects, by path */
	struct table index;
	struct state_object *objs;
	size_t nobjs;
	struct arena arena;

	/* strings by id as loaded (what readers use; never changed during the run) */
	struct str *strs;
	size_t nstrs; /* ids 1 .. nstrs - 1 */
	/* the writer's map text -> id, loaded and new; new ones wait in pending */
	pthread_mutex_t dict_lock;
	struct table dict;
	struct arena dict_arena;
	int64_t next_id;
	struct dict_entry **pending;
	size_t npending, cap_pending;

	struct state_plan *plans;
	size_t nplans;
	char *plan_text[3];  /* this run's: meta_keys, context_over, bounds */
	int64_t run_plan_id; /* 0 until stored */

	/* the batch */
	bool in_txn;
	size_t batch_n, batch_max;
	double batch_t0;
	int open_objects;
	bool write_failed;
	char problem[256];
	uint64_t unstored;

	atomic_bool broken;
	char broken_msg[512]; /* under lock */

	_Atomic uint64_t taken, read_new, reread[STATE_REASONS];
};

/* plans.c: this run's plan texts, and every stored plan judged against it; -1 on an error. */
int state_load_plans(struct state *st);
/* The dictionary's string of id, or NULL when it has none. */
const struct str *state_string(const struct state *st, int64_t id);
const struct state_plan *state_find_plan(const struct state *st, int64_t id);
struct state_object *state_find_object(const struct state *st, const char *path);

/* ---- writer.c ---- */

/* A worker's cache of dictionary ids. */
struct id_cache {
	struct table t;
	struct arena a;
};

int64_t state_intern(struct state *st, struct id_cache *c, struct str s);
void id_cache_finish(struct id_cache *c);

/* A rejected line as captured; late: its account and region are in the capture's text. */
struct cap_reject {
	uint64_t ord, line;
	enum record_reject why;
	bool late;
	struct ts at;
	size_t account_off, account_len, region_off, region_len;
};

/* A block of cells as captured: its row, its text in the capture's text buffer, and
 * its request_ids blob in the capture's ids buffer. */
struct cap_block {
	uint64_t ord;
	size_t off, len;
	size_t ids_off, ids_len;
};

/* A counted record's requestId hash, and the cell it went into. */
struct cap_id {
	const struct counters *cell;
	unsigned char hash[DUPES_HASH_SIZE];
};

/* What a read input contributed so far. */
struct capture {
	bool on;
	char *path;
	int64_t size, mtime_ns;
	int64_t id;	      /* its id in the state: held before, or given at its first store */
	bool begun;	      /* part of it is stored: a transaction holds it open */
	uint64_t nblocks_out; /* blocks and rejects stored so far (their n) */
	uint64_t nrejects_out;
	uint64_t h_rejects, h_blocks; /* checksums of what is stored so far */
	struct rollup *cells;
	struct cap_reject *rejects;
	size_t nrejects, cap_rejects;
	struct cap_block *blocks;
	size_t nblocks, cap_blocks;
	struct sbuf text;
	struct cap_id *idv; /* of the cells not yet in a block */
	size_t nids, cap_ids;
	struct sbuf ids; /* the blocks' request_ids blobs */
};

/*
 * Stores what c holds (last: with the rows; the object is then whole) and
 * empties it. Failures are the state's (write_failed, broken).
 */
void writer_store(struct state *st, struct capture *c, struct source_row *const *rows, size_t nrows,
		  bool last);
/* Forgets a capture that is not to be stored (and what of it is stored already). */
void writer_forget(struct state *st, struct capture *c);
/* At the end: drops what the walk did not meet and is gone from disk; commits. */
int writer_finish(struct state *st, bool walked_all, uint64_t *dropped);
int writer_prepare(struct state *st);
void writer_finalize(struct state *st);
/* Is this SQLite result a corruption (rather than a failed write)? */
bool state_rc_corrupt(int rc);

/* ---- take.c and capture.c: a worker's part ---- */

struct meta_values {
	int64_t id;
	struct str *v; /* the plan's keys' values, in its order */
	size_t n;
};

struct state_worker {
	struct state *st;
	sqlite3 *db; /* read connection */
	unsigned reads; /* objects looked up in its read transaction (take.c) */
	sqlite3_stmt *q_sources, *q_rejects, *q_blocks;
	struct id_cache ids;
	struct table metas; /* id -> struct meta_values, decoded */
	struct arena meta_arena;
	struct fact_key key;
	struct str *fields;
	struct source_row **rows; /* of the object being taken, by ord */
	size_t cap_rows;
	struct sbuf scratch;
	struct capture cap;
};

void capture_begin(struct state_worker *w, const struct input *in, int64_t id);
void capture_init(struct state_worker *w);
void capture_finish(struct state_worker *w);

#endif
