/*
 * fuzz_inflate.c - libFuzzer harness for sniffing, gzip/plain inflation
 * (inflate.h) and archives (unpack.h).
 *
 * The input is one stored object, read the way pipeline.c reads it: a head
 * of up to INFLATE_HEAD_SIZE bytes, inflate_sniff, then inflater_run for
 * plain text and gzip, or unpack_members for an archive, whose members are
 * read the same way (an archive inside an archive is opened down to depth
 * 2, deeper ones are read and discarded).
 *
 * Checked, abort() on failure: a plain or gzip object gives the same result
 * (status, message, bytes out, stored count) when its head is cut elsewhere
 * and the rest comes in short reads, on the same inflater; a successful run
 * consumed every stored byte; callback arguments keep unpack.h's contract; a
 * failure always comes with a message.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ledger/read/inflate.h"
#include "ledger/read/source.h"
#include "ledger/read/unpack.h"
#include "fuzz_common.h"

#define MAX_DEPTH 2

/* What an object decompressed to: a hash of the bytes, so that all are read. */
struct out {
	uint64_t hash, n;
};

static void sink(void *ctx, const char *buf, size_t n)
{
	struct out *o = ctx;
	for (size_t i = 0; i < n; i++)
		o->hash = (o->hash ^ (unsigned char)buf[i]) * 1099511628211u;
	o->n += n;
}

struct walk {
	struct inflater *z;
	int depth;
};

static void read_object(struct inflater *z, struct byte_source *src, int depth);

static void on_member(void *ctx, const char *name, enum member_kind kind, unsigned long long size,
		      struct byte_source *data)
{
	const struct walk *w = ctx;
	(void)size;
	CHECK(name != NULL);
	CHECK(strlen(name) < (size_t)1 << 20);
	CHECK(kind == MEMBER_FILE || kind == MEMBER_DIRECTORY || kind == MEMBER_LINK ||
	      kind == MEMBER_OTHER);
	CHECK((kind == MEMBER_FILE) == (data != NULL));
	if (data)
		read_object(w->z, data, w->depth + 1);
}

/* One object from src, as pipeline.c's read_object reads it. */
static void read_object(struct inflater *z, struct byte_source *src, int depth)
{
	unsigned char *head = malloc(INFLATE_HEAD_SIZE);
	CHECK(head);
	ssize_t n = byte_source_fill(src, head, INFLATE_HEAD_SIZE);
	if (n < 0) {
		CHECK(diag_has(&src->diag));
		diag_clear(&src->diag);
		free(head);
		return;
	}
	CHECK((size_t)n <= INFLATE_HEAD_SIZE);
	enum object_format fmt = inflate_sniff(head, (size_t)n);
	if (fmt == FORMAT_ARCHIVE && depth < MAX_DEPTH) {
		struct diag d = DIAG_INIT;
		struct walk w = { z, depth };
		if (unpack_members(head, (size_t)n, src, on_member, &w, &d) != 0)
			CHECK(diag_msg(&d)[0] != '\0');
		else
			CHECK(!diag_has(&d));
		diag_clear(&d);
	} else if (fmt == FORMAT_ARCHIVE) {
		char buf[4096];
		while (src->read(src, buf, sizeof buf) > 0)
			;
	} else {
		struct out o = { 0 };
		unsigned long long stored = 0;
		int rc = inflater_run(z, fmt, head, (size_t)n, src, sink, &o, &stored);
		CHECK(rc == 0 || rc == -1);
		CHECK(rc == 0 || inflater_error(z)[0] != '\0');
		CHECK(stored >= (unsigned long long)n);
	}
	free(head);
}

struct result {
	int rc;
	char *error;
	struct out out;
	unsigned long long stored;
};

static void run_top(struct inflater *z, enum object_format fmt, const uint8_t *data, size_t size,
		    size_t head_n, size_t step, struct result *res)
{
	struct mem_source m;
	mem_source_init(&m, data + head_n, size - head_n, step);
	memset(res, 0, sizeof *res);
	res->rc = inflater_run(z, fmt, data, head_n, &m.src, sink, &res->out, &res->stored);
	res->error = strdup(inflater_error(z));
	CHECK(res->error);
	CHECK(res->rc == 0 || res->rc == -1);
	CHECK(res->stored <= size);
	CHECK(res->stored == head_n + m.pos);
	if (res->rc == 0) {
		CHECK(res->error[0] == '\0');
		CHECK(res->stored == size);
	} else {
		CHECK(res->error[0] != '\0');
	}
	if (fmt == FORMAT_PLAIN && res->rc == 0)
		CHECK(res->out.n == size);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct inflater *z = inflater_create();
	size_t head_n = size < INFLATE_HEAD_SIZE ? size : INFLATE_HEAD_SIZE;
	enum object_format fmt = inflate_sniff(data, head_n);
	CHECK(fmt == FORMAT_EMPTY || fmt == FORMAT_PLAIN || fmt == FORMAT_GZIP ||
	      fmt == FORMAT_ARCHIVE);
	CHECK((fmt == FORMAT_EMPTY) == (size == 0));

	if (fmt == FORMAT_ARCHIVE) {
		struct mem_source m;
		mem_source_init(&m, data, size, 65536);
		read_object(z, &m.src, 0);
	} else if (fmt != FORMAT_EMPTY) {
		/* as the pipeline does it, then with another cut and short reads */
		struct result a, b;
		run_top(z, fmt, data, size, head_n, 65536, &a);
		size_t cut = size / 2;
		size_t step = 1 + data[size - 1] % 64;
		run_top(z, fmt, data, size, cut, step, &b);
		CHECK(a.rc == b.rc);
		CHECK(strcmp(a.error, b.error) == 0);
		if (a.rc == 0) {
			CHECK(a.out.n == b.out.n && a.out.hash == b.out.hash);
			CHECK(a.stored == b.stored);
		}
		free(a.error);
		free(b.error);
	}
	inflater_destroy(z);
	return 0;
}
