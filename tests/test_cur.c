/*
 * test_cur.c - the CUR reader (cur.h) and the bill (cur_bill.h).
 *
 * Each fixtures/cur/NAME.csv is read and its bill dumped (rows, adjustments,
 * unknown names, counters; or the message) and compared with NAME.expect
 * (NAME.window, when present, holds "SINCE UNTIL", "-" for none). Every
 * fixture is read whole and in every chunk size from 1 to 31 bytes, and
 * gzip-compressed in several chunk sizes: all must give the expected dump.
 * UPDATE_CUR=1 rewrites the .expect files (read the diff before committing).
 * Then: Parquet, archives, empty input, truncated and corrupt gzip with the
 * exact line, a row longer than the cutter's carry, several files adding up,
 * a failed file leaving the bill unchanged, --billing-names rows winning,
 * and the bill's own merge, order and overflow checks. Runs in tests/.
 */
#include "ledger/bill/cur.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "ledger/support/xalloc.h"
#include "tap.h"

#define FIXTURES "fixtures/cur"

static struct billing_names *names;

static void dump_bill(FILE *out, struct cur_bill *b)
{
	size_t n;
	const struct cur_row *const *rows = cur_bill_rows(b, &n);
	for (size_t i = 0; i < n; i++) {
		const struct cur_row *r = rows[i];
		char usd[DECIMAL_TEXT_MAX];
		decimal_format(r->billed_usd, 18, usd);
		fprintf(out, "row %s,%.*s,%.*s,%s,%s,%s,%s tokens=%lld usd=%s", r->day,
			(int)r->key.region.n, r->key.region.p, (int)r->key.model.n, r->key.model.p,
			usage_kind_name(r->key.kind), usage_routing_name(r->key.routing),
			usage_tier_name(r->key.tier), usage_context_name(r->key.context),
			(long long)r->billed_tokens, usd);
		if (r->category != USAGE_CATEGORY_NONE)
			fprintf(out, " [%s]", usage_category_note(r->category));
		if (r->unknown_billing_name)
			fputs(" [unknown-billing-name]", out);
		if (r->geo)
			fputs(" [geo]", out);
		fprintf(out, " lines=%llu\n", (unsigned long long)r->lines);
	}
	const struct cur_adjustment *const *adj = cur_bill_adjustments(b, &n);
	for (size_t i = 0; i < n; i++) {
		char usd[DECIMAL_TEXT_MAX];
		decimal_format(adj[i]->usd, 18, usd);
		fprintf(out, "adjustment %.*s usd=%s lines=%llu\n", (int)adj[i]->type.n,
			adj[i]->type.p, usd, (unsigned long long)adj[i]->lines);
	}
	const struct cur_unknown_name *const *un = cur_bill_unknown_names(b, &n);
	for (size_t i = 0; i < n; i++) {
		char usd[DECIMAL_TEXT_MAX];
		decimal_format(un[i]->usd, 18, usd);
		char tokens[DECIMAL_TEXT_MAX];
		decimal_format(un[i]->tokens, 0, tokens);
		fprintf(out, "unknown %.*s usd=%s tokens=%s lines=%llu\n", (int)un[i]->name.n,
			un[i]->name.p, usd, tokens, (unsigned long long)un[i]->lines);
	}
	const struct cur_counts *c = cur_bill_counts(b);
	fprintf(out,
		"counts usage=%llu outside_window=%llu adjustments=%llu other=%llu malformed=%llu "
		"duplicates=%llu unknown_prefix=%llu region_differs=%llu unit_unknown=%llu "
		"files=%llu\n",
		(unsigned long long)c->usage, (unsigned long long)c->outside_window,
		(unsigned long long)c->adjustments, (unsigned long long)c->other,
		(unsigned long long)c->malformed, (unsigned long long)c->duplicates,
		(unsigned long long)c->unknown_prefix,
		(unsigned long long)c->region_differs, (unsigned long long)c->unit_unknown,
		(unsigned long long)c->files);
}

struct window {
	struct ts since, until;
	bool has_since, has_until;
};

