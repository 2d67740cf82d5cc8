/*
 * test_csvrows.c - the CSV reader: each fixture of fixtures/csvrows against
 * its .rows file (the rows with their lines, then the message), and every
 * CSV fixture of the tree (csvrows, prices, manifest, the built-in prices)
 * fed in every chunk size from 1 to 31 bytes, which must give what the
 * whole buffer gives (yajl's habit: buffer boundaries are where bugs hide).
 * Runs in tests/.
 */
#include "ledger/support/csvrows.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/price/prices.h"
#include "ledger/support/xalloc.h"
#include "tap.h"

static const char *const fixture_dirs[] = { "fixtures/csvrows", "fixtures/prices",
					    "fixtures/manifest" };

/* One line per row, "LINE: [field] [field]", bytes outside 0x20-0x7e as \xNN. */
static int dump_row(void *ctx, struct csvrows *r, const struct csvrows_row *row)
{
	FILE *out = ctx;
	if (str_starts(row->field[0], "STOP"))
		return csvrows_fail(r, row->line, "stopped by the callback");
	if (str_eq(row->field[0], STR_LIT("REFUSE")))
		return -1;
	fprintf(out, "%lu:", row->line);
	for (size_t i = 0; i < row->nfields; i++) {
		struct str f = row->field[i];
		if (!f.p)
			fputs(" (NULL)", out);
		fputs(" [", out);
		for (size_t k = 0; k < f.n; k++) {
			unsigned char c = (unsigned char)f.p[k];
			if (c < 0x20 || c > 0x7e)
				fprintf(out, "\\x%02x", c);
			else
				putc(c, out);
		}
		putc(']', out);
	}
	putc('\n', out);
	return 0;
}

/* The dump of text fed in chunks of `chunk` bytes (0: all at once, through csvrows_parse). */
static char *dump(const char *text, size_t n, size_t chunk)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	struct diag d = DIAG_INIT;
	int rc;
	if (chunk == 0) {
		rc = csvrows_parse("f", text, n, dump_row, out, &d);
	} else {
		struct csvrows *r = csvrows_create("f", dump_row, out);
		rc = 0;
		for (size_t i = 0; i < n && rc == 0; i += chunk)
			rc = csvrows_feed(r, text + i, n - i < chunk ? n - i : chunk);
		if (csvrows_finish(r) != 0 || rc != 0) {
			rc = -1;
			diag_move(&d, csvrows_diag(r));
		}
		csvrows_destroy(r);
	}
	if (rc != 0)
		fprintf(out, "error: %s\n", diag_msg(&d));
	else if (diag_has(&d))
		fprintf(out, "a message without an error: %s\n", diag_msg(&d));
	diag_clear(&d);
	fclose(out);
	return buf;
}

static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	char *buf = NULL;
	size_t len = 0, cap = 0, got;
	do {
		if (cap - len < 4096)
			buf = xrealloc(buf, cap = cap ? 2 * cap : 4096);
		got = fread(buf + len, 1, cap - len, f);
		len += got;
	} while (got > 0);
	fclose(f);
	*n = len;
	return buf;
}

/* Every chunk size gives the dump of the whole buffer; returns that dump. */
static char *check_chunks(const char *name, const char *text, size_t n)
{
	char *whole = dump(text, n, 0);
	size_t bad = 0;
	for (size_t chunk = 1; chunk <= 31; chunk++) {
		char *got = dump(text, n, chunk);
		if (strcmp(got, whole) != 0) {
			if (!bad)
				printf("#   chunks of %zu:\n%s#   whole:\n%s", chunk, got, whole);
			bad++;
		}
		free(got);
	}
	is_int(bad, 0, "%s: every chunk size from 1 to 31 reads as the whole", name);
	return whole;
}

