/*
 * sql_paths.c - LOCATION and -o of `bedrock-ledger sql`: which dialect a
 * location fits, the S3 prefix that the athena table is laid over, and the
 * checks made of both before a line is written (bedrock-ledger(1), SQL).
 */
#include "sql_gen.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ledger/run/pipeline.h"
#include "ledger/support/xalloc.h"
#include "ledger/views/report.h"

#define S3 "s3://"

/* Where, in dir (ending in '/', below the bucket of an s3:// URL), the segment AWSLogs/ starts. */
static const char *awslogs_segment(const char *dir)
{
	const char *key = strchr(dir + strlen(S3), '/');
	const char *at = key ? strstr(key, "/AWSLogs/") : NULL;
	return at ? at + 1 : NULL;
}

char *sql_local_dir(const char *path)
{
	char *cwd = path[0] == '/' ? NULL : getcwd(NULL, 0);
	if (!cwd)
		return sql_dir(path);
	size_t n = strlen(cwd), k = strlen(path);
	char *full = xmalloc(n + k + 2);
	memcpy(full, cwd, n);
	full[n] = '/';
	memcpy(full + n + 1, path, k + 1);
	free(cwd);
	char *dir = sql_dir(full);
	free(full);
	return dir;
}

char *sql_location_dir(const struct sql_opts *o)
{
	if (o->dialect == SQL_DUCKDB)
		return sql_local_dir(o->location);
	char *dir = sql_dir(o->location);
	if (strncmp(dir, S3, strlen(S3)) == 0) {
		/* s3://bucket/prefix/AWSLogs/ is taken as s3://bucket/prefix/, which holds it */
		char *at = (char *)awslogs_segment(dir);
		if (at && strcmp(at, "AWSLogs/") == 0)
			*at = '\0';
	}
	return dir;
}

/* athena: an s3:// URL with a bucket, not below AWSLogs/. */
static int check_s3(const struct sql_opts *o, struct diag *d)
{
	const char *loc = o->location;
	if (strncmp(loc, S3, strlen(S3)) != 0) {
		if (strstr(loc, "://"))
			return diag_set(
			    d, "LOCATION '%s': the athena dialect reads s3://bucket/prefix/", loc);
		return diag_set(
		    d,
		    "LOCATION '%s' is a local path: the athena dialect (the default) "
		    "reads s3://bucket/prefix/; use --dialect duckdb for a local directory",
		    loc);
	}
	if (loc[strlen(S3)] == '\0' || loc[strlen(S3)] == '/')
		return diag_set(d, "LOCATION '%s' names no bucket: give s3://bucket/prefix/", loc);
	char *dir = sql_dir(loc);
	const char *at = awslogs_segment(dir);
	int rc = 0;
	if (at && strcmp(at, "AWSLogs/") != 0)
		rc = diag_set(d,
			      "LOCATION '%s' lies below AWSLogs/: give the prefix that holds it, "
			      "%.*s (the table reads every account and region below it)",
			      loc, (int)(at - dir), dir);
	free(dir);
	return rc;
}

/* duckdb: a local directory that exists. */
static int check_local(const struct sql_opts *o, struct diag *d)
{
	const char *loc = o->location;
	if (strncmp(loc, S3, strlen(S3)) == 0) {
		diag_set(d,
			 "LOCATION '%s' is in S3: the duckdb dialect reads a local directory; use "
			 "--dialect athena for s3://, or copy the logs down (aws s3 sync) first",
			 loc);
		return LEDGER_EXIT_USAGE;
	}
	if (strstr(loc, "://")) {
		diag_set(d, "LOCATION '%s': the duckdb dialect reads a local directory", loc);
		return LEDGER_EXIT_USAGE;
	}
	struct stat st;
	if (stat(loc, &st) != 0) {
		/* as a run says it of a missing input, and with its exit status */
		if (errno == ENOENT || errno == ENOTDIR)
			diag_set(d, "%s: no such file or directory", loc);
		else
			diag_set(d, "%s: cannot stat: %s", loc, strerror(errno));
		return LEDGER_EXIT_IO;
	}
	if (!S_ISDIR(st.st_mode)) {
		diag_set(d,
			 "LOCATION '%s' is a file: the duckdb dialect reads a directory (put the "
			 "file in a directory of its own)",
			 loc);
		return LEDGER_EXIT_USAGE;
	}
	return 0;
}

int sql_check_paths(const struct sql_opts *o, struct diag *d)
{
	if (o->dialect == SQL_ATHENA)
		return check_s3(o, d) ? LEDGER_EXIT_USAGE : 0;
	int rc = check_local(o, d);
	if (rc)
		return rc;
	/* -o: made now, and found writable, as a run does before it reads anything */
	struct report_set *s = report_set_create(o->out_dir, d);
	if (!s)
		return LEDGER_EXIT_IO;
	report_set_destroy(s);
	return 0;
}
