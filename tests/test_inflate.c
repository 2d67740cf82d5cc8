/*
 * test_inflate.c - sniffing, gzip members, truncation, corruption, plain
 * text; byte sources.
 */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <zlib.h>

#include "ledger/read/inflate.h"
#include "ledger/read/source.h"
#include "tap.h"

/* A memory source that fails once fail_at bytes have been read. */
struct failing_source {
	struct byte_source src;
	struct mem_source mem;
	size_t fail_at;
};

static ssize_t failing_read(struct byte_source *src, void *buf, size_t n)
{
	struct failing_source *f = (struct failing_source *)src;
	if (f->mem.pos >= f->fail_at)
		return diag_set(&src->diag, "simulated");
	return f->mem.src.read(&f->mem.src, buf, n);
}

struct sink {
	char *buf;
	size_t n;
};

static void sink_fn(void *ctx, const char *b, size_t n)
{
	struct sink *s = ctx;
	s->buf = realloc(s->buf, s->n + n + 1);
	memcpy(s->buf + s->n, b, n);
	s->n += n;
	s->buf[s->n] = 0;
}

/* One pass: the head as the sniffer sees it (hsize bytes at most), then the rest. */
static int run_once(struct inflater *z, const unsigned char *p, size_t n, size_t step,
		    size_t hsize, bool with_z, struct sink *s, enum object_format *fmt,
		    unsigned long long *stored)
{
	struct mem_source m;
	mem_source_init(&m, p, n, step);
	static unsigned char head[INFLATE_HEAD_SIZE];
	ssize_t h = byte_source_fill(&m.src, head, hsize);
	/* with z, the sniff primes z (ISA-L): the run goes on from its first step */
	*fmt = with_z ? inflater_sniff(z, head, (size_t)h) : inflate_sniff(head, (size_t)h);
	*stored = 0;
	memset(s, 0, sizeof *s);
	return inflater_run(z, *fmt, head, (size_t)h, &m.src, sink_fn, s, stored);
}

/*
 * Runs a whole object through the inflater, sniffed by the inflater itself
 * (primed) and, to compare, by inflate_sniff: the same bytes, status,
 * message and count either way.
 */
static int run_head(struct inflater *z, const unsigned char *p, size_t n, size_t step,
		    size_t hsize, struct sink *s, enum object_format *fmt)
{
	struct sink plain;
	enum object_format pfmt;
	unsigned long long stored, pstored;
	int prc = run_once(z, p, n, step, hsize, false, &plain, &pfmt, &pstored);
	char *perr = strdup(inflater_error(z));
	int rc = run_once(z, p, n, step, hsize, true, s, fmt, &stored);
	ok(rc == prc && *fmt == pfmt && stored == pstored && s->n == plain.n &&
	       (s->n == 0 || memcmp(s->buf, plain.buf, s->n) == 0) &&
	       strcmp(perr, inflater_error(z)) == 0,
	   "sniffed by the inflater or not: the same run (%zu bytes, reads of %zu, head %zu)", n,
	   step, hsize);
	ok(stored == n || rc != 0, "stored bytes counted (%llu of %zu)", stored, n);
	free(plain.buf);
	free(perr);
	return rc;
}

static int run(struct inflater *z, const unsigned char *p, size_t n, size_t step, struct sink *s,
	       enum object_format *fmt)
{
	return run_head(z, p, n, step, 100, s, fmt);
}

/*
 * A gzip member of tn bytes of text; with a name, that file name in its
 * header (gzip -N): the header may outgrow the head.
 */
static size_t gzip_named(const char *text, size_t tn, const char *name, unsigned char *out,
			 size_t cap)
{
	z_stream zs;
	memset(&zs, 0, sizeof zs);
	deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
	gz_header h = { 0 };
	h.name = (Bytef *)name;
	if (name)
		deflateSetHeader(&zs, &h);
	zs.next_in = (unsigned char *)text;
	zs.avail_in = (uInt)tn;
	zs.next_out = out;
	zs.avail_out = (uInt)cap;
	deflate(&zs, Z_FINISH);
	size_t n = cap - zs.avail_out;
	deflateEnd(&zs);
	return n;
}

