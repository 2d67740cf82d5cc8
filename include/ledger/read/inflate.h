/*
 * inflate.h - one object's stored bytes -> its decompressed byte stream.
 *
 * Pipeline: source or unpack -> [inflate] -> record.
 * An object is recognised by its first bytes (never by its name): gzip (one
 * or several concatenated members), an archive (zip, tar, possibly gzip,
 * bzip2, xz or zstd compressed; those go to unpack.h), or plain text.
 * Ownership: an inflater owns its buffers and is reused object after object
 * by one thread. Decompressed bytes handed to the sink are valid only during
 * the call.
 */
#ifndef LEDGER_INFLATE_H
#define LEDGER_INFLATE_H

#include <stdbool.h>
#include <stddef.h>

#include "ledger/read/source.h"

enum object_format {
	FORMAT_EMPTY,	/* no bytes at all */
	FORMAT_PLAIN,	/* text: JSON lines */
	FORMAT_GZIP,	/* gzip of text */
	FORMAT_ARCHIVE, /* zip, or tar (plain, gzip, bzip2, xz, zstd) */
};

/* The size of the head that inflate_sniff wants to see (less at end of file). */
#define INFLATE_HEAD_SIZE 65536

/*
 * Classifies an object by its first n bytes (the whole object if shorter).
 * gzip is FORMAT_ARCHIVE only when it holds a tar; bzip2, xz and zstd are
 * always FORMAT_ARCHIVE (a log compressed so is not read: unpack says why).
 */
enum object_format inflate_sniff(const unsigned char *head, size_t n);

/* The backend chosen at build time: "zlib" or "isa-l". */
const char *inflate_backend(void);

struct inflater;

struct inflater *inflater_create(void);	   /* never NULL: OOM aborts */
void inflater_destroy(struct inflater *z); /* NULL is a no-op */

/*
 * inflate_sniff, reusing z's state instead of allocating one per object.
 * inflater_run on the same head, next, goes on from what the sniff decoded.
 */
enum object_format inflater_sniff(struct inflater *z, const unsigned char *head, size_t n);

/*
 * Streams one object of format FORMAT_PLAIN or FORMAT_GZIP to sink(ctx,
 * buf, n): first the n bytes of head (already read from src), then the rest
 * of src. Returns 0, or -1 with inflater_error() set ("truncated gzip: the
 * object is cut short; sync or copy it again",
 * "corrupt gzip: ...", "trailing garbage after gzip data", "read error:
 * ..."; a read error's diag is taken from src); the bytes decoded before
 * the fault have reached the sink.
 * *stored is set to the number of stored bytes consumed.
 */
int inflater_run(struct inflater *z, enum object_format format, const unsigned char *head, size_t n,
		 struct byte_source *src, void (*sink)(void *ctx, const char *buf, size_t n),
		 void *ctx, unsigned long long *stored);

/* The problem of the last inflater_run that failed ("" after a success); owned by z,
 * valid until its next run. */
const char *inflater_error(const struct inflater *z);

#endif
