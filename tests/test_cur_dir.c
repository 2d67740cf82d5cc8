/*
 * test_cur_dir.c - --cur DIR (cur_reader_read_path) and line items read
 * again: the files under a directory in byte order of their paths, the first
 * read of a line item counting over files, a failed file forgetting its line
 * items, and many repeats spread over worker threads giving the bill one
 * reader gives. (Repeats within one file, on every path through the reader,
 * are the fixtures repeated*.csv of test_cur.c.) Runs in tests/.
 */
#include "ledger/bill/cur.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "ledger/support/xalloc.h"
#include "tap.h"

static struct billing_names *names;

static const char header[] =
    "identity_line_item_id,bill_billing_entity,line_item_product_code,line_item_usage_type,"
    "line_item_line_item_type,line_item_usage_start_date,line_item_usage_amount,pricing_unit,"
    "line_item_unblended_cost\n";

/* Rows, usage, duplicates and files of a bill: "tokens usd | ... ; usage=U dup=D files=F". */
static char *summary_of(struct cur_bill *b)
{
	char *buf = NULL;
	size_t len = 0, n;
	FILE *out = open_memstream(&buf, &len);
	const struct cur_row *const *rows = cur_bill_rows(b, &n);
	for (size_t i = 0; i < n; i++) {
		char usd[DECIMAL_TEXT_MAX];
		decimal_format(rows[i]->billed_usd, 6, usd);
		fprintf(out, "%.*s %lld %s | ", (int)rows[i]->key.model.n, rows[i]->key.model.p,
			(long long)rows[i]->billed_tokens, usd);
	}
	const struct cur_counts *c = cur_bill_counts(b);
	fprintf(out, "usage=%llu dup=%llu files=%llu", (unsigned long long)c->usage,
		(unsigned long long)c->duplicates, (unsigned long long)c->files);
	fclose(out);
	return buf;
}

static void put_file(const char *path, const char *text, bool gzip)
{
	if (gzip) {
		gzFile g = gzopen(path, "wb");
		gzwrite(g, text, (unsigned)strlen(text));
		gzclose(g);
		return;
	}
	FILE *f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
}

/* header + one NovaLite input row of line item id, 1000 tokens at usd. */
static void put_cur(const char *path, const char *id, const char *usd, bool gzip)
{
	char text[1024];
	snprintf(text, sizeof text,
		 "%s%s,AWS,AmazonBedrock,USE1-NovaLite-input-tokens,Usage,2026-09-14T00:00:00Z,1,"
		 "1K tokens,%s\n",
		 header, id, usd);
	put_file(path, text, gzip);
}

static void test_directory(void)
{
	char dir[] = "/tmp/test_cur_dir.XXXXXX";
	if (!ok(mkdtemp(dir) != NULL, "a temporary directory"))
		return;
	char path[256], cmd[300];
	/* byte order: "d/a.csv" ('.' is 0x2e) before "d/a/1.csv" ('/' is 0x2f) */
	snprintf(path, sizeof path, "%s/a", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof path, "%s/a/1.csv", dir);
	put_cur(path, "z", "1", false);
	snprintf(path, sizeof path, "%s/a.csv", dir);
	put_cur(path, "z", "5", false);
	snprintf(path, sizeof path, "%s/a/2.csv.gz", dir);
	put_cur(path, "y", "0.25", true);
	snprintf(path, sizeof path, "%s/metadata", dir);
	mkdir(path, 0755);
	snprintf(path, sizeof path, "%s/metadata/x-Manifest.json", dir);
	put_file(path, "{\"not\": \"a CUR\"}\n", false);
	snprintf(path, sizeof path, "%s/notes.txt", dir);
	put_file(path, "not a CUR either\n", false);
	snprintf(path, sizeof path, "%s/link.csv", dir);
	symlink("a.csv", path);

	struct cur_reader *r = cur_reader_create(names, NULL, NULL, 2);
	struct cur_bill *b = cur_bill_create();
	struct diag d = DIAG_INIT;
	ok(cur_reader_read_path(r, b, dir, &d) == 0, "a directory is read");
	char *got = summary_of(b);
	is_str(got, "amazon.nova-lite-v1:0 2000 5.250000 | usage=2 dup=1 files=3",
	       "its three CUR files, in byte order of paths: the first read of z (a.csv) counts; "
	       "no link, manifest or text file");
	free(got);
	ok(cur_reader_read_path(r, b, path, &d) == 0, "a file named is read as a file");
	got = summary_of(b);
	is_str(got, "amazon.nova-lite-v1:0 2000 5.250000 | usage=2 dup=2 files=4",
	       "...and its line item, read before in another file, is dropped");
	free(got);

	snprintf(path, sizeof path, "%s/metadata", dir);
	ok(cur_reader_read_path(r, b, path, &d) == -1 &&
	       strstr(diag_msg(&d), "metadata: a directory without a .csv or .csv.gz file") != NULL,
	   "a directory without CUR files is an error");
	cur_bill_destroy(b);
	cur_reader_destroy(r);
	diag_clear(&d);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	ok(system(cmd) == 0, "clean up");
}

