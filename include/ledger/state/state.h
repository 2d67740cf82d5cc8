/*
 * state.h - the ledger state (--state FILE): a SQLite database that keeps,
 * per object read, what it contributed before attribution and pricing, so
 * that a re-run reads only the objects that are new or changed.
 *
 * Pipeline: walk -> worker -> [state: take an unchanged object | capture a
 * read one] -> facts -> ledger -> views.
 * An object is an input of the walk that is read (a log file, or an archive
 * with all its members), known by its path as reported, its size and its
 * modification time in nanoseconds; standard input is never stored. Per
 * object the state keeps its sources.csv rows, its rejects.csv rows and its
 * counted records as fact cells (facts.h), all as they are before the time
 * window applies: a line rejected only inside the window keeps its
 * timestamp (and what coverage.csv counts it by), and cells are split at the window's bounds as at
 * price bounds, so that each lies wholly inside or outside it. A later run takes such an object
 * from the state when its key is unchanged and every stored cell fits the run's price classes, -g
 * meta: keys and window; otherwise the object is read again and stored anew. The schema is in
 * bedrock-ledger(1), STATE.
 *
 * A run opens one struct state: the writer connection, the index of the
 * stored objects and the string dictionary. Each worker thread has a
 * struct state_worker: its own read connection, and the capture of the
 * input it is reading. Captured objects are stored when their input ends,
 * in transactions of many objects, each object whole in one transaction
 * with its key, so that a run killed at any point leaves every stored
 * object as it was or fully replaced.
 * Errors: a state that cannot be used (not SQLite, corrupt, written by
 * another version, in use by another run) ends the run with exit 2 before
 * a report is written: state_open says why, and a corruption found while
 * reading makes state_broken true. A write that fails (a full disk) only
 * stops the storing: the reports are still written, and the summary says
 * how many objects were not stored.
 * Ownership: the state borrows its config (the plan and the meta keys must
 * outlive it); a state_worker borrows its state, which must outlive it.
 */
#ifndef LEDGER_STATE_H
#define LEDGER_STATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ledger/facts/dupes.h"
#include "ledger/facts/facts.h"
#include "ledger/facts/rollup.h"
#include "ledger/read/record.h"
#include "ledger/read/sources.h"
#include "ledger/read/walk.h"
#include "ledger/support/diag.h"
#include "ledger/support/timestamp.h"
#include "ledger/support/window.h"

/* The schema this program reads and writes (the meta table's schema_version). */
#define STATE_SCHEMA_VERSION 2

/* Why an object that the state holds is read again. */
enum state_reason {
	STATE_CHANGED, /* its size or modification time is not the stored one */
	STATE_META,    /* a -g meta:K that its cells do not keep */
	STATE_PRICES,  /* a context_over threshold or validity bound inside a stored cell */
	STATE_WINDOW,  /* a --since/--until bound inside a stored cell */
	STATE_REASONS
};

struct state_config {
	const char *path;
	struct fact_plan *plan; /* the run's: state_open splits its cells at the window's bounds */
	const char *const *metas; /* the -g meta: keys, in the plan's order */
	struct window window;	  /* --since/--until */
	size_t batch;		  /* objects per transaction (0: the default) */
};

struct state_stats {
	uint64_t taken;			/* objects taken from the state */
	uint64_t read_new;		/* objects read that it did not hold */
	uint64_t reread[STATE_REASONS]; /* objects it held, read again, by reason */
	uint64_t dropped;		/* objects it held that are no longer there */
	uint64_t unstored;		/* objects read but not stored (a write failed) */
	bool write_failed;		/* the state was not (fully) updated: problem says why */
	char problem[256];
};

struct state;

/*
 * Opens the state at cfg->path, creating it when the file is missing or
 * empty, and locks it for this run (a second run waits a little, then
 * fails). Returns 0, or -1 with d set to a message that says what to do.
 */
int state_open(struct state **out, const struct state_config *cfg, struct diag *d);

