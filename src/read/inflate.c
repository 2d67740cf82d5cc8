/*
 * inflate.c - one object's stored bytes -> decompressed bytes.
 *
 * gzip goes through ISA-L's isal_inflate when the build found libisal (about
 * twice zlib's speed), else through zlib's streaming API; both handle
 * concatenated members the same way. To see whether a gzip holds a tar,
 * the sniff decodes the head's first blocks: with ISA-L, into the buffer
 * the run then goes on from (the bytes are decoded once); with zlib, or
 * when that first step is not clean, 512 bytes through zlib.
 */
#include "ledger/read/inflate.h"

#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "config.h"
#if LEDGER_HAVE_ISAL
#include <isa-l/igzip_lib.h>
#endif

#include "ledger/support/diag.h"
#include "ledger/support/xalloc.h"

/* The data ends inside a gzip member: the copy is short (an interrupted sync or download). */
static const char truncated_gzip[] =
    "truncated gzip: the object is cut short; sync or copy it again";

#define IN_SIZE	 (256 * 1024)
#define OUT_SIZE (256 * 1024)

struct inflater {
#if LEDGER_HAVE_ISAL
	struct inflate_state st;
	struct isal_gzip_header gz; /* the header of the current member, read across calls */
#endif
	z_stream zs; /* zlib: the inflate (without ISA-L) and the sniff */
	bool zs_ready;
	/* ISA-L: the sniff decoded the head's first block(s) into out, and
	 * inflater_run on the same head goes on from there */
	const unsigned char *primed_head;
	size_t primed_n, primed_got;
	unsigned char *in, *out;
	struct diag diag;
};

const char *inflate_backend(void)
{
	return LEDGER_HAVE_ISAL ? "isa-l" : "zlib";
}

static bool is_tar_header(const unsigned char *b, size_t n)
{
	return n >= 262 && memcmp(b + 257, "ustar", 5) == 0;
}

