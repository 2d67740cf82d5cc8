/*
 * runs.h - a rollup table larger than memory: sorted runs on disk, merged
 * back in key order.
 *
 * Pipeline: tally (per worker) -> [runs] -> spikes.
 * When a worker's table holds more cells than its budget, runs_dump writes
 * its rows, sorted by key, as one run to a spill file (TMPDIR, unlinked at
 * once) and empties the table. At the end a merge reads every run of every
 * worker and the tables still in memory, and hands out each key once, in
 * key order, with the counters of all its cells folded together. Sums are
 * exact and first/last are min/max, so the result does not depend on how
 * the cells were split between workers and runs: reports stay identical at
 * every -j.
 * Ownership: a runs owns its spill; a merge borrows the runs and tables it
 * is given (they must outlive it) and owns the key it hands out, valid until
 * the next runs_merge_next.
 */
#ifndef LEDGER_RUNS_H
#define LEDGER_RUNS_H

#include <stddef.h>
#include <stdint.h>

#include "ledger/support/diag.h"
#include "ledger/facts/rollup.h"
#include "ledger/support/spill.h"

struct runs {
	size_t nfields;
	struct spill spill;
	uint64_t *ends; /* where each run ends; run i starts where run i-1 ends */
	size_t nruns, cap;
	unsigned char *head; /* a row's head, as runs_dump writes it */
};

void runs_init(struct runs *r, size_t nfields);
void runs_finish(struct runs *r);

/* Writes t's rows, sorted by key, as a new run, and empties t. */
void runs_dump(struct runs *r, struct rollup *t);

struct runs_merge;

/* A merge of tables with nfields key fields. Never NULL: OOM aborts. */
struct runs_merge *runs_merge_create(size_t nfields);
void runs_merge_destroy(struct runs_merge *m); /* NULL is a no-op */
/* Every run of r is one input of the merge. */
void runs_merge_add_runs(struct runs_merge *m, struct runs *r);
/* The rows of a table in memory are one more input. */
void runs_merge_add_table(struct runs_merge *m, const struct rollup *t);

/*
 * The next key in order and its merged counters: 1, or 0 at the end, or -1
 * when a run cannot be read back (d says why).
 */
int runs_merge_next(struct runs_merge *m, const struct str **key, struct counters *c,
		    struct diag *d);

#endif
