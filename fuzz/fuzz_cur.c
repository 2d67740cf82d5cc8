/*
 * fuzz_cur.c - libFuzzer harness for the CUR reader (cur.h, cur_bill.h) and
 * the usage-type classifier (usagetype.h), with the pieces they read cells
 * with (jsonmap.h, decimal.h).
 *
 * The first byte sets the read size (1..32 bytes, its low five bits), whether
 * the rest is gzip-compressed first (bit 5), whether a --since/--until
 * window applies (bit 6), and whether the second read has three worker
 * threads (bit 7); the rest is the CUR text. It is read twice, whole and in
 * reads of that size, into a bill that already holds one row.
 * Checked, abort() on failure: both reads give the same rows, adjustments,
 * unknown names, counters and message; a failed read leaves the bill as it
 * was, with a message that names the file, holds no control byte and is not
 * endless (fuzz_message_ok); rows come
 * sorted, strictly, by cur_key_cmp; kind other has a category and no tokens,
 * token kinds have none; every unknown name has a row flagged so.
 * The callers (line_item_iam_principal) come sorted strictly by day and
 * principal, and when the file has that column their costs add up to the
 * rows' exactly.
 * When the text holds lines "--8<--", the pieces between them are also
 * written as the CUR files of a directory (every second one gzip-compressed,
 * some in a subdirectory, beside a file that is not a CUR export) and read
 * with cur_reader_read_path (with three workers when bit 7 is set): that
 * must give what reading the pieces one after another from memory, in the
 * byte order of their paths, gives (line items read again over the pieces
 * included).
 * Then every line of the text is classified as a usage type (its pieces
 * rotated through product code, product name, region, unit and description):
 * the slices point into the input or into static strings, the rest is a
 * suffix of the usage type, a category exactly for kind other and a unit for
 * the token kinds; each line is read as a map cell (a value found is never
 * longer than the cell) and as a decimal (one that parses prints and parses
 * back to itself).
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "fuzz_common.h"
#include "ledger/bill/cur.h"
#include "ledger/bill/jsonmap.h"
#include "ledger/bill/usagetype.h"

static struct billing_names *names;

/* The callers, and (with the principal column) their sum against the rows'. */
static void dump_callers(FILE *out, struct cur_bill *b)
{
	size_t n, nr;
	const struct cur_caller *const *c = cur_bill_callers(b, &n);
	struct decimal callers = DECIMAL_ZERO, rows = DECIMAL_ZERO;
	for (size_t i = 0; i < n; i++) {
		CHECK(i == 0 || c[i - 1]->day < c[i]->day ||
		      (c[i - 1]->day == c[i]->day &&
		       str_cmp(c[i - 1]->principal, c[i]->principal) < 0));
		CHECK(c[i]->lines > 0);
		CHECK(decimal_add(&callers, c[i]->usd) == 0);
		char usd[DECIMAL_TEXT_MAX];
		decimal_format(c[i]->usd, 18, usd);
		fprintf(out, "caller %s %zu:", c[i]->day_text, c[i]->principal.n);
		fwrite(c[i]->principal.p, 1, c[i]->principal.n, out);
		fprintf(out, " %s %llu\n", usd, (unsigned long long)c[i]->lines);
	}
	const struct cur_row *const *r = cur_bill_rows(b, &nr);
	for (size_t i = 0; i < nr; i++)
		CHECK(decimal_add(&rows, r[i]->billed_usd) == 0);
	if (cur_bill_counts(b)->principal_files)
		CHECK(decimal_cmp(callers, rows) == 0);
	else
		CHECK(n == 0);
}

