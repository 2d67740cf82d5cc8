/*
 * cur.c - CUR exports -> a bill: the stored bytes are sniffed (gzip, plain,
 * Parquet, archives) and inflated (inflate.h), the text is cut into rows
 * here, and only the header and the rows that mention "Bedrock" reach a CSV
 * reader (csvrows.h, through the parsers of cur_row.c), in batches that
 * worker threads read (cur_work.c) when there are jobs for them.
 *
 * Why rows are cut here: libcsv walks every byte (about 250 MB/s), and in a
 * CUR of a whole organisation nearly every row is another service's. A row
 * ends at a line feed outside quotes (an even number of '"' before it in the
 * row: RFC 4180 doubles quotes inside quoted cells), which memchr and a
 * word-wide quote count find at memory speed. A skipped row is handed on as
 * as many bare line ends as it has, so every line number a CSV reader
 * reports stays the physical line. Text without line feeds (lone CR line
 * ends) or a quote left open for CARRY_MAX bytes goes to one CSV reader whole
 * from there on ("passthrough").
 */
#include "ledger/bill/cur.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cur_row.h"
#include "ledger/read/inflate.h"
#include "ledger/support/xalloc.h"

#define CARRY_MAX (1u << 20)
/* A batch is handed on once it holds this much. */
#define BATCH_SIZE (128u << 10)

struct cur_reader *cur_reader_create(const struct billing_names *names, const struct ts *since,
				     const struct ts *until, int jobs)
{
	struct cur_reader *r = xcalloc(1, sizeof *r);
	r->cfg.names = names;
	if (since) {
		r->cfg.has_since = true;
		r->cfg.since = *since;
	}
	if (until) {
		r->cfg.has_until = true;
		r->cfg.until = *until;
	}
	r->jobs = jobs;
	r->z = inflater_create();
	r->head = xmalloc(INFLATE_HEAD_SIZE);
	return r;
}

void cur_reader_destroy(struct cur_reader *r)
{
	if (!r)
		return;
	inflater_destroy(r->z);
	free(r->head);
	free(r->carry);
	free(r->cells.p);
	cur_seen_clear(&r->seen.done);
	cur_seen_clear(&r->seen.file);
	free(r);
}

/* Bit 7 of each byte of w that is zero. */
static uint64_t zero_bytes(uint64_t w)
{
	const uint64_t low7 = 0x7f7f7f7f7f7f7f7fu;
	return ~(((w & low7) + low7) | w | low7);
}

static uint64_t load(const char *p)
{
	uint64_t w;
	memcpy(&w, p, 8);
	return w;
}

/*
 * The number of '"' in p[0..n), and whether "Be" with a 'k' five bytes on
 * (the shape of "Bedrock") is among the bytes: only then can the row hold
 * "Bedrock". One pass, eight bytes a step; most rows of other services
 * have a 'B' (AmazonDynamoDB, ByteHrs), few have that.
 */
static size_t scan_row(const char *p, size_t n, bool *maybe_bedrock)
{
	const uint64_t ones = 0x0101010101010101u;
	size_t c = 0, i = 0;
	uint64_t hit = 0;
	for (; i + 14 <= n; i += 8) {
		uint64_t w = load(p + i);
		c += (size_t)(((zero_bytes(w ^ (ones * '"')) >> 7) * ones) >> 56);
		hit |= zero_bytes(w ^ (ones * 'B')) & zero_bytes(load(p + i + 1) ^ (ones * 'e')) &
		       zero_bytes(load(p + i + 6) ^ (ones * 'k'));
	}
	bool seen = hit != 0;
	for (size_t j = i; j < n; j++) {
		c += p[j] == '"';
		seen |= p[j] == 'B' && j + 6 < n && p[j + 1] == 'e' && p[j + 6] == 'k';
	}
	*maybe_bedrock = seen;
	return c;
}

