/*
 * report.h - CSV report files, written whole or not at all.
 *
 * Pipeline: rollup -> [report].
 * Every file of a set is written to a temporary file in the output directory
 * and renamed into place only when all of them are complete, so a failed run
 * leaves the previous reports as they were. Cells follow RFC 4180 (quoted
 * only when needed, through libcsv), lines end in \n, and a text cell that
 * begins with =, +, -, @, tab or carriage return gets a leading ' so that a
 * spreadsheet does not run it as a formula.
 * Ownership: the set owns its files; report_set_destroy removes any
 * temporary file left.
 */
#ifndef LEDGER_REPORT_H
#define LEDGER_REPORT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "ledger/support/diag.h"
#include "ledger/support/money.h"
#include "ledger/support/str.h"
#include "ledger/support/timestamp.h"

struct report_set;
struct report_file;

/*
 * Creates dir (and its parents) if needed and checks that a file can be made
 * in it (a probe file, removed at once), so that a run can find out before it
 * reads anything. NULL with d set ("DIR: cannot create directory: ...",
 * "DIR: cannot write: ...") on failure.
 */
struct report_set *report_set_create(const char *dir, struct diag *d);
/* Removes temporary files not committed; NULL is a no-op. */
void report_set_destroy(struct report_set *s);

/* Starts DIR/name as a temporary file; NULL on failure (see report_set_error:
 * "DIR/NAME: cannot write: ..."). */
struct report_file *report_open(struct report_set *s, const char *name);

/* Cells, left to right; report_end_row ends the line. */
void report_text(struct report_file *f, struct str s);	/* guarded and quoted as needed */
void report_cstr(struct report_file *f, const char *s); /* same, NUL-terminated */
void report_u64(struct report_file *f, uint64_t v);
/* A number already formatted ("-12", "-0.5"): written as is, never formula-guarded. */
void report_number(struct report_file *f, const char *text);
void report_ts(struct report_file *f, bool has, struct ts t); /* YYYY-MM-DDTHH:MM:SSZ, or empty */
void report_money(struct report_file *f, money_t v);	      /* rounded half up, 6 decimals */
void report_empty(struct report_file *f);
void report_end_row(struct report_file *f);

/* The file's stream, for a report that is not CSV (report.html, JSON): written as is. */
FILE *report_stream(struct report_file *f);

/* Writes a header line from a comma-separated list of plain names. */
void report_header(struct report_file *f, const char *names);

/*
 * Flushes, syncs and closes every file opened so far and takes its size and
 * SHA-256 (of the bytes on disk), for run.json; files opened later are
 * sealed by the next call or by the commit. 0, or -1 with report_set_error().
 */
int report_set_seal(struct report_set *s);
/*
 * Starts sealing the files opened since the last call on a thread of their
 * own, while the caller writes others; none of them may be written to
 * again. The next report_set_seal (or commit, or destroy) waits for these
 * threads and says the first error.
 */
void report_set_seal_start(struct report_set *s);
/* The files of the set, in the order opened; size and SHA-256 once sealed. */
size_t report_set_count(const struct report_set *s);
const char *report_set_name(const struct report_set *s, size_t i);
uint64_t report_set_size(const struct report_set *s, size_t i);
const unsigned char *report_set_sha256(const struct report_set *s, size_t i);

/* DIR/name, a report of an earlier run that this one does not write: removed at commit. */
void report_set_remove(struct report_set *s, const char *name);

/*
 * Seals every file, then renames them into place in the order opened; the
 * stale reports are removed just before the last file (run.json) is renamed.
 * Returns 0, or -1 with report_set_error() set ("PATH: cannot write: ...");
 * on -1 no file of the set has replaced an existing report... unless the
 * failure came from a rename, which is reported too.
 */
int report_set_commit(struct report_set *s);

/* The problem of the last call that failed ("" when none); owned by s. */
const char *report_set_error(const struct report_set *s);

/* The formula guard alone, for tests: does this cell need a leading '? */
bool report_needs_guard(struct str s);

#endif
