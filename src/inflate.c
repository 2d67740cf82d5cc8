/*
 * inflate.c - one object's stored bytes -> decompressed bytes.
 *
 * gzip goes through ISA-L's isal_inflate when the build found libisal (about
 * twice zlib's speed), else through zlib's streaming API; both handle
 * concatenated members the same way. Sniffing always uses zlib.
 */
#include "ledger/inflate.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <stdlib.h>
#include <zlib.h>

#include "config.h"
#if LEDGER_HAVE_ISAL
#include <isa-l/igzip_lib.h>
#endif

#include "ledger/xalloc.h"

#define IN_SIZE (256 * 1024)
#define OUT_SIZE (256 * 1024)

struct inflater {
#if LEDGER_HAVE_ISAL
	struct inflate_state st;
	struct isal_gzip_header gz; /* the header of the current member, read across calls */
#else
	z_stream zs;
	bool zs_ready;
#endif
	unsigned char *in, *out;
	char error[320];
};

static ssize_t fd_read(struct byte_source *src, void *buf, size_t n)
{
	struct fd_source *s = (struct fd_source *)src;
	for (;;) {
		ssize_t r = read(s->fd, buf, n);
		if (r >= 0) {
			s->count += (unsigned long long)r;
			return r;
		}
		if (errno == EINTR)
			continue;
		snprintf(src->error, sizeof src->error, "%s", strerror(errno));
		return -1;
	}
}

void fd_source_init(struct fd_source *s, int fd)
{
	memset(s, 0, sizeof *s);
	s->src.read = fd_read;
	s->src.ctx = s;
	s->fd = fd;
}