/* Does p[0..n) hold "Bedrock"? memchr finds the rare capital B far faster than memmem. */
static bool mentions_bedrock(const char *p, size_t n)
{
	const char *end = p + n;
	for (const char *b = p; end - b >= 7; b++) {
		b = memchr(b, 'B', (size_t)(end - b) - 6);
		if (!b)
			return false;
		if (memcmp(b + 1, "edrock", 6) == 0)
			return true;
	}
	return false;
}

/* Line ends as the CSV reader counts them: LF, CRLF and a lone CR. */
static unsigned long line_ends(const char *p, size_t n, unsigned long lfs)
{
	const char *cr = memchr(p, '\r', n);
	if (!cr)
		return lfs;
	unsigned long lone = 0;
	for (const char *end = p + n; cr; cr = memchr(cr + 1, '\r', (size_t)(end - cr - 1)))
		lone += cr + 1 == end || cr[1] != '\n';
	return lfs + lone;
}

static bool is_blank(const char *p, size_t n)
{
	return n == 0 || (n == 1 && p[0] == '\n') || (n == 2 && p[0] == '\r' && p[1] == '\n');
}

/* Has the reading stopped (a parser failed, here or in a worker)? */
static bool stopped(const struct cur_file *f)
{
	return f->failed || (f->work && cur_work_failed_line(f->work));
}

static void batch_append(struct cur_batch *b, const char *p, size_t n)
{
	if (b->cap - b->n < n) {
		b->cap = b->n + n > BATCH_SIZE ? 2 * (b->n + n) : BATCH_SIZE + BATCH_SIZE / 4;
		b->text = xrealloc(b->text, b->cap);
	}
	memcpy(b->text + b->n, p, n);
	b->n += n;
}

/* Hands the batch being filled to a worker, or reads it here. */
static void batch_flush(struct cur_file *f)
{
	struct cur_batch *b = f->batch;
	if (!b || b->n == 0)
		return;
	if (f->work) {
		cur_work_submit(f->work, b);
		f->batch = NULL;
		return;
	}
	f->main.dedupe = NULL; /* the cutter has checked these rows */
	if (cur_parser_feed(&f->main, b->line, b->text, b->n) != 0)
		f->failed = true;
	b->n = 0;
}

/* Is this row (that mentions Bedrock) a line item read before? If so, it is counted. */
static bool cut_repeated(struct cur_reader *r, const char *p, size_t n)
{
	const struct cur_parser *m = &r->f.main;
	const size_t col[2] = { m->col[CUR_COL_LINE_ITEM_ID], m->col[CUR_COL_START] };
	struct str cell[2];
	if (col[0] == SIZE_MAX || !cur_text_cells(&r->cells, p, n, col, cell) ||
	    !cur_dedupe_repeated(&r->seen, cell[0], cell[1], &r->f.dedupe_date))
		return false;
	r->f.duplicates++;
	return true;
}

/*
 * The text up to the header goes to the main parser (with the rows after it
 * in the same piece of text, if lone CRs end them); the workers start with
 * its columns.
 */
static void on_header_text(struct cur_reader *r, const char *p, size_t n)
{
	struct cur_file *f = &r->f;
	f->main.dedupe = &r->seen; /* rows after the header may be in this text */
	if (cur_parser_feed(&f->main, 0, p, n) != 0) {
		f->failed = true;
		return;
	}
	if (f->main.header_done && r->jobs > 1)
		f->work = cur_work_start(&f->main, r->jobs);
}

/*
 * One whole row (its line feed included, but for the last row of a file);
 * has_b: it may hold "Bedrock" (scan_row), else it does not.
 */