/* The dump of one input read in chunks of `step` stored bytes (0: no limit) with `jobs`. */
static char *read_dump_jobs(const char *name, const void *data, size_t n, size_t step,
			    const struct window *w, int jobs)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	struct cur_reader *r = cur_reader_create(names, w && w->has_since ? &w->since : NULL,
						 w && w->has_until ? &w->until : NULL, jobs);
	struct cur_bill *b = cur_bill_create();
	struct mem_source ms;
	mem_source_init(&ms, data, n, step);
	struct diag d = DIAG_INIT;
	if (cur_reader_read(r, b, name, &ms.src, &d) != 0)
		fprintf(out, "error: %s\n", diag_msg(&d));
	else
		dump_bill(out, b);
	diag_clear(&d);
	cur_bill_destroy(b);
	cur_reader_destroy(r);
	fclose(out);
	return buf;
}

static char *read_dump(const char *name, const void *data, size_t n, size_t step,
		       const struct window *w)
{
	return read_dump_jobs(name, data, n, step, w, 1);
}

/* The file at path, NUL-terminated (NULL if it cannot be read); *n its length. */
static char *slurp(const char *path, size_t *n)
{
	struct stat st;
	FILE *f = fopen(path, "rb");
	if (!f || fstat(fileno(f), &st) != 0) {
		if (f)
			fclose(f);
		return NULL;
	}
	char *buf = xmalloc((size_t)st.st_size + 1);
	*n = fread(buf, 1, (size_t)st.st_size, f);
	buf[*n] = '\0';
	fclose(f);
	return buf;
}

static unsigned char *gzip_of(const void *data, size_t n, int level, size_t *out_n)
{
	z_stream zs = { 0 };
	deflateInit2(&zs, level, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY);
	size_t cap = deflateBound(&zs, (uLong)n) + 64;
	unsigned char *out = xmalloc(cap);
	zs.next_in = (unsigned char *)data;
	zs.avail_in = (uInt)n;
	zs.next_out = out;
	zs.avail_out = (uInt)cap;
	deflate(&zs, Z_FINISH);
	*out_n = zs.total_out;
	deflateEnd(&zs);
	return out;
}

