/*
 * source.h - byte sources: where an object's stored bytes come from (a file
 * descriptor, an archive member, memory), behind one read function.
 *
 * Pipeline: walk -> [source] -> inflate or unpack -> record. A source hands
 * out stored bytes as they are (still compressed); inflate and unpack read
 * them, and unpack hands each member on as a source of its own.
 * Ownership: the caller embeds a source (struct fd_source, ...) and passes
 * &x.src; a source owns nothing it was given (fds, memory). After a read
 * returned -1 the problem is in src->diag: whoever got the -1 takes it
 * (diag_move) or clears it.
 */
#ifndef LEDGER_SOURCE_H
#define LEDGER_SOURCE_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "ledger/support/diag.h"
#include "ledger/support/sha256.h"

struct byte_source {
	/* Up to n bytes into buf: the count, 0 at the end, or -1 with diag set. */
	ssize_t (*read)(struct byte_source *src, void *buf, size_t n);
	struct diag diag; /* the problem ("Is a directory", ...) after a -1 */
};

/* Reads until buf is full or the source ends: the count, or -1 with src->diag set. */
ssize_t byte_source_fill(struct byte_source *src, void *buf, size_t n);

/*
 * A source over a file descriptor (not closed by it). `count` is the bytes
 * read so far, for this thread; when `progress` is set (NULL after init),
 * each read also adds its count to *progress, relaxed, for another thread
 * to watch (a progress display by bytes).
 */
struct fd_source {
	struct byte_source src;
	int fd;
	uint64_t count;
	_Atomic uint64_t *progress;
};
void fd_source_init(struct fd_source *s, int fd);

/*
 * A source over n bytes of memory (not copied: they must outlive it),
 * handing out at most `step` bytes per read (0: no limit), so that a test
 * can cut the stream anywhere. `pos` is how far it has been read.
 */
struct mem_source {
	struct byte_source src;
	const unsigned char *p;
	size_t n, pos, step;
};
void mem_source_init(struct mem_source *s, const void *p, size_t n, size_t step);

/*
 * A source that hands on what `inner` gives and hashes it as it goes
 * (--hash: the SHA-256 of an object's stored bytes, read once). The hash
 * is borrowed; its state is the caller's to reset and finish.
 */
struct hash_source {
	struct byte_source src;
	struct byte_source *inner;
	struct sha256 *h;
};
void hash_source_init(struct hash_source *s, struct byte_source *inner, struct sha256 *h);

/*
 * Reads the source to its end, keeping nothing (so that a hash_source has
 * seen every stored byte, also those a reader did not need). 0, or -1 with
 * src->diag set.
 */
int byte_source_drain(struct byte_source *src);

#endif
