/*
 * test_inflate.c - sniffing, gzip members, truncation, corruption, plain text.
 */
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "ledger/inflate.h"
#include "mem_source.h"
#include "tap.h"

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

static size_t gzip_mem(const char *text, unsigned char *out, size_t cap)
{
	z_stream zs;
	memset(&zs, 0, sizeof zs);
	deflateInit2(&zs, 6, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
	zs.next_in = (unsigned char *)text;
	zs.avail_in = (uInt)strlen(text);
	zs.next_out = out;
	zs.avail_out = (uInt)cap;
	deflate(&zs, Z_FINISH);
	size_t n = cap - zs.avail_out;
	deflateEnd(&zs);
	return n;
}

/* Runs a whole object through the inflater: head as the sniffer sees it, then the rest. */
static int run(struct inflater *z, const unsigned char *p, size_t n, size_t step, struct sink *s,
	       enum object_format *fmt)
{
	struct mem_source m;
	mem_source_init(&m, p, n, step);
	unsigned char head[INFLATE_HEAD_SIZE];
	ssize_t h = byte_source_fill(&m.src, head, sizeof head < 100 ? sizeof head : 100);
	*fmt = inflate_sniff(head, (size_t)h);
	unsigned long long stored = 0;
	memset(s, 0, sizeof *s);
	int rc = inflater_run(z, *fmt, head, (size_t)h, &m.src, sink_fn, s, &stored);
	ok(stored == n || rc != 0, "stored bytes counted (%llu of %zu)", stored, n);
	return rc;
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
	ok(inflate_sniff(a, na) == FORMAT_GZIP, "gzip of text is gzip");

	for (size_t step = 1; step <= 4096; step *= 4) {
		ok(run(z, both, na + nb, step, &s, &fmt) == 0 && fmt == FORMAT_GZIP,
		   "two members, reads of %zu", step);
		is_str(s.buf, "{\"a\":1}\n{\"b\":2}\n{\"c\":3}\n", "both members decoded (step %zu)", step);
		free(s.buf);
	}

	ok(run(z, a, na - 5, 7, &s, &fmt) == -1, "truncated member fails");
	is_str(inflater_error(z), "truncated gzip", "truncated gzip message");
	free(s.buf);
	ok(run(z, both, na + 10, 4096, &s, &fmt) == -1, "second member truncated");
	is_str(inflater_error(z), "truncated gzip", "second member: truncated gzip");
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

	struct mem_source m;
	mem_source_init(&m, both, na + nb, 16);
	m.fail_at = 32;
	unsigned long long stored;
	memset(&s, 0, sizeof s);
	ok(inflater_run(z, FORMAT_GZIP, NULL, 0, &m.src, sink_fn, &s, &stored) == -1, "read error");
	is_str(inflater_error(z), "read error: simulated", "read error message");
	free(s.buf);

	inflater_destroy(z);
	return tap_done();
}