static void test_fixtures(void)
{
	size_t nfiles = 0;
	for (size_t d = 0; d < sizeof fixture_dirs / sizeof *fixture_dirs; d++) {
		DIR *dir = opendir(fixture_dirs[d]);
		ok(dir != NULL, "%s is there", fixture_dirs[d]);
		for (struct dirent *e; dir && (e = readdir(dir)) != NULL;) {
			size_t len = strlen(e->d_name);
			if (len < 4 || strcmp(e->d_name + len - 4, ".csv") != 0)
				continue;
			char path[512], want_path[512];
			snprintf(path, sizeof path, "%s/%s", fixture_dirs[d], e->d_name);
			size_t n, want_n;
			char *text = slurp(path, &n);
			ok(text != NULL, "%s: read", path);
			char *whole = check_chunks(path, text ? text : "", text ? n : 0);
			/* the reader's own fixtures say what they must give */
			snprintf(want_path, sizeof want_path, "%s/%.*s.rows", fixture_dirs[d],
				 (int)(len - 4), e->d_name);
			char *want = d == 0 ? slurp(want_path, &want_n) : NULL;
			if (d == 0) {
				ok(want != NULL, "%s is there", want_path);
				if (want) {
					want = xrealloc(want, want_n + 1);
					want[want_n] = '\0';
				}
				is_str(whole, want, "%s: the rows and message of %s", path,
				       want_path);
			}
			free(want);
			free(whole);
			free(text);
			nfiles++;
		}
		if (dir)
			closedir(dir);
	}
	ok(nfiles >= 50, "%zu fixtures read", nfiles);

	size_t n;
	const char *builtin = prices_builtin_csv(&n);
	free(check_chunks("the built-in prices", builtin, n));
}

static int count_row(void *ctx, struct csvrows *r, const struct csvrows_row *row)
{
	(void)r;
	unsigned long *last = ctx;
	*last = row->line;
	return 0;
}

/* A long stream in odd chunks: lines keep counting, memory does not grow with the input. */
static void test_stream(void)
{
	unsigned long last = 0;
	struct csvrows *r = csvrows_create("s", count_row, &last);
	static const char rows[] = "a,\"b\r\nc\",d\re,f,g\r\n\n";
	int rc = 0;
	for (int i = 0; i < 20000 && rc == 0; i++)
		for (size_t k = 0; k < sizeof rows - 1 && rc == 0; k += 7)
			rc = csvrows_feed(r, rows + k,
					  sizeof rows - 1 - k < 7 ? sizeof rows - 1 - k : 7);
	is_int(rc, 0, "stream: 20000 copies of 4 lines read");
	is_int(csvrows_finish(r), 0, "stream: finished");
	is_int(last, 20000 * 4 - 1, "stream: the last row starts on line 79999");
	csvrows_destroy(r);
}

static void test_api(void)
{
	struct csvrows *r = csvrows_create("api", dump_row, stdout);
	is_str(diag_msg(csvrows_diag(r)), "", "api: no message at first");
	is_int(csvrows_fail(r, 0, "no line %d", 7), -1, "api: csvrows_fail returns -1");
	is_str(diag_msg(csvrows_diag(r)), "api: no line 7", "api: line 0 gives NAME: PROBLEM");
	is_int(csvrows_feed(r, "x\n", 2), -1, "api: a failed reader reads no more");
	is_int(csvrows_finish(r), -1, "api: ... and does not finish");
	csvrows_destroy(r);
	csvrows_destroy(NULL);

	struct diag d = DIAG_INIT;
	is_int(csvrows_parse("p", "a\n", 2, count_row, &(unsigned long){ 0 }, &d), 0,
	       "api: csvrows_parse");
	ok(!diag_has(&d), "api: ... leaves d empty");
	is_int(csvrows_parse("p", "\"", 1, count_row, &(unsigned long){ 0 }, &d), -1,
	       "api: csvrows_parse fails");
	is_str(diag_msg(&d), "p:1: malformed CSV: a quoted field is not closed",
	       "api: ... with the message in d");
	ok(d.file && strcmp(d.file, "p") == 0 && d.line == 1,
	   "api: ... the place as fields (diag.h)");
	is_str(d.text, "malformed CSV: a quoted field is not closed", "api: ... and the problem");
	is_int(csvrows_parse("p", "a\nb\n\n\"\n", 7, count_row, &(unsigned long){ 0 }, &d), -1,
	       "api: a later line fails");
	is_int(d.line, 4, "api: ... its line as a field");
	diag_clear(&d);
}

int main(void)
{
	test_fixtures();
	test_stream();
	test_api();
	return tap_done();
}