static void on_text_row(struct cur_reader *r, const char *p, size_t n, unsigned long lfs,
			bool has_b)
{
	struct cur_file *f = &r->f;
	unsigned long ends = line_ends(p, n, lfs);
	bool dup = false;
	if (!f->main.header_done) {
		on_header_text(r, p, n);
	} else if (has_b && mentions_bedrock(p, n) && !(dup = cut_repeated(r, p, n))) {
		if (!f->batch) {
			f->batch = f->work ? cur_work_batch(f->work) : &f->own;
			f->batch->n = 0;
		}
		struct cur_batch *b = f->batch;
		if (b->n == 0) {
			b->line = f->line;
		} else {
			static const char newlines[256] = { [0 ... 255] = '\n' };
			for (unsigned long k; f->pending; f->pending -= k) {
				k = f->pending < sizeof newlines ? f->pending : sizeof newlines;
				batch_append(b, newlines, k);
			}
		}
		f->pending = 0;
		batch_append(b, p, n);
		if (b->n >= BATCH_SIZE)
			batch_flush(f);
	} else {
		f->pending += ends;
		f->skipped += !is_blank(p, n) && !dup; /* duplicates are counted apart */
	}
	f->line += ends;
}

static void carry_append(struct cur_reader *r, const char *p, size_t n)
{
	if (r->carry_cap - r->carry_n < n) {
		r->carry_cap = 2 * (r->carry_n + n);
		r->carry = xrealloc(r->carry, r->carry_cap);
	}
	memcpy(r->carry + r->carry_n, p, n);
	r->carry_n += n;
}

/* From here on every byte goes to the main parser, which has read the header only. */
static void go_passthrough(struct cur_reader *r)
{
	struct cur_file *f = &r->f;
	batch_flush(f);
	f->passthrough = true;
	f->main.dedupe = &r->seen;
	if (cur_parser_feed(&f->main, f->line, r->carry, r->carry_n) != 0)
		f->failed = true;
	r->carry_n = 0;
}

static unsigned long count_lf(const char *p, size_t n)
{
	unsigned long c = 0;
	for (const char *e = p + n; (p = memchr(p, '\n', (size_t)(e - p))); p++)
		c++;
	return c;
}

/* The decompressed text, chunk by chunk (inflater_run's sink). */
static void on_text(void *ctx, const char *p, size_t n)
{
	struct cur_reader *r = ctx;
	struct cur_file *f = &r->f;
	if (stopped(f))
		return;
	if (f->text_bytes == 0 &&
	    ((n >= 4 && memcmp(p, "PAR1", 4) == 0) || p[0] == '{' || p[0] == '[')) {
		f->failed = true;
		f->refused = p[0] == 'P' ? REFUSED_PARQUET : REFUSED_JSON;
		return;
	}
	f->text_bytes += n;
	while (n > 0 && !stopped(f)) {
		if (f->passthrough) {
			f->lfs += count_lf(p, n);
			if (cur_parser_feed(&f->main, 0, p, n) != 0)
				f->failed = true;
			return;
		}
		const char *e = memchr(p, '\n', n);
		size_t len = e ? (size_t)(e - p) + 1 : n;
		bool has_b; /* may hold "Bedrock" */
		size_t quotes = scan_row(p, len, &has_b);
		f->lfs += e != NULL;
		if (r->carry_n == 0 && e && quotes % 2 == 0) {
			on_text_row(r, p, len, 1, has_b);
		} else {
			/* "Bedrock" may straddle the pieces: a carried row is searched whole */
			carry_append(r, p, len);
			r->carry_odd ^= quotes % 2;
			r->carry_lfs += e != NULL;
			if (e && !r->carry_odd) {
				on_text_row(r, r->carry, r->carry_n, r->carry_lfs, true);
				r->carry_n = 0;
				r->carry_lfs = 0;
			} else if (r->carry_n > CARRY_MAX) {
				go_passthrough(r);
			}
		}
		p += len;
		n -= len;
	}
}

/* Returns end of file once the reading has failed: the inflater stops early. */
static ssize_t stop_read(struct byte_source *src, void *buf, size_t n)
{
	struct stop_source *s = (struct stop_source *)src;
	if (stopped(s->f))
		return 0;
	ssize_t got = s->inner->read(s->inner, buf, n);
	if (got < 0)
		diag_move(&src->diag, &s->inner->diag);
	return got;
}