static void read_window(const char *base, struct window *w)
{
	char path[512], a[64], b[64];
	snprintf(path, sizeof path, FIXTURES "/%s.window", base);
	memset(w, 0, sizeof *w);
	FILE *f = fopen(path, "r");
	if (!f)
		return;
	if (fscanf(f, "%63s %63s", a, b) == 2) {
		w->has_since = strcmp(a, "-") != 0 && ts_parse_bound(a, &w->since) == 0;
		w->has_until = strcmp(b, "-") != 0 && ts_parse_bound(b, &w->until) == 0;
	}
	fclose(f);
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_fixture(const char *file)
{
	char base[256], path[512];
	snprintf(base, sizeof base, "%.*s", (int)(strlen(file) - 4), file);
	snprintf(path, sizeof path, FIXTURES "/%s", file);
	size_t n;
	char *text = slurp(path, &n);
	struct window w;
	read_window(base, &w);
	char *whole = read_dump(file, text, n, 0, &w);
	snprintf(path, sizeof path, FIXTURES "/%s.expect", base);
	if (getenv("UPDATE_CUR")) {
		FILE *f = fopen(path, "w");
		fputs(whole, f);
		fclose(f);
	}
	size_t en;
	char *expect = slurp(path, &en);
	is_str(whole, expect ? expect : "(no .expect file)", "%s", file);
	bool same = true;
	for (size_t step = 1; step <= 31 && same; step++) {
		char *got = read_dump(file, text, n, step, &w);
		if (strcmp(got, whole) != 0) {
			same = false;
			printf("# %s in %zu-byte chunks:\n# %s", file, step, got);
		}
		free(got);
	}
	ok(same, "%s: every chunk size from 1 to 31 gives the same", file);
	size_t gn;
	unsigned char *gz = gzip_of(text, n, 6, &gn);
	static const size_t steps[] = { 0, 1, 2, 3, 7, 29, 4096 };
	same = true;
	for (size_t i = 0; i < sizeof steps / sizeof steps[0] && same; i++) {
		char *got = read_dump(file, gz, gn, steps[i], &w);
		if (strcmp(got, whole) != 0) {
			same = false;
			printf("# %s gzip-compressed, %zu-byte reads:\n# %s", file, steps[i], got);
		}
		free(got);
	}
	ok(same, "%s: gzip-compressed, the same", file);
	same = true;
	for (int jobs = 2; jobs <= 9 && same; jobs += 7) {
		for (size_t step = 0; step <= 5 && same; step += 5) {
			char *got = read_dump_jobs(file, text, n, step, &w, jobs);
			if (strcmp(got, whole) != 0) {
				same = false;
				printf("# %s with %d jobs, %zu-byte reads:\n# %s", file, jobs, step,
				       got);
			}
			free(got);
		}
	}
	ok(same, "%s: with worker threads, the same", file);
	free(gz);
	free(expect);
	free(whole);
	free(text);
}

static void test_fixtures(void)
{
	DIR *dir = opendir(FIXTURES);
	if (!ok(dir != NULL, "open " FIXTURES))
		return;
	char *files[256];
	size_t nfiles = 0;
	for (struct dirent *e; (e = readdir(dir)) && nfiles < 256;) {
		size_t len = strlen(e->d_name);
		if (len > 4 && strcmp(e->d_name + len - 4, ".csv") == 0)
			files[nfiles++] = xstrdup(e->d_name);
	}
	closedir(dir);
	qsort(files, nfiles, sizeof *files, by_name);
	for (size_t i = 0; i < nfiles; i++) {
		test_fixture(files[i]);
		free(files[i]);
	}
}

static const char header[] = "bill_billing_entity,line_item_product_code,line_item_usage_type,"
			     "line_item_line_item_type,line_item_usage_start_date,"
			     "line_item_usage_amount,pricing_unit,line_item_unblended_cost\n";
static const char good_row[] =
    "AWS,AmazonBedrock,USE1-NovaLite-input-tokens,Usage,2026-09-14T00:00:00Z,1,1K tokens,0.5\n";

static void test_refused(void)
{
	char *got = read_dump("x.parquet", "PAR1\x15\x04\x15\x10", 8, 0, NULL);
	ok(strstr(got, "error: x.parquet: a Parquet file, which --cur does not read: export the "
		       "CUR as CSV") == got,
	   "Parquet refused, saying how to export CSV");
	ok(strstr(got, "duckdb -c \"COPY (FROM 'x.parquet') TO 'cur.csv'\"") != NULL,
	   "...or how to convert it");
	free(got);
	size_t gn;
	unsigned char *gz = gzip_of("PAR1\x15\x04\x15\x10 more bytes", 19, 6, &gn);
	got = read_dump("x.parquet.gz", gz, gn, 0, NULL);
	ok(strstr(got, "error: x.parquet.gz: a Parquet file") == got, "gzip of Parquet refused");
	free(got);
	free(gz);
	got = read_dump("empty.csv", "", 0, 0, NULL);
	is_str(got, "error: empty.csv: empty file (a CUR export starts with a header row)\n",
	       "empty file");
	free(got);
	got = read_dump("blank.csv", "\n\n\r\n", 4, 0, NULL);
	is_str(got, "error: blank.csv: no header row (an empty CUR export?)\n", "blank lines only");
	free(got);
	got = read_dump("x.zip", "PK\x03\x04\x14\x00\x00\x00", 8, 0, NULL);
	ok(strstr(got, "error: x.zip: a zip or tar archive") == got, "zip refused");
	free(got);
}

/* A gzip without its 8-byte trailer: all text decoded, then the end: line = lines + 1. */
static void test_truncated(void)
{
	char text[4096];
	int n = snprintf(text, sizeof text, "%s%s%s", header, good_row, good_row);
	size_t gn;
	unsigned char *gz = gzip_of(text, (size_t)n, 0, &gn);
	char *got = read_dump("cut.csv.gz", gz, gn - 8, 0, NULL);
	is_str(
	    got,
	    "error: cut.csv.gz:4: truncated gzip: the object is cut short; sync or copy it again\n",
	    "truncated gzip: file:line");
	free(got);
	for (size_t step = 1; step <= 7; step++) {
		got = read_dump("cut.csv.gz", gz, gn - 8, step, NULL);
		is_str(got,
		       "error: cut.csv.gz:4: truncated gzip: the object is cut short; sync or copy "
		       "it again\n",
		       "truncated gzip, %zu-byte reads", step);
		free(got);
	}
	/* cut inside the first row: the line the text stops on */
	free(gz);
	gz = gzip_of(text, (size_t)n, 6, &gn);
	got = read_dump("cut.csv.gz", gz, 12, 0, NULL);
	ok(strstr(got, "error: cut.csv.gz:1: truncated gzip: the object is cut short") == got,
	   "cut in the header: line 1");
	free(got);
	/* every cut is an error, never a partial total */
	bool all = true;
	for (size_t cut = 1; cut < gn; cut++) {
		got = read_dump("cut.csv.gz", gz, cut, 0, NULL);
		all &= strncmp(got, "error: cut.csv.gz:", 18) == 0;
		free(got);
	}
	ok(all, "every cut of a gzip is an error");
	unsigned char *bad = xmalloc(gn);
	memcpy(bad, gz, gn);
	bad[gn - 5] ^= 0x55; /* the length in the trailer */
	got = read_dump("crc.csv.gz", bad, gn, 0, NULL);
	ok(strncmp(got, "error: crc.csv.gz:4: ", 21) == 0, "a bad trailer: file:line too");
	free(got);
	free(bad);
	free(gz);
}

/* A row longer than the cutter's carry (1 MiB) goes to the CSV reader whole, lines exact. */
static void test_long_row(void)
{
	size_t big = (1u << 20) + 1000;
	char *text = xmalloc(big + 4096);
	size_t n = 0;
	n += (size_t)sprintf(text + n, "%s", header);
	n += (size_t)sprintf(text + n, "AWS,AmazonS3,x,Usage,2026-09-14T00:00:00Z,1,Hrs,\"");
	memset(text + n, 'a', big);
	n += big;
	n += (size_t)sprintf(text + n, "\"\n%s", good_row);
	n += (size_t)sprintf(text + n, "AWS,AmazonBedrock,USE1-NovaLite-input-tokens,Usage,2026-09-"
				       "14T00:00:00Z,x,1K tokens,1\n");
	char *got = read_dump("long.csv", text, n, 0, NULL);
	ok(strstr(got, "error: long.csv:4: line_item_usage_amount \"x\" is not a decimal number") ==
	       got,
	   "after a 1 MiB row: the line is exact");
	free(got);
	got = read_dump("long.csv", text, n, 65536 + 3, NULL);
	ok(strstr(got, "error: long.csv:4:") == got, "...in chunks too");
	free(got);
	free(text);
}

/*
 * Many batches: the workers read every n-th, and the bill and the first error
 * must not depend on how many there are or on which finished first.
 */
static void test_workers(void)
{
	size_t cap = 4u << 20, n = 0;
	char *text = xmalloc(cap);
	n += (size_t)sprintf(text + n, "%s", header);
	for (int i = 0; i < 20000; i++) {
		if (i % 3 == 0)
			n += (size_t)sprintf(
			    text + n,
			    "AWS,AmazonEC2,USE1-BoxUsage,Usage,2026-09-%02dT00:00:00Z,"
			    "%d,Hrs,0.%d\n",
			    1 + i % 28, i, i);
		else
			n += (size_t)sprintf(text + n,
					     "AWS,AmazonBedrock,USE1-Nova%s-input-tokens%s,Usage,"
					     "2026-09-%02dT%02d:00:00Z,%d.%03d,1K tokens,0.%07d\n",
					     i % 2 ? "Lite" : "Pro", i % 5 ? "" : "-flex",
					     1 + i % 28, i % 24, i, i % 1000, i);
	}
	size_t good = n;
	char *one = read_dump_jobs("many.csv", text, n, 0, NULL, 1);
	bool same = true;
	for (int jobs = 2; jobs <= 8; jobs *= 2) {
		char *got = read_dump_jobs("many.csv", text, n, 4096, NULL, jobs);
		same &= strcmp(got, one) == 0;
		free(got);
	}
	ok(strncmp(one, "row 2026-09-01,", 15) == 0, "many rows read");
	ok(same, "2, 4 and 8 workers give the bill one reader gives");
	free(one);
	/* two bad rows far apart: the first is the message, whoever meets it */
	char *bad = xmalloc(cap);
	memcpy(bad, text, good);
	size_t m = good;
	char *second = bad + good / 2;
	second = strchr(second, '\n') + 1;
	/* a bad amount in the middle, another at the end */
	size_t mid = (size_t)(second - bad);
	const char row_bad[] =
	    "AWS,AmazonBedrock,USE1-NovaLite-input-tokens,Usage,2026-09-14T00:00:00Z,"
	    "oops,1K tokens,1\n";
	memmove(bad + mid + sizeof row_bad - 1, bad + mid, m - mid);
	memcpy(bad + mid, row_bad, sizeof row_bad - 1);
	m += sizeof row_bad - 1;
	memcpy(bad + m, row_bad, sizeof row_bad - 1);
	m += sizeof row_bad - 1;
	char *want = read_dump_jobs("many.csv", bad, m, 0, NULL, 1);
	unsigned long line = 1;
	for (size_t i = 0; i < mid; i++)
		line += bad[i] == '\n';
	char expect[128];
	snprintf(expect, sizeof expect, "error: many.csv:%lu: line_item_usage_amount \"oops\"",
		 line);
	ok(line > 5000 && strstr(want, expect) == want, "one reader: the first bad row (%lu)",
	   line);
	same = true;
	for (int round = 0; round < 20; round++) {
		char *got = read_dump_jobs("many.csv", bad, m, 0, NULL, 2 + round % 7);
		same &= strcmp(got, want) == 0;
		free(got);
	}
	ok(same, "with workers: always the first bad row");
	free(want);
	free(bad);
	free(text);
}

static int read_text(struct cur_reader *r, struct cur_bill *b, const char *name, const char *text,
		     struct diag *d)
{
	struct mem_source ms;
	mem_source_init(&ms, text, strlen(text), 0);
	return cur_reader_read(r, b, name, &ms.src, d);
}

static char *dump_of(struct cur_bill *b)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	dump_bill(out, b);
	fclose(out);
	return buf;
}

