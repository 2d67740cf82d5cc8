/*
 * cur.c - CUR exports -> a bill: the stored bytes are sniffed (gzip, plain,
 * Parquet, archives) and inflated (inflate.h), the text is cut into rows
 * here, and only the header and the rows that mention "Bedrock" reach the
 * CSV reader (csvrows.h) and cur_row.c.
 *
 * Why rows are cut here: libcsv walks every byte (about 250 MB/s), and in a
 * CUR of a whole organisation nearly every row is another service's. A row
 * ends at a line feed outside quotes (an even number of '"' before it in the
 * row: RFC 4180 doubles quotes inside quoted cells), which memchr and a
 * word-wide quote count find at memory speed. A skipped row is handed to the
 * CSV reader as as many bare line ends as it has, so every line number the
 * CSV reader reports stays the physical line. Text without line feeds (lone
 * CR line ends) or a quote left open for CARRY_MAX bytes goes to the CSV
 * reader whole from there on.
 */
#include "ledger/cur.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cur_row.h"
#include "ledger/inflate.h"
#include "ledger/xalloc.h"

#define CARRY_MAX (1u << 20)

struct cur_reader *cur_reader_create(const struct billing_names *names, const struct ts *since,
				     const struct ts *until)
{
	struct cur_reader *r = xcalloc(1, sizeof *r);
	r->names = names;
	if (since) {
		r->has_since = true;
		r->since = *since;
	}
	if (until) {
		r->has_until = true;
		r->until = *until;
	}
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
	free(r->json.p);
	free(r->json_region.p);
	free(r->carry);
	free(r);
}