static int refuse_format(const char *name, enum object_format fmt, struct diag *d)
{
	if (fmt == FORMAT_EMPTY)
		return diag_set_at(d, name, 0,
				   "empty file (a CUR export starts with a header row)");
	return diag_set_at(d, name, 0,
			   "a zip or tar archive, or bzip2, xz or zstd data, which --cur does not "
			   "read: give the CSV file inside it, plain or gzip-compressed");
}

static int refuse_parquet(const char *name, struct diag *d)
{
	return diag_set_at(
	    d, name, 0,
	    "a Parquet file, which --cur does not read: export the CUR as CSV "
	    "(Data Exports: file format \"text/csv\", compression gzip or none; classic "
	    "CUR: compression GZIP), or convert this file, e.g. duckdb -c \"COPY (FROM "
	    "'%s') TO 'cur.csv'\"",
	    name);
}

/* The parser that failed on the earliest line, or NULL. */
static struct cur_parser *first_failure(struct cur_file *f)
{
	struct cur_parser *first = f->main.failed ? &f->main : NULL;
	int n = f->work ? cur_work_join(f->work) : 0;
	for (int i = 0; i < n; i++) {
		struct cur_parser *p = cur_work_parser(f->work, i);
		if (p->failed && (!first || p->fail_line < first->fail_line))
			first = p;
	}
	return first;
}

/* Every parser's end, and their bills summed into the main parser's. */
static int finish_parsers(struct cur_file *f, struct diag *d)
{
	int n = f->work ? cur_work_join(f->work) : 0;
	cur_parser_finish(&f->main);
	for (int i = 0; i < n; i++)
		cur_parser_finish(cur_work_parser(f->work, i));
	struct cur_parser *bad = first_failure(f);
	if (bad)
		return diag_move(d, csvrows_diag(bad->csv));
	for (int i = 0; i < n; i++)
		if (cur_bill_merge(f->main.stage, cur_work_parser(f->work, i)->stage) != 0)
			return diag_set_at(d, f->name, 0,
					   "the bill's sums grow too large to add up exactly");
	return 0;
}

/* The end of the text: the last row, the CSV readers' ends, and what went wrong. */
static int finish_text(struct cur_reader *r, int inflate_rc, struct diag *d)
{
	struct cur_file *f = &r->f;
	const char *name = f->name;
	if (f->refused == REFUSED_PARQUET)
		return refuse_parquet(name, d);
	if (f->refused == REFUSED_JSON)
		return diag_set_at(
		    d, name, 0,
		    "JSON (an invocation log, or an export's Manifest.json?), not a "
		    "CUR export: --cur takes the CSV data files of a Cost and Usage Report "
		    "(logs are given as PATH)");
	if (!stopped(f) && inflate_rc == 0 && r->carry_n) {
		on_text_row(r, r->carry, r->carry_n, r->carry_lfs, true);
		r->carry_n = 0;
	}
	if (!stopped(f))
		batch_flush(f);
	/* a row that fails comes before any end of the text */
	struct cur_parser *bad = first_failure(f);
	if (bad)
		return diag_move(d, csvrows_diag(bad->csv));
	if (inflate_rc != 0) {
		const char *why = inflater_error(r->z);
		bool read_error = strncmp(why, "read error", 10) == 0;
		return diag_set_at(d, name, read_error ? 0 : f->lfs + 1, "%s", why);
	}
	if (finish_parsers(f, d) != 0)
		return -1;
	if (!f->main.header_done)
		return diag_set_at(d, name, 0, "no header row (an empty CUR export?)");
	struct cur_counts *c = cur_bill_counts(f->main.stage);
	c->other += f->skipped;
	c->duplicates += f->duplicates;
	c->files++;
	return 0;
}

/*
 * Plain text without the inflater: reads of PLAIN_READ bytes, small enough
 * for the copy from the kernel to land in a cache that the cutter then reads.
 */