static void dump(FILE *out, struct cur_bill *b)
{
	size_t n;
	const struct cur_row *const *rows = cur_bill_rows(b, &n);
	for (size_t i = 0; i < n; i++) {
		const struct cur_row *r = rows[i];
		CHECK(i == 0 || cur_key_cmp(&rows[i - 1]->key, &r->key) < 0);
		CHECK((r->key.kind == USAGE_KIND_OTHER) == (r->category != USAGE_CATEGORY_NONE));
		CHECK(r->key.kind != USAGE_KIND_OTHER || r->billed_tokens == 0);
		CHECK(r->lines > 0);
		char usd[DECIMAL_TEXT_MAX];
		decimal_format(r->billed_usd, 18, usd);
		fprintf(out, "%s %zu:", r->day, r->key.region.n);
		fwrite(r->key.region.p, 1, r->key.region.n, out);
		fprintf(out, " %zu:", r->key.model.n);
		fwrite(r->key.model.p, 1, r->key.model.n, out);
		fprintf(out, " %d %d %d %d %lld %s %d %d %d %llu\n", (int)r->key.kind,
			(int)r->key.routing, (int)r->key.tier, (int)r->key.context,
			(long long)r->billed_tokens, usd, (int)r->category,
			(int)r->unknown_billing_name, (int)r->geo, (unsigned long long)r->lines);
	}
	const struct cur_adjustment *const *adj = cur_bill_adjustments(b, &n);
	for (size_t i = 0; i < n; i++) {
		CHECK(i == 0 || str_cmp(adj[i - 1]->type, adj[i]->type) < 0);
		char usd[DECIMAL_TEXT_MAX];
		decimal_format(adj[i]->usd, 18, usd);
		fprintf(out, "adj %zu:", adj[i]->type.n);
		fwrite(adj[i]->type.p, 1, adj[i]->type.n, out);
		fprintf(out, " %s %llu\n", usd, (unsigned long long)adj[i]->lines);
	}
	const struct cur_unknown_name *const *un = cur_bill_unknown_names(b, &n);
	for (size_t i = 0; i < n; i++) {
		bool flagged = false;
		size_t nr;
		const struct cur_row *const *rows2 = cur_bill_rows(b, &nr);
		for (size_t k = 0; k < nr; k++)
			flagged |= rows2[k]->unknown_billing_name &&
				   str_eq(rows2[k]->key.model, un[i]->name);
		CHECK(flagged);
		char usd[DECIMAL_TEXT_MAX];
		decimal_format(un[i]->usd, 18, usd);
		fprintf(out, "unknown %zu:", un[i]->name.n);
		fwrite(un[i]->name.p, 1, un[i]->name.n, out);
		char tokens[DECIMAL_TEXT_MAX];
		decimal_format(un[i]->tokens, 18, tokens);
		fprintf(out, " %s %s %llu\n", usd, tokens, (unsigned long long)un[i]->lines);
	}
	const struct cur_counts *c = cur_bill_counts(b);
	fprintf(out, "%llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu\n",
		(unsigned long long)c->usage, (unsigned long long)c->outside_window,
		(unsigned long long)c->adjustments, (unsigned long long)c->other,
		(unsigned long long)c->malformed, (unsigned long long)c->duplicates,
		(unsigned long long)c->unknown_prefix, (unsigned long long)c->region_differs,
		(unsigned long long)c->unit_unknown, (unsigned long long)c->files,
		(unsigned long long)c->principal_files);
	dump_callers(out, b);
}

static char *dump_text(struct cur_bill *b)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);
	CHECK(out != NULL);
	dump(out, b);
	CHECK(fclose(out) == 0);
	return buf;
}

