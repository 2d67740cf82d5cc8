/*
 * worker.h - one worker thread's reading: an input -> objects (inflate, or
 * an archive's members) -> records -> counted, rejected or filtered; counted
 * records -> facts -> the ledger -> the worker's views.
 *
 * Pipeline: walk -> [worker: inflate/archive -> record -> facts -> ledger
 * -> the views (one tally, shared)].
 * The record policy of bedrock-ledger-formats(5), RECORDS lives here: which
 * records are rejected, which are filtered by the time window, which are
 * counted. Per record the work is parsing and one upsert into the fact
 * table; when the table holds more cells than its budget, and at the end,
 * its cells go through the ledger into the views. A worker has its own
 * parser, inflater, fact table, ledger and source log, so workers share
 * nothing but the read-only settings and tables of struct worker_config,
 * and the views, which a flush takes under their lock.
 * Ownership: a worker owns everything it creates; the config is borrowed.
 */
#ifndef LEDGER_WORKER_H
#define LEDGER_WORKER_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "ledger/facts/dupes.h"
#include "ledger/facts/facts.h"
#include "ledger/ledger/ledger.h"
#include "ledger/price/manifest.h"
#include "ledger/price/prices.h"
#include "ledger/read/sources.h"
#include "ledger/read/walk.h"
#include "ledger/state/state.h"
#include "ledger/support/sha256.h"
#include "ledger/support/timestamp.h"
#include "ledger/support/window.h"
#include "ledger/views/fields.h"
#include "ledger/views/layout.h"

/* Archives inside archives are read, but not without end. */
#define WORKER_MAX_ARCHIVE_DEPTH 4

/* What every worker reads and nobody writes. */
struct worker_config {
	const struct manifest *manifest; /* NULL: none given */
	const struct price_table *prices;
	const struct layout_plan *plan; /* its views config: coverage.csv */
	const struct fact_plan *facts;
	const struct group_by *group_by;
	struct window window; /* --since/--until */
	bool callers_principal;
	_Atomic uint64_t *bytes_read; /* stored bytes read, for the progress line (or NULL) */
	struct tally *views;	      /* every worker's cells go into these views ... */
	pthread_mutex_t *views_lock;  /* ... under this lock */
	size_t tally_cells;	      /* fact cells and hourly cells kept in memory (0: FACT_CELLS,
					 TALLY_CELLS) */
	struct state *state;	      /* --state, or NULL */
	bool hash;		      /* --hash: each object's SHA-256 in sources.csv */
	bool dedupe;		      /* --dedupe: duplicates are not counted (dupes.h) */
};

struct worker_counts {
	uint64_t read, counted, rejected, filtered;
	uint64_t ignored_1h;   /* counted records whose 1-hour count was ignored
				  (bedrock-ledger-formats(5), PRICING) */
	bool seen;	       /* a record with a good timestamp was read: */
	struct ts first, last; /* ... the least and greatest, in or out of the window */
};

struct worker {
	const struct worker_config *cfg;
	struct inflater *z;
	struct record_parser *rp;
	struct rollup *facts; /* the cells not yet in the ledger */
	struct fact_key key;  /* scratch */
	size_t fact_cells;    /* the fact table's budget */
	struct ledger ledger;
	struct views coverage; /* coverage.csv's counts of this worker's records */
	struct source_log log;
	struct source_row *cur;	 /* the object being parsed */
	struct state_worker *sw; /* --state: this thread's reading and capture, or NULL */
	struct worker_counts n;
	_Atomic uint64_t records_seen; /* n.read, published now and then for the progress line */
	unsigned char *heads[WORKER_MAX_ARCHIVE_DEPTH + 1];
	struct sha256 *sha[WORKER_MAX_ARCHIVE_DEPTH + 1]; /* --hash: per archive level */
	struct dupes_log dupes;				  /* requestIds of the counted records */
	uint64_t seq;					  /* of the input being read */
};

void worker_init(struct worker *w, const struct worker_config *cfg);
void worker_finish(struct worker *w);

/* Reads one input of the walk (sequence number seq) to its end. */
void worker_read(struct worker *w, const struct input *in, uint64_t seq);

/* After the last input: the cells still in the fact table go into the views. */
void worker_end(struct worker *w);

/*
 * --dedupe, once dupes_resolve has run: counts the records kept back that
 * are not duplicates (and has coverage see every one), then does what
 * worker_end does. Returns 0, or -1 (w->dupes.diag says why).
 */
int worker_count_kept(struct worker *w);

#endif