/*
 * After the workers: when walked_all (the walk met every path), drops the
 * objects it did not meet that are no longer there (an object outside this
 * run's paths stays); commits; fills *stats. Returns 0, or -1 when the
 * state turned out to be unusable (d set; nothing more is written).
 */
int state_finish(struct state *st, bool walked_all, struct state_stats *stats, struct diag *d);

/* Closes and unlocks (after state_finish, or instead of it: what is not committed is lost). */
void state_destroy(struct state *st); /* NULL is a no-op */

/* A corruption found while taking an object: true, and d (if not NULL) says what. */
bool state_broken(struct state *st, struct diag *d);

/* Objects taken from the state so far (for the progress line). */
uint64_t state_taken(struct state *st);

/* A reason's name in run.json ("changed", "meta_key", "price_boundary", "window_bound"). */
const char *state_reason_key(enum state_reason r);

/* The summary's line about the state, NUL-terminated; its length. */
size_t state_stats_format(const struct state_stats *s, char *buf, size_t cap);

/* ---- per worker thread ---- */

struct state_worker;

/* A worker's read connection and capture. Never NULL; a failed open makes the state broken. */
struct state_worker *state_worker_create(struct state *st);
void state_worker_destroy(struct state_worker *w); /* NULL is a no-op */
/* Ends the worker's read transaction, before the state is finished (NULL, or twice: no-op). */
void state_worker_rest(struct state_worker *w);

/*
 * Where an object taken from the state goes: the worker's own books. The
 * rows are added to log in their stored order; then, row by row, row(s)
 * is called, followed by the row's rejected lines and cells.
 */
struct state_sink {
	void *ctx;
	struct source_log *log;
	void (*row)(void *ctx, struct source_row *s);
	/* a stored cell of row s, under the run's plan; wholly inside or outside the window;
	 * with the requestId hashes of its records (nids of DUPES_HASH_SIZE bytes) */
	void (*cell)(void *ctx, struct source_row *s, const struct str *key,
		     const struct counters *c, const unsigned char *ids, size_t nids);
	/*
	 * A rejected line of row s. late: for a line that only the window
	 * decides about, the record as far as the state keeps it (timestamp,
	 * accountId, source region in `region`); else NULL.
	 */
	void (*reject)(void *ctx, struct source_row *s, uint64_t line, enum record_reject why,
		       const struct record *late);
};

/*
 * Called for every input of the walk, in the worker that reads it. Returns
 * true when the object was taken from the state: its rows, rejects and
 * cells went to sink, and it is not to be opened. Otherwise the input is
 * to be read; for a file, a capture has begun (state_capture_cells).
 */
bool state_take(struct state_worker *w, const struct input *in, const struct state_sink *sink);

/*
 * The fact table of the log object being read (its cells under the run's
 * plan, before the window), or NULL when the input is not captured.
 */
struct rollup *state_capture_cells(struct state_worker *w);

/*
 * The requestId hash of a record just added to cell (of state_capture_cells'
 * table); returns how many the capture holds, which the caller bounds as it
 * bounds the cells (state_capture_flush): many records may share few cells.
 */
size_t state_capture_id(struct state_worker *w, const struct counters *cell,
			const unsigned char hash[DUPES_HASH_SIZE]);

/* A rejected line of row s being read; late as for state_sink.reject (its timestamp,
 * accountId and source region are kept). */
void state_capture_reject(struct state_worker *w, const struct source_row *s, uint64_t line,
			  enum record_reject why, const struct record *late);

/*
 * The cells of row s so far are kept for the store and handed to fold,
 * each once; the table is emptied. Call at the end of each log object and
 * whenever the table holds too many cells.
 */
void state_capture_flush(struct state_worker *w, const struct source_row *s,
			 void (*fold)(void *ctx, const struct str *key, const struct counters *c),
			 void *ctx);

/*
 * The input is read: its rows (the log's current rows, before
 * source_log_end_input) are stored with its rejects and cells, unless a
 * row has status error (it is then read again next time).
 */
void state_capture_end(struct state_worker *w, const struct source_log *log);

#endif
