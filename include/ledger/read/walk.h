/*
 * walk.h - command-line paths -> the objects to read, one at a time, in byte
 * order of their paths.
 *
 * Pipeline: [walk] -> inflate/archive -> record.
 * The walk streams: it holds one directory listing per level of the tree it
 * is in, never the list of every file, so its memory does not grow with the
 * size of the archive. It keeps at most 64 of those directories open, to
 * stat their entries and open the directories below them without a path
 * lookup each. Entries of a directory are sorted so that the paths come out
 * in byte order overall (a directory sorts as its name plus '/'). Several
 * command-line paths are merged into that one order.
 *
 * Each file is either to be read or skipped with a reason
 * (bedrock-ledger-formats(5), WHAT IS READ); a file named on the command line
 * is always read. Symbolic links are followed; each directory is walked once
 * (a second way into it, a link or an overlapping command-line path, is
 * passed over), and a file named on the command line is not read again where
 * a walk meets it (`duplicate`). Ownership: the walker owns the struct input
 * it returns; it stays valid until the next walker_next call.
 * Files: walk.c (the walk), walk_names.c (what a path says: the skip reasons
 * and the hour of an S3 key's folders).
 */
#ifndef LEDGER_WALK_H
#define LEDGER_WALK_H

#include <stdbool.h>
#include <stddef.h>

/* How standard input (`-`) is named in reports: `-` would be formula-guarded. */
#define WALK_STDIN_NAME "(stdin)"

enum input_kind {
	INPUT_FILE,  /* a file to read: log or archive */
	INPUT_STDIN, /* `-` */
	INPUT_SKIP,  /* listed with a reason, not read */
	INPUT_ERROR, /* could not be listed: reason says why */
};

struct input {
	const char
	    *path; /* as reported and opened: the command-line path joined with the path below it */
	enum input_kind kind;
	const char *reason;	 /* skip reason or error; NULL for inputs to read */
	unsigned long long size; /* bytes as stored (0 for stdin) */
	bool named;		 /* named on the command line */
	long long mtime_ns;	 /* files: modification time, ns since 1970 (0 for others) */
};

struct walker;

/*
 * Starts a walk over paths. Paths that do not exist are not walked: they are
 * counted by walker_missing. option_files are the files (or directories)
 * given with options (--manifest, --prices, --cur, ...): a walk that meets
 * one of them, the same file by device and inode whatever its name, or a
 * file below such a directory, skips it as "is-an-option-file", before any
 * other rule. Never NULL: OOM aborts.
 */
struct walker *walker_create(const char *const *paths, size_t n, const char *const *option_files,
			     size_t noption_files);
void walker_destroy(struct walker *w); /* NULL is a no-op */

/* The command-line paths that do not exist: their number, and the i-th. */
size_t walker_missing_count(const struct walker *w);
const char *walker_missing(const struct walker *w, size_t i);

/* The next object: 1 and *in set, or 0 at the end. */
int walker_next(struct walker *w, struct input *in);

/*
 * The selection rules of bedrock-ledger-formats(5), WHAT IS READ for a file found in a directory or
 * an archive, by its path below the walked root and its size: NULL if it is to be read, or the skip
 * reason: "data-object" (a directory segment named data), "not-bedrock-logs" (under
 * AWSLogs/[o-ORG/]ACCOUNT/SERVICE/ for a SERVICE other than BedrockModelInvocationLogs), "marker"
 * (amazon-bedrock-logs-permission-check, aws-logs-write-test), "empty", "not-a-log-name" (a name
 * that is not a log's, and a table's: .csv, .csv.gz, .parquet).
 */
const char *walk_skip_reason(const char *relpath, unsigned long long size);

/*
 * The UTC hour of a log object from its S3 key: the four directory segments
 * YYYY/MM/DD/HH right above the file name. Returns 0 and sets *hour, or -1
 * when the path has no such folders.
 */
struct ts;
int walk_hour_folder(const char *path, struct ts *hour);

#endif