static char *read_once(const uint8_t *data, size_t n, size_t step, bool window, int jobs)
{
	struct ts since = { 1789344000, 0 }, until = { 1789603200, 0 }; /* 2026-09-14, 2026-09-17 */
	struct cur_reader *r =
	    cur_reader_create(names, window ? &since : NULL, window ? &until : NULL, jobs);
	struct cur_bill *b = cur_bill_create();
	struct cur_key k = { 20710,
			     STR_LIT("us-east-1"),
			     STR_LIT("seed"),
			     USAGE_KIND_INPUT,
			     USAGE_ROUTING_REGIONAL,
			     USAGE_TIER_STANDARD,
			     USAGE_CONTEXT_STANDARD };
	CHECK(cur_bill_add(b, &k, (struct decimal){ 1000000000000000000 }, DECIMAL_ZERO,
			   USAGE_CATEGORY_NONE, false, false) == 0);
	char *before = dump_text(b);
	struct mem_source ms;
	mem_source_init(&ms, data, n, step);
	struct diag d = DIAG_INIT;
	int rc = cur_reader_read(r, b, "fuzz.csv", &ms.src, &d);
	CHECK((rc == 0) == !diag_has(&d));
	char *after = dump_text(b);
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	CHECK(f != NULL);
	if (rc != 0) {
		const char *m = diag_msg(&d);
		CHECK(strncmp(m, "fuzz.csv", 8) == 0);
		CHECK(fuzz_message_ok(m));
		CHECK(strcmp(before, after) == 0);
		fprintf(f, "error: %s\n", m);
	} else {
		fputs(after, f);
	}
	CHECK(fclose(f) == 0);
	free(before);
	free(after);
	diag_clear(&d);
	cur_bill_destroy(b);
	cur_reader_destroy(r);
	return out;
}

/* ---- the directory reader ---- */

#define SEPARATOR  "\n--8<--\n"
#define PIECES_MAX 8

static char *dir_root; /* made once per process */

static unsigned char *gzip_of(const uint8_t *data, size_t n, size_t *out_n);

struct piece {
	char path[128];
	unsigned char *bytes; /* as stored: gzip-compressed for every second piece */
	size_t n;
};

static int by_path(const void *a, const void *b)
{
	return strcmp(((const struct piece *)a)->path, ((const struct piece *)b)->path);
}

/* The text cut at the separators into at most PIECES_MAX pieces, stored as files would be. */
static size_t cut_pieces(const uint8_t *text, size_t n, struct piece *pc)
{
	size_t k = 0;
	const char *p = (const char *)text, *end = p + n;
	while (k < PIECES_MAX) {
		const char *sep =
		    k + 1 < PIECES_MAX ? memmem(p, (size_t)(end - p), SEPARATOR, 8) : NULL;
		size_t len = sep ? (size_t)(sep - p) + 1 : (size_t)(end - p);
		struct piece *x = &pc[k];
		snprintf(x->path, sizeof x->path, "%s/%s%02zu.csv%s", dir_root,
			 k % 3 == 2 ? "sub/" : "", k, k % 2 ? ".gz" : "");
		if (k % 2) {
			x->bytes = gzip_of((const uint8_t *)p, len, &x->n);
		} else {
			x->bytes = malloc(len + 1);
			CHECK(x->bytes != NULL);
			memcpy(x->bytes, p, len);
			x->n = len;
		}
		k++;
		if (!sep)
			break;
		p = sep + 8;
	}
	qsort(pc, k, sizeof *pc, by_path);
	return k;
}

static struct cur_bill *seeded_bill(void)
{
	struct cur_bill *b = cur_bill_create();
	struct cur_key k = { 20710,
			     STR_LIT("us-east-1"),
			     STR_LIT("seed"),
			     USAGE_KIND_INPUT,
			     USAGE_ROUTING_REGIONAL,
			     USAGE_TIER_STANDARD,
			     USAGE_CONTEXT_STANDARD };
	CHECK(cur_bill_add(b, &k, (struct decimal){ 1000000000000000000 }, DECIMAL_ZERO,
			   USAGE_CATEGORY_NONE, false, false) == 0);
	return b;
}

static char *result_of(struct cur_bill *b, int rc, struct diag *d)
{
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);
	CHECK(f != NULL);
	if (rc != 0) {
		CHECK(strchr(diag_msg(d), '\n') == NULL);
		fprintf(f, "error: %s\n", diag_msg(d));
	} else {
		dump(f, b);
	}
	CHECK(fclose(f) == 0);
	return out;
}