static int read_text(struct cur_reader *r, struct cur_bill *b, const char *name, const char *text,
		     struct diag *d)
{
	struct mem_source ms;
	mem_source_init(&ms, text, strlen(text), 0);
	return cur_reader_read(r, b, name, &ms.src, d);
}

static void test_failed_file_forgotten(void)
{
	struct cur_reader *r = cur_reader_create(names, NULL, NULL, 1);
	struct cur_bill *b = cur_bill_create();
	struct diag d = DIAG_INIT;
	char text[1024];
	snprintf(text, sizeof text,
		 "%sq,AWS,AmazonBedrock,USE1-NovaLite-input-tokens,Usage,2026-09-14T00:00:00Z,1,1K "
		 "tokens,1\nr,AWS,AmazonBedrock,USE1-NovaLite-input-tokens,Usage,2026-09-14T00:00:"
		 "00Z,1,1K tokens,zero\n",
		 header);
	ok(read_text(r, b, "bad.csv", text, &d) == -1, "a file fails on its second row");
	snprintf(text, sizeof text,
		 "%sq,AWS,AmazonBedrock,USE1-NovaLite-input-tokens,Usage,2026-09-14T00:00:00Z,1,1K "
		 "tokens,1\n",
		 header);
	ok(read_text(r, b, "good.csv", text, &d) == 0, "another file");
	char *got = summary_of(b);
	is_str(got, "amazon.nova-lite-v1:0 1000 1.000000 | usage=1 dup=0 files=1",
	       "the failed file's line items are not taken as read");
	free(got);
	cur_bill_destroy(b);
	cur_reader_destroy(r);
	diag_clear(&d);
}

/* Many line items, each read up to three times with other amounts, far apart. */
static void test_repeats_with_workers(void)
{
	size_t cap = 8u << 20, n = 0;
	char *text = xmalloc(cap);
	n += (size_t)sprintf(text + n, "%s", header);
	for (int pass = 0; pass < 3; pass++)
		for (int i = 0; i < 12000; i++)
			if (pass == 0 || i % (pass + 2) == 0)
				n += (size_t)sprintf(text + n,
						     "id-%d,AWS,AmazonBedrock,USE1-Nova%s-input-"
						     "tokens,Usage,2026-09-14T"
						     "%02d:00:00Z,%d.%03d,1K tokens,0.%07d\n",
						     i, i % 2 ? "Lite" : "Pro", i % 24, pass + 1,
						     i % 1000, i * (pass + 1));
	struct cur_bill *one = NULL;
	char *want = NULL;
	bool same = true;
	for (int jobs = 1; jobs <= 8; jobs *= 2) {
		struct cur_reader *r = cur_reader_create(names, NULL, NULL, jobs);
		struct cur_bill *b = cur_bill_create();
		struct mem_source ms;
		mem_source_init(&ms, text, n, 4096);
		struct diag d = DIAG_INIT;
		cur_reader_read(r, b, "many.csv", &ms.src, &d);
		char *got = summary_of(b);
		if (!want)
			want = got, one = b;
		else
			same &= strcmp(got, want) == 0, free(got), cur_bill_destroy(b);
		cur_reader_destroy(r);
		diag_clear(&d);
	}
	ok(strstr(want, "usage=12000 dup=7000 files=1") != NULL,
	   "12000 line items read once, 4000 + 3000 repeats dropped");
	/* the first reads' costs: i * 1e-7 over odd i (Lite) and even i (Pro) below 12000 */
	ok(strstr(want, "lite-v1:0 ") && strstr(strstr(want, "lite-v1:0 "), " 3.600000 |") &&
	       strstr(want, "pro-v1:0 ") && strstr(strstr(want, "pro-v1:0 "), " 3.599400 |"),
	   "the first read of each line item is the one counted");
	ok(same, "2, 4 and 8 workers keep the same (first) reads");
	free(want);
	cur_bill_destroy(one);
	free(text);
}

int main(void)
{
	names = billing_names_create();
	billing_names_load_builtin(names);
	test_directory();
	test_failed_file_forgotten();
	test_repeats_with_workers();
	billing_names_destroy(names);
	return tap_done();
}
