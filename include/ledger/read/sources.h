/*
 * sources.h - sources.csv and rejects.csv: the rows of every object seen and
 * of every rejected record, spilled to disk by the workers as they go and
 * merged back into walk order when the reports are written.
 *
 * Pipeline: worker -> [sources] -> report.
 * Each worker owns one struct source_log. It collects the rows of the input
 * it is reading (an archive gives a row per member), then source_log_end_input
 * sorts them and appends them, tagged with the input's walk sequence number,
 * to its spill; rejected lines go to a second spill as they come. Workers
 * take inputs in walk order, so every log is in sequence order, and
 * sources_write merges the logs on that number: the byte order of paths.
 * The encoding and its decoding live side by side in sources.c.
 * Ownership: a log owns its rows and spills; rows returned by
 * source_log_add live until source_log_end_input.
 */
#ifndef LEDGER_SOURCES_H
#define LEDGER_SOURCES_H

#include <stdbool.h>
#include <stdint.h>

#include "ledger/read/record.h"
#include "ledger/views/report.h"
#include "ledger/support/sha256.h"
#include "ledger/support/spill.h"
#include "ledger/support/timestamp.h"

enum source_status { SOURCE_OK, SOURCE_SKIPPED, SOURCE_ERROR };

/* One row of sources.csv while its input is being read. */
struct source_row {
	char *path;
	enum source_status status;
	char *reason;
	uint64_t bytes, records, rejected;
	bool has_ts;
	struct ts first, last; /* over the counted records */
	uint64_t order;	       /* among rows of the same path: member ordinal */
	uint64_t reject_start; /* its rejects: [reject_start, +rejected) of the reject spill */
	bool has_sha256;       /* --hash: the SHA-256 of its stored bytes */
	unsigned char sha256[SHA256_SIZE];
};

/* An input whose rows were not in path order as read (an archive's members). */
struct source_perm {
	uint64_t seq, off; /* its ranks (uint32, by ordinal) at off in the perm spill */
};

struct source_log {
	struct source_row **rows; /* of the input being read */
	size_t nrows, cap_rows;
	struct spill row_spill;
	struct spill reject_spill;
	uint64_t nrejects;
	struct spill perm_spill; /* ranks of the rows of the inputs in perms */
	struct source_perm *perms;
	size_t nperms, cap_perms;
};

void source_log_init(struct source_log *l);
void source_log_finish(struct source_log *l);

/* A new row for path (copied), status ok. */
struct source_row *source_log_add(struct source_log *l, const char *path);
/* Sets a row's status and reason (copied; NULL for none). */
void source_row_set(struct source_row *s, enum source_status st, const char *reason);
/* Widens a row's first/last timestamp to t. */
void source_row_saw(struct source_row *s, struct ts t);
/* Lists a rejected line of row s (the row being read). */
void source_log_reject(struct source_log *l, struct source_row *s, uint64_t line,
		       enum record_reject why);
/* The input with walk sequence number seq is read: spill its rows. */
void source_log_end_input(struct source_log *l, uint64_t seq);

/*
 * The rank (place in path order) of the row with ordinal `order` of input
 * seq, once that input has ended: ordinal and rank differ only where an
 * archive's members were not stored in path order.
 */
uint64_t source_log_rank(struct source_log *l, uint64_t seq, uint64_t order);

/*
 * What --dedupe adds (dupes.h): called for each row of log `log` before it
 * is written, to widen its first/last timestamps; returns whether lines of
 * duplicate records may follow, which next_line hands out in line order
 * (1, 0 at the end, -1 on a read error). NULL in sources_write: none.
 */
struct source_extras {
	bool (*row)(void *ctx, size_t log, uint64_t seq, uint64_t order, bool *has,
		    struct ts *first, struct ts *last);
	int (*next_line)(void *ctx, size_t log, uint64_t *line);
	void *ctx;
};

/* How many distinct skip reasons source_counts tells apart (the rest: "other"). */
#define SOURCE_REASONS 16

struct source_counts {
	uint64_t read, skipped, error;
	/* the reasons of the skipped rows and their counts, in order of first appearance */
	struct source_reason {
		char name[32];
		uint64_t n;
	} reasons[SOURCE_REASONS];
	size_t nreasons;
	/* the row with the most rejected records (the first in walk order on a tie), or NULL */
	char *most_rejected_path;
	uint64_t most_rejected;
};

/* Frees what sources_write put in c (the path); c is zeroed. */
void source_counts_finish(struct source_counts *c);

/* Called for each row of status error, in walk order (to print it). */
typedef void (*source_error_fn)(const char *path, const char *reason);

/*
 * Writes the rows of n logs to src and their rejects to rej, merged in walk
 * order, counting rows by status into *counts. Returns 0, or -1 when a
 * spill cannot be read back (its diag says why).
 */
int sources_write(struct source_log *const *logs, size_t n, struct report_file *src,
		  struct report_file *rej, struct source_counts *counts, source_error_fn on_error,
		  const struct source_extras *x);

/* The header lines of the two files. */
#define SOURCES_HEADER \
	"path,status,reason,bytes,records,rejected,first_timestamp,last_timestamp,sha256"
#define REJECTS_HEADER "path,line,reason"

#endif