/* The pieces read from memory, one after another, by one reader. */
static char *read_pieces(const struct piece *pc, size_t k, bool window)
{
	struct ts since = { 1789344000, 0 }, until = { 1789603200, 0 };
	struct cur_reader *r =
	    cur_reader_create(names, window ? &since : NULL, window ? &until : NULL, 1);
	struct cur_bill *b = seeded_bill();
	struct diag d = DIAG_INIT;
	int rc = 0;
	for (size_t i = 0; i < k && rc == 0; i++) {
		struct mem_source ms;
		mem_source_init(&ms, pc[i].bytes, pc[i].n, 0);
		rc = cur_reader_read(r, b, pc[i].path, &ms.src, &d);
	}
	char *out = result_of(b, rc, &d);
	diag_clear(&d);
	cur_bill_destroy(b);
	cur_reader_destroy(r);
	return out;
}

static void write_file(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	CHECK(f != NULL);
	CHECK(fwrite(p, 1, n, f) == n || n == 0);
	CHECK(fclose(f) == 0);
}

/* The pieces as the files of a directory, read by cur_reader_read_path. */
static char *read_directory(const struct piece *pc, size_t k, bool window, int jobs)
{
	char sub[160], other[160];
	snprintf(sub, sizeof sub, "%s/sub", dir_root);
	snprintf(other, sizeof other, "%s/notes.txt", dir_root);
	mkdir(sub, 0700);
	for (size_t i = 0; i < k; i++)
		write_file(pc[i].path, pc[i].bytes, pc[i].n);
	write_file(other, "not a CUR export\n", 17);
	struct ts since = { 1789344000, 0 }, until = { 1789603200, 0 };
	struct cur_reader *r =
	    cur_reader_create(names, window ? &since : NULL, window ? &until : NULL, jobs);
	struct cur_bill *b = seeded_bill();
	struct diag d = DIAG_INIT;
	int rc = cur_reader_read_path(r, b, dir_root, &d);
	char *out = result_of(b, rc, &d);
	diag_clear(&d);
	cur_bill_destroy(b);
	cur_reader_destroy(r);
	for (size_t i = 0; i < k; i++)
		unlink(pc[i].path);
	unlink(other);
	rmdir(sub);
	return out;
}

static void remove_root(void)
{
	rmdir(dir_root);
	free(dir_root);
}

static void check_directory(const uint8_t *text, size_t n, bool window, bool threads)
{
	if (!memmem(text, n, SEPARATOR, 8))
		return;
	if (!dir_root) {
		char tmpl[] = "/tmp/fuzz_cur.XXXXXX";
		CHECK(mkdtemp(tmpl) != NULL);
		dir_root = strdup(tmpl);
		CHECK(dir_root != NULL);
		atexit(remove_root);
	}
	struct piece pc[PIECES_MAX];
	size_t k = cut_pieces(text, n, pc);
	char *mem = read_pieces(pc, k, window);
	char *dir = read_directory(pc, k, window, threads ? 3 : 1);
	if (strcmp(mem, dir) != 0)
		fprintf(stderr, "pieces read one by one:\n%s\nthe directory:\n%s\n", mem, dir);
	CHECK(strcmp(mem, dir) == 0);
	free(mem);
	free(dir);
	for (size_t i = 0; i < k; i++)
		free(pc[i].bytes);
}

static bool inside(struct str s, const void *p, size_t n)
{
	const char *a = p;
	return s.n == 0 || (s.p >= a && s.p + s.n <= a + n);
}