static size_t gzip_mem(const char *text, unsigned char *out, size_t cap)
{
	return gzip_named(text, strlen(text), NULL, out, cap);
}

/* Objects larger than the head and than a decoded buffer; headers longer than the head. */
static void primed_shapes(struct inflater *z)
{
	size_t tn = 3u << 20;
	char *text = malloc(tn + 1);
	for (size_t i = 0; i < tn; i++) /* lines that do not compress to nothing */
		text[i] = i % 61 == 60 ? '\n' : (char)('a' + (i * 7919 + i / 61) % 26);
	text[tn] = 0;
	size_t cap = tn + 4096;
	unsigned char *gz = malloc(cap);
	struct sink s;
	enum object_format fmt;
	size_t n = gzip_named(text, tn, "", gz, cap);
	ok(run_head(z, gz, n, 65536, INFLATE_HEAD_SIZE, &s, &fmt) == 0 && s.n == tn &&
	       memcmp(s.buf, text, tn) == 0,
	   "3 MiB through a full head: every byte");
	free(s.buf);
	char name[300];
	memset(name, 'n', sizeof name - 1);
	name[sizeof name - 1] = 0;
	n = gzip_named(text, 5000, name, gz, cap);
	ok(run_head(z, gz, n, 64, 100, &s, &fmt) == 0 && s.n == 5000 &&
	       memcmp(s.buf, text, 5000) == 0,
	   "a file name longer than the head: every byte");
	free(s.buf);
	ok(run_head(z, gz, 150, 64, 100, &s, &fmt) == -1, "... cut inside its header: fails");
	free(s.buf);
	free(gz);
	free(text);
}

/* fd_source: counts, the shared progress counter, a read error's message. */
static void byte_sources(void)
{
	char path[] = "/tmp/ledger-test-source-XXXXXX";
	int fd = mkstemp(path);
	ok(fd >= 0, "temp file");
	static char big[100000];
	for (size_t i = 0; i < sizeof big; i++)
		big[i] = (char)('a' + i % 26);
	ok(write(fd, big, sizeof big) == (ssize_t)sizeof big, "temp file written");
	lseek(fd, 0, SEEK_SET);

	_Atomic uint64_t progress = 5;
	struct fd_source fs;
	fd_source_init(&fs, fd);
	ok(fs.progress == NULL, "no progress counter unless asked for");
	fs.progress = &progress;
	static char back[100001];
	ok(byte_source_fill(&fs.src, back, 1000) == 1000, "fill: first 1000 bytes");
	ok(byte_source_fill(&fs.src, back + 1000, sizeof back - 1000) == (ssize_t)sizeof big - 1000,
	   "fill stops at the end");
	ok(memcmp(back, big, sizeof big) == 0, "bytes as written");
	is_int(fs.count, sizeof big, "count");
	is_int(atomic_load(&progress), sizeof big + 5, "progress counter advanced by every read");
	ok(byte_source_fill(&fs.src, back, 10) == 0, "nothing more");
	close(fd);

	int dir = open("/tmp", O_RDONLY | O_DIRECTORY);
	fd_source_init(&fs, dir);
	ok(fs.src.read(&fs.src, back, 10) == -1, "reading a directory fails");
	is_str(diag_msg(&fs.src.diag), "Is a directory", "its problem is in the source's diag");
	diag_clear(&fs.src.diag);
	close(dir);
	unlink(path);

	struct mem_source m;
	mem_source_init(&m, "abcdef", 6, 4);
	ok(m.src.read(&m.src, back, 100) == 4 && m.src.read(&m.src, back + 4, 100) == 2 &&
	       m.src.read(&m.src, back, 100) == 0 && memcmp(back, "abcdef", 6) == 0,
	   "mem_source: steps of 4, then the end");
}