#define PLAIN_READ INFLATE_HEAD_SIZE

static int read_plain(struct cur_reader *r, size_t head_n, struct byte_source *src, struct diag *d)
{
	on_text(r, (const char *)r->head, head_n);
	char *buf = (char *)r->head; /* the head is no longer needed */
	for (;;) {
		ssize_t got = src->read(src, buf, PLAIN_READ);
		if (got < 0) {
			diag_set(d, "read error: %s", diag_msg(&src->diag));
			diag_clear(&src->diag);
			return -1;
		}
		if (got == 0)
			return 0;
		on_text(r, buf, (size_t)got);
	}
}

static int read_text(struct cur_reader *r, const char *name, struct byte_source *src,
		     struct diag *d)
{
	ssize_t n = byte_source_fill(src, r->head, INFLATE_HEAD_SIZE);
	if (n < 0) {
		diag_set_at(d, name, 0, "read error: %s", diag_msg(&src->diag));
		diag_clear(&src->diag);
		return -1;
	}
	if (n >= 4 && memcmp(r->head, "PAR1", 4) == 0)
		return refuse_parquet(name, d);
	enum object_format fmt = inflater_sniff(r->z, r->head, (size_t)n);
	if (fmt == FORMAT_EMPTY || fmt == FORMAT_ARCHIVE)
		return refuse_format(name, fmt, d);

	struct stop_source stop = { .src.read = stop_read, .inner = src, .f = &r->f };
	int rc;
	if (fmt == FORMAT_PLAIN) {
		rc = read_plain(r, (size_t)n, &stop.src, d);
		if (rc < 0)
			return diag_place(d, name, 0, 0);
	} else {
		unsigned long long stored = 0;
		rc = inflater_run(r->z, fmt, r->head, (size_t)n, &stop.src, on_text, r, &stored);
	}
	diag_clear(&stop.src.diag);
	return finish_text(r, rc, d);
}

static void file_start(struct cur_reader *r, const char *name)
{
	r->f = (struct cur_file){ .name = name, .line = 1 };
	cur_parser_start(&r->f.main, &r->cfg, name);
	r->carry_n = 0;
	r->carry_odd = false;
	r->carry_lfs = 0;
}

static void file_end(struct cur_reader *r)
{
	struct cur_file *f = &r->f;
	cur_work_end(f->work);
	cur_parser_end(&f->main);
	free(f->own.text);
	*f = (struct cur_file){ 0 };
}

int cur_reader_read(struct cur_reader *r, struct cur_bill *bill, const char *name,
		    struct byte_source *src, struct diag *d)
{
	file_start(r, name);
	int rc = read_text(r, name, src, d);
	if (rc == 0 && cur_bill_merge(bill, r->f.main.stage) != 0)
		rc = diag_set_at(d, name, 0, "the bill's sums grow too large to add up exactly");
	if (rc == 0)
		cur_seen_merge(&r->seen.done, &r->seen.file);
	else
		cur_seen_clear(&r->seen.file);
	file_end(r);
	return rc;
}

int cur_reader_read_file(struct cur_reader *r, struct cur_bill *bill, const char *path,
			 struct diag *d)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return diag_set_at(d, path, 0, "cannot open: %s", strerror(errno));
#ifdef POSIX_FADV_SEQUENTIAL
	posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
	struct fd_source fs;
	fd_source_init(&fs, fd);
	struct sha256 *h = sha256_create(); /* every table read is listed in run.json */
	struct hash_source hs;
	hash_source_init(&hs, &fs.src, h);
	int rc = cur_reader_read(r, bill, path, &hs.src, d);
	if (rc == 0 && byte_source_drain(&hs.src) == 0) {
		unsigned char digest[SHA256_SIZE];
		sha256_final(h, digest);
		sha256_note_table(path, fs.count, digest);
	}
	diag_clear(&hs.src.diag);
	sha256_destroy(h);
	close(fd);
	return rc;
}