/* Magic numbers of the compressions only libarchive reads (as tar filters). */
static bool is_archive_filter(const unsigned char *b, size_t n)
{
	return (n >= 3 && memcmp(b, "BZh", 3) == 0) ||
	       (n >= 6 && memcmp(b,
				 "\xfd"
				 "7zXZ\0",
				 6) == 0) ||
	       (n >= 4 && memcmp(b, "\x28\xb5\x2f\xfd", 4) == 0); /* zstd frame */
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

#if LEDGER_HAVE_ISAL
static void isal_start(struct inflater *z)
{
	isal_inflate_init(&z->st);
	z->st.crc_flag = ISAL_GZIP;
	isal_gzip_header_init(&z->gz);
}

/*
 * The first step of run_gzip, on the head alone: its member header, then
 * what its first blocks decode to, in z->out. When that is a clean step
 * (the header within the head, no error), the head is primed: run_gzip on
 * it goes on from there, so the bytes decoded to see a tar header are
 * decoded once. *got: the bytes decoded; false when not primed.
 */
static bool isal_prime(struct inflater *z, const unsigned char *head, size_t n, size_t *got)
{
	struct inflate_state *st = &z->st;
	isal_start(z);
	st->next_in = (uint8_t *)head;
	st->avail_in = (uint32_t)n;
	if (isal_read_gzip_header(st, &z->gz) != ISAL_DECOMP_OK)
		return false;
	st->next_out = z->out;
	st->avail_out = OUT_SIZE;
	if (isal_inflate(st) < 0)
		return false;
	*got = OUT_SIZE - st->avail_out;
	z->primed_head = head;
	z->primed_n = n;
	z->primed_got = *got;
	return true;
}
#endif

/*
 * Does a gzip head decompress to a tar header? With an inflater, its own
 * state is reused (no allocation per object: this runs for every object).
 */
static bool gzip_holds_tar(struct inflater *z, const unsigned char *head, size_t n)
{
	unsigned char out[512];
	size_t got = 0;
#if LEDGER_HAVE_ISAL
	if (z && isal_prime(z, head, n, &got)) {
		if (!is_tar_header(z->out, got))
			return false;
		z->primed_head = NULL; /* an archive: unpack reads it */
		return true;
	}
#endif
	/* zlib, even with ISA-L: it stops at the 512th byte, where isal_inflate
	 * decodes whole blocks into its own buffer (most of a small object) */
	if (z) {
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
	if (is_archive_filter(head, n) || is_tar_header(head, n))
		return FORMAT_ARCHIVE;
	return FORMAT_PLAIN;
}

enum object_format inflate_sniff(const unsigned char *head, size_t n)
{
	return sniff(NULL, head, n);
}

enum object_format inflater_sniff(struct inflater *z, const unsigned char *head, size_t n)
{
	z->primed_head = NULL;
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
	if (z->zs_ready)
		inflateEnd(&z->zs);
	free(z->in);
	free(z->out);
	diag_clear(&z->diag);
	free(z);
}

const char *inflater_error(const struct inflater *z)
{
	return diag_msg(&z->diag);
}

static int read_error(struct inflater *z, struct byte_source *src)
{
	diag_set(&z->diag, "read error: %s", diag_msg(&src->diag));
	diag_clear(&src->diag);
	return -1;
}

/* Where a gzip object stands, read by read, in either backend's loop. */
struct gz_loop {
	struct byte_source *src;
	unsigned long long *stored;
	bool eof, in_member, want_id2;
};

/* Starts a loop on the n bytes of head: the decoder's input fields point at them. */
static void gz_start(struct gz_loop *g, struct byte_source *src, unsigned long long *stored,
		     const unsigned char *head, size_t n, unsigned char **next,
		     unsigned int *avail_in)
{
	*g = (struct gz_loop){ .src = src, .stored = stored, .in_member = true };
	*stored = n;
	*next = (unsigned char *)head;
	*avail_in = (unsigned int)n;
}

enum gz_step {
	GZ_FAIL = -1,  /* diag set */
	GZ_END = 0,    /* the object ended after a whole member */
	GZ_DECODE,     /* decode the decoder's input */
	GZ_NEW_MEMBER, /* it begins another member: reset the decoder, then decode */
};

/*
 * Before each decoding step: reads into z->in when the decoder's input (the
 * *avail_in bytes at *next, both backends' fields) is used up, then says
 * what to do with it. After a member, anything but the gzip magic is
 * garbage. When a read ends just after a 0x1f, the member is begun and the
 * next read's first byte is checked against 0x8b (want_id2): else the
 * verdict would depend on where the reads happen to be cut.
 */
static enum gz_step gz_next(struct inflater *z, struct gz_loop *g, unsigned char **next,
			    unsigned int *avail_in)
{
	for (;;) {
		if (*avail_in == 0 && !g->eof) {
			ssize_t r = g->src->read(g->src, z->in, IN_SIZE);
			if (r < 0)
				return read_error(z, g->src);
			g->eof = r == 0;
			*g->stored += (unsigned long long)r;
			*next = z->in;
			*avail_in = (unsigned int)r;
		}
		const unsigned char *in = *next;
		if (g->want_id2 && *avail_in > 0) {
			if (in[0] != 0x8b)
				return diag_set(&z->diag, "trailing garbage after gzip data");
			g->want_id2 = false;
		}
		if (g->in_member)
			break;
		if (*avail_in == 0) {
			if (g->eof)
				return GZ_END;
			continue;
		}
		if (in[0] != 0x1f || (*avail_in > 1 && in[1] != 0x8b))
			return diag_set(&z->diag, "trailing garbage after gzip data");
		g->want_id2 = *avail_in == 1;
		g->in_member = true;
		return GZ_NEW_MEMBER;
	}
	if (*avail_in == 0 && g->eof)
		return diag_set(&z->diag, "%s", truncated_gzip);
	return GZ_DECODE;
}

static int run_plain(struct inflater *z, const unsigned char *head, size_t n,
		     struct byte_source *src, void (*sink)(void *, const char *, size_t), void *ctx,
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
	return diag_set(&z->diag, "corrupt gzip: %s", why);
}

static void isal_member_start(struct inflater *z)
{
	struct inflate_state *st = &z->st;
	uint8_t *next = st->next_in;
	uint32_t avail = st->avail_in;
	isal_inflate_reset(st);
	st->crc_flag = ISAL_GZIP;
	isal_gzip_header_init(&z->gz);
	st->next_in = next;
	st->avail_in = avail;
}

static int run_gzip(struct inflater *z, const unsigned char *head, size_t n,
		    struct byte_source *src, void (*sink)(void *, const char *, size_t), void *ctx,
		    unsigned long long *stored)
{
	struct inflate_state *st = &z->st;
	bool primed = z->primed_head == head && z->primed_n == n && head;
	z->primed_head = NULL;
	uint8_t *next = st->next_in;
	uint32_t avail = st->avail_in;
	if (!primed)
		isal_start(z);
	struct gz_loop g;
	gz_start(&g, src, stored, head, n, &st->next_in, &st->avail_in);
	bool have_header = false;
	if (primed) { /* isal_prime took the first step: the rest of the loop's first turn */
		st->next_in = next;
		st->avail_in = avail;
		have_header = true;
		if (z->primed_got)
			sink(ctx, (const char *)z->out, z->primed_got);
		if (st->block_state == ISAL_BLOCK_FINISH)
			g.in_member = false;
	}
	for (;;) {
		enum gz_step step = gz_next(z, &g, &st->next_in, &st->avail_in);
		if (step == GZ_FAIL || step == GZ_END)
			return step;
		if (step == GZ_NEW_MEMBER) {
			isal_member_start(z);
			have_header = false;
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
			g.in_member = false;
		else if (got == 0 && st->avail_in == 0 && g.eof)
			return diag_set(&z->diag, "%s", truncated_gzip);
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
		    struct byte_source *src, void (*sink)(void *, const char *, size_t), void *ctx,
		    unsigned long long *stored)
{
	z_stream *zs = &z->zs;
	if (!z->zs_ready) {
		memset(zs, 0, sizeof *zs);
		if (inflateInit2(zs, 16 + MAX_WBITS) != Z_OK)
			return diag_set(&z->diag, "zlib: cannot initialise");
		z->zs_ready = true;
	} else {
		inflateReset(zs);
	}
	struct gz_loop g;
	gz_start(&g, src, stored, head, n, &zs->next_in, &zs->avail_in);
	for (;;) {
		enum gz_step step = gz_next(z, &g, &zs->next_in, &zs->avail_in);
		if (step == GZ_FAIL || step == GZ_END)
			return step;
		if (step == GZ_NEW_MEMBER)
			inflateReset(zs);
		zs->next_out = z->out;
		zs->avail_out = OUT_SIZE;
		int rc = inflate(zs, Z_NO_FLUSH);
		size_t got = OUT_SIZE - zs->avail_out;
		if (got)
			sink(ctx, (const char *)z->out, got);
		if (rc == Z_STREAM_END)
			g.in_member = false;
		else if (rc == Z_BUF_ERROR && g.eof && zs->avail_in == 0)
			return diag_set(&z->diag, "%s", truncated_gzip);
		else if (rc != Z_OK && rc != Z_BUF_ERROR)
			return diag_set(&z->diag, "corrupt gzip: %s", zlib_why(zs->msg));
	}
}

#endif

int inflater_run(struct inflater *z, enum object_format format, const unsigned char *head, size_t n,
		 struct byte_source *src, void (*sink)(void *ctx, const char *buf, size_t n),
		 void *ctx, unsigned long long *stored)
{
	diag_clear(&z->diag);
	if (format == FORMAT_GZIP)
		return run_gzip(z, head, n, src, sink, ctx, stored);
	return run_plain(z, head, n, src, sink, ctx, stored);
}