/* The number of '"' in p[0..n), eight bytes a step. */
static size_t count_quotes(const char *p, size_t n)
{
	const uint64_t ones = 0x0101010101010101u, low7 = 0x7f7f7f7f7f7f7f7fu;
	size_t c = 0, i = 0;
	for (; i + 8 <= n; i += 8) {
		uint64_t w;
		memcpy(&w, p + i, 8);
		uint64_t x = w ^ (ones * '"'); /* zero bytes where the quotes are */
		uint64_t zero = ~(((x & low7) + low7) | x | low7);
		c += (size_t)(((zero >> 7) * ones) >> 56);
	}
	for (; i < n; i++)
		c += p[i] == '"';
	return c;
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

static void feed(struct cur_file *f, const char *p, size_t n)
{
	if (!f->failed && csvrows_feed(f->csv, p, n) != 0)
		f->failed = true;
}

/* Gives the CSV reader the line ends of the rows skipped since the last row it was fed. */
static void flush_pending(struct cur_file *f)
{
	static const char newlines[256] = { [0 ... 255] = '\n' };
	while (f->pending && !f->failed) {
		size_t k = f->pending < sizeof newlines ? f->pending : sizeof newlines;
		feed(f, newlines, k);
		f->pending -= k;
	}
}

static bool is_blank(const char *p, size_t n)
{
	return n == 0 || (n == 1 && p[0] == '\n') || (n == 2 && p[0] == '\r' && p[1] == '\n');
}

/* One whole row (its line feed included, but for the last row of a file). */
static void on_text_row(struct cur_file *f, const char *p, size_t n, unsigned long lfs)
{
	if (!f->header_done || memmem(p, n, "Bedrock", 7)) {
		flush_pending(f);
		feed(f, p, n);
		return;
	}
	f->pending += line_ends(p, n, lfs);
	if (!is_blank(p, n))
		cur_bill_counts(f->stage)->other++;
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

static void go_passthrough(struct cur_reader *r)
{
	struct cur_file *f = &r->f;
	f->passthrough = true;
	flush_pending(f);
	feed(f, r->carry, r->carry_n);
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
	if (f->failed)
		return;
	if (f->text_bytes == 0 && ((n >= 4 && memcmp(p, "PAR1", 4) == 0) || p[0] == '{' ||
				   p[0] == '[')) {
		f->failed = true;
		f->refused = p[0] == 'P' ? REFUSED_PARQUET : REFUSED_JSON;
		return;
	}
	f->text_bytes += n;
	while (n > 0 && !f->failed) {
		if (f->passthrough) {
			f->lfs += count_lf(p, n);
			feed(f, p, n);
			return;
		}
		const char *e = memchr(p, '\n', n);
		size_t len = e ? (size_t)(e - p) + 1 : n;
		size_t quotes = count_quotes(p, len);
		f->lfs += e != NULL;
		if (r->carry_n == 0 && e && quotes % 2 == 0) {
			on_text_row(f, p, len, 1);
		} else {
			carry_append(r, p, len);
			r->carry_odd ^= quotes % 2;
			r->carry_lfs += e != NULL;
			if (e && !r->carry_odd) {
				on_text_row(f, r->carry, r->carry_n, r->carry_lfs);
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
	if (s->f->failed)
		return 0;
	ssize_t got = s->inner->read(s->inner, buf, n);
	if (got < 0)
		diag_move(&src->diag, &s->inner->diag);
	return got;
}

static int refuse_format(const char *name, enum object_format fmt, struct diag *d)
{
	if (fmt == FORMAT_EMPTY)
		return diag_set(d, "%s: empty file (a CUR export starts with a header row)", name);
	return diag_set(d,
			"%s: a zip or tar archive, or bzip2, xz or zstd data, which --cur does not "
			"read: give the CSV file inside it, plain or gzip-compressed",
			name);
}

static int refuse_parquet(const char *name, struct diag *d)
{
	return diag_set(d,
			"%s: a Parquet file, which --cur does not read: export the CUR as CSV "
			"(Data Exports: file format \"text/csv\", compression gzip or none; classic "
			"CUR: compression GZIP), or convert this file, e.g. duckdb -c \"COPY (FROM "
			"'%s') TO 'cur.csv'\"",
			name, name);
}

/* The end of the text: the last row, the CSV reader's end, and what went wrong. */
static int finish_text(struct cur_reader *r, int inflate_rc, struct diag *d)
{
	struct cur_file *f = &r->f;
	const char *name = f->name;
	if (f->refused == REFUSED_PARQUET)
		return refuse_parquet(name, d);
	if (f->refused == REFUSED_JSON)
		return diag_set(d,
				"%s: JSON, such as an invocation log, not a CUR export: --cur takes "
				"the CSV of a Cost and Usage Report (logs are given as PATH)",
				name);
	if (!f->failed && inflate_rc != 0) {
		const char *why = inflater_error(r->z);
		if (strncmp(why, "read error", 10) == 0)
			return diag_set(d, "%s: %s", name, why);
		return diag_set(d, "%s:%lu: %s", name, f->lfs + 1, why);
	}
	if (!f->failed && r->carry_n) {
		on_text_row(f, r->carry, r->carry_n, r->carry_lfs);
		r->carry_n = 0;
	}
	if (!f->failed) {
		flush_pending(f);
		if (csvrows_finish(f->csv) != 0)
			f->failed = true;
	}
	if (f->failed)
		return diag_move(d, csvrows_diag(f->csv));
	if (!f->header_done)
		return diag_set(d, "%s: no header row (an empty CUR export?)", name);
	cur_bill_counts(f->stage)->files++;
	return 0;
}

static int read_text(struct cur_reader *r, const char *name, struct byte_source *src,
		     struct diag *d)
{
	ssize_t n = byte_source_fill(src, r->head, INFLATE_HEAD_SIZE);
	if (n < 0) {
		diag_set(d, "%s: read error: %s", name, diag_msg(&src->diag));
		diag_clear(&src->diag);
		return -1;
	}
	if (n >= 4 && memcmp(r->head, "PAR1", 4) == 0)
		return refuse_parquet(name, d);
	enum object_format fmt = inflater_sniff(r->z, r->head, (size_t)n);
	if (fmt == FORMAT_EMPTY || fmt == FORMAT_ARCHIVE)
		return refuse_format(name, fmt, d);

	struct stop_source stop = { .src.read = stop_read, .inner = src, .f = &r->f };
	unsigned long long stored = 0;
	int rc = inflater_run(r->z, fmt, r->head, (size_t)n, &stop.src, on_text, r, &stored);
	diag_clear(&stop.src.diag);
	return finish_text(r, rc, d);
}

int cur_reader_read(struct cur_reader *r, struct cur_bill *bill, const char *name,
		    struct byte_source *src, struct diag *d)
{
	cur_file_start(r, name);
	int rc = read_text(r, name, src, d);
	if (rc == 0 && cur_bill_merge(bill, r->f.stage) != 0)
		rc = diag_set(d, "%s: the bill's sums grow too large to add up exactly", name);
	cur_file_end(r);
	return rc;
}

int cur_reader_read_file(struct cur_reader *r, struct cur_bill *bill, const char *path,
			 struct diag *d)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return diag_set(d, "%s: cannot open: %s", path, strerror(errno));
#ifdef POSIX_FADV_SEQUENTIAL
	posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
#endif
	struct fd_source fs;
	fd_source_init(&fs, fd);
	int rc = cur_reader_read(r, bill, path, &fs.src, d);
	close(fd);
	return rc;
}
