/*
 * dupes.h - duplicates: counted records whose requestId was already counted
 * in this run, found exactly in bounded memory; and with --dedupe, kept out
 * of every count.
 *
 * Pipeline: worker (each counted record) -> [dupes] -> summary; with
 * --dedupe also -> worker (the records kept are counted after all) and
 * sources.csv, rejects.csv (reason duplicate).
 *
 * Each worker notes the 128-bit hash (XXH3) of every counted record's
 * non-empty requestId (an object taken from --state: the hashes the state
 * kept, dupes_note_hashes) in a buffer of fixed size; a full buffer is sorted
 * and written as a run to a spill file. dupes_resolve merges every run of
 * every worker in hash order: a hash seen k times is k - 1 duplicates. That
 * count needs no order, so it does not depend on -j.
 * Which copy is the duplicate matters only with --dedupe: the first in path
 * byte order, then line, is kept. Workers read inputs in parallel, so a
 * worker cannot know while reading whether a record is the first; with
 * --dedupe it keeps every record that has a requestId back instead of
 * counting it (its fields, never a byte of a body, go to a spill file) and
 * notes with the hash where it is: (walk sequence of its input, rank of its
 * object among the input's rows, line) and its place in the spill. The
 * merge keeps the least position of each hash and marks the others in a
 * bitmap (one bit per record kept back); dupes_replay then hands the
 * unmarked records back to be counted, in the order they were read, and
 * notes per object what sources.csv and rejects.csv need: the first and
 * last timestamp of its records counted after all, and its duplicate
 * lines.
 * Ownership: a log owns its buffers and spills; the records dupes_replay
 * hands out live during the callback only.
 */
#ifndef LEDGER_DUPES_H
#define LEDGER_DUPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ledger/read/record.h"
#include "ledger/read/sources.h"
#include "ledger/support/diag.h"
#include "ledger/support/spill.h"

/* Hashes a worker keeps in memory before it writes a sorted run (256 KiB). */
#define DUPES_BUFFER 16384
/* Read-ahead of the final merge, shared by its runs (at least 1 KiB each). */
#define DUPES_MERGE_MEMORY ((size_t)1 << 20)

struct dupes_log {
	bool dedupe;
	unsigned worker; /* its index among the logs given to dupes_resolve */
	size_t nmeta;	 /* requestMetadata values a record carries */
	size_t esize;	 /* bytes per entry: the hash, and with --dedupe its position */
	unsigned char *buf, *scratch;
	size_t n, cap;
	uint32_t *counts; /* radix buckets */
	struct spill runs;
	uint64_t *ends; /* where each run ends */
	size_t nruns, cap_runs;
	uint64_t noted;
	/* --dedupe */
	struct spill kept; /* the records kept back */
	uint64_t nkept;
	unsigned char *dup_bits; /* of the records kept back: which are duplicates */
	struct spill fixes;	 /* per object with kept records: first/last of those counted */
	struct spill lines;	 /* per duplicate: (seq, order, line) */
	uint64_t nfixes, nlines;
	uint64_t fix_at, line_at;      /* cursors of dupes_row */
	uint64_t line_seq, line_order; /* the row dupes_next_line hands out lines of */
	struct diag diag;
};

/* A requestId's hash as the state stores it: 16 bytes, the high half first, big-endian. */
#define DUPES_HASH_SIZE 16

void dupes_init(struct dupes_log *d, bool dedupe, unsigned worker, size_t nmeta);
void dupes_finish(struct dupes_log *d);

/*
 * Notes a counted record of object `order` of input `seq`. Returns true
 * when the record is kept back (--dedupe and a requestId): the caller does
 * not count it now.
 */
bool dupes_note(struct dupes_log *d, const struct record *r, uint64_t seq, uint64_t order);

/* The hash of r's requestId into out; false (out untouched) when it has none. */
bool dupes_hash(const struct record *r, unsigned char out[DUPES_HASH_SIZE]);

/* Notes n hashes as dupes_hash wrote them, each a counted record's (not with --dedupe:
 * the state keeps no records to hold back). */
void dupes_note_hashes(struct dupes_log *d, const unsigned char *h, size_t n);

/* The rank of object `order` of input `seq` of worker w among its input's rows. */
typedef uint64_t (*dupes_rank_fn)(void *ctx, unsigned w, uint64_t seq, uint64_t order);

/*
 * Merges the hashes of n logs: *count gets the number of duplicates; with
 * --dedupe, which kept records are duplicates is marked in their logs.
 * Returns 0, or -1 when a run cannot be read back (d says why).
 */
int dupes_resolve(struct dupes_log *const *logs, size_t n, dupes_rank_fn rank, void *ctx,
		  uint64_t *count, struct diag *d);

/*
 * --dedupe: hands every record kept back to fn, in the order read, saying
 * whether it is a duplicate, with a row standing for its object (for one
 * that is not, fn widens its first and last timestamps as counting does).
 * Returns 0, or -1 (d->diag).
 */
typedef void (*dupes_count_fn)(void *ctx, const struct record *r, struct source_row *row,
			       bool duplicate);
int dupes_replay(struct dupes_log *d, dupes_count_fn fn, void *ctx);

/*
 * For sources.csv and rejects.csv: what --dedupe adds to the row of object
 * `order` of input `seq`: widens has, first and last with its records
 * counted after all, and returns whether duplicate lines may follow;
 * dupes_next_line hands them out in line order (1, 0 at their end, -1 with
 * d->diag).
 */
uint64_t dupes_row(struct dupes_log *d, uint64_t seq, uint64_t order, bool *has, struct ts *first,
		   struct ts *last);
int dupes_next_line(struct dupes_log *d, uint64_t *line);

#endif