static void test_files_add_up(void)
{
	struct cur_reader *r = cur_reader_create(names, NULL, NULL, 1);
	struct cur_bill *b = cur_bill_create();
	struct diag d = DIAG_INIT;
	char text[2048];
	snprintf(text, sizeof text, "%s%s", header, good_row);
	ok(read_text(r, b, "one.csv", text, &d) == 0, "first file");
	ok(read_text(r, b, "two.csv", text, &d) == 0, "second file");
	char *two = dump_of(b);
	ok(strstr(two, "row 2026-09-14,us-east-1,amazon.nova-lite-v1:0,input,regional,standard,"
		       "standard tokens=2000 usd=1.000000000000000000 lines=2\n") == two,
	   "two files add up");
	ok(strstr(two, "files=2\n") != NULL, "two files counted");
	snprintf(text, sizeof text, "%s%s%s", header, good_row,
		 "AWS,AmazonBedrock,USE1-NovaLite-input-tokens,Usage,2026-09-14T00:00:00Z,1,1K "
		 "tokens,zero\n");
	ok(read_text(r, b, "bad.csv", text, &d) == -1, "a bad third file fails");
	is_str(diag_msg(&d), "bad.csv:3: line_item_unblended_cost \"zero\" is not a decimal number",
	       "...saying where and why");
	char *after = dump_of(b);
	is_str(after, two, "...and leaves the bill as it was");
	free(after);
	free(two);
	ok(cur_reader_read_file(r, b, "fixtures/cur/no-such-file.csv", &d) == -1 &&
	       strstr(diag_msg(&d), "fixtures/cur/no-such-file.csv: cannot open: ") == diag_msg(&d),
	   "a missing file");
	ok(cur_reader_read_file(r, b, "fixtures/cur/athena.csv", &d) == 0, "read_file");
	diag_clear(&d);
	cur_bill_destroy(b);
	cur_reader_destroy(r);
}

