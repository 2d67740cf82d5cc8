/*
 * walk_names.c - what an object's path says (walk.h): read or skipped and
 * why, and the hour of its S3 key's folders.
 */
#include <string.h>

#include "ledger/read/walk.h"
#include "ledger/support/timestamp.h"

/* Tables, not logs (bedrock-ledger(1), INPUTS): a CUR export arrives as .csv.gz or .parquet. */
static const char *const table_suffixes[] = { ".csv", ".csv.gz", ".parquet" };

/* Longest first: the name before the suffix that matches must not be empty. */
static const char *const log_suffixes[] = {
	".jsonl.gz", ".json.gz", ".tar.bz2", ".tar.zst", ".tar.gz", ".tar.xz",
	".jsonl",    ".json",	 ".tar",     ".tgz",	 ".zip",    ".gz",
};

static bool ends_with(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);
	return n >= k && memcmp(s + n - k, suffix, k) == 0;
}

static bool is_account(const char *p, size_t n)
{
	if (n != 12)
		return false;
	for (size_t i = 0; i < n; i++)
		if (p[i] < '0' || p[i] > '9')
			return false;
	return true;
}

/*
 * bedrock-ledger-formats(5), WHAT IS READ: AWSLogs/[o-ORGID/]ACCOUNT/SERVICE/... is another
 * service's when SERVICE is not BedrockModelInvocationLogs (CloudTrail, load balancers and flow
 * logs share buckets). seg[] are the directory segments of the path.
 */
static bool other_service(const char *const *seg, const size_t *len, size_t nseg)
{
	for (size_t i = 0; i < nseg; i++) {
		if (len[i] != 7 || memcmp(seg[i], "AWSLogs", 7) != 0)
			continue;
		size_t a = i + 1;
		if (a < nseg && len[a] > 2 && memcmp(seg[a], "o-", 2) == 0)
			a++;
		if (a + 1 < nseg && is_account(seg[a], len[a]))
			return !(len[a + 1] == 26 &&
				 memcmp(seg[a + 1], "BedrockModelInvocationLogs", 26) == 0);
	}
	return false;
}

#define MAX_SEGMENTS 64

const char *walk_skip_reason(const char *relpath, unsigned long long size)
{
	/*
	 * A directory named data holds offloaded bodies and media (.../HH/data/),
	 * unless an AWSLogs folder comes after it: then it is the user's own key
	 * prefix (s3://bucket/data/AWSLogs/...), and skipping it would skip every log.
	 */
	const char *base = relpath;
	const char *seg[MAX_SEGMENTS];
	size_t len[MAX_SEGMENTS], nseg = 0;
	bool data = false;
	for (const char *p = relpath; *p; p++) {
		if (*p != '/')
			continue;
		size_t n = (size_t)(p - base);
		if (n == 4 && memcmp(base, "data", 4) == 0)
			data = true;
		else if (n == 7 && memcmp(base, "AWSLogs", 7) == 0)
			data = false;
		if (nseg < MAX_SEGMENTS) {
			seg[nseg] = base;
			len[nseg++] = n;
		}
		base = p + 1;
	}
	if (data)
		return "data-object";
	if (other_service(seg, len, nseg))
		return "not-bedrock-logs";
	if (strcmp(base, "amazon-bedrock-logs-permission-check") == 0 ||
	    strcmp(base, "aws-logs-write-test") == 0)
		return "marker";
	if (size == 0)
		return "empty";
	size_t n = strlen(base);
	for (size_t i = 0; i < sizeof table_suffixes / sizeof *table_suffixes; i++)
		if (ends_with(base, n, table_suffixes[i]))
			return "not-a-log-name";
	for (size_t i = 0; i < sizeof log_suffixes / sizeof *log_suffixes; i++) {
		if (ends_with(base, n, log_suffixes[i]))
			return n > strlen(log_suffixes[i]) ? NULL : "not-a-log-name";
	}
	return "not-a-log-name";
}

int walk_hour_folder(const char *path, struct ts *hour)
{
	/*
	 * ".../YYYY/MM/DD/HH/name": start[k] is where the k-th segment from the end
	 * begins (k = 0 the name); the path may start at YYYY.
	 */
	size_t len = strlen(path), start[5];
	int k = 0;
	for (size_t i = len; i > 0 && k < 5; i--) {
		if (path[i - 1] == '/')
			start[k++] = i;
	}
	if (k == 4)
		start[k++] = 0;
	if (k < 5)
		return -1;
	/* YYYY/ at start[4], MM/ at start[3], DD/ at start[2], HH/ at start[1] */
	if (start[3] - start[4] != 5 || start[2] - start[3] != 3 || start[1] - start[2] != 3 ||
	    start[0] - start[1] != 3)
		return -1;
	/* as a timestamp, so that timestamp.c alone knows the calendar */
	char text[] = "YYYY-MM-DDTHH:00:00Z";
	memcpy(text, path + start[4], 4);
	memcpy(text + 5, path + start[3], 2);
	memcpy(text + 8, path + start[2], 2);
	memcpy(text + 11, path + start[1], 2);
	return ts_parse(text, sizeof text - 1, hour);
}
