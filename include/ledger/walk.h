/*
 * walk.h - command-line paths -> the sorted list of objects to read.
 *
 * Pipeline: [walk] -> inflate/archive -> record.
 * Directories are walked recursively (symbolic links followed, each file and
 * directory visited once); each file found is either to be read or skipped
 * with a reason (SPEC §2). A file named on the command line is always read.
 * The list is sorted by path in byte order; a file reached twice (named twice,
 * or through a link) is read once and listed again as skipped `duplicate`.
 * Ownership: the list owns its strings; walk_list_free releases them.
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
	char *path;    /* as reported: the command-line path joined with the path below it */
	char *fs_path; /* what to open; NULL for stdin */
	enum input_kind kind;
	char *reason;  /* skip reason or error; NULL for inputs to read */
	unsigned long long size; /* bytes as stored (0 for stdin) */
	bool named;    /* named on the command line */
};

struct input_list {
	struct input *v;
	size_t n, cap;
	char **missing; /* command-line paths that do not exist */
	size_t nmissing;
};

/*
 * Expands paths into list (which must be zeroed). Paths that do not exist
 * are collected in list->missing; everything else is listed. Never fails
 * otherwise: unreadable directories become INPUT_ERROR entries.
 */
void walk_paths(const char *const *paths, size_t n, struct input_list *list);

void walk_list_free(struct input_list *list);

/*
 * The selection rules of SPEC §2 for a file found in a directory or an
 * archive, by its path below the walked root and its size: NULL if it is to
 * be read, or the skip reason: "data-object" (a directory segment named
 * data), "marker" (amazon-bedrock-logs-permission-check, aws-logs-write-test),
 * "empty", "not-a-log-name".
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