static void test_billing_names_option(void)
{
	struct billing_names *t = billing_names_create();
	billing_names_load_builtin(t);
	struct diag d = DIAG_INIT;
	const char extra[] = "billing_name,model_id\n"
			     "Claude9Magnum,us.anthropic.claude-magnum-9\n"
			     "NovaLite,amazon.nova-lite-v9:0\n"
			     "NovaLite,amazon.nova-lite-v1:0-later\n";
	ok(billing_names_load_buffer(t, "extra.csv", extra, sizeof extra - 1, &d) == 0,
	   "--billing-names rows load");
	struct cur_reader *r = cur_reader_create(t, NULL, NULL, 2);
	struct cur_bill *b = cur_bill_create();
	char text[2048];
	snprintf(text, sizeof text, "%s%s%s", header, good_row,
		 "AWS,AmazonBedrockService,USE1-Claude9Magnum-output-tokens,Usage,2026-09-14T00:00:"
		 "00Z,1,1K tokens,0.5\n");
	ok(read_text(r, b, "x.csv", text, &d) == 0, "read");
	char *got = dump_of(b);
	ok(strstr(got, ",amazon.nova-lite-v1:0-later,input,") != NULL, "a later row wins");
	ok(strstr(got, ",anthropic.claude-magnum-9,output,") != NULL,
	   "a new name maps, its geographic prefix dropped");
	ok(strstr(got, "unknown-billing-name") == NULL && strstr(got, "\nunknown ") == NULL,
	   "no unknown names");
	free(got);
	cur_bill_destroy(b);
	cur_reader_destroy(r);
	billing_names_destroy(t);
	diag_clear(&d);
}