int main(void)
{
	struct inflater *z = inflater_create();
	static unsigned char a[4096], b[4096], both[8192];
	const char *t1 = "{\"a\":1}\n{\"b\":2}\n";
	const char *t2 = "{\"c\":3}\n";
	size_t na = gzip_mem(t1, a, sizeof a), nb = gzip_mem(t2, b, sizeof b);
	memcpy(both, a, na);
	memcpy(both + na, b, nb);
	struct sink s;
	enum object_format fmt;

	ok(inflate_sniff((const unsigned char *)"", 0) == FORMAT_EMPTY, "empty");
	ok(inflate_sniff((const unsigned char *)"{}", 2) == FORMAT_PLAIN, "plain");
	ok(inflate_sniff((const unsigned char *)"PK\3\4xxxx", 8) == FORMAT_ARCHIVE, "zip");
	ok(inflate_sniff((const unsigned char *)"BZh91AY", 7) == FORMAT_ARCHIVE, "bzip2");
	ok(inflate_sniff((const unsigned char *)"\xfd"
						"7zXZ\0\0",
			 8) == FORMAT_ARCHIVE,
	   "xz");
	ok(inflate_sniff((const unsigned char *)"\x28\xb5\x2f\xfd\x00\x38", 6) == FORMAT_ARCHIVE,
	   "zstd (a .tar.zst is read as an archive, not as text)");
	ok(inflate_sniff((const unsigned char *)"\x28\xb5\x2f", 3) == FORMAT_PLAIN,
	   "three bytes of the zstd magic are not zstd");
	ok(inflate_sniff(a, na) == FORMAT_GZIP, "gzip of text is gzip");

	for (size_t step = 1; step <= 4096; step *= 4) {
		ok(run(z, both, na + nb, step, &s, &fmt) == 0 && fmt == FORMAT_GZIP,
		   "two members, reads of %zu", step);
		is_str(s.buf, "{\"a\":1}\n{\"b\":2}\n{\"c\":3}\n",
		       "both members decoded (step %zu)", step);
		free(s.buf);
	}

	ok(run(z, a, na - 5, 7, &s, &fmt) == -1, "truncated member fails");
	is_str(inflater_error(z), "truncated gzip: the object is cut short; sync or copy it again",
	       "truncated gzip message");
	free(s.buf);
	ok(run(z, both, na + 10, 4096, &s, &fmt) == -1, "second member truncated");
	is_str(inflater_error(z), "truncated gzip: the object is cut short; sync or copy it again",
	       "second member: truncated gzip");
	is_str(s.buf, t1, "the first member's bytes were kept");
	free(s.buf);

	unsigned char bad[4096];
	memcpy(bad, a, na);
	for (size_t i = 12; i < na - 8; i++)
		bad[i] ^= 0xa5;
	ok(run(z, bad, na, 4096, &s, &fmt) == -1, "corrupt member fails");
	ok(strncmp(inflater_error(z), "corrupt gzip: ", 14) == 0, "corrupt gzip message: %s",
	   inflater_error(z));
	free(s.buf);

	unsigned char tail[4200];
	memcpy(tail, a, na);
	memcpy(tail + na, "\0\0\0\0", 4);
	ok(run(z, tail, na + 4, 4096, &s, &fmt) == -1, "garbage after the last member");
	is_str(inflater_error(z), "trailing garbage after gzip data", "garbage message");
	is_str(s.buf, t1, "data before the garbage kept");
	free(s.buf);

	ok(run(z, (const unsigned char *)t1, strlen(t1), 3, &s, &fmt) == 0 && fmt == FORMAT_PLAIN,
	   "plain text passes through");
	is_str(s.buf, t1, "plain bytes unchanged");
	free(s.buf);

	struct failing_source f = { .src.read = failing_read, .fail_at = 32 };
	mem_source_init(&f.mem, both, na + nb, 16);
	unsigned long long stored;
	memset(&s, 0, sizeof s);
	ok(inflater_run(z, FORMAT_GZIP, NULL, 0, &f.src, sink_fn, &s, &stored) == -1, "read error");
	is_str(inflater_error(z), "read error: simulated", "read error message");
	ok(!diag_has(&f.src.diag), "the source's problem was taken by the inflater");
	free(s.buf);
	ok(run(z, (const unsigned char *)t1, strlen(t1), 3, &s, &fmt) == 0 &&
	       inflater_error(z)[0] == 0,
	   "a good run after a failed one has no message");
	free(s.buf);

	byte_sources();
	primed_shapes(z);

	inflater_destroy(z);
	return tap_done();
}