ssize_t byte_source_fill(struct byte_source *src, void *buf, size_t n)
{
	size_t got = 0;
	while (got < n) {
		ssize_t r = src->read(src, (char *)buf + got, n - got);
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

const char *inflate_backend(void)
{
	return LEDGER_HAVE_ISAL ? "isa-l" : "zlib";
}

static bool is_tar_header(const unsigned char *b, size_t n)
{
	return n >= 262 && memcmp(b + 257, "ustar", 5) == 0;
}

/* Inflates the first bytes of a gzip head through zs (initialised). */
static size_t gzip_first_bytes_zlib(z_stream *zs, const unsigned char *head, size_t n,
				    unsigned char *out, size_t cap)
{
	zs->next_in = (unsigned char *)head;
	zs->avail_in = (uInt)n;
	zs->next_out = out;
	zs->avail_out = (uInt)cap;
	while (zs->avail_out > 0) {
		int rc = inflate(zs, Z_NO_FLUSH);
		if (rc != Z_OK)
			break;
	}
	return cap - zs->avail_out;
}

/*
 * Does a gzip head decompress to a tar header? With an inflater, its own
 * state is reused (no allocation per object: this runs for every object).
 */
static bool gzip_holds_tar(struct inflater *z, const unsigned char *head, size_t n)
{
	unsigned char out[512];
	size_t got = 0;
	if (z) {
#if LEDGER_HAVE_ISAL
		struct inflate_state *st = &z->st;
		isal_inflate_init(st);
		st->crc_flag = ISAL_GZIP;
		st->next_in = (uint8_t *)head;
		st->avail_in = (uint32_t)n;
		st->next_out = out;
		st->avail_out = sizeof out;
		if (isal_inflate(st) >= 0)
			got = sizeof out - st->avail_out;
		return is_tar_header(out, got);
#else
		if (!z->zs_ready) {
			memset(&z->zs, 0, sizeof z->zs);
			if (inflateInit2(&z->zs, 16 + MAX_WBITS) != Z_OK)
				return false;
			z->zs_ready = true;
		} else {
			inflateReset(&z->zs);
		}
		got = gzip_first_bytes_zlib(&z->zs, head, n, out, sizeof out);
		return is_tar_header(out, got);
#endif
	}
	z_stream zs;
	memset(&zs, 0, sizeof zs);
	if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK)
		return false;
	got = gzip_first_bytes_zlib(&zs, head, n, out, sizeof out);
	inflateEnd(&zs);
	return is_tar_header(out, got);
}

static enum object_format sniff(struct inflater *z, const unsigned char *head, size_t n)
{
	if (n == 0)
		return FORMAT_EMPTY;
	if (n >= 2 && head[0] == 0x1f && head[1] == 0x8b)
		return gzip_holds_tar(z, head, n) ? FORMAT_ARCHIVE : FORMAT_GZIP;
	if (n >= 4 && head[0] == 'P' && head[1] == 'K' &&
	    ((head[2] == 3 && head[3] == 4) || (head[2] == 5 && head[3] == 6)))
		return FORMAT_ARCHIVE;
	if (n >= 3 && memcmp(head, "BZh", 3) == 0)
		return FORMAT_ARCHIVE;
	if (n >= 6 && memcmp(head, "\xfd" "7zXZ\0", 6) == 0)
		return FORMAT_ARCHIVE;
	if (is_tar_header(head, n))
		return FORMAT_ARCHIVE;
	return FORMAT_PLAIN;
}

enum object_format inflate_sniff(const unsigned char *head, size_t n)
{
	return sniff(NULL, head, n);
}

enum object_format inflater_sniff(struct inflater *z, const unsigned char *head, size_t n)
{
	return sniff(z, head, n);
}

struct inflater *inflater_create(void)
{
	struct inflater *z = xcalloc(1, sizeof *z);
	z->in = xmalloc(IN_SIZE);
	z->out = xmalloc(OUT_SIZE);
	return z;
}

void inflater_destroy(struct inflater *z)
{
	if (!z)
		return;
#if !LEDGER_HAVE_ISAL
	if (z->zs_ready)
		inflateEnd(&z->zs);
#endif
	free(z->in);
	free(z->out);
	free(z);
}

const char *inflater_error(const struct inflater *z)
{
	return z->error;
}

static int read_error(struct inflater *z, struct byte_source *src)
{
	snprintf(z->error, sizeof z->error, "read error: %s", src->error);
	return -1;
}

/*
 * After a member, anything but the gzip magic is garbage. When a read ends
 * just after a 0x1f, the member is begun and the next read's first byte is
 * checked against 0x8b (want_id2 in the loops below): else the verdict would
 * depend on where the reads happen to be cut.
 */
static int trailing_garbage(struct inflater *z)
{
	snprintf(z->error, sizeof z->error, "trailing garbage after gzip data");
	return -1;
}

static int run_plain(struct inflater *z, const unsigned char *head, size_t n,
		     struct byte_source *src, inflate_sink_fn sink, void *ctx,
		     unsigned long long *stored)
{
	if (n)
		sink(ctx, (const char *)head, n);
	*stored = n;
	for (;;) {
		ssize_t r = src->read(src, z->in, IN_SIZE);
		if (r < 0)
			return read_error(z, src);
		if (r == 0)
			return 0;
		*stored += (unsigned long long)r;
		sink(ctx, (const char *)z->in, (size_t)r);
	}
}

#if LEDGER_HAVE_ISAL
/*
 * gzip through ISA-L. Same loop as the zlib one below: a member's end
 * (ISAL_BLOCK_FINISH, trailer checked) is followed by the end of the object,
 * another member, or garbage.
 *
 * A member's header is read here with isal_read_gzip_header and a header
 * struct that lives in the inflater, not left to isal_inflate: isal_inflate
 * reads it with a struct of its own that does not outlive the call, so a
 * header cut by a read boundary (a name, comment or extra field, or just a
 * member starting near the end of a read) went on with uninitialised flags
 * and the member was lost as "corrupt" (intel/isa-l#224).
 */
static int isal_corrupt(struct inflater *z, int rc, bool header)
{
	const char *why;
	if (rc == ISAL_INCORRECT_CHECKSUM)
		why = header ? "header crc mismatch" : "incorrect data check";
	else if (rc == ISAL_UNSUPPORTED_METHOD)
		why = "unknown compression method";
	else if (rc == ISAL_INVALID_WRAPPER || header)
		why = "incorrect header";
	else
		why = "invalid deflate data";
	snprintf(z->error, sizeof z->error, "corrupt gzip: %s", why);
	return -1;
}

static int run_gzip(struct inflater *z, const unsigned char *head, size_t n,
		    struct byte_source *src, inflate_sink_fn sink, void *ctx,
		    unsigned long long *stored)
{
	struct inflate_state *st = &z->st;
	isal_inflate_init(st);
	st->crc_flag = ISAL_GZIP;
	isal_gzip_header_init(&z->gz);
	*stored = n;
	st->next_in = (uint8_t *)head;
	st->avail_in = (uint32_t)n;
	bool eof = false, in_member = true, have_header = false, want_id2 = false;
	for (;;) {
		if (st->avail_in == 0 && !eof) {
			ssize_t r = src->read(src, z->in, IN_SIZE);
			if (r < 0)
				return read_error(z, src);
			if (r == 0)
				eof = true;
			*stored += (unsigned long long)(r > 0 ? r : 0);
			st->next_in = z->in;
			st->avail_in = (uint32_t)(r > 0 ? r : 0);
		}
		if (want_id2 && st->avail_in > 0) {
			if (st->next_in[0] != 0x8b)
				return trailing_garbage(z);
			want_id2 = false;
		}
		if (!in_member) {
			if (st->avail_in == 0) {
				if (eof)
					return 0;
				continue;
			}
			if (st->next_in[0] != 0x1f || (st->avail_in > 1 && st->next_in[1] != 0x8b))
				return trailing_garbage(z);
			want_id2 = st->avail_in == 1;
			uint8_t *next = st->next_in;
			uint32_t avail = st->avail_in;
			isal_inflate_reset(st);
			st->crc_flag = ISAL_GZIP;
			isal_gzip_header_init(&z->gz);
			st->next_in = next;
			st->avail_in = avail;
			in_member = true;
			have_header = false;
		}
		if (st->avail_in == 0 && eof) {
			snprintf(z->error, sizeof z->error, "truncated gzip");
			return -1;
		}
		if (!have_header) {
			int rc = isal_read_gzip_header(st, &z->gz);
			if (rc < 0)
				return isal_corrupt(z, rc, true);
			/* ISAL_END_INPUT: all of avail_in went into the header, which goes on */
			if (rc != ISAL_DECOMP_OK) {
				if (st->avail_in != 0)
					return isal_corrupt(z, ISAL_INVALID_WRAPPER, true);
				continue;
			}
			have_header = true;
		}
		st->next_out = z->out;
		st->avail_out = OUT_SIZE;
		int rc = isal_inflate(st);
		size_t got = OUT_SIZE - st->avail_out;
		if (got)
			sink(ctx, (const char *)z->out, got);
		if (rc < 0)
			return isal_corrupt(z, rc, false);
		if (st->block_state == ISAL_BLOCK_FINISH)
			in_member = false;
		else if (got == 0 && st->avail_in == 0 && eof) {
			snprintf(z->error, sizeof z->error, "truncated gzip");
			return -1;
		}
	}
}

#else
/*
 * zlib's message, folded into the words the ISA-L backend uses, so that the
 * reports do not depend on the backend.
 */
static const char *zlib_why(const char *msg)
{
	if (!msg)
		return "invalid deflate data";
	if (strstr(msg, "data check") || strstr(msg, "length check"))
		return "incorrect data check";
	if (strstr(msg, "header crc"))
		return "header crc mismatch";
	if (strstr(msg, "compression method"))
		return "unknown compression method";
	if (strstr(msg, "header"))
		return "incorrect header";
	return "invalid deflate data";
}

/*
 * gzip through zlib's streaming API. The head is consumed first, then src in
 * IN_SIZE reads; a member's end is followed either by the end of the object,
 * by another member (gzip -c a b > ab), or by garbage.
 */
static int run_gzip(struct inflater *z, const unsigned char *head, size_t n,
		    struct byte_source *src, inflate_sink_fn sink, void *ctx,
		    unsigned long long *stored)
{
	z_stream *zs = &z->zs;
	if (!z->zs_ready) {
		memset(zs, 0, sizeof *zs);
		if (inflateInit2(zs, 16 + MAX_WBITS) != Z_OK) {
			snprintf(z->error, sizeof z->error, "zlib: cannot initialise");
			return -1;
		}
		z->zs_ready = true;
	} else {
		inflateReset(zs);
	}
	*stored = n;
	zs->next_in = (unsigned char *)head;
	zs->avail_in = (uInt)n;
	bool eof = false, in_member = true, want_id2 = false;
	for (;;) {
		if (zs->avail_in == 0 && !eof) {
			ssize_t r = src->read(src, z->in, IN_SIZE);
			if (r < 0)
				return read_error(z, src);
			if (r == 0)
				eof = true;
			*stored += (unsigned long long)(r > 0 ? r : 0);
			zs->next_in = z->in;
			zs->avail_in = (uInt)r;
		}
		if (want_id2 && zs->avail_in > 0) {
			if (zs->next_in[0] != 0x8b)
				return trailing_garbage(z);
			want_id2 = false;
		}
		if (!in_member) {
			if (zs->avail_in == 0) {
				if (eof)
					return 0;
				continue;
			}
			/* another member must start with the gzip magic */
			if (zs->next_in[0] != 0x1f || (zs->avail_in > 1 && zs->next_in[1] != 0x8b))
				return trailing_garbage(z);
			want_id2 = zs->avail_in == 1;
			inflateReset(zs);
			in_member = true;
		}
		if (zs->avail_in == 0 && eof) {
			snprintf(z->error, sizeof z->error, "truncated gzip");
			return -1;
		}
		zs->next_out = z->out;
		zs->avail_out = OUT_SIZE;
		int rc = inflate(zs, Z_NO_FLUSH);
		size_t got = OUT_SIZE - zs->avail_out;
		if (got)
			sink(ctx, (const char *)z->out, got);
		if (rc == Z_STREAM_END) {
			in_member = false;
		} else if (rc == Z_BUF_ERROR) {
			if (eof && zs->avail_in == 0) {
				snprintf(z->error, sizeof z->error, "truncated gzip");
				return -1;
			}
		} else if (rc != Z_OK) {
			snprintf(z->error, sizeof z->error, "corrupt gzip: %s", zlib_why(zs->msg));
			return -1;
		}
	}
}

#endif

int inflater_run(struct inflater *z, enum object_format format, const unsigned char *head,
		 size_t n, struct byte_source *src, inflate_sink_fn sink, void *ctx,
		 unsigned long long *stored)
{
	z->error[0] = '\0';
	if (format == FORMAT_GZIP)
		return run_gzip(z, head, n, src, sink, ctx, stored);
	return run_plain(z, head, n, src, sink, ctx, stored);
}