static void test_bill(void)
{
	struct cur_bill *b = cur_bill_create(), *c = cur_bill_create();
	struct cur_key k = { 20710,
			     STR_LIT("us-east-1"),
			     STR_LIT("m"),
			     USAGE_KIND_OUTPUT,
			     USAGE_ROUTING_REGIONAL,
			     USAGE_TIER_STANDARD,
			     USAGE_CONTEXT_STANDARD };
	struct decimal big, five, most, half;
	decimal_parse("90000000000000000000", 20, &big);
	decimal_parse("5", 1, &five);
	decimal_parse("9223372036854775807", 19, &most);
	decimal_parse("0.5", 3, &half);
	ok(cur_bill_add(b, &k, five, big, USAGE_CATEGORY_NONE, false, false) == 0, "add");
	ok(cur_bill_add(b, &k, five, big, USAGE_CATEGORY_NONE, false, false) == -1,
	   "an overflowing sum is refused");
	ok(cur_bill_add(c, &k, most, DECIMAL_ZERO, USAGE_CATEGORY_NONE, false, false) == 0,
	   "add to another bill");
	ok(cur_bill_add(c, &k, half, DECIMAL_ZERO, USAGE_CATEGORY_NONE, false, false) == -1,
	   "tokens that would round past int64 are refused");
	/* tokens are rounded once, on the exact sum: three half tokens are 2, not 3 */
	struct cur_bill *h = cur_bill_create();
	for (int i = 0; i < 3; i++)
		cur_bill_add(h, &k, half, DECIMAL_ZERO, USAGE_CATEGORY_NONE, false, false);
	size_t nh;
	const struct cur_row *const *hr = cur_bill_rows(h, &nh);
	ok(nh == 1 && hr[0]->billed_tokens == 2, "1.5 tokens round to 2 once");
	cur_bill_add(h, &k, half, DECIMAL_ZERO, USAGE_CATEGORY_NONE, false, false);
	hr = cur_bill_rows(h, &nh);
	ok(nh == 1 && hr[0]->billed_tokens == 2,
	   "...and 2.0 stays 2 (rounded again after a change)");
	cur_bill_destroy(h);
	char *before = dump_of(b);
	ok(cur_bill_merge(b, c) == -1, "an overflowing merge is refused");
	char *after = dump_of(b);
	is_str(after, before, "...and changes nothing");
	free(before);
	free(after);
	/* key order: by the names' byte order */
	struct cur_key a = k, z = k;
	a.kind = USAGE_KIND_CACHE_WRITE_1H;
	z.kind = USAGE_KIND_INPUT;
	ok(cur_key_cmp(&a, &z) < 0, "cache_write_1h before input");
	a = z = k;
	a.tier = USAGE_TIER_LATENCY_OPTIMIZED;
	z.tier = USAGE_TIER_PRIORITY;
	ok(cur_key_cmp(&a, &z) < 0, "latency-optimized before priority");
	a = z = k;
	a.routing = USAGE_ROUTING_GLOBAL;
	ok(cur_key_cmp(&a, &z) < 0, "global before regional");
	a = z = k;
	a.day = k.day - 1;
	z.region = STR_LIT("aa");
	ok(cur_key_cmp(&a, &z) < 0, "day first");
	char day[11];
	cur_format_day(20710, day);
	is_str(day, "2026-09-14", "day 20710");
	cur_format_day(-1, day);
	is_str(day, "1969-12-31", "day -1");
	cur_bill_destroy(b);
	cur_bill_destroy(c);
}

int main(void)
{
	names = billing_names_create();
	billing_names_load_builtin(names);
	test_fixtures();
	test_refused();
	test_truncated();
	test_long_row();
	test_workers();
	test_files_add_up();
	test_billing_names_option();
	test_bill();
	billing_names_destroy(names);
	return tap_done();
}