static void classify_line(const char *line, size_t n, size_t which)
{
	/* the line is the usage type; the same bytes, cut, stand in for the other cells */
	struct str u = { line, n };
	struct str half = { line, n / 2 };
	struct usagetype_in in = { .usage_type = u };
	switch (which % 4) {
	case 0:
		in.unit = STR_LIT("1K tokens");
		in.product_code = STR_LIT("AmazonBedrock");
		break;
	case 1:
		in.unit = STR_LIT("Units");
		in.product_name = half;
		in.product_code = half;
		break;
	case 2:
		in.unit = half;
		in.description = u;
		in.region_code = half;
		break;
	default:
		in.unit = STR_LIT("");
		in.description = half;
		in.product_code = STR_LIT("AmazonBedrockAgentCore");
		break;
	}
	struct usagetype_class k;
	usagetype_classify(&in, &k);
	CHECK((k.kind == USAGE_KIND_OTHER) == (k.category != USAGE_CATEGORY_NONE));
	CHECK((k.kind == USAGE_KIND_OTHER) == (k.unit_tokens == 0));
	CHECK(k.unit_tokens == 0 || k.unit_tokens == 1 || k.unit_tokens == 1000 ||
	      k.unit_tokens == 1000000);
	CHECK(inside(k.rest, line, n) && k.rest.p + k.rest.n == line + n);
	CHECK(inside(k.prefix, line, n));
	CHECK(inside(k.billing_name, line, n) ||
	      inside(k.billing_name, in.product_name.p, in.product_name.n) ||
	      inside(k.billing_name, in.product_code.p, in.product_code.n));
	CHECK(!k.prefix_known || usagetype_region(k.prefix) != NULL);
	CHECK(k.prefix_known || inside(k.region, in.region_code.p, in.region_code.n));
	CHECK(usage_kind_name(k.kind)[0] && usage_tier_name(k.tier)[0]);
	CHECK(k.category == USAGE_CATEGORY_NONE || usage_category_note(k.category));
}

static void read_line(const char *line, size_t n, size_t which)
{
	classify_line(line, n, which);
	struct jsonmap_buf buf = { 0 };
	struct str v;
	if (jsonmap_get((struct str){ line, n }, which & 1 ? "region" : "product_name", &buf, &v) ==
	    JSONMAP_FOUND)
		CHECK(v.n <= n);
	free(buf.p);
	struct decimal d;
	if (decimal_parse(line, n, &d) == 0) {
		char text[DECIMAL_TEXT_MAX];
		size_t len = decimal_format(d, 18, text);
		struct decimal back;
		CHECK(decimal_parse(text, len, &back) == 0 && decimal_cmp(back, d) == 0);
		CHECK(decimal_problem(line, n) == NULL);
	} else {
		CHECK(decimal_problem(line, n) != NULL);
	}
}

static unsigned char *gzip_of(const uint8_t *data, size_t n, size_t *out_n)
{
	z_stream zs;
	memset(&zs, 0, sizeof zs);
	CHECK(deflateInit2(&zs, 1, Z_DEFLATED, 31, 8, Z_DEFAULT_STRATEGY) == Z_OK);
	size_t cap = deflateBound(&zs, (uLong)n) + 64;
	unsigned char *out = malloc(cap);
	CHECK(out != NULL);
	zs.next_in = (unsigned char *)data;
	zs.avail_in = (uInt)n;
	zs.next_out = out;
	zs.avail_out = (uInt)cap;
	CHECK(deflate(&zs, Z_FINISH) == Z_STREAM_END);
	*out_n = zs.total_out;
	deflateEnd(&zs);
	return out;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!names) {
		names = billing_names_create();
		billing_names_load_builtin(names);
	}
	if (size == 0)
		return 0;
	size_t step = 1 + (data[0] & 31);
	bool gz = data[0] & 32, window = data[0] & 64, threads = data[0] & 128;
	const uint8_t *text = data + 1;
	size_t n = size - 1;
	unsigned char *packed = NULL;
	if (gz) {
		packed = gzip_of(text, n, &n);
		text = packed;
	}
	char *whole = read_once(text, n, 0, window, 1);
	char *chunked = read_once(text, n, step, window, threads ? 3 : 1);
	if (strcmp(whole, chunked) != 0)
		fprintf(stderr, "whole:\n%s\nin reads of %zu%s:\n%s\n", whole, step,
			threads ? ", 3 workers" : "", chunked);
	CHECK(strcmp(whole, chunked) == 0);
	free(whole);
	free(chunked);
	free(packed);
	check_directory(data + 1, size - 1, window, threads);

	const char *p = (const char *)data + 1, *end = (const char *)data + size;
	for (size_t which = 0; p <= end; which++) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
		read_line(p, len, which);
		if (!nl)
			break;
		p = nl + 1;
	}
	return 0;
}
