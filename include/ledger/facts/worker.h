/*
 * worker.h - one worker thread's reading: an input -> objects (inflate, or
 * an archive's members) -> records -> counted, rejected or filtered.
 *
 * Pipeline: walk -> [worker: inflate/archive -> record -> attribute -> tally].
 * The record policy of SPEC §2.1 lives here: which records are rejected,
 * which are filtered by the time window, which are counted. A worker has its
 * own parser, inflater, attributor, tally and source log, so workers share
 * nothing but the read-only settings and tables of struct worker_config.
 * Ownership: a worker owns everything it creates; the config is borrowed.
 */
#ifndef LEDGER_WORKER_H
#define LEDGER_WORKER_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "ledger/facts/dupes.h"
#include "ledger/views/fields.h"
#include "ledger/views/layout.h"
#include "ledger/price/manifest.h"
#include "ledger/price/prices.h"
#include "ledger/read/sources.h"
#include "ledger/support/sha256.h"
#include "ledger/support/timestamp.h"
#include "ledger/read/walk.h"

/* Archives inside archives are read, but not without end. */
#define WORKER_MAX_ARCHIVE_DEPTH 4

/* What every worker reads and nobody writes. */
struct worker_config {
	const struct manifest *manifest; /* NULL: none given */
	const struct price_table *prices;
	const struct layout_plan *plan;
	const struct group_by *group_by;
	bool has_since, has_until;
	struct ts since, until;
	bool callers_principal;
	_Atomic uint64_t *bytes_read; /* stored bytes read, for the progress line (or NULL) */
	size_t tally_cells;	      /* hourly cells kept in memory (0: TALLY_CELLS) */
	bool hash;		      /* --hash: each object's SHA-256 in sources.csv */
	bool dedupe;		      /* --dedupe: duplicates are not counted (dupes.h) */
};

struct worker_counts {
	uint64_t read, counted, rejected, filtered;
	uint64_t ignored_1h; /* counted records whose 1-hour count was ignored (SPEC §5.2) */
};

struct worker {
	const struct worker_config *cfg;
	struct inflater *z;
	struct record_parser *rp;
	struct attributor *at;
	struct tally tally;
	struct source_log log;
	struct record_view view;
	struct source_row *cur; /* the object being parsed */
	struct worker_counts n;
	_Atomic uint64_t records_seen; /* n.read, published now and then for the progress line */
	unsigned char *heads[WORKER_MAX_ARCHIVE_DEPTH + 1];
	struct sha256 *sha[WORKER_MAX_ARCHIVE_DEPTH + 1]; /* --hash: per archive level */
	struct dupes_log dupes; /* requestIds of the counted records */
	uint64_t seq;		/* of the input being read */
};

void worker_init(struct worker *w, const struct worker_config *cfg);
void worker_finish(struct worker *w);

/* Reads one input of the walk (sequence number seq) to its end. */
void worker_read(struct worker *w, const struct input *in, uint64_t seq);

/*
 * --dedupe, once dupes_resolve has run: counts the records kept back that
 * are not duplicates. Returns 0, or -1 (w->dupes.diag says why).
 */
int worker_count_kept(struct worker *w);

#endif
